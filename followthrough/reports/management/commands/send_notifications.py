from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from followthrough.reports import services

ACTOR = "send_notifications"


class Command(BaseCommand):
    help = (
        "Tell followers about recommendation status changes recorded since the last run. "
        "Safe to run repeatedly: each change is announced once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site-url", help="Start of links in emails, e.g. https://example.gov.uk"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.follower_notifications_send(actor=ACTOR, base_url=options["site_url"])
        self.stdout.write(f"Sent {sent} follower notifications.")
