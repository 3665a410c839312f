"""Who may do what at the front door: can_<verb>_<entity>(user, obj) -> bool.

Only the front-door team (practitioners and their managers) ever sees a contact. Nobody else,
administrators included, and no anonymous visitor: for them every contact page is "not found".
Views pass the answers to templates; services check them again.
"""

from __future__ import annotations

from typing import Any

from followthrough.core.roles import Role

FRONTDOOR_ROLES = frozenset({Role.FRONTDOOR_PRACTITIONER, Role.FRONTDOOR_MANAGER})


def is_frontdoor_staff(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role in FRONTDOOR_ROLES
    )


def is_frontdoor_manager(user: Any) -> bool:
    return is_frontdoor_staff(user) and user.role == Role.FRONTDOOR_MANAGER


def can_view_contact(user: Any, contact: Any = None) -> bool:
    return is_frontdoor_staff(user)


def can_assign_contact(user: Any, contact: Any = None) -> bool:
    return is_frontdoor_staff(user)


def can_screen_contact(user: Any, contact: Any = None) -> bool:
    return is_frontdoor_staff(user)


def can_decide_contact(user: Any, contact: Any = None) -> bool:
    return is_frontdoor_staff(user)


def can_complete_assessment(user: Any, assessment: Any = None) -> bool:
    return is_frontdoor_staff(user) and (assessment is None or assessment.completed_at is None)


def can_view_access_log(user: Any, contact: Any = None) -> bool:
    """Who opened a record is for managers: they check access is proportionate."""
    return is_frontdoor_manager(user)


def can_manage_legal_hold(user: Any, contact: Any = None) -> bool:
    return is_frontdoor_manager(user)


def can_export_contacts(user: Any) -> bool:
    return is_frontdoor_staff(user)


def can_publish_figures(user: Any) -> bool:
    return is_frontdoor_manager(user)
