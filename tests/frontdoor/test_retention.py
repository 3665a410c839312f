"""Retention: decided contacts are disposed of when their period ends, never under a legal hold,
never while waiting for a decision. Frozen time throughout."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from followthrough.core.audit import audit_verify
from followthrough.core.models import AuditEvent
from followthrough.frontdoor import retention, services
from followthrough.frontdoor.models import Contact, Decision

from .conftest import CHILD_NAME, NARRATIVE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
SCHEDULE = {"no_further_action": 30, "default": 365}


@pytest.fixture(autouse=True)
def schedule(settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "FRONTDOOR_RETENTION_DAYS": SCHEDULE}


def decided(contact_factory, practitioner, outcome: str) -> Contact:
    with time_machine.travel(RECEIVED, tick=False):
        contact = contact_factory(received_at=RECEIVED)
        services.decision_record(
            actor=practitioner, contact=contact, outcome=outcome, rationale="Reasons"
        )
    return contact


def dispose_on(day: date, **kwargs) -> services.DisposalReport:
    with time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=LONDON), tick=False):
        return services.contacts_dispose(actor="retention job", today=day, **kwargs)


def test_a_contact_is_kept_until_its_retention_period_ends(contact_factory, practitioner):
    contact = decided(contact_factory, practitioner, "no_further_action")
    assert dispose_on(date(2026, 3, 31)).disposed == []
    assert Contact.objects.filter(pk=contact.pk).exists()
    report = dispose_on(date(2026, 4, 1))  # 30 days after the decision on 2 March
    assert report.disposed == [contact.reference]
    assert not Contact.objects.exists() and not Decision.objects.exists()


def test_each_outcome_has_its_own_period(contact_factory, practitioner):
    nfa = decided(contact_factory, practitioner, "no_further_action")
    cin = decided(contact_factory, practitioner, "child_in_need_assessment")
    assert dispose_on(date(2026, 4, 1)).disposed == [nfa.reference]
    assert Contact.objects.get() == cin
    assert dispose_on(date(2027, 3, 2)).disposed == [cin.reference]


def test_the_latest_decision_sets_the_period(contact_factory, practitioner):
    contact = decided(contact_factory, practitioner, "no_further_action")
    with time_machine.travel(RECEIVED + timedelta(days=10), tick=False):
        services.decision_record(
            actor=practitioner, contact=contact, outcome="early_help", rationale="New information"
        )
    assert dispose_on(date(2026, 4, 30)).disposed == []  # early help: the default, 365 days


def test_a_legal_hold_stops_disposal_until_it_is_lifted(contact_factory, practitioner, manager):
    contact = decided(contact_factory, practitioner, "no_further_action")
    hold = services.legal_hold_place(actor=manager, contact=contact, reason="Court proceedings")
    report = dispose_on(date(2027, 1, 1))
    assert report.disposed == [] and report.held == [contact.reference]
    assert Contact.objects.filter(pk=contact.pk).exists()
    services.legal_hold_lift(actor=manager, hold=hold)
    assert dispose_on(date(2027, 1, 1)).disposed == [contact.reference]


def test_a_contact_waiting_for_a_decision_is_never_disposed_of(contact_factory):
    with time_machine.travel(RECEIVED, tick=False):
        contact_factory(received_at=RECEIVED)
    assert dispose_on(date(2090, 1, 1)).disposed == []
    assert Contact.objects.count() == 1


def test_disposal_leaves_an_audit_record_with_nothing_personal(contact_factory, practitioner):
    contact = decided(contact_factory, practitioner, "no_further_action")
    dispose_on(date(2026, 5, 1))
    event = AuditEvent.objects.get(verb="contact.dispose")
    assert event.object_id == str(contact.pk)
    assert event.before["reference"] == contact.reference
    assert event.before["outcome"] == "no_further_action"
    text = str(event.before) + event.summary
    assert CHILD_NAME not in text and NARRATIVE not in text
    assert audit_verify() is None  # the chain is intact after deleting the contact


def test_a_dry_run_deletes_nothing(contact_factory, practitioner):
    contact = decided(contact_factory, practitioner, "no_further_action")
    assert dispose_on(date(2026, 5, 1), dry_run=True).disposed == [contact.reference]
    assert Contact.objects.count() == 1


def test_the_command_disposes_as_at_a_date(contact_factory, practitioner, capsys):
    contact = decided(contact_factory, practitioner, "no_further_action")
    call_command("dispose_contacts", "--as-at", "2026-03-20", stdout=io.StringIO())
    assert Contact.objects.count() == 1
    call_command("dispose_contacts", "--as-at", "2026-04-01")
    assert contact.reference in capsys.readouterr().out
    assert not Contact.objects.exists()


def test_one_number_applies_to_every_outcome():
    assert retention.retention_days("early_help", 100) == 100
    assert retention.disposal_date(date(2026, 1, 1), "no_further_action", 10) == date(2026, 1, 11)
    assert retention.disposal_date(None, "no_further_action", 10) is None


def test_the_default_schedule_keeps_most_records_for_75_years():
    assert retention.retention_days("strategy_discussion", None) >= 75 * 365
    assert retention.retention_days("no_further_action", None) >= 6 * 365
