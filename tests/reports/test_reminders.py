"""Update requests, reminders and escalation: what people receive, and never twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from followthrough.reports.models import Notification, Reminder, UpdateRequest
from followthrough.reports.services import committee_cycle_run


def _run(day: date):
    return committee_cycle_run(actor="test", today=day, base_url="https://ft.example.gov.uk")


def _recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_nothing_is_sent_before_requests_go_out(cycle):
    run = _run(date(2020, 2, 21))
    assert (run.requests, run.reminders, run.escalations) == (0, 0, 0)
    assert mail.outbox == []


def test_update_requests_go_to_owners_of_open_actions_once(cycle):
    run = _run(date(2020, 2, 24))
    # Council (taxi training), police (checks) and health (outreach); the coordinator is done.
    assert run.requests == 3
    assert _recipients() == {
        "council.lead@example.gov.uk",
        "police.lead@example.gov.uk",
        "health.lead@example.gov.uk",
    }
    council = next(m for m in mail.outbox if m.to == ["council.lead@example.gov.uk"])
    assert council.subject == "Update needed by 16 March 2020: Small scrutiny review"
    assert "Action 2.1 (recommendation 2)" in council.body
    assert "Action 1.1" not in council.body
    assert (
        f"https://ft.example.gov.uk/actions/{cycle.actions['training'].pk}/update/" in council.body
    )
    assert Notification.objects.filter(user=cycle.leads["council"]).count() == 1

    again = _run(date(2020, 2, 25))
    assert again.requests == 0
    assert len(mail.outbox) == 3
    assert UpdateRequest.objects.count() == 3


def test_reminders_go_only_to_owners_who_have_not_updated(cycle):
    _run(date(2020, 2, 24))
    mail.outbox.clear()
    run = _run(date(2020, 3, 11))
    assert run.reminders == 2
    assert _recipients() == {"police.lead@example.gov.uk", "health.lead@example.gov.uk"}
    assert all(
        m.subject.startswith("Reminder: update needed by 16 March 2020") for m in mail.outbox
    )
    assert _run(date(2020, 3, 12)).reminders == 0
    assert _run(date(2020, 3, 16)).reminders == 0
    assert len(mail.outbox) == 2


def test_escalation_after_the_deadline_tells_the_scrutiny_officer_once(cycle):
    _run(date(2020, 2, 24))
    mail.outbox.clear()
    run = _run(date(2020, 3, 17))
    assert run.escalations == 2
    (message,) = mail.outbox
    assert message.to == ["clerk@example.gov.uk"]
    assert "Northam Police: action 2.2" in message.body
    assert "Northam Health: action 3.1" in message.body
    assert "Northam Council" not in message.body
    assert Notification.objects.filter(user=cycle.officer).count() == 1
    assert _run(date(2020, 3, 18)).escalations == 0
    assert _run(date(2020, 3, 26)).escalations == 0
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(kind="escalation").count() == 2


def test_nothing_is_sent_after_the_meeting(cycle):
    assert _run(date(2020, 3, 27)) == _run(date(2020, 3, 28))
    assert mail.outbox == []


def test_send_reminders_command_is_idempotent(cycle):
    for day in ("2020-02-24", "2020-03-11", "2020-03-17"):
        call_command("send_reminders", "--today", day, stdout=_Sink())
    sent = len(mail.outbox)
    notifications = Notification.objects.count()
    assert sent == 3 + 2 + 1
    for day in ("2020-02-24", "2020-03-11", "2020-03-17", "2020-03-17"):
        call_command("send_reminders", "--today", day, stdout=_Sink())
    assert len(mail.outbox) == sent
    assert Notification.objects.count() == notifications


def test_a_failed_send_is_retried_on_the_next_run(cycle, monkeypatch):
    from django.core.mail import EmailMessage

    def fail(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    run = _run(date(2020, 2, 24))
    assert run.failed == 3 and UpdateRequest.objects.count() == 0
    monkeypatch.undo()
    assert _run(date(2020, 2, 24)).requests == 3


def test_send_reminders_refuses_a_bad_date(cycle):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "24/02/2020")


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
