"""The practitioner's side: the queue against the clock, opening a record with a reason,
screening, decisions, and the manager's view of who accessed a record."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from followthrough.core.models import AuditEvent
from followthrough.frontdoor.models import Assessment, Contact, Decision

from .conftest import CHILD_NAME, NARRATIVE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)  # a Wednesday


@pytest.fixture
def signed_in(practitioner) -> Client:
    client = Client()
    client.force_login(practitioner)
    return client


def detail(contact: Contact) -> str:
    return reverse("frontdoor:contact-detail", args=[contact.reference])


def views_of(contact: Contact, verb: str = "contact.view"):
    return AuditEvent.objects.filter(verb=verb, object_id=str(contact.pk))


@time_machine.travel(NOW, tick=False)
def test_the_queue_puts_danger_first_then_the_earliest_due_and_highlights_overdue(
    signed_in, contact_factory
):
    overdue = contact_factory(received_at=NOW - timedelta(days=2))  # due Tuesday 10:00
    amber = contact_factory(received_at=NOW - timedelta(hours=22))  # due today 12:00
    green = contact_factory(received_at=NOW - timedelta(hours=1))  # due tomorrow 09:00
    danger = contact_factory(received_at=NOW - timedelta(minutes=5), immediate_danger=True)
    page = signed_in.get(reverse("frontdoor:queue"))
    body = page.content.decode()
    order = [row.contact for row in page.context["rows"]]
    assert order == [danger, overdue, amber, green]
    urgencies = {row.contact.pk: row.urgency for row in page.context["rows"]}
    assert (urgencies[overdue.pk], urgencies[amber.pk], urgencies[green.pk]) == (
        "red",
        "amber",
        "green",
    )
    assert body.count("ft-row--overdue") == 1
    assert "Overdue" in body and "Due soon" in body and "Immediate danger reported" in body
    assert "1 day overdue" in body
    assert page.context["counts"] == {"waiting": 4, "overdue": 1, "mine": 0}
    assert CHILD_NAME not in body  # the queue shows no personal details


def test_opening_from_the_queue_records_the_view_with_the_queue_as_the_reason(
    signed_in, contact_factory
):
    contact = contact_factory()
    page = signed_in.get(detail(contact) + "?from=queue")
    assert page.status_code == 200
    assert NARRATIVE in page.content.decode()
    event = views_of(contact).get()
    assert event.reason == "Triage from the front-door queue"
    assert event.actor.username == "practitioner"


def test_opening_a_record_directly_asks_for_the_reason_first(signed_in, contact_factory):
    contact = contact_factory()
    response = signed_in.get(detail(contact))
    assert response.status_code == 302 and "/reason/" in response.url
    assert not views_of(contact).exists()
    reason_url = response.url
    page = signed_in.post(reason_url, {"reason": "other"})
    assert "Give the reason you are opening this record" in page.content.decode()
    response = signed_in.post(
        reason_url, {"reason": "other", "other_reason": "Call from the child's school"}
    )
    assert response.url == detail(contact)
    signed_in.get(response.url)
    assert views_of(contact).get().reason == "Call from the child's school"


def test_the_reason_expires(signed_in, contact_factory):
    contact = contact_factory()
    signed_in.get(detail(contact) + "?from=queue")
    with time_machine.travel(datetime.now(tz=LONDON) + timedelta(minutes=31)):
        assert signed_in.get(detail(contact)).status_code == 302


def test_finding_a_contact_by_reference_is_recorded_as_a_search(signed_in, contact_factory):
    contact = contact_factory()
    typed = contact.reference.lower()[:4] + " " + contact.reference.lower()[4:]
    response = signed_in.get(reverse("frontdoor:queue"), {"q": typed})
    assert response.url == detail(contact) + "?from=search"
    assert views_of(contact, "contact.search").exists()
    signed_in.get(response.url)
    assert views_of(contact).get().reason == "Found by reference from the front-door queue"
    missing = signed_in.get(reverse("frontdoor:queue"), {"q": "NOTAREF"})
    assert "No contact has that reference" in missing.content.decode()


def test_downloading_the_queue_is_recorded_against_each_contact_and_holds_no_names(
    signed_in, contact_factory
):
    first, second = contact_factory(), contact_factory()
    response = signed_in.get(reverse("frontdoor:queue-export"))
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "reference" and len(rows) == 3
    assert CHILD_NAME not in text and NARRATIVE not in text
    assert (
        views_of(first, "contact.export").exists() and views_of(second, "contact.export").exists()
    )


def test_printing_is_recorded(signed_in, contact_factory):
    contact = contact_factory()
    signed_in.get(detail(contact) + "?from=queue")
    page = signed_in.get(reverse("frontdoor:contact-print", args=[contact.reference]))
    assert "Official – sensitive" in page.content.decode()
    assert views_of(contact, "contact.print").get().reason == "Triage from the front-door queue"


def test_screening_suggests_indicators_from_the_signs_reported_and_scores_the_band(
    signed_in, contact_factory
):
    contact = contact_factory(child_age=13, signs=["cars"])
    url = reverse("frontdoor:contact-screening", args=[contact.reference])
    signed_in.get(detail(contact) + "?from=queue")
    form = signed_in.get(url).context["form"]
    chosen = [
        code for name, codes in form.initial.items() if name.startswith("domain_") for code in codes
    ]
    assert chosen == ["vehicles"]
    assert form.initial["child_age"] == 13
    response = signed_in.post(url, {"domain_3": ["vehicles"], "child_age": "13"})
    assert response.url == detail(contact)
    screening = contact.screenings.get()
    assert screening.band == "high" and screening.young_child_rule_applied
    page = signed_in.get(detail(contact)).content.decode()
    assert "High risk" in page and "Aged 13 or under" in page


def test_overriding_the_band_needs_a_reason(signed_in, contact_factory):
    contact = contact_factory(child_age=16)
    url = reverse("frontdoor:contact-screening", args=[contact.reference])
    signed_in.get(detail(contact) + "?from=queue")
    page = signed_in.post(url, {"child_age": "16", "override_band": "high"})
    assert "Give the reason for changing the calculated band" in page.content.decode()
    signed_in.post(
        url, {"child_age": "16", "override_band": "high", "override_reason": "Police intelligence"}
    )
    screening = contact.screenings.get()
    assert (screening.calculated_band, screening.band) == ("low", "high")


@time_machine.travel(NOW, tick=False)
def test_a_decision_stops_the_clock_and_an_assessment_starts_the_45_day_clock(
    signed_in, contact_factory
):
    contact = contact_factory(received_at=NOW - timedelta(hours=3))
    url = reverse("frontdoor:contact-decision", args=[contact.reference])
    signed_in.get(detail(contact) + "?from=queue")
    page = signed_in.post(url, {"outcome": "child_in_need_assessment"})
    assert "Give the reasons for the decision" in page.content.decode()
    response = signed_in.post(
        url, {"outcome": "child_in_need_assessment", "rationale": "Needs assessment"}
    )
    assert response.url == detail(contact)
    contact.refresh_from_db()
    assert contact.decided_at == NOW and contact.decided_on_time
    assessment = Assessment.objects.get(contact=contact)
    assert assessment.started_at == contact.received_at
    # Received Wednesday 25 Nov 2026 07:00: 45 working days, skipping 25 and 28 December and
    # 1 January, is Monday 1 February 2027.
    assert assessment.due_at == datetime(2027, 2, 1, 7, 0, tzinfo=LONDON)
    page = signed_in.get(response.url).content.decode()
    assert "Within one working day" in page
    assert "Monday 1 February 2027" in page
    assert "The assessment is due by 1 February 2027" in page


@time_machine.travel(NOW, tick=False)
def test_decisions_are_appended_never_changed(signed_in, contact_factory):
    contact = contact_factory(received_at=NOW - timedelta(days=3))
    url = reverse("frontdoor:contact-decision", args=[contact.reference])
    signed_in.get(detail(contact) + "?from=queue")
    signed_in.post(url, {"outcome": "information_and_advice", "rationale": "First view"})
    with time_machine.travel(NOW + timedelta(minutes=45), tick=False):  # reason has expired
        signed_in.post(url, {"outcome": "strategy_discussion", "rationale": "New information"})
    contact.refresh_from_db()
    assert contact.decided_at == NOW and not contact.decided_on_time  # first decision, late
    assert list(Decision.objects.values_list("outcome", flat=True)) == [
        "information_and_advice",
        "strategy_discussion",
    ]
    first = Decision.objects.first()
    first.rationale = "Rewritten"
    with pytest.raises(RuntimeError, match="never changed"):
        first.save()


def test_an_overdue_assessment_needs_the_reason_for_the_overrun(
    signed_in, contact_factory, practitioner
):
    received = datetime(2026, 1, 5, 10, 0, tzinfo=LONDON)
    contact = contact_factory(received_at=received)
    with time_machine.travel(received + timedelta(hours=1), tick=False):
        signed_in.get(detail(contact) + "?from=queue")
        signed_in.post(
            reverse("frontdoor:contact-decision", args=[contact.reference]),
            {"outcome": "strategy_discussion", "rationale": "Significant harm suspected"},
        )
    assessment = contact.assessments.get()
    url = reverse("frontdoor:assessment-complete", args=[contact.reference, assessment.pk])
    with time_machine.travel(assessment.due_at + timedelta(days=1), tick=False):
        signed_in.force_login(practitioner)  # weeks later: a new session
        signed_in.get(detail(contact) + "?from=queue")
        page = signed_in.post(url, {})
        assert "took longer than 45 working days" in page.content.decode()
        signed_in.post(url, {"overrun_reason": "Child missing for two weeks"})
    assessment.refresh_from_db()
    assert assessment.completed_at and assessment.overrun_reason == "Child missing for two weeks"


def test_assigning_a_contact(signed_in, contact_factory, practitioner, manager, user_factory):
    contact = contact_factory()
    url = reverse("frontdoor:contact-assign", args=[contact.reference])
    signed_in.post(url, {"assignee": str(manager.pk)})
    contact.refresh_from_db()
    assert contact.assigned_to == manager
    outsider = user_factory("analyst", username="analyst")
    signed_in.post(url, {"assignee": str(outsider.pk)})  # not in the team: not a choice
    contact.refresh_from_db()
    assert contact.assigned_to == manager
    assert AuditEvent.objects.filter(verb="contact.assign").count() == 1


def test_a_manager_sees_who_accessed_a_record_and_why(signed_in, contact_factory, manager):
    contact = contact_factory()
    signed_in.get(detail(contact) + "?from=queue")
    signed_in.get(reverse("frontdoor:contact-print", args=[contact.reference]))
    boss = Client()
    boss.force_login(manager)
    page = boss.get(reverse("frontdoor:contact-access-log", args=[contact.reference]))
    body = page.content.decode()
    assert "practitioner (Front-door practitioner)" in body
    assert "Viewed the record" in body and "Printed the record" in body
    assert "Triage from the front-door queue" in body
    assert "public (online concern form)" in body  # the receipt
    assert views_of(contact, "contact.access_log").exists()
    assert (
        signed_in.get(reverse("frontdoor:contact-access-log", args=[contact.reference])).status_code
        == 404
    )


def test_a_manager_places_and_lifts_a_legal_hold(contact_factory, manager):
    contact = contact_factory()
    boss = Client()
    boss.force_login(manager)
    url = reverse("frontdoor:contact-legal-hold", args=[contact.reference])
    assert "Give the reason for the hold" in boss.post(url, {}).content.decode()
    boss.post(url, {"reason": "Subject access request"})
    hold = contact.legal_holds.get()
    boss.post(reverse("frontdoor:legal-hold-lift", args=[contact.reference, hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_by == manager
    assert AuditEvent.objects.filter(verb__in=["contact.hold", "contact.hold_lift"]).count() == 2


def test_the_figures_page_shows_counts_only(contact_factory, manager):
    contact_factory()
    boss = Client()
    boss.force_login(manager)
    page = boss.get(reverse("frontdoor:figures"))
    assert page.context["figures"].received == 1
    assert CHILD_NAME not in page.content.decode()
