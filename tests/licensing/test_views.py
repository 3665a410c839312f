"""Licensing pages: who can reach them, and what an officer sees and does there."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followthrough.core.models import AuditEvent
from followthrough.core.roles import Role
from followthrough.licensing import services
from followthrough.licensing.models import Attendance, Licence, LicensingDecision, NR3SSearch
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def untrained(make_driver, frozen):
    return make_driver("D0042", issued_on=date(2016, 6, 1), status_check_on=date(2017, 1, 10))


def page_urls(licensee, licence, session, entry):
    return [
        reverse("licensing:home"),
        reverse("licensing:licensee-list"),
        reverse("licensing:licensee-create"),
        reverse("licensing:licensee-detail", args=[licensee.pk]),
        reverse("licensing:training-record", args=[licensee.pk]),
        reverse("licensing:dbs-record", args=[licensee.pk]),
        reverse("licensing:status-check-record", args=[licensee.pk]),
        reverse("licensing:nr3s-search-record", args=[licensee.pk]),
        reverse("licensing:decision-record", args=[licensee.pk]),
        reverse("licensing:self-report-record", args=[licensee.pk]),
        reverse("licensing:licence-close", args=[licence.pk]),
        reverse("licensing:training"),
        reverse("licensing:course-create"),
        reverse("licensing:session-create"),
        reverse("licensing:session-detail", args=[session.pk]),
        reverse("licensing:nr3s"),
        reverse("licensing:nr3s-entered", args=[entry.pk]),
        reverse("licensing:import"),
    ]


@pytest.fixture
def every_page(officer, untrained, driver_course):
    licence = untrained.licences.get()
    session = services.session_create(
        actor=officer, course=driver_course, held_on=date(2017, 3, 1), venue="Civic Offices"
    )
    decision = services.decision_record(
        actor=officer,
        licensee=untrained,
        kind="suspend",
        licence=licence,
        decided_on=date(2017, 3, 2),
        decision_maker="officer",
        reasons="Safeguarding concern.",
        safeguarding_basis=True,
    )
    return page_urls(untrained, licence, session, decision.nr3s_entry)


@pytest.mark.parametrize("role", [Role.LICENSING_OFFICER, Role.ADMIN])
def test_licensing_officers_and_admins_reach_every_page(client, user_factory, every_page, role):
    client.force_login(user_factory(role))
    for url in every_page:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role",
    [r for r in Role if r not in (Role.LICENSING_OFFICER, Role.ADMIN)],
)
def test_everyone_else_gets_not_found_on_every_page(client, user_factory, every_page, role):
    client.force_login(user_factory(role))
    for url in every_page:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(client, every_page):
    for url in every_page:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))


def test_dashboard_counts_and_lists_non_compliant_drivers_with_reasons(
    officer_client, untrained, make_driver, frozen
):
    make_driver(
        "D0043",
        issued_on=date(2016, 6, 1),
        status_check_on=date(2017, 1, 10),
        trained_on=date(2016, 9, 1),
    )
    response = officer_client.get(reverse("licensing:home"))
    html = response.content.decode()
    assert [d.record.reference for d in response.context["non_compliant"]] == ["D0042"]
    assert "No safeguarding (CSE) awareness training on record" in html
    assert response.context["licensed"] == 2
    assert "50.00%" in html  # training


def test_dashboard_as_at_a_past_date(officer_client, untrained, frozen):
    response = officer_client.get(reverse("licensing:home"), {"as_at": "2016-05-31"})
    assert response.context["as_at"] == date(2016, 5, 31)
    assert response.context["licensed"] == 0  # licensed from 1 June 2016


def test_register_search_and_filter(officer_client, untrained, make_driver, frozen):
    make_driver(
        "D0043",
        issued_on=date(2016, 6, 1),
        status_check_on=date(2017, 1, 10),
        trained_on=date(2016, 9, 1),
    )
    response = officer_client.get(reverse("licensing:licensee-list"), {"state": "non_compliant"})
    assert [p.reference for p, _ in response.context["page"].object_list] == ["D0042"]
    response = officer_client.get(reverse("licensing:licensee-list"), {"q": "LD0043"})
    assert [p.reference for p, _ in response.context["page"].object_list] == ["D0043"]


def test_viewing_a_licence_holder_is_audited(officer_client, untrained):
    officer_client.get(reverse("licensing:licensee-detail", args=[untrained.pk]))
    assert AuditEvent.objects.filter(verb="licensee.view", object_id=str(untrained.pk)).exists()


def test_recording_training_on_the_form_makes_the_driver_compliant(
    officer_client, untrained, driver_course
):
    url = reverse("licensing:training-record", args=[untrained.pk])
    response = officer_client.post(
        url,
        {
            "course": driver_course.pk,
            "completed_on_0": "15",
            "completed_on_1": "3",
            "completed_on_2": "2017",
        },
    )
    assert response.status_code == 302
    page = officer_client.get(response["Location"])
    assert page.context["compliance"].state == "compliant"
    assert "The training has been recorded" in page.content.decode()


def test_decision_form_without_an_nr3s_search_shows_the_error_and_saves_nothing(
    officer_client, untrained
):
    url = reverse("licensing:decision-record", args=[untrained.pk])
    licence = untrained.licences.get()
    response = officer_client.post(
        url,
        {
            "kind": "renew",
            "licence": licence.pk,
            "decided_on_0": "14",
            "decided_on_1": "3",
            "decided_on_2": "2017",
            "decision_maker": "officer",
            "reasons": "Renewal application.",
        },
    )
    assert response.status_code == 200
    assert (
        "Record a search of NR3S for this applicant before deciding a grant or renewal"
        in response.content.decode()
    )
    assert not LicensingDecision.objects.exists()
    assert Licence.objects.count() == 1


def test_decision_form_with_a_search_renews_the_licence(
    officer_client, officer, untrained, driver_course
):
    services.attendance_record(
        actor=officer, course=driver_course, licensee=untrained, completed_on=date(2017, 3, 1)
    )
    services.dbs_check_record(actor=officer, licensee=untrained, issued_on=date(2017, 3, 1))
    search = services.nr3s_search_record(
        actor=officer,
        licensee=untrained,
        searched_on=date(2017, 3, 10),
        result=NR3SSearch.Result.NO_MATCH,
    )
    response = officer_client.post(
        reverse("licensing:decision-record", args=[untrained.pk]),
        {
            "kind": "renew",
            "licence": untrained.licences.get().pk,
            "nr3s_search": search.pk,
            "decided_on_0": "14",
            "decided_on_1": "3",
            "decided_on_2": "2017",
            "decision_maker": "officer",
            "reasons": "Renewal application.",
        },
    )
    assert response.status_code == 302
    page = officer_client.get(response["Location"]).content.decode()
    assert "Appeal by 4 April 2017" in page


def test_session_page_adds_a_driver_and_a_member_of_hotel_staff(
    officer_client, officer, untrained, driver_course
):
    session = services.session_create(
        actor=officer, course=driver_course, held_on=date(2017, 3, 1), venue="Civic Offices"
    )
    url = reverse("licensing:session-detail", args=[session.pk])
    assert (
        officer_client.post(url, {"licensee_reference": "d0042", "completed": "yes"}).status_code
        == 302
    )
    assert (
        officer_client.post(
            url,
            {
                "attendee_name": "Sam Example",
                "attendee_organisation": "Example Hotel",
                "completed": "no",
            },
        ).status_code
        == 302
    )
    response = officer_client.post(url, {"licensee_reference": "D9999", "completed": "yes"})
    assert "There is no licence holder D9999 on the register" in response.content.decode()
    assert Attendance.objects.filter(session=session, completed_on=date(2017, 3, 1)).count() == 1
    assert Attendance.objects.filter(session=session, completed_on__isnull=True).count() == 1


def test_import_page_reports_problems_by_row_and_imports_nothing(officer_client):
    bad = b"licensee_reference,name,licence_number,licence_type,issued_on,status\nD1,Driver 1,P1,taxi,2016-01-01,active\n"
    response = officer_client.post(
        reverse("licensing:import"),
        {"kind": "register", "file": SimpleUploadedFile("register.csv", bad)},
    )
    html = response.content.decode()
    assert "register.csv, row 2, column licence_type" in html
    assert "nothing was imported" in html


def test_import_page_imports_a_good_file(officer_client):
    good = b"licensee_reference,name,licence_number,licence_type,issued_on,status\nD1,Driver 1,P1,private_hire,2016-01-01,active\n"
    response = officer_client.post(
        reverse("licensing:import"),
        {"kind": "register", "file": SimpleUploadedFile("register.csv", good)},
        follow=True,
    )
    assert "register.csv: 1 licence holders added, 1 licences added" in response.content.decode()


def test_navigation_shows_licensing_to_officers_only(client, officer, user_factory):
    client.force_login(officer)
    assert b'href="/licensing/"' in client.get(reverse("licensing:home")).content
    client.force_login(user_factory(Role.SCRUTINY_OFFICER))
    assert b'href="/licensing/"' not in client.get(reverse("tracker:dashboard")).content


def test_sign_in_as_officer_reaches_the_dashboard(client, officer):
    assert client.login(username=officer.username, password=PASSWORD)
    assert client.get(reverse("licensing:home")).status_code == 200


def test_driver_page_shows_renewed_periods_without_a_close_link(
    officer_client, officer, untrained, driver_course
):
    services.attendance_record(
        actor=officer, course=driver_course, licensee=untrained, completed_on=date(2017, 3, 1)
    )
    services.dbs_check_record(actor=officer, licensee=untrained, issued_on=date(2017, 3, 1))
    search = services.nr3s_search_record(
        actor=officer, licensee=untrained, searched_on=date(2017, 3, 10), result="no_match"
    )
    services.decision_record(
        actor=officer,
        licensee=untrained,
        kind="renew",
        licence=untrained.licences.get(),
        nr3s_search=search,
        decided_on=date(2017, 3, 14),
        decision_maker="officer",
        reasons="Renewal.",
    )
    response = officer_client.get(reverse("licensing:licensee-detail", args=[untrained.pk]))
    rows = response.context["licences"]
    assert [(r["shown_status"], r["can_close"]) for r in rows] == [
        ("active", True),
        ("renewed", False),
    ]
