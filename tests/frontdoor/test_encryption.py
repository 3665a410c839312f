"""Narratives and personal details are encrypted at rest, and the keys can be rotated."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from followthrough.frontdoor import report_flow
from followthrough.frontdoor.encryption import EncryptionKeyError
from followthrough.frontdoor.models import Contact, Decision
from followthrough.frontdoor.services import decision_record, screening_record

from .conftest import CHILD_NAME, NARRATIVE, REPORTER_EMAIL

pytestmark = pytest.mark.django_db

ENCRYPTED_CONTACT_COLUMNS = [
    "child_name",
    "child_age",
    "child_school",
    "child_area",
    "what_happened",
    "when_happened",
    "signs",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "reporter_organisation",
    "reporter_role",
]


def _raw(table: str, columns: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
        return cursor.fetchall()


def _settings_with_keys(settings, *keys: str) -> dict:
    return {**settings.FOLLOWTHROUGH, "FIELD_ENCRYPTION_KEYS": list(keys)}


def test_encrypted_columns_hold_no_plain_text(contact_factory, practitioner):
    contact = contact_factory(when_happened="Last Tuesday evening")
    screening_record(
        actor=practitioner,
        contact=contact,
        indicators=["vehicles"],
        child_age=14,
        override_band="high",
        override_reason="Known associate of Operation Mallard suspects",
    )
    decision_record(
        actor=practitioner,
        contact=contact,
        outcome="strategy_discussion",
        rationale="Rationale mentioning Zebedee by name",
    )
    raw_contact = _raw("frontdoor_contact", ENCRYPTED_CONTACT_COLUMNS)[0]
    everything = " ".join(str(v) for v in raw_contact)
    everything += " ".join(str(v) for v in _raw("frontdoor_decision", ["rationale"])[0])
    everything += " ".join(
        str(v) for v in _raw("frontdoor_screening", ["override_reason", "indicators"])[0]
    )
    for secret in (
        CHILD_NAME,
        "Zebedee",
        NARRATIVE,
        "Marlowe",
        REPORTER_EMAIL,
        "Hillcrest",
        "Pat Neighbour",
        "960 555",
        "Tuesday",
        "Mallard",
        "vehicles",
        "cars",
    ):
        assert secret not in everything
    assert all(value.startswith("gAAAA") for value in raw_contact)  # Fernet tokens

    # ... and the application reads it all back.
    again = Contact.objects.get(pk=contact.pk)
    assert again.child_name == CHILD_NAME
    assert again.what_happened == NARRATIVE
    assert again.child_age == 14
    assert again.signs == ["cars", "gifts"]
    assert Decision.objects.get().rationale == "Rationale mentioning Zebedee by name"


def test_encrypted_fields_cannot_be_searched(contact_factory):
    contact_factory()
    with pytest.raises(TypeError, match="cannot be queried"):
        Contact.objects.filter(child_name=CHILD_NAME).count()


def test_rotate_keys_re_encrypts_so_the_old_key_can_be_removed(
    settings, contact_factory, practitioner
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FOLLOWTHROUGH=_settings_with_keys(settings, old)):
        contact = contact_factory()
        decision_record(
            actor=practitioner, contact=contact, outcome="early_help", rationale="Family support"
        )
        before = _raw("frontdoor_contact", ["what_happened"])[0][0]

    with override_settings(FOLLOWTHROUGH=_settings_with_keys(settings, new, old)):
        call_command("rotate_keys", stdout=io.StringIO())
        call_command("rotate_keys", "--check", stdout=io.StringIO())
        after = _raw("frontdoor_contact", ["what_happened"])[0][0]

    assert after != before
    with override_settings(FOLLOWTHROUGH=_settings_with_keys(settings, new)):
        again = Contact.objects.get(pk=contact.pk)
        assert again.what_happened == NARRATIVE
        assert again.reporter_email == REPORTER_EMAIL
        assert Decision.objects.get().rationale == "Family support"
        assert Fernet(new.encode()).decrypt(after.encode()).decode() == NARRATIVE


def test_removing_a_key_before_rotation_fails_loudly(settings, contact_factory):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FOLLOWTHROUGH=_settings_with_keys(settings, old)):
        contact = contact_factory()
    with (
        override_settings(FOLLOWTHROUGH=_settings_with_keys(settings, new)),
        pytest.raises(EncryptionKeyError, match="rotate_keys"),
    ):
        Contact.objects.get(pk=contact.pk)


def test_rotate_keys_check_reports_unfinished_rotation(settings, contact_factory):
    from django.core.management.base import CommandError

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FOLLOWTHROUGH=_settings_with_keys(settings, old)):
        contact_factory()
    with (
        override_settings(FOLLOWTHROUGH=_settings_with_keys(settings, new, old)),
        pytest.raises(CommandError, match="not finished"),
    ):
        call_command("rotate_keys", "--check", stdout=io.StringIO())


def test_answers_in_progress_are_encrypted_in_the_session(client):
    client.post("/front-door/report/")
    client.post("/front-door/report/danger/", {"immediate_danger": "no"})
    client.post("/front-door/report/child/", {"child_name": CHILD_NAME, "child_age": "14"})
    from django.contrib.sessions.backends.db import SessionStore

    decoded = " ".join(
        json.dumps(SessionStore().decode(row[0]))
        for row in _raw("django_session", ["session_data"])
    )
    assert "frontdoor_report" in decoded
    assert CHILD_NAME not in decoded
    assert report_flow.load(client.session).answer("child", "child_name") == CHILD_NAME
