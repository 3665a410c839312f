"""Who may use insights: analysts (and administrators). Everyone else sees "not found"."""

from __future__ import annotations

from typing import Any

from followthrough.core.roles import Role

INSIGHTS_ROLES = (Role.ANALYST, Role.ADMIN)


def can_use_insights(user: Any) -> bool:
    has_role = getattr(user, "has_role", None)
    return bool(has_role and has_role(*INSIGHTS_ROLES))


def can_publish_release(user: Any) -> bool:
    return can_use_insights(user)
