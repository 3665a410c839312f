from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from followthrough.demo import tracker_demo


class Command(BaseCommand):
    help = "Load the demo partnership, users and CSE scrutiny review (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        review, created = tracker_demo.load()
        if created:
            self.stdout.write(f"Loaded the demo review '{review.slug}'.")
        else:
            self.stdout.write(
                f"The demo review '{review.slug}' is already loaded; nothing changed."
            )
