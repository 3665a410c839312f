"""Service rules a person could get around if only the views checked them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from followthrough.core.models import AuditEvent
from followthrough.core.roles import Role
from followthrough.frontdoor import services
from followthrough.frontdoor.models import Contact

from .conftest import CHILD_NAME, NARRATIVE, a_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SCRUTINY_OFFICER, Role.ANALYST, Role.MEMBER])
def test_nobody_outside_the_front_door_team_can_triage(role, user_factory, contact_factory):
    outsider = user_factory(role)
    contact = contact_factory()
    with pytest.raises(PermissionDenied):
        services.decision_record(
            actor=outsider, contact=contact, outcome="early_help", rationale="x"
        )
    with pytest.raises(PermissionDenied):
        services.screening_record(actor=outsider, contact=contact, indicators=[], child_age=None)
    with pytest.raises(PermissionDenied):
        services.contact_record_access(
            actor=outsider, contact=contact, verb="contact.view", reason="curious"
        )


def test_a_contact_cannot_be_assigned_outside_the_team(contact_factory, practitioner, user_factory):
    with pytest.raises(ValidationError):
        services.contact_assign(
            actor=practitioner, contact=contact_factory(), assignee=user_factory(Role.ANALYST)
        )


def test_the_same_key_never_makes_two_contacts(db):
    key = uuid.uuid4()
    first, created = services.contact_submit(report=a_report(), idempotency_key=key)
    second, created_again = services.contact_submit(
        report=a_report(what_happened="Different"), idempotency_key=str(key)
    )
    assert created and not created_again and first.pk == second.pk
    assert Contact.objects.count() == 1


def test_a_report_without_a_narrative_is_refused(db):
    with pytest.raises(ValidationError):
        services.contact_submit(report=a_report(what_happened="  "), idempotency_key=uuid.uuid4())


def test_an_anonymous_report_keeps_no_reporter_details(db):
    contact, _ = services.contact_submit(
        report=a_report(reporter_anonymous=True), idempotency_key=uuid.uuid4()
    )
    assert (contact.reporter_name, contact.reporter_email, contact.reporter_phone) == ("", "", "")


def test_a_decision_cannot_be_backdated_before_receipt_or_into_the_future(
    contact_factory, practitioner
):
    contact = contact_factory()
    for when in (contact.received_at - timedelta(hours=1), timezone.now() + timedelta(hours=1)):
        with pytest.raises(ValidationError):
            services.decision_record(
                actor=practitioner,
                contact=contact,
                outcome="early_help",
                rationale="x",
                decided_at=when,
            )


def test_audit_records_carry_no_personal_details(contact_factory, practitioner):
    contact = contact_factory()
    services.screening_record(
        actor=practitioner,
        contact=contact,
        indicators=["disclosure"],
        child_age=14,
        override_band="",
    )
    services.decision_record(
        actor=practitioner, contact=contact, outcome="police_referral", rationale=NARRATIVE
    )
    for event in AuditEvent.objects.all():
        text = f"{event.summary} {event.before} {event.after} {event.reason}"
        assert CHILD_NAME not in text and NARRATIVE not in text


def test_an_assessment_is_not_opened_twice_while_one_is_open(contact_factory, practitioner):
    contact = contact_factory()
    for outcome in ("child_in_need_assessment", "strategy_discussion"):
        services.decision_record(
            actor=practitioner, contact=contact, outcome=outcome, rationale="x"
        )
    assert contact.assessments.count() == 1
