"""Who may do what with committee reports: can_<verb>_<entity>(user, obj) -> bool.

Reading is decided by the tracker's review funnel first (a person only reaches a review they may
see); these add the role rules. Views pass the answers to templates.
"""

from __future__ import annotations

from typing import Any

from followthrough.core.roles import Role
from followthrough.tracker.permissions import is_tracker_reader

from .models import Meeting, ReportSnapshot


def can_read_reports(user: Any) -> bool:
    """Members, assessors, partner leads, officers and admins read reports of reviews they see."""
    return is_tracker_reader(user)


def can_manage_meetings(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.ADMIN, Role.SCRUTINY_OFFICER))


def can_freeze_report(user: Any, meeting: Meeting) -> bool:
    """Officers table (freeze) a meeting's report once; after that it never changes."""
    return can_manage_meetings(user) and not _has_snapshot(meeting)


def can_follow_recommendation(user: Any) -> bool:
    """Anyone signed in who can read the tracker may follow a recommendation they can see."""
    return is_tracker_reader(user)


def _has_snapshot(meeting: Meeting) -> bool:
    try:
        meeting.snapshot  # noqa: B018 - the reverse one-to-one raises when there is none
    except ReportSnapshot.DoesNotExist:
        return False
    return True
