"""Aggregate front-door figures for the tracker's indicators. Counts and percentages only:
no reference, name or narrative ever leaves this module.

The figures cover the contacts received in the `period_days` up to and including `as_at`:
- received: how many;
- decided: how many had a decision by the end of `as_at`;
- due: how many had a decision due by the end of `as_at` (or were decided already);
- decided_within_one_working_day: how many of those were decided by their due time;
- percent: that as a percentage of `due` (None when nothing was due).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q

from . import clocks, permissions
from .models import Contact

FEED_RECEIVED = "frontdoor.contacts_received"
FEED_ON_TIME = "frontdoor.decided_within_one_working_day"
DEFAULT_PERIOD_DAYS = 28


@dataclass(frozen=True)
class FrontDoorFigures:
    as_at: date
    period_days: int
    received: int
    decided: int
    due: int
    decided_within_one_working_day: int

    @property
    def percent_within_one_working_day(self) -> Decimal | None:
        if not self.due:
            return None
        value = Decimal(100 * self.decided_within_one_working_day) / Decimal(self.due)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=clocks.LONDON)


def figures_as_at(as_at: date, *, period_days: int = DEFAULT_PERIOD_DAYS) -> FrontDoorFigures:
    end = _end_of(as_at)
    start = _end_of(as_at - timedelta(days=period_days))
    received = Contact.objects.filter(received_at__gte=start, received_at__lt=end)
    decided_by_end = Q(decided_at__isnull=False, decided_at__lt=end)
    counts = {
        "received": received.count(),
        "decided": received.filter(decided_by_end).count(),
        "due": received.filter(Q(decision_due_at__lt=end) | decided_by_end).count(),
        "on_time": received.filter(decided_by_end, decided_at__lte=F("decision_due_at")).count(),
    }
    return FrontDoorFigures(
        as_at=as_at,
        period_days=period_days,
        received=counts["received"],
        decided=counts["decided"],
        due=counts["due"],
        decided_within_one_working_day=counts["on_time"],
    )


def figures_record(
    *, actor: Any, recommendation: Any, as_at: date, period_days: int = DEFAULT_PERIOD_DAYS
) -> FrontDoorFigures:
    """Record the figures as at `as_at` on the recommendation's indicators (made if missing),
    through the tracker's one interface for fed numbers. Running it again for the same date
    changes nothing unless the figures changed. A person must be a front-door manager; the
    scheduled job passes a label such as "frontdoor figures job" as the actor."""
    from followthrough.tracker.services import indicator_ensure, indicator_record_value

    if getattr(actor, "is_authenticated", False) and not permissions.can_publish_figures(actor):
        raise PermissionDenied
    figures = figures_as_at(as_at, period_days=period_days)
    note = f"Front door, {period_days} days to {as_at:%-d %B %Y}"
    with transaction.atomic():
        received = indicator_ensure(
            actor=actor,
            recommendation=recommendation,
            feed=FEED_RECEIVED,
            name=f"Concerns about a child received through the front door ({period_days} days)",
            unit="contacts",
        )
        indicator_record_value(
            actor=actor, indicator=received, on=as_at, value=Decimal(figures.received), note=note
        )
        percent = figures.percent_within_one_working_day
        if percent is not None:
            on_time = indicator_ensure(
                actor=actor,
                recommendation=recommendation,
                feed=FEED_ON_TIME,
                name="Concerns decided within one working day",
                unit="%",
                target=Decimal(100),
            )
            indicator_record_value(
                actor=actor,
                indicator=on_time,
                on=as_at,
                value=percent,
                note=f"{note}: {figures.decided_within_one_working_day} of {figures.due}",
            )
    return figures
