"""Who may do what in the tracker: can_<verb>_<entity>(user, obj) -> bool.

Views pass the answers to templates (templates never decide); services check them again.
"""

from __future__ import annotations

from typing import Any

from followthrough.core.roles import TRACKER_ALL_REVIEWS, TRACKER_READERS, Role

from .models import Action, Review
from .rules import OPEN_STATUSES, Status


def _org_ids(user: Any) -> set[int]:
    cached = getattr(user, "_followthrough_org_ids", None)
    if cached is None:
        cached = set(user.organisations.values_list("id", flat=True))
        user._followthrough_org_ids = cached
    return cached


def is_tracker_reader(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in TRACKER_READERS)


def sees_all_reviews(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in TRACKER_ALL_REVIEWS)


def can_manage_reviews(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.ADMIN, Role.SCRUTINY_OFFICER))


def can_view_restricted(user: Any, action: Action) -> bool:
    """Restricted detail and evidence: officers, assessors, and the owning partner only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in (Role.ADMIN, Role.SCRUTINY_OFFICER, Role.ASSESSOR):
        return True
    return user.role == Role.PARTNER_LEAD and action.owner_id in _org_ids(user)


def can_post_update(user: Any, action: Action) -> bool:
    return bool(
        user.is_authenticated
        and user.has_role(Role.PARTNER_LEAD)
        and action.owner_id in _org_ids(user)
        and action.status in OPEN_STATUSES
    )


def can_assess(user: Any, action: Action) -> bool:
    return bool(
        user.is_authenticated
        and user.has_role(Role.ASSESSOR)
        and action.status == Status.READY_FOR_ASSESSMENT
    )


def can_change_target_date(user: Any, action: Action) -> bool:
    return can_manage_reviews(user) and action.status in OPEN_STATUSES


def can_close_action(user: Any, action: Action) -> bool:
    return can_manage_reviews(user) and action.status in OPEN_STATUSES


def can_publish_review(user: Any, review: Review) -> bool:
    return can_manage_reviews(user)
