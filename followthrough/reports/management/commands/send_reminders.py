from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from followthrough.reports import services

ACTOR = "send_reminders"


class Command(BaseCommand):
    help = (
        "Send what is due today in each committee cycle (update requests, reminders before the "
        "papers deadline, escalation after it) and tell followers about status changes. Safe "
        "to run repeatedly, e.g. hourly: nothing is ever sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="Act as if it were this date (YYYY-MM-DD); default: today"
        )
        parser.add_argument(
            "--site-url", help="Start of links in emails, e.g. https://example.gov.uk"
        )
        parser.add_argument(
            "--skip-followers", action="store_true", help="Do not send follower notifications"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD, not {options['today']!r}") from exc
        run = services.committee_cycle_run(
            actor=ACTOR, today=today or timezone.localdate(), base_url=options["site_url"]
        )
        followers = 0
        if not options["skip_followers"]:
            followers = services.follower_notifications_send(
                actor=ACTOR, base_url=options["site_url"]
            )
        self.stdout.write(
            f"Sent {run.requests} update requests, {run.reminders} reminders, "
            f"{run.escalations} escalations and {followers} follower notifications."
        )
        if run.failed:
            raise CommandError(
                f"{run.failed} message(s) could not be sent; see the log. Run again to retry."
            )
