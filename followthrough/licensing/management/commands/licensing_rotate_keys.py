"""followthrough licensing_rotate_keys

Re-encrypts every DBS certificate number under the newest key in FOLLOWTHROUGH_FIELD_KEYS.
Put the new key first, run this, then remove the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from followthrough.licensing import services


class Command(BaseCommand):
    help = "Re-encrypt DBS certificate numbers under the newest field encryption key."

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.certificate_numbers_rotate(actor="licensing_rotate_keys")
        self.stdout.write(f"{count} DBS certificate number(s) re-encrypted.")
