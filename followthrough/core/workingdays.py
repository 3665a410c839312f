"""Working days in England: weekends and English bank holidays are not working days.

Pure module (no Django), used by front-door clocks and licensing deadlines.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself is day zero)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def due_after_working_days(received: datetime, days: int) -> datetime:
    """Deadline for something received at `received`: the same clock time `days` working days on.

    A receipt outside a working day starts the clock at 09:00 on the next working day.
    """
    day = received.date()
    clock = received.timetz()
    if not is_working_day(day):
        while not is_working_day(day):
            day += timedelta(days=1)
        clock = time(9, 0, tzinfo=received.tzinfo)
    due_day = add_working_days(day, days)
    return datetime.combine(due_day, clock.replace(tzinfo=None), tzinfo=received.tzinfo)
