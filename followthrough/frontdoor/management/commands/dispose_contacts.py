from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from followthrough.frontdoor.services import contacts_dispose


class Command(BaseCommand):
    help = (
        "Dispose of decided front-door contacts whose retention period has ended "
        "(FOLLOWTHROUGH['FRONTDOOR_RETENTION_DAYS']), except those under a legal hold."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, but delete nothing.")
        parser.add_argument(
            "--as-at", type=date.fromisoformat, help="Treat this date (YYYY-MM-DD) as today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["as_at"] or timezone.localdate()
        report = contacts_dispose(
            actor="dispose_contacts command", today=today, dry_run=options["dry_run"]
        )
        verb = "Would dispose of" if options["dry_run"] else "Disposed of"
        self.stdout.write(f"{verb} {len(report.disposed)} contacts.")
        for reference in report.disposed:
            self.stdout.write(f"  {reference}")
        if report.held:
            self.stdout.write(f"Kept {len(report.held)} past their retention under a legal hold:")
            for reference in report.held:
                self.stdout.write(f"  {reference}")
