from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from followthrough.core.audit import audit_verify
from followthrough.core.models import AuditEvent
from followthrough.tracker import services
from followthrough.tracker.models import Evidence
from tests.tracker.factories import build_world, post_update


def _counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "tracker"}
    }


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_every_record_file_and_a_verifying_chain(
    tmp_path,
):
    world = build_world()
    post_update(
        world.police_action,
        world.police_lead,
        date(2024, 2, 1),
        status="in_progress",
        evidence=[
            services.EvidenceInput(
                description="Plan", filename="plan.pdf", content=b"%PDF-1.4 plan"
            )
        ],
    )
    before = _counts()
    evidence_name = Evidence.objects.get().file.name
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=StringIO())

    # Lose everything: the database and the files.
    call_command("flush", interactive=False, verbosity=0)
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    (media / evidence_name).unlink()
    assert not AuditEvent.objects.exists()

    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "audit chain verified" in out.getvalue()
    assert _counts() == before
    assert (media / evidence_name).read_bytes() == b"%PDF-1.4 plan"
    assert Evidence.objects.get().file.read() == b"%PDF-1.4 plan"
    assert audit_verify() is None


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty_and_a_damaged_archive(tmp_path):
    build_world()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball at all")
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("restore", str(junk), stdout=StringIO())
    assert not AuditEvent.objects.exists()  # nothing half-written
