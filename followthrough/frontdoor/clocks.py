"""The statutory clocks a contact runs against, and how urgent each looks. Pure Python.

- Decision: within one working day of receiving a referral, the local authority decides what
  happens next (Working Together to Safeguard Children; local procedures often say "24 hours").
- Assessment: concludes within 45 working days from the point of referral (Working Together).

Working days are England's (weekends and English bank holidays are not working days); a receipt
outside a working day starts its clock at 09:00 on the next one (core.workingdays).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from followthrough.core.workingdays import due_after_working_days

LONDON = ZoneInfo("Europe/London")
DECISION_WORKING_DAYS = 1
ASSESSMENT_WORKING_DAYS = 45
DEFAULT_AMBER_HOURS = 4


class Urgency(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return {"red": "Overdue", "amber": "Due soon", "green": "On time"}[self.value]


def local_time(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Clock times must be timezone-aware")
    return moment.astimezone(LONDON)


def decision_due(received_at: datetime) -> datetime:
    """When the decision on a contact received at `received_at` is due (one working day)."""
    return due_after_working_days(local_time(received_at), DECISION_WORKING_DAYS)


def assessment_due(referral_received_at: datetime) -> datetime:
    """When an assessment must conclude: 45 working days from the point of referral."""
    return due_after_working_days(local_time(referral_received_at), ASSESSMENT_WORKING_DAYS)


def urgency(due_at: datetime, now: datetime, amber_hours: float = DEFAULT_AMBER_HOURS) -> Urgency:
    """Red once the due time has passed, amber within `amber_hours` of it, green otherwise."""
    if now >= due_at:
        return Urgency.RED
    if due_at - now <= timedelta(hours=amber_hours):
        return Urgency.AMBER
    return Urgency.GREEN


def time_left(due_at: datetime, now: datetime) -> str:
    """'3 hours 20 minutes left' or '1 day 2 hours overdue', for the queue."""
    delta = due_at - now
    overdue = delta.total_seconds() < 0
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and (minutes or not parts):
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts) + (" overdue" if overdue else " left")
