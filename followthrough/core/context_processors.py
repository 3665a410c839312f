"""The service navigation, by role. Links are only shown; every view still checks access."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .roles import TRACKER_READERS, Role

# (url name, text, roles that see it; None = everyone signed in)
_ITEMS: list[tuple[str, str, frozenset[str] | None]] = [
    ("tracker:dashboard", "Dashboard", TRACKER_READERS),
    ("tracker:review-list", "Reviews", TRACKER_READERS),
    ("reports:notifications", "Notifications", TRACKER_READERS),
    ("insights:home", "Insights", frozenset({Role.ANALYST, Role.ADMIN})),
    (
        "frontdoor:queue",
        "Front door",
        frozenset({Role.FRONTDOOR_PRACTITIONER, Role.FRONTDOOR_MANAGER}),
    ),
    ("licensing:home", "Licensing", frozenset({Role.LICENSING_OFFICER, Role.ADMIN})),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, text, roles in _ITEMS:
        if roles is not None and user.role not in roles:
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue  # that module is not installed yet
        items.append({"href": href, "text": text, "active": request.path.startswith(href)})
    return {"nav_items": items}
