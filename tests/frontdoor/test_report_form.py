"""The public concern form: no account, one question per page, never loses a sent report."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

from followthrough.core.models import AuditEvent
from followthrough.frontdoor.models import Contact
from followthrough.frontdoor.references import ALPHABET

from .conftest import CHILD_NAME, NARRATIVE

pytestmark = pytest.mark.django_db

BASE = "/front-door/report"
REFERENCE = re.compile(rf"data-testid=\"reference\">([{ALPHABET} ]+)<")


def answer_everything(
    client: Client,
    *,
    danger: str = "no",
    who: str = "member_of_public",
    give_details: str = "yes",
    details: dict | None = None,
) -> None:
    assert client.post(f"{BASE}/").status_code == 302
    client.post(f"{BASE}/danger/", {"immediate_danger": danger})
    client.post(
        f"{BASE}/child/",
        {"child_name": CHILD_NAME, "child_age": "13", "child_age_estimated": "on"},
    )
    client.post(f"{BASE}/what-happened/", {"what_happened": NARRATIVE})
    client.post(f"{BASE}/signs/", {"signs": ["cars", "told_someone"]})
    client.post(f"{BASE}/who/", {"reporter_kind": who})
    if who != "professional":
        client.post(f"{BASE}/anonymous/", {"give_details": give_details})
    if who == "professional" or give_details == "yes":
        response = client.post(
            f"{BASE}/your-details/",
            details
            or {
                "reporter_name": "Pat Neighbour",
                "reporter_phone": "01632 960 555",
                "reporter_organisation": "Hillcrest Academy",
            },
        )
        assert response.status_code == 302, response.content.decode()
    client.post(f"{BASE}/consent/", {"consent": "not_sought_risk"})


def send(client: Client):
    page = client.get(f"{BASE}/check-your-answers/")
    assert page.status_code == 200, page
    key = page.context["form"].initial["idempotency_key"]
    return client.post(f"{BASE}/check-your-answers/", {"idempotency_key": key, "website": ""}), key


def reference_on(response) -> str:
    match = REFERENCE.search(response.content.decode())
    assert match, "no reference on the page"
    return match.group(1).replace(" ", "")


def test_a_member_of_the_public_reports_a_concern_without_an_account(client):
    start = client.get(f"{BASE}/")
    assert start.status_code == 200
    assert "call 999" in start.content.decode()
    answer_everything(client)
    check = client.get(f"{BASE}/check-your-answers/")
    assert CHILD_NAME in check.content.decode()
    response, _ = send(client)
    assert response.status_code == 302 and response.url == f"{BASE}/sent/"
    sent = client.get(response.url)
    reference = reference_on(sent)
    assert "within one working day" in sent.content.decode()

    contact = Contact.objects.get()
    assert contact.reference == reference and len(reference) == 10
    assert set(reference) <= set(ALPHABET)
    assert contact.child_name == CHILD_NAME and contact.child_age == 13
    assert contact.child_age_estimated
    assert contact.signs == ["cars", "told_someone"]
    assert contact.consent == "not_sought_risk"
    assert contact.lawful_basis == "public_task_safeguarding"
    assert not contact.reporter_anonymous and contact.reporter_name == "Pat Neighbour"
    assert contact.decision_due_at > contact.received_at
    received = AuditEvent.objects.get(verb="contact.receive")
    assert received.object_id == str(contact.pk)
    assert CHILD_NAME not in str(received.after) + received.summary


def test_yes_to_immediate_danger_shows_call_999_and_still_records_the_concern(client):
    client.post(f"{BASE}/")
    response = client.post(f"{BASE}/danger/", {"immediate_danger": "yes"})
    assert response.url == f"{BASE}/call-999/"
    page = client.get(response.url).content.decode()
    assert "Call 999 now" in page
    assert f'href="{BASE}/child/"' in page
    answer_everything(client, danger="yes")
    send(client)
    assert Contact.objects.get().immediate_danger


def test_every_page_has_an_exit_this_page_link_that_works_without_javascript(client):
    page = client.get(f"{BASE}/").content.decode()
    assert 'data-module="govuk-exit-this-page"' in page
    assert 'href="https://www.bbc.co.uk/weather"' in page
    assert "<script>" not in page.replace('<script src="', "")  # no inline scripts
    assert "onclick" not in page and "style=" not in page


def test_an_anonymous_reporter_is_not_asked_for_details(client):
    answer_everything(client, give_details="no")
    assert client.get(f"{BASE}/your-details/").status_code == 302
    send(client)
    contact = Contact.objects.get()
    assert contact.reporter_anonymous
    assert contact.reporter_name == "" and contact.reporter_phone == ""


def test_a_professional_must_say_who_they_work_for(client):
    client.post(f"{BASE}/")
    client.post(f"{BASE}/who/", {"reporter_kind": "professional"})
    assert client.get(f"{BASE}/anonymous/").status_code == 302  # professionals are not anonymous
    page = client.post(
        f"{BASE}/your-details/",
        {"reporter_name": "Sam Teacher", "reporter_email": "sam@school.example"},
    )
    assert page.status_code == 200
    assert "Enter the organisation you work for" in page.content.decode()


def test_contact_details_need_a_phone_number_or_email(client):
    client.post(f"{BASE}/")
    client.post(f"{BASE}/anonymous/", {"give_details": "yes"})
    page = client.post(f"{BASE}/your-details/", {"reporter_name": "Pat"})
    assert "Enter a phone number or an email address" in page.content.decode()


def test_a_missing_answer_is_explained_and_linked_from_the_error_summary(client):
    client.post(f"{BASE}/")
    page = client.post(f"{BASE}/danger/", {})
    body = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_immediate_danger_0"' in body
    assert "<title>Error:" in body


def test_changing_an_answer_returns_to_check_your_answers(client):
    answer_everything(client)
    response = client.post(f"{BASE}/what-happened/?change=1", {"what_happened": "Changed story"})
    assert response.url == f"{BASE}/check-your-answers/"
    assert "Changed story" in client.get(response.url).content.decode()


def test_check_your_answers_sends_you_back_to_an_unanswered_question(client):
    client.post(f"{BASE}/")
    client.post(f"{BASE}/danger/", {"immediate_danger": "no"})
    response = client.get(f"{BASE}/check-your-answers/")
    assert response.url == f"{BASE}/child/"


def test_pages_before_starting_go_to_the_start_page(client):
    assert client.get(f"{BASE}/child/").url == f"{BASE}/"
    assert client.get(f"{BASE}/sent/").url == f"{BASE}/"
    assert client.get(f"{BASE}/check-your-answers/").url == f"{BASE}/"


def test_sending_twice_makes_one_contact_and_shows_the_same_reference(client):
    answer_everything(client)
    first, key = send(client)
    reference = reference_on(client.get(first.url))
    again = client.post(f"{BASE}/check-your-answers/", {"idempotency_key": key, "website": ""})
    assert again.url == f"{BASE}/sent/"
    assert reference_on(client.get(again.url)) == reference
    assert Contact.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_report_survives_a_database_error_after_it_was_committed(client):
    answer_everything(client)
    page = client.get(f"{BASE}/check-your-answers/")
    key = page.context["form"].initial["idempotency_key"]

    def session_write_fails(execute, sql, params, many, context):
        if "django_session" in sql and sql.lstrip().upper().startswith(("UPDATE", "INSERT")):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    # The contact commits, then saving the session (after the view) fails: the reporter sees
    # an error and presses "Send report" again.
    client.raise_request_exception = False
    with connection.execute_wrapper(session_write_fails):
        failed = client.post(f"{BASE}/check-your-answers/", {"idempotency_key": key, "website": ""})
    assert failed.status_code >= 400  # the reporter never saw a reference
    assert Contact.objects.count() == 1
    saved = Contact.objects.get()

    retry = client.post(f"{BASE}/check-your-answers/", {"idempotency_key": key, "website": ""})
    assert retry.url == f"{BASE}/sent/"
    assert reference_on(client.get(retry.url)) == saved.reference
    assert Contact.objects.count() == 1


def test_if_saving_fails_the_reporter_gets_the_phone_number_and_keeps_their_answers(
    client, settings
):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "FRONT_DOOR_PHONE": "01632 960 999"}
    answer_everything(client)

    def contact_insert_fails(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "frontdoor_contact" in sql:
            raise OperationalError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(contact_insert_fails):
        failed, key = send(client)
    assert failed.status_code == 503
    assert "01632 960 999" in failed.content.decode()
    assert "has not been sent" in failed.content.decode()
    assert Contact.objects.count() == 0

    retry = client.post(f"{BASE}/check-your-answers/", {"idempotency_key": key, "website": ""})
    assert retry.url == f"{BASE}/sent/"
    assert Contact.objects.count() == 1


def test_a_filled_honeypot_looks_sent_but_saves_nothing(client):
    answer_everything(client)
    page = client.get(f"{BASE}/check-your-answers/")
    key = page.context["form"].initial["idempotency_key"]
    response = client.post(
        f"{BASE}/check-your-answers/", {"idempotency_key": key, "website": "http://spam.example"}
    )
    assert response.url == f"{BASE}/sent/"
    assert client.get(response.url).status_code == 200
    assert Contact.objects.count() == 0


def test_sending_is_rate_limited_per_address(settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "FRONTDOOR_SENDS_PER_HOUR": 2}
    for _ in range(2):
        client = Client()
        answer_everything(client)
        assert send(client)[0].status_code == 302
    client = Client()
    answer_everything(client)
    blocked, _ = send(client)
    assert blocked.status_code == 429
    assert "phone" in blocked.content.decode()
    assert Contact.objects.count() == 2
    # A different address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.44")
    answer_everything(other)
    assert send(other)[0].status_code == 302


def test_a_stale_or_forged_key_does_not_send(client):
    answer_everything(client)
    response = client.post(
        f"{BASE}/check-your-answers/",
        {"idempotency_key": "00000000-0000-4000-8000-000000000000", "website": ""},
    )
    assert response.url == f"{BASE}/"
    assert Contact.objects.count() == 0


def test_references_reveal_nothing_about_order_or_count(contact_factory):
    references = [contact_factory().reference for _ in range(5)]
    assert len(set(references)) == 5
    assert references != sorted(references) or references != sorted(references, reverse=True)
    assert all(re.fullmatch(rf"[{ALPHABET}]{{10}}", r) for r in references)
