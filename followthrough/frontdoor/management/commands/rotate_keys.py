from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followthrough.frontdoor.encryption import EncryptionKeyError
from followthrough.frontdoor.services import encryption_rotate, encryption_rows_needing_rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the newest key in FOLLOWTHROUGH_FIELD_KEYS. "
        "Put the new key first, run this, check it reports nothing left, then remove the old key."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count values the newest key cannot read yet; exit 1 if there are any.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                stale = encryption_rows_needing_rotation()
                self.stdout.write(f"{stale} encrypted values still need the newest key.")
                if stale:
                    raise CommandError("Rotation is not finished: run rotate_keys.")
                return
            counts = encryption_rotate(actor="rotate_keys command")
        except EncryptionKeyError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        stale = encryption_rows_needing_rotation()
        self.stdout.write(
            "Done: every value now uses the newest key; older keys can be removed."
            if not stale
            else f"{stale} values still use an older key (written during rotation?): run again."
        )
