from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import has_confirmed_device


class SecondFactorMiddleware:
    """A signed-in person who has not yet given their second factor reaches only the sign-in
    steps, sign-out and public pages. Required for all staff when REQUIRE_2FA is on, and for
    anyone who has added an authenticator app whatever the setting."""

    # Public material stays public for a signed-in person who has not finished signing in.
    _ALWAYS_ALLOWED = (
        "/static/",
        "/accessibility/",
        "/progress/",
        "/facts-about-child-sexual-exploitation/",
        "/report-a-concern/",
        "/open-data/",
        "/front-door/report/",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # django-otp's OTPMiddleware adds is_verified() to the signed-in user.
        if user.is_authenticated and not user.is_verified():  # type: ignore[union-attr,attr-defined]
            setup, code = reverse("core:second-factor-setup"), reverse("core:second-factor")
            allowed = (setup, code, reverse("core:logout"), *self._ALWAYS_ALLOWED)
            if request.path != "/" and not request.path.startswith(allowed):
                if has_confirmed_device(user):
                    return redirect(f"{code}?next={request.path}")
                if settings.FOLLOWTHROUGH["REQUIRE_2FA"]:
                    return redirect(setup)
        return self.get_response(request)
