"""Importing and publishing: permission, all-or-nothing, audit log, the publication gate."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from followthrough.core.audit import audit_verify
from followthrough.core.models import AuditEvent
from followthrough.core.roles import Role
from followthrough.insights import services, store
from followthrough.insights.disclosure import audit_release
from followthrough.insights.models import ImportBatch, ReleaseCell
from followthrough.insights.selectors import earlier_releases_for_audit, release_protected

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(user_factory):
    return user_factory(Role.ANALYST)


def test_offence_import_records_the_batch_and_the_audit_event(analyst, insights_db, offences_csv):
    batch = services.offence_import(actor=analyst, path=offences_csv, filename="offences.csv")
    assert batch.status == ImportBatch.Status.IMPORTED and batch.added == 1200
    event = AuditEvent.objects.get(verb="insights.import")
    assert event.actor == analyst and "1200 added" in event.summary
    again = services.offence_import(actor=analyst, path=offences_csv, filename="offences.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1200)
    assert audit_verify() is None


def test_a_rejected_import_keeps_its_errors_and_imports_nothing(analyst, insights_db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("crime_ref,recorded_date\nX,2023-01-01\n")
    batch = services.offence_import(actor=analyst, path=bad, filename="bad.csv")
    assert batch.status == ImportBatch.Status.REJECTED
    assert any("bad.csv, row 1, column offence_code" in e for e in batch.errors)
    with store.connect(insights_db) as con:
        assert store.record_count(con) == 0


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SCRUTINY_OFFICER, Role.PARTNER_LEAD])
def test_only_analysts_may_import_or_publish(user_factory, insights_db, offences_csv, role):
    user = user_factory(role)
    with pytest.raises(PermissionDenied):
        services.offence_import(actor=user, path=offences_csv, filename="x.csv")
    with pytest.raises(PermissionDenied):
        services.release_publish(actor=user, title="x", mode="round")


@pytest.mark.parametrize("mode", ["round", "suppress"])
def test_publish_stores_only_protected_cells_that_pass_the_audit(
    analyst, insights_db, offences_csv, mode
):
    services.offence_import(actor=analyst, path=offences_csv, filename="offences.csv")
    release = services.release_publish(actor=analyst, title="Profile 2019-2023", mode=mode)
    cells = ReleaseCell.objects.filter(table__release=release)
    assert cells.exists()
    for cell in cells:
        if cell.status == "suppressed":
            assert cell.value is None and cell.audit_lo is not None
        else:
            assert cell.value >= 10
    assert AuditEvent.objects.filter(verb="insights.publish", object_id=str(release.pk)).exists()
    assert audit_verify() is None
    # The stored release, read back, still passes the audit on its own.
    assert audit_release(release_protected(release)).passed


def test_a_later_release_is_audited_with_the_earlier_one(analyst, insights_db, offences_csv):
    services.offence_import(actor=analyst, path=offences_csv, filename="offences.csv")
    first = services.release_publish(
        actor=analyst, title="To 2022", mode="suppress", end=date(2022, 12, 31)
    )
    second = services.release_publish(actor=analyst, title="To 2023", mode="suppress")
    with store.connect(insights_db) as con:
        earlier, segments = earlier_releases_for_audit(con, start=None, end=None)
    assert len(earlier) == 2 and len(segments.current) == 2  # old records and 2023's
    # Re-audit the second against the first, with differencing over 2023's records alone.
    from followthrough.insights.selectors import release_get_published

    with store.connect(insights_db) as con:
        segs = store.segment_profiles(con, [first.pk])
    again = release_protected(release_get_published(release_id=second.pk), segs.current)
    before = release_protected(release_get_published(release_id=first.pk), segs.releases[first.pk])
    truth = {s: {t.name: t for t in ts} for s, ts in segs.truth.items()}
    assert audit_release(again, [before], segment_truth=truth).passed
