"""followthrough licensing_feed_indicators [--on DATE ...] [--from YYYY-MM --to YYYY-MM]
                                           [--attach REVIEW_SLUG NUMBER FEED ...]

Records the licensing figures (percentages of licensed drivers with current training, DBS checks
and every condition met; training sessions and people trained by audience and quarter) on the
tracker indicators they are attached to, computed as at each date. With --from/--to, a value is
recorded for every month end in the range (and the quarterly counts at quarter ends). Recording
the same value twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.licensing import selectors, services
from followthrough.licensing.compliance import month_ends
from followthrough.tracker.models import Recommendation

ACTOR = "licensing_feed"


def _month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


class Command(BaseCommand):
    help = "Feed licensing figures to the tracker's indicators, as at dates you choose."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", action="append", type=date.fromisoformat, default=[])
        parser.add_argument("--from", dest="start", type=_month, default=None)
        parser.add_argument("--to", dest="end", type=_month, default=None)
        parser.add_argument(
            "--attach",
            nargs=3,
            action="append",
            default=[],
            metavar=("REVIEW_SLUG", "NUMBER", "FEED"),
            help="Show FEED on that recommendation first. Feeds: " + ", ".join(selectors.feeds()),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for slug, number, feed in options["attach"]:
            recommendation = Recommendation.objects.filter(review__slug=slug, number=number).first()
            if recommendation is None:
                raise CommandError(f"No recommendation {number} in review {slug}")
            try:
                services.indicator_attach(actor=ACTOR, recommendation=recommendation, feed=feed)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        dates = list(options["on"])
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("Give both --from and --to")
            dates += month_ends(options["start"], options["end"])
        today = selectors.today()
        dates = [d for d in dates if d <= today] or (
            [] if options["on"] or options["start"] else [today]
        )
        run = services.indicators_feed(actor=ACTOR, dates=dates)
        self.stdout.write(
            f"{run.recorded} value(s) recorded on {run.indicators} licensing indicator(s) for {len(dates)} date(s)."
        )
