from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followthrough.core.audit import audit_verify
from followthrough.core.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero naming the first broken record."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_verify()
        if broken is not None:
            raise CommandError(f"Audit log broken at record {broken.event_id}: {broken.problem}")
        self.stdout.write(f"Audit log intact: {AuditEvent.objects.count()} records verified.")
