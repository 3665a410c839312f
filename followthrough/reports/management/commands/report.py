from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.reports import selectors, services
from followthrough.reports.rendering import FORMATS, render_report
from followthrough.tracker.models import Review

ACTOR = "followthrough report (command line)"


class Command(BaseCommand):
    help = (
        "Write the committee report on a review as at a date. When a meeting of the review is on "
        "that date its report is frozen (tabled) the first time and never changes afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("review_slug")
        parser.add_argument("--as-at", dest="as_at", required=True, help="YYYY-MM-DD")
        parser.add_argument("--format", dest="format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--output", dest="output", required=True, help="File to write")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Do not freeze a meeting's report: work it out now and mark it as a draft.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_at = date.fromisoformat(options["as_at"])
        except ValueError as exc:
            raise CommandError(
                f"--as-at must be a date as YYYY-MM-DD, not {options['as_at']!r}"
            ) from exc
        review = Review.objects.filter(slug=options["review_slug"]).first()
        if review is None:
            raise CommandError(f"No review with slug {options['review_slug']!r}")
        meeting = selectors.meeting_on(review=review, on=as_at)
        draft = options["draft"]
        if meeting is not None and not draft:
            try:
                services.report_freeze(actor=ACTOR, meeting=meeting)
            except ValidationError as exc:
                # Before the papers deadline the report cannot be tabled yet: give a draft.
                self.stderr.write(" ".join(exc.messages) + ". Writing a draft instead.")
                draft = True
        if draft:
            content = selectors.ReportContent(
                selectors.report_data_build(review=review, as_at=as_at, meeting=meeting), None
            )
        else:
            content = selectors.report_content(review=review, as_at=as_at)
        output = Path(options["output"])
        try:
            output.write_bytes(render_report(content, options["format"]))
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}") from exc
        standing = "tabled" if content.snapshot else "draft"
        self.stdout.write(
            f"Wrote the {standing} {options['format'].upper()} report as at {as_at.isoformat()} "
            f"to {output} ({content.data['headline']})."
        )
