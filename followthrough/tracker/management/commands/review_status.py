from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.tracker.models import Review
from followthrough.tracker.selectors import review_state_as_at, today


class Command(BaseCommand):
    help = "Print a review's recommendation counts by rolled-up state, as at a date, as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("review_slug")
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_at = date.fromisoformat(options["as_at"]) if options["as_at"] else today()
        except ValueError as exc:
            raise CommandError(
                f"--as-at must be a date as YYYY-MM-DD, not {options['as_at']!r}"
            ) from exc
        review = Review.objects.filter(slug=options["review_slug"]).first()
        if review is None:
            raise CommandError(f"No review with slug {options['review_slug']!r}")
        state = review_state_as_at(review=review, as_at=as_at)
        self.stdout.write(json.dumps(state.as_status_json(review.slug)))
