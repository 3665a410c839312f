"""Licensing in a real browser: the officer's journey, and axe on every licensing page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followthrough.core.roles import Role
from followthrough.licensing import services
from followthrough.licensing.compliance import LicenceStatus, LicenceType, licence_expiry
from followthrough.licensing.importing import RegisterRow
from followthrough.licensing.models import Course, Licensee
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.conftest import PASSWORD


@pytest.fixture
def register(transactional_db, user_factory):
    """An officer, the driver course, and one driver who has everything but training."""
    officer = user_factory(Role.LICENSING_OFFICER, username="licensing-officer")
    today = timezone.localdate()
    course = services.course_create(
        actor=officer,
        name="CSE awareness for taxi drivers",
        audience=Course.Audience.TAXI_DRIVERS,
        validity_months=36,
        counts_for_driver_condition=True,
    )
    issued = today - timedelta(days=365)
    services.register_import(
        actor=officer,
        source="browser.csv",
        rows=[
            RegisterRow(
                row=2,
                licensee_reference="D0042",
                name="Driver 0042",
                date_of_birth=None,
                email="d0042@example.com",
                licence_number="P0042",
                licence_type=LicenceType.PRIVATE_HIRE,
                issued_on=issued,
                expires_on=licence_expiry(issued, 36),
                status=LicenceStatus.ACTIVE,
                status_since=issued,
            )
        ],
    )
    driver = Licensee.objects.get(reference="D0042")
    services.dbs_check_record(actor=officer, licensee=driver, issued_on=issued - timedelta(days=20))
    services.dbs_status_check_record(
        actor=officer, licensee=driver, checked_on=today - timedelta(days=30), result="no_change"
    )
    return {"officer": officer, "driver": driver, "course": course, "today": today}


def test_officer_records_training_and_the_driver_becomes_compliant(live_server, page, register):
    today = register["today"]
    sign_in(page, live_server.url, "licensing-officer", PASSWORD)
    page.goto(f"{live_server.url}/licensing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Driver safeguarding register")
    assert_no_axe_violations(page)
    non_compliant = page.get_by_role("table").filter(has_text="Driver 0042")
    expect(non_compliant).to_contain_text("No safeguarding (CSE) awareness training on record")

    page.get_by_role("link", name="Driver 0042").first.click()
    expect(page.get_by_test_id("compliance-state")).to_have_text("Non-compliant")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Record training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record training completed")
    page.get_by_label("Day").fill("")
    page.get_by_role("button", name="Record training").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("CSE awareness for taxi drivers").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record training").click()

    expect(page.get_by_text("The training has been recorded")).to_be_visible()
    expect(page.get_by_test_id("compliance-state")).to_have_text("Compliant")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/licensing/")
    expect(page.get_by_text("Every driver meets the conditions.")).to_be_visible()


def test_every_licensing_page_passes_axe(live_server, page, register):
    officer, driver, course, today = (register[k] for k in ("officer", "driver", "course", "today"))
    licence = driver.licences.get()
    session = services.session_create(
        actor=officer, course=course, held_on=today, venue="Civic Offices"
    )
    services.attendance_record(
        actor=officer, course=course, session=session, licensee=driver, completed_on=today
    )
    services.attendance_record(
        actor=officer,
        course=course,
        session=session,
        attendee_name="Delegate 0001",
        attendee_organisation="Example Hotel",
        completed_on=None,
    )
    decision = services.decision_record(
        actor=officer,
        licensee=driver,
        kind="suspend",
        licence=licence,
        decided_on=today,
        decision_maker="officer",
        reasons="Safeguarding concern under investigation.",
        safeguarding_basis=True,
    )
    sign_in(page, live_server.url, "licensing-officer", PASSWORD)
    paths = [
        "/licensing/?as_at=2016-11-24",
        "/licensing/register/",
        "/licensing/register/new/",
        f"/licensing/register/{driver.pk}/",
        f"/licensing/register/{driver.pk}/dbs/",
        f"/licensing/register/{driver.pk}/status-check/",
        f"/licensing/register/{driver.pk}/nr3s-search/",
        f"/licensing/register/{driver.pk}/decision/",
        f"/licensing/register/{driver.pk}/self-report/",
        f"/licensing/licences/{licence.pk}/close/",
        "/licensing/training/",
        "/licensing/training/courses/new/",
        "/licensing/training/sessions/new/",
        f"/licensing/training/sessions/{session.pk}/",
        "/licensing/nr3s/",
        f"/licensing/nr3s/{decision.nr3s_entry.pk}/entered/",
        "/licensing/import/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)

    # A decision without an NR3S search is refused on the page, and the error state is accessible.
    page.goto(f"{live_server.url}/licensing/register/{driver.pk}/decision/")
    page.get_by_role("radio", name="Renew", exact=True).check()
    page.get_by_label("Licensing officer (delegated powers)").check()
    page.get_by_label("Reasons").fill("Renewal application.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        re.compile("Select the licence|NR3S")
    )
    assert_no_axe_violations(page)
