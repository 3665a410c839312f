"""followthrough licensing_reminders [--date YYYY-MM-DD]

Emails licence holders (and licensing officers) about renewals, DBS status checks and training
refreshers falling due. Safe to run as often as you like: a reminder is never sent twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from followthrough.licensing import services


class Command(BaseCommand):
    help = "Send reminders before licences, DBS status checks and training fall due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="Run as if on this date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = services.reminders_send(on=options["date"])
        self.stdout.write(f"{len(run.sent)} reminder(s) recorded, {run.emails} email(s) sent.")
