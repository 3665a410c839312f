"""The committee cycle's calendar: when update requests, reminders and escalations are due.

Pure module (no Django). Dates count English working days, as a clerk would.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from followthrough.core.workingdays import is_working_day

# Update requests go out this many working days before the papers deadline (about four weeks).
REQUEST_WORKING_DAYS = 20
# Owners who have not updated are reminded this many working days before the deadline.
REMINDER_WORKING_DAYS = 3


class Stage(StrEnum):
    REQUEST = "request"
    REMINDER = "reminder"
    ESCALATION = "escalation"


def working_days_before(day: date, days: int) -> date:
    """The date `days` working days before `day` (day itself is day zero)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = day
    remaining = days
    while remaining:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def default_requests_from(papers_deadline: date) -> date:
    return working_days_before(papers_deadline, REQUEST_WORKING_DAYS)


def reminder_due_from(papers_deadline: date) -> date:
    return working_days_before(papers_deadline, REMINDER_WORKING_DAYS)


def stages_due(
    *, today: date, requests_from: date, papers_deadline: date, meets_on: date
) -> list[Stage]:
    """What may be sent today for a meeting. Each is sent at most once per partner.

    Requests from `requests_from` to the deadline (so a late-added partner still gets one);
    reminders in the last few working days before the deadline; escalation after the deadline
    up to the meeting (after the meeting the report's "no update received" list says it).
    """
    due: list[Stage] = []
    if requests_from <= today <= papers_deadline:
        due.append(Stage.REQUEST)
    if reminder_due_from(papers_deadline) <= today <= papers_deadline:
        due.append(Stage.REMINDER)
    if papers_deadline < today <= meets_on:
        due.append(Stage.ESCALATION)
    return due
