"""Committee reports in a real browser: an officer tables a report and compares two; a member
follows a recommendation; a resident follows one by email. axe on every page."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from followthrough.reports.models import Subscription
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.reports.factories import build_cycle


def interim_id(page):
    from followthrough.reports.models import ReportSnapshot

    return ReportSnapshot.objects.get(as_at="2020-03-26").pk


def test_officer_tables_reports_and_compares_them(live_server, page):
    build_cycle()
    sign_in(page, live_server.url, "clerk", PASSWORD)
    page.goto(f"{live_server.url}/reports/small-review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee reports")
    expect(page.get_by_test_id("headline")).to_be_visible()
    assert_no_axe_violations(page)

    # A wrong date shows the GOV.UK error summary on the same page.
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Download report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/reports/small-review/")
    page.get_by_role("button", name="Table the report for 26 March 2020").click()
    expect(
        page.get_by_text("The report for the meeting on 26 March 2020 is tabled")
    ).to_be_visible()
    page.get_by_role("button", name="Table the report for 2 July 2020").click()
    expect(
        page.get_by_role("link", name=re.compile("Download PDF of the report for 2 July 2020"))
    ).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download Word document of the report for 26 March 2020"
        ).click()
    assert download.value.suggested_filename == "small-review-report-as-at-2020-03-26.docx"

    # The two latest tabled reports are offered to start with.
    expect(page.get_by_label("Earlier report")).to_have_value(str(interim_id(page)))
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What changed between two tabled reports"
    )
    expect(page.get_by_text("Status: On track → Overdue")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/reports/small-review/meetings/new/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add meeting").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_no_axe_violations(page)


def test_member_follows_a_recommendation_and_reads_notifications(live_server, page):
    build_cycle()
    sign_in(page, live_server.url, "councillor", PASSWORD)
    page.goto(f"{live_server.url}/reports/small-review/recommendations/3/follow/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Follow this recommendation").click()
    expect(page.get_by_text("You are following recommendation 3")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/reports/notifications/")
    expect(page.get_by_role("link", name=re.compile("Recommendation 3"))).to_be_visible()
    assert_no_axe_violations(page)


def test_resident_follows_a_published_recommendation_by_email(live_server, page):
    build_cycle()
    page.goto(f"{live_server.url}/reports/small-review/recommendations/3/follow/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send me a confirmation link").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_role("button", name="Send me a confirmation link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_no_axe_violations(page)

    token = Subscription.objects.get(email="resident@example.org").token
    assert token in mail.outbox[-1].body
    page.goto(f"{live_server.url}/reports/follow/confirm/{token}/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You are following this recommendation"
    )
    assert_no_axe_violations(page)
