"""`followthrough export_action_plan REVIEW_SLUG --format csv|xlsx --output PATH`.

Writes the review's recommendations and actions in the import format, so the file can be
edited and imported again (an unchanged export imports without changes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.documents import selectors
from followthrough.documents.action_plan import write_csv, write_xlsx
from followthrough.tracker.models import Review


class Command(BaseCommand):
    help = "Write a review's action plan as CSV or XLSX, in the format import_action_plan reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("review", help="the review's slug")
        parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
        parser.add_argument("--output", type=Path, required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        review = Review.objects.filter(slug=options["review"]).first()
        if review is None:
            raise CommandError(f"{options['review']}: no such review", returncode=2)
        rows = selectors.action_plan_rows(review)
        content = write_csv(rows) if options["format"] == "csv" else write_xlsx(rows)
        output: Path = options["output"]
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(
                f"{output}: cannot be written ({error.strerror})", returncode=2
            ) from error
        actions = sum(1 for row in rows if row.get("action_reference"))
        self.stdout.write(
            f"{output}: {len({row['recommendation_number'] for row in rows})} recommendations, "
            f"{actions} actions"
        )
