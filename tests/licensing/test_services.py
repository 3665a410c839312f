"""Licensing services: what an officer sees happen when they record something."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followthrough.core.audit import audit_verify
from followthrough.core.models import AuditEvent
from followthrough.core.roles import Role
from followthrough.licensing import selectors, services
from followthrough.licensing.compliance import LicenceStatus, State
from followthrough.licensing.models import LicensingDecision, NR3SEntry, NR3SSearch

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def decide(officer, licensee, kind, **kw):
    values = {
        "decided_on": date(2017, 3, 1),
        "decision_maker": LicensingDecision.DecisionMaker.OFFICER,
        "reasons": "Considered against the council's policy.",
        **kw,
    }
    return services.decision_record(actor=officer, licensee=licensee, kind=kind, **values)


def search(officer, licensee, on=date(2017, 2, 20), result="no_match", **kw):
    return services.nr3s_search_record(
        actor=officer, licensee=licensee, searched_on=on, result=result, **kw
    )


@pytest.fixture
def applicant(officer, driver_course, frozen):
    licensee = services.licensee_create(actor=officer, reference="d0100", name="Driver 0100")
    services.dbs_check_record(actor=officer, licensee=licensee, issued_on=date(2017, 2, 1))
    services.attendance_record(
        actor=officer, course=driver_course, licensee=licensee, completed_on=date(2017, 2, 10)
    )
    return licensee


# ---------------------------------------------------------------------------------------------
# NR3S before any grant or renewal


def test_grant_is_refused_without_an_nr3s_search(officer, applicant):
    with pytest.raises(ValidationError) as caught:
        decide(officer, applicant, "grant", licence_type="private_hire", licence_number="PH0100")
    assert caught.value.message_dict["nr3s_search"] == [
        "Record a search of NR3S for this applicant before deciding a grant or renewal"
    ]
    assert not applicant.licences.exists()


def test_grant_with_a_search_issues_a_three_year_licence_with_appeal_deadline(officer, applicant):
    decision = decide(
        officer,
        applicant,
        "grant",
        licence_type="private_hire",
        licence_number="ph0100",
        nr3s_search=search(officer, applicant),
    )
    licence = decision.licence
    assert licence.number == "PH0100"
    assert (licence.issued_on, licence.expires_on) == (date(2017, 3, 1), date(2020, 2, 29))
    assert licence.status == LicenceStatus.ACTIVE
    assert decision.appeal_deadline == date(2017, 3, 22)
    assert selectors.licensee_compliance(applicant, date(2017, 3, 15)).state is State.COMPLIANT
    assert AuditEvent.objects.filter(verb="licensing_decision.grant").exists()
    assert audit_verify() is None


def test_operator_licence_runs_five_years(officer, applicant):
    decision = decide(
        officer,
        applicant,
        "grant",
        licence_type="operator",
        licence_number="OP1",
        nr3s_search=search(officer, applicant),
    )
    assert decision.licence.expires_on == date(2022, 2, 28)


def test_a_shorter_licence_is_allowed_but_not_a_longer_one(officer, applicant):
    with pytest.raises(ValidationError) as caught:
        decide(
            officer,
            applicant,
            "grant",
            licence_type="private_hire",
            licence_number="PH1",
            duration_months=48,
            nr3s_search=search(officer, applicant),
        )
    assert "at most 36 months" in caught.value.message_dict["duration_months"][0]
    decision = decide(
        officer,
        applicant,
        "grant",
        licence_type="private_hire",
        licence_number="PH1",
        duration_months=12,
        nr3s_search=search(officer, applicant),
    )
    assert decision.licence.expires_on == date(2018, 2, 28)


def test_renewal_also_needs_its_own_search(officer, applicant):
    first = search(officer, applicant)
    granted = decide(
        officer, applicant, "grant", licence_type="dual", licence_number="DL1", nr3s_search=first
    )
    with pytest.raises(ValidationError) as caught:
        decide(
            officer,
            applicant,
            "renew",
            licence=granted.licence,
            decided_on=date(2017, 3, 10),
            nr3s_search=first,
        )
    assert "used for an earlier decision" in caught.value.message_dict["nr3s_search"][0]
    renewal = decide(
        officer,
        applicant,
        "renew",
        licence=granted.licence,
        decided_on=date(2017, 3, 10),
        nr3s_search=search(officer, applicant, on=date(2017, 3, 9)),
    )
    assert renewal.licence.number == "DL1"
    assert renewal.licence.issued_on == date(2017, 3, 10)


def test_search_after_the_decision_date_does_not_count(officer, applicant):
    late = search(officer, applicant, on=date(2017, 3, 2))
    with pytest.raises(ValidationError) as caught:
        decide(
            officer,
            applicant,
            "grant",
            licence_type="private_hire",
            licence_number="P1",
            nr3s_search=late,
        )
    assert caught.value.message_dict["nr3s_search"] == [
        "The NR3S search must be made on or before the date of the decision"
    ]


def test_a_match_needs_the_details_requested_before_deciding(officer, applicant):
    match = search(officer, applicant, result=NR3SSearch.Result.MATCH)
    with pytest.raises(ValidationError, match="request the details"):
        decide(
            officer,
            applicant,
            "grant",
            licence_type="private_hire",
            licence_number="P1",
            nr3s_search=match,
        )
    requested = search(
        officer, applicant, result="match", information_requested_on=date(2017, 2, 21)
    )
    assert decide(
        officer,
        applicant,
        "grant",
        licence_type="private_hire",
        licence_number="P1",
        nr3s_search=requested,
    )


def test_refusal_needs_a_search_too(officer, applicant):
    with pytest.raises(ValidationError) as caught:
        decide(officer, applicant, "refuse", licence_type="private_hire")
    assert "nr3s_search" in caught.value.message_dict


def test_grant_needs_an_enhanced_dbs_and_current_training(officer, driver_course, frozen):
    licensee = services.licensee_create(actor=officer, reference="D0200", name="Driver 0200")
    with pytest.raises(ValidationError) as caught:
        decide(
            officer,
            licensee,
            "grant",
            licence_type="hackney_carriage",
            licence_number="HC1",
            nr3s_search=search(officer, licensee),
        )
    assert len(caught.value.messages) == 2
    assert "enhanced DBS certificate" in caught.value.messages[0]
    assert "training" in caught.value.messages[1]


def test_training_before_grant_is_a_local_condition_that_can_be_switched_off(
    officer, driver_course, frozen, settings
):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "LICENSING_TRAINING_REQUIRED": False}
    licensee = services.licensee_create(actor=officer, reference="D0201", name="Driver 0201")
    services.dbs_check_record(actor=officer, licensee=licensee, issued_on=date(2017, 2, 1))
    decision = decide(
        officer,
        licensee,
        "grant",
        licence_type="private_hire",
        licence_number="P2",
        nr3s_search=search(officer, licensee),
    )
    assert decision.licence.status == LicenceStatus.ACTIVE


# ---------------------------------------------------------------------------------------------
# Suspension, revocation and NR3S entries


@pytest.fixture
def licensed(officer, applicant):
    return decide(
        officer,
        applicant,
        "grant",
        licence_type="private_hire",
        licence_number="PH7",
        decided_on=date(2017, 2, 25),
        nr3s_search=search(officer, applicant),
    ).licence


def test_safeguarding_revocation_is_recorded_for_nr3s_and_kept_11_years(
    officer, applicant, licensed
):
    decision = decide(
        officer,
        applicant,
        "revoke",
        licence=licensed,
        safeguarding_basis=True,
        decided_on=date(2017, 3, 14),
        reasons="Safeguarding information from the police.",
    )
    licensed.refresh_from_db()
    assert licensed.status == LicenceStatus.REVOKED
    entry = NR3SEntry.objects.get(decision=decision)
    assert entry.keep_until == date(2028, 3, 13)
    assert selectors.licensee_compliance(applicant, date(2017, 3, 14)) is None  # off the register
    assert (
        selectors.licensee_compliance(applicant, date(2017, 3, 13)) is not None
    )  # as at the day before
    services.nr3s_entry_mark_entered(
        actor=officer, entry=entry, entered_on=date(2017, 3, 15), register_reference="NR3S-123"
    )
    entry.refresh_from_db()
    assert entry.keep_until == date(2028, 3, 14)


def test_suspend_then_reinstate(officer, applicant, licensed):
    decide(officer, applicant, "suspend", licence=licensed, decided_on=date(2017, 3, 5))
    licensed.refresh_from_db()
    assert licensed.status == LicenceStatus.SUSPENDED
    with pytest.raises(ValidationError, match="Only an active licence"):
        decide(officer, applicant, "suspend", licence=licensed, decided_on=date(2017, 3, 6))
    decide(officer, applicant, "reinstate", licence=licensed, decided_on=date(2017, 3, 10))
    licensed.refresh_from_db()
    assert licensed.status == LicenceStatus.ACTIVE
    assert list(licensed.status_changes.values_list("status_to", flat=True)) == [
        "active",
        "suspended",
        "active",
    ]


def test_grant_cannot_be_recorded_as_a_safeguarding_nr3s_entry(officer, applicant):
    with pytest.raises(ValidationError) as caught:
        decide(
            officer,
            applicant,
            "grant",
            licence_type="private_hire",
            licence_number="P1",
            safeguarding_basis=True,
            nr3s_search=search(officer, applicant),
        )
    assert "safeguarding_basis" in caught.value.message_dict


def test_appeal_deadline_runs_from_notice(officer, applicant, licensed):
    decision = decide(
        officer,
        applicant,
        "suspend",
        licence=licensed,
        decided_on=date(2017, 3, 5),
        notified_on=date(2017, 3, 7),
    )
    assert decision.appeal_deadline == date(2017, 3, 28)


def test_licence_can_only_be_closed_as_expired_after_its_last_day(officer, applicant, licensed):
    with pytest.raises(ValidationError, match="only be closed as expired after that"):
        services.licence_close(
            actor=officer, licence=licensed, status="expired", effective_date=date(2017, 3, 10)
        )
    services.licence_close(
        actor=officer, licence=licensed, status="surrendered", effective_date=date(2017, 3, 10)
    )
    licensed.refresh_from_db()
    assert licensed.status == LicenceStatus.SURRENDERED


# ---------------------------------------------------------------------------------------------
# DBS, training and self-reports


def test_status_check_needs_a_certificate_first(officer, frozen):
    licensee = services.licensee_create(actor=officer, reference="D0300", name="Driver 0300")
    with pytest.raises(ValidationError, match="Record the DBS certificate first"):
        services.dbs_status_check_record(
            actor=officer, licensee=licensee, checked_on=date(2017, 3, 1), result="no_change"
        )


def test_dbs_certificate_number_is_stored_encrypted(officer, frozen):
    licensee = services.licensee_create(actor=officer, reference="D0301", name="Driver 0301")
    check = services.dbs_check_record(
        actor=officer,
        licensee=licensee,
        issued_on=date(2017, 1, 5),
        certificate_number="0012-3456-7890",
    )
    assert check.certificate_number_last4 == "7890"
    assert "001234567890" not in check.certificate_number_encrypted
    with pytest.raises(ValidationError, match="12 digits"):
        services.dbs_check_record(
            actor=officer, licensee=licensee, issued_on=date(2017, 1, 6), certificate_number="123"
        )


def test_future_dates_are_refused(officer, frozen):
    licensee = services.licensee_create(actor=officer, reference="D0302", name="Driver 0302")
    with pytest.raises(ValidationError, match="today or in the past"):
        services.dbs_check_record(actor=officer, licensee=licensee, issued_on=date(2017, 3, 16))


def test_recording_training_makes_an_untrained_driver_compliant(
    officer, make_driver, driver_course, frozen
):
    driver = make_driver(issued_on=date(2016, 6, 1), status_check_on=date(2017, 1, 10))
    assert selectors.licensee_compliance(driver, frozen).state is State.NON_COMPLIANT
    services.attendance_record(
        actor=officer, course=driver_course, licensee=driver, completed_on=frozen
    )
    assert selectors.licensee_compliance(driver, frozen).state is State.COMPLIANT


def test_attendance_for_anyone_by_name_and_no_duplicates(officer, driver_course, frozen):
    session = services.session_create(
        actor=officer, course=driver_course, held_on=date(2017, 3, 1), venue="Civic Offices"
    )
    services.attendance_record(
        actor=officer,
        course=driver_course,
        session=session,
        completed_on=date(2017, 3, 1),
        attendee_name="Sam Example",
        attendee_organisation="Example Hotel",
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.attendance_record(
            actor=officer,
            course=driver_course,
            session=session,
            completed_on=date(2017, 3, 1),
            attendee_name="sam example",
            attendee_organisation="example hotel",
        )


def test_self_report_records_whether_it_was_on_time(officer, frozen):
    licensee = services.licensee_create(actor=officer, reference="D0303", name="Driver 0303")
    event = datetime(2017, 3, 10, 21, 0, tzinfo=LONDON)
    report = services.self_report_record(
        actor=officer,
        licensee=licensee,
        event="arrest",
        category="motoring",
        event_at=event,
        reported_at=event + timedelta(hours=49),
    )
    assert report.pk
    with pytest.raises(ValidationError, match="cannot come before"):
        services.self_report_record(
            actor=officer,
            licensee=licensee,
            event="charge",
            category="violence",
            event_at=event,
            reported_at=event - timedelta(hours=1),
        )


# ---------------------------------------------------------------------------------------------
# Nobody else may write


@pytest.mark.parametrize(
    "role", [Role.SCRUTINY_OFFICER, Role.PARTNER_LEAD, Role.MEMBER, Role.FRONTDOOR_MANAGER]
)
def test_other_roles_cannot_write_to_the_register(user_factory, role, frozen):
    user = user_factory(role)
    with pytest.raises(PermissionDenied):
        services.licensee_create(actor=user, reference="D1", name="Driver 1")
