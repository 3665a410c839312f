"""The licensing commands: import, reminders and indicator feeds."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from followthrough.core.models import AuditEvent, Organisation
from followthrough.core.roles import Role
from followthrough.licensing import services
from followthrough.licensing.models import Licence, Licensee, Reminder
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# licensing_import


def test_import_command_reads_xlsx_and_is_idempotent(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["licensee_reference", "name", "licence_number", "licence_type", "issued_on", "status"]
    )
    sheet.append(["D0001", "Driver 0001", "P0001", "private_hire", date(2016, 6, 1), "active"])
    sheet.append(["O0001", "Example Cars", "O0001", "operator", date(2016, 1, 1), "active"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    assert run("licensing_import", "register", str(path)) == (
        "register.xlsx: 2 licence holders added, 2 licences added\n"
    )
    assert run("licensing_import", "register", str(path)) == (
        "register.xlsx: nothing changed (already imported)\n"
    )
    assert Licence.objects.get(number="O0001").expires_on == date(2020, 12, 31)


def test_import_command_prints_every_problem_and_imports_nothing(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(
        "licensee_reference,name,licence_number,licence_type,issued_on,status\n"
        "D0001,Driver 0001,P0001,private_hire,2016-06-01,active\n"
        "D0002,Driver 0002,P0002,private_hire,2016-13-01,active\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("licensing_import", "register", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("register.csv, row 3, column issued_on: Enter a real date")
    assert not Licensee.objects.exists()


# ---------------------------------------------------------------------------------------------
# licensing_reminders


@pytest.fixture
def due_soon(make_driver, officer, frozen):
    # Licence ends 31 March 2017; status check (6 months after 1 Oct 2016) due 1 April 2017.
    return make_driver(
        "D0001",
        issued_on=date(2014, 4, 1),
        dbs_on=date(2014, 3, 1),
        status_check_on=date(2016, 10, 1),
        trained_on=date(2016, 6, 1),
        email="d0001@example.com",
    )


def test_reminders_go_to_the_driver_and_officers_once(due_soon, officer):
    run("licensing_reminders", "--date", "2017-03-15")
    assert Reminder.objects.count() == 4  # licence and status check, to the driver and officers
    assert {m.to[0] for m in mail.outbox} == {"d0001@example.com", "lo@example.gov.uk"}
    driver_mail = next(m for m in mail.outbox if m.to == ["d0001@example.com"])
    assert "Licence renewal: due by 31 March 2017" in driver_mail.body
    assert "DBS status check: due by 1 April 2017" in driver_mail.body
    sent = len(mail.outbox)
    run("licensing_reminders", "--date", "2017-03-15")
    run("licensing_reminders", "--date", "2017-03-16")
    assert len(mail.outbox) == sent
    assert Reminder.objects.count() == 4


def test_the_nearer_reminder_goes_out_when_the_next_threshold_passes(due_soon):
    services.reminders_send(on=date(2017, 1, 30))  # 60 days before 31 March: licence only
    assert set(Reminder.objects.values_list("subject", "days_before")) == {("licence", 60)}
    services.reminders_send(on=date(2017, 3, 1))  # 30 days before the licence; 31 before the check
    assert set(Reminder.objects.values_list("subject", "days_before")) == {
        ("licence", 60),
        ("licence", 30),
        ("dbs_status_check", 60),
    }
    services.reminders_send(on=date(2017, 3, 25))  # 7-day reminders for both
    assert Reminder.objects.filter(days_before=7).count() == 4


def test_nothing_is_sent_for_what_is_already_overdue(due_soon):
    services.reminders_send(on=date(2017, 4, 10))
    assert not Reminder.objects.exists()
    assert not mail.outbox


def test_reminder_runs_are_audited_only_when_something_is_sent(due_soon):
    before = AuditEvent.objects.filter(verb="licensing.reminders").count()
    services.reminders_send(on=date(2017, 3, 15))
    services.reminders_send(on=date(2017, 3, 15))
    assert AuditEvent.objects.filter(verb="licensing.reminders").count() == before + 1


# ---------------------------------------------------------------------------------------------
# licensing_feed_indicators


@pytest.fixture
def taxi_recommendation(user_factory):
    clerk = user_factory(Role.SCRUTINY_OFFICER)
    licensing = Organisation.objects.create(
        name="Licensing", slug="licensing", kind=Organisation.Kind.LICENSING
    )
    review = tracker_services.review_create(
        actor=clerk,
        slug="cse-scrutiny-review",
        title="CSE review",
        made_by="Committee",
        agreed_on=date(2016, 5, 16),
    )
    return tracker_services.recommendation_create(
        actor=clerk,
        review=review,
        number="7",
        text="Train taxi drivers.",
        lead_organisation=licensing,
    )


def test_feed_records_monthly_training_percentages_as_at_each_month_end(
    make_driver, taxi_recommendation, frozen
):
    make_driver("D0001", issued_on=date(2016, 6, 1), trained_on=date(2016, 9, 14))
    make_driver("D0002", issued_on=date(2016, 6, 1), trained_on=date(2016, 11, 9))
    out = run(
        "licensing_feed_indicators",
        "--attach",
        "cse-scrutiny-review",
        "7",
        "licensing.drivers_training_pct",
        "--attach",
        "cse-scrutiny-review",
        "7",
        "licensing.trained.taxi_drivers",
        "--from",
        "2016-08",
        "--to",
        "2016-12",
    )
    assert out.startswith("7 value(s) recorded on 2 licensing indicator(s) for 5 date(s)")
    indicator = Indicator.objects.get(feed="licensing.drivers_training_pct")
    assert indicator.recommendation == taxi_recommendation
    assert indicator.name == "Licensed drivers with current CSE awareness training"
    values = dict(indicator.values.values_list("on", "value"))
    assert values == {
        date(2016, 8, 31): Decimal("0.00"),
        date(2016, 9, 30): Decimal("50.00"),
        date(2016, 10, 31): Decimal("50.00"),
        date(2016, 11, 30): Decimal("100.00"),
        date(2016, 12, 31): Decimal("100.00"),
    }
    quarterly = Indicator.objects.get(feed="licensing.trained.taxi_drivers")
    assert dict(quarterly.values.values_list("on", "value")) == {
        date(2016, 9, 30): Decimal("1.00"),
        date(2016, 12, 31): Decimal("1.00"),
    }
    assert quarterly.values.get(on=date(2016, 12, 31)).note == "Q3 2016/17"


def test_feeding_again_changes_nothing_and_the_future_is_left_alone(
    make_driver, taxi_recommendation, frozen
):
    make_driver("D0001", issued_on=date(2016, 6, 1), trained_on=date(2016, 9, 14))
    args = [
        "licensing_feed_indicators",
        "--attach",
        "cse-scrutiny-review",
        "7",
        "licensing.drivers_training_pct",
        "--from",
        "2017-01",
        "--to",
        "2017-06",
    ]
    run(*args)
    assert IndicatorValue.objects.count() == 2  # January and February: March has not ended
    audit = AuditEvent.objects.count()
    run(*args)
    assert AuditEvent.objects.count() == audit


def test_feed_refuses_an_unknown_feed_or_recommendation(taxi_recommendation):
    with pytest.raises(CommandError, match="no licensing feed"):
        run(
            "licensing_feed_indicators",
            "--attach",
            "cse-scrutiny-review",
            "7",
            "licensing.nonsense",
        )
    with pytest.raises(CommandError, match="No recommendation 99"):
        run(
            "licensing_feed_indicators",
            "--attach",
            "cse-scrutiny-review",
            "99",
            "licensing.drivers_dbs_pct",
        )


# ---------------------------------------------------------------------------------------------
# licensing_rotate_keys


def test_rotating_keys_keeps_certificate_numbers_readable_under_the_new_key(
    officer, settings, frozen
):
    from cryptography.fernet import Fernet

    from followthrough.licensing.encryption import decrypt
    from followthrough.licensing.models import DBSCheck

    licensee = services.licensee_create(actor=officer, reference="D0001", name="Driver 0001")
    services.dbs_check_record(
        actor=officer,
        licensee=licensee,
        issued_on=date(2017, 1, 5),
        certificate_number="001234567890",
    )
    old = list(settings.FOLLOWTHROUGH["FIELD_ENCRYPTION_KEYS"])
    new = Fernet.generate_key().decode()
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "FIELD_ENCRYPTION_KEYS": [new, *old]}
    assert run("licensing_rotate_keys") == "1 DBS certificate number(s) re-encrypted.\n"
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "FIELD_ENCRYPTION_KEYS": [new]}
    assert decrypt(DBSCheck.objects.get().certificate_number_encrypted) == "001234567890"
