from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `followthrough backup` into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive}: no such backup file")
        call_command("migrate", verbosity=0, interactive=False)
        try:
            result = backup_restore(archive_path=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {result.rows} records and {result.files} files; audit chain verified."
        )
