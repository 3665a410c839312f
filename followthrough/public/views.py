from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch

from followthrough.core.roles import TRACKER_READERS, Role

_HOME_BY_ROLE: dict[str, str] = {
    Role.ANALYST: "insights:home",
    Role.FRONTDOOR_PRACTITIONER: "frontdoor:queue",
    Role.FRONTDOOR_MANAGER: "frontdoor:queue",
    Role.LICENSING_OFFICER: "licensing:home",
}


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their own starting page; residents to the public site."""
    user = request.user
    if user.is_authenticated:
        if user.role in TRACKER_READERS:
            return redirect("tracker:dashboard")
        target = _HOME_BY_ROLE.get(user.role)
        if target:
            with contextlib.suppress(NoReverseMatch):  # that module is not installed yet
                return redirect(target)
    return redirect("core:login")
