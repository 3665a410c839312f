"""Statutory clocks: one working day to decide, 45 working days to assess, across weekends,
English bank holidays and the clocks changing. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followthrough.frontdoor.clocks import (
    Urgency,
    assessment_due,
    decision_due,
    time_left,
    urgency,
)

LONDON = ZoneInfo("Europe/London")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # An ordinary Tuesday morning: Wednesday, same time.
        (at(2026, 11, 24, 10, 0), at(2026, 11, 25, 10, 0)),
        # Friday evening: Monday, same time.
        (at(2026, 11, 27, 18, 45), at(2026, 11, 30, 18, 45)),
        # Saturday night: the clock starts 09:00 Monday, due 09:00 Tuesday.
        (at(2026, 11, 28, 22, 0), at(2026, 12, 1, 9, 0)),
        # Christmas Eve (Thursday): Christmas Day, the weekend and the Boxing Day substitute
        # (Monday 28th) are skipped.
        (at(2026, 12, 24, 10, 0), at(2026, 12, 29, 10, 0)),
        # Christmas Day itself: clock starts 09:00 Tuesday 29th, due Wednesday 30th.
        (at(2026, 12, 25, 14, 0), at(2026, 12, 30, 9, 0)),
        # New Year's Eve (Thursday): New Year's Day (Friday) and the weekend are skipped.
        (at(2026, 12, 31, 15, 0), at(2027, 1, 4, 15, 0)),
        # Maundy Thursday 2027: Good Friday and Easter Monday are skipped.
        (at(2027, 3, 25, 16, 0), at(2027, 3, 30, 16, 0)),
        # Received on Easter Monday: starts 09:00 Tuesday, due 09:00 Wednesday.
        (at(2027, 3, 29, 11, 0), at(2027, 3, 31, 9, 0)),
        # Friday before the clocks go back: Monday at the same wall-clock time (now GMT).
        (at(2026, 10, 23, 17, 0), at(2026, 10, 26, 17, 0)),
        # The May Day bank holiday Monday after a Friday receipt.
        (at(2027, 4, 30, 12, 30), at(2027, 5, 4, 12, 30)),
    ],
)
def test_decision_due_is_one_working_day_from_receipt(received, due):
    assert decision_due(received) == due


def test_decision_due_uses_london_time_not_the_stored_utc_time():
    # 00:30 on Saturday in London is still 23:30 on Friday in UTC, as the database stores it.
    received_utc = datetime(2026, 10, 2, 23, 30, tzinfo=UTC)
    assert decision_due(received_utc) == at(2026, 10, 6, 9, 0)


def test_decision_due_refuses_a_time_without_a_zone():
    with pytest.raises(ValueError):
        decision_due(datetime(2026, 11, 24, 10, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("referral", "due"),
    [
        # Nine weeks with no bank holidays.
        (at(2026, 6, 1, 10, 0), at(2026, 8, 3, 10, 0)),
        # Nine weeks across Christmas and New Year: three bank holidays push it three days.
        (at(2026, 11, 2, 10, 0), at(2027, 1, 7, 10, 0)),
    ],
)
def test_assessment_is_due_45_working_days_from_the_referral(referral, due):
    assert assessment_due(referral) == due


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 25, 7, 59), Urgency.GREEN),
        (at(2026, 11, 25, 8, 0), Urgency.AMBER),
        (at(2026, 11, 25, 11, 59), Urgency.AMBER),
        (at(2026, 11, 25, 12, 0), Urgency.RED),
        (at(2026, 11, 26, 9, 0), Urgency.RED),
    ],
)
def test_urgency_is_red_when_overdue_and_amber_within_four_hours(now, expected):
    assert urgency(at(2026, 11, 25, 12, 0), now, amber_hours=4) == expected


def test_time_left_reads_naturally():
    due = at(2026, 11, 25, 12, 0)
    assert time_left(due, due - timedelta(hours=3, minutes=20)) == "3 hours 20 minutes left"
    assert time_left(due, due - timedelta(minutes=1)) == "1 minute left"
    assert time_left(due, due + timedelta(days=1, hours=2)) == "1 day 2 hours overdue"
    assert time_left(due, due) == "0 minutes left"
