from datetime import date, datetime
from zoneinfo import ZoneInfo

from followthrough.core.workingdays import (
    add_working_days,
    due_after_working_days,
    is_working_day,
    working_days_between,
)

LONDON = ZoneInfo("Europe/London")


def test_is_working_day_skips_weekends_and_english_bank_holidays():
    assert is_working_day(date(2026, 12, 24))
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute (26th is a Saturday)
    assert not is_working_day(date(2026, 12, 26))  # Saturday


def test_add_working_days_crosses_christmas_and_new_year():
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_working_days_between_counts_only_working_days():
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 4


def test_due_after_a_friday_evening_receipt_is_monday_same_time():
    received = datetime(2026, 11, 27, 17, 30, tzinfo=LONDON)
    assert due_after_working_days(received, 1) == datetime(2026, 11, 30, 17, 30, tzinfo=LONDON)


def test_due_after_a_weekend_receipt_starts_at_nine_on_the_next_working_day():
    received = datetime(2026, 11, 28, 22, 0, tzinfo=LONDON)  # Saturday night
    assert due_after_working_days(received, 1) == datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
