from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from followthrough.core.audit import audit_record, audit_verify
from followthrough.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(user_factory):
    actor = user_factory("scrutiny_officer")
    with transaction.atomic():
        for n in range(5):
            audit_record(
                actor=actor, verb="test.change", object_type="thing", object_id=n, after={"n": n}
            )
    return list(AuditEvent.objects.order_by("id"))


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction(user_factory):
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        audit_record(actor=user_factory(), verb="x", object_type="y", object_id=1)


def test_verify_audit_passes_on_an_intact_chain(chain):
    assert "5 records verified" in _verify()
    assert chain[1].prev_hash == chain[0].hash


def test_verify_audit_names_an_edited_record(chain):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET summary = 'quietly changed' WHERE id = %s", [chain[2].pk]
        )
    with pytest.raises(CommandError, match=f"record {chain[2].pk}: content does not match"):
        _verify()


def test_verify_audit_names_a_deleted_record(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError, match=f"record {chain[1].pk} is missing"):
        _verify()


def test_verify_audit_detects_reordering(chain):
    # Swap the content of two records (keeping ids): the chain links no longer line up.
    first, second = chain[1], chain[2]
    with connection.cursor() as cursor:
        for event, other in ((first, second), (second, first)):
            cursor.execute(
                "UPDATE core_auditevent SET after = %s, object_id = %s, hash = %s, prev_hash = %s WHERE id = %s",
                [
                    json.dumps({"n": other.after["n"]}),
                    other.object_id,
                    f"tmp{event.pk}",
                    other.prev_hash,
                    event.pk,
                ],
            )
    broken = audit_verify()
    assert broken is not None and broken.event_id == first.pk
