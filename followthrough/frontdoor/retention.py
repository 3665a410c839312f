"""How long a contact is kept after the last decision on it. Pure Python.

The schedule is `settings.FOLLOWTHROUGH["FRONTDOOR_RETENTION_DAYS"]`: either one number of days
for every contact, or a mapping from the latest decision's outcome to days with a "default".
A contact still waiting for a decision is live work and is never due for disposal; a legal hold
stops disposal whatever the schedule says (services.contacts_dispose).

Defaults, to be confirmed by the council's information governance lead:
- no further action, information and advice: 6 years;
- everything else: 75 years, the period IICSA's final report recommended for records relating to
  child sexual abuse (child protection records elsewhere are kept 35 years after last contact).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

SIX_YEARS = 6 * 365 + 2
SEVENTY_FIVE_YEARS = 75 * 365 + 19
DEFAULT_SCHEDULE: dict[str, int] = {
    "no_further_action": SIX_YEARS,
    "information_and_advice": SIX_YEARS,
    "default": SEVENTY_FIVE_YEARS,
}


def retention_days(outcome: str, schedule: int | Mapping[str, Any] | None) -> int:
    if schedule is None:
        schedule = DEFAULT_SCHEDULE
    if isinstance(schedule, int):
        return schedule
    if outcome in schedule:
        return int(schedule[outcome])
    return int(schedule.get("default", DEFAULT_SCHEDULE["default"]))


def disposal_date(
    last_decided_on: date | None, outcome: str, schedule: int | Mapping[str, Any] | None
) -> date | None:
    """The first day a contact may be disposed of, or None while it waits for a decision."""
    if last_decided_on is None:
        return None
    return last_decided_on + timedelta(days=retention_days(outcome, schedule))
