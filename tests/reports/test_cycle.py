"""The committee calendar: no database."""

from datetime import date

import pytest

from followthrough.reports.cycle import (
    Stage,
    default_requests_from,
    reminder_due_from,
    stages_due,
    working_days_before,
)

DEADLINE = date(2020, 3, 16)  # a Monday
MEETING = date(2020, 3, 26)


def test_working_days_before_skips_weekends_and_bank_holidays():
    assert working_days_before(date(2020, 3, 16), 1) == date(2020, 3, 13)  # Monday → Friday
    # Easter 2020: Good Friday 10 April and Easter Monday 13 April are not working days.
    assert working_days_before(date(2020, 4, 14), 1) == date(2020, 4, 9)
    with pytest.raises(ValueError):
        working_days_before(DEADLINE, -1)


def test_default_requests_from_is_four_working_weeks_before_the_deadline():
    assert default_requests_from(DEADLINE) == date(2020, 2, 17)
    assert reminder_due_from(DEADLINE) == date(2020, 3, 11)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2020, 2, 16), []),
        (date(2020, 2, 17), [Stage.REQUEST]),
        (date(2020, 3, 10), [Stage.REQUEST]),
        (date(2020, 3, 11), [Stage.REQUEST, Stage.REMINDER]),
        (DEADLINE, [Stage.REQUEST, Stage.REMINDER]),
        (date(2020, 3, 17), [Stage.ESCALATION]),
        (MEETING, [Stage.ESCALATION]),
        (date(2020, 3, 27), []),
    ],
)
def test_stages_due_follow_the_papers_deadline(today, expected):
    assert (
        stages_due(
            today=today,
            requests_from=date(2020, 2, 17),
            papers_deadline=DEADLINE,
            meets_on=MEETING,
        )
        == expected
    )
