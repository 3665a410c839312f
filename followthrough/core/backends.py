from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class SignInThrottle(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in made through a web request.

    Sign-ins without a request (Django's test client `login()`, management commands) have no
    address to throttle by; they are not web sign-ins, so they are left to the next backend.
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)  # type: ignore[no-any-return]
