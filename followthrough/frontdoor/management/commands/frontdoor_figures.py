from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followthrough.frontdoor import indicators
from followthrough.tracker.models import Recommendation


class Command(BaseCommand):
    help = (
        "Print the front door's aggregate figures (counts and % decided within one working day) "
        "and, with --review and --recommendation, record them on that recommendation's indicators."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-at", type=date.fromisoformat, help="YYYY-MM-DD (default today)")
        parser.add_argument("--period-days", type=int, default=indicators.DEFAULT_PERIOD_DAYS)
        parser.add_argument("--review", help="Review slug, e.g. cse-scrutiny-review")
        parser.add_argument("--recommendation", help='Recommendation number, e.g. "16"')

    def handle(self, *args: Any, **options: Any) -> None:
        as_at = options["as_at"] or timezone.localdate()
        period = options["period_days"]
        if options["review"] or options["recommendation"]:
            recommendation = Recommendation.objects.filter(
                review__slug=options["review"], number=options["recommendation"]
            ).first()
            if recommendation is None:
                raise CommandError("No such recommendation: give --review SLUG --recommendation N")
            figures = indicators.figures_record(
                actor="frontdoor figures job",
                recommendation=recommendation,
                as_at=as_at,
                period_days=period,
            )
        else:
            figures = indicators.figures_as_at(as_at, period_days=period)
        percent = figures.percent_within_one_working_day
        self.stdout.write(
            json.dumps(
                {
                    "as_at": as_at.isoformat(),
                    "period_days": period,
                    "received": figures.received,
                    "decided": figures.decided,
                    "due": figures.due,
                    "decided_within_one_working_day": figures.decided_within_one_working_day,
                    "percent_within_one_working_day": str(percent) if percent is not None else None,
                }
            )
        )
