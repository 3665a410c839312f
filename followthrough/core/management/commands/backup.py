from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from followthrough.core.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database, uploaded files and the insights store into one .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="Archive path (default: var/backups/followthrough-YYYYmmdd-HHMMSS.tar.gz)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        output = Path(
            options["output"]
            or settings.VAR_DIR / "backups" / f"followthrough-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        manifest = backup_create(output=output)
        self.stdout.write(
            f"Backed up {sum(manifest['rows'].values())} records and {len(manifest['files'])} files to {output}"
        )
