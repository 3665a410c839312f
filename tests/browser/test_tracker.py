"""The tracker's core journey in a real browser: a partner posts an update and marks the action
ready; the assessor signs it off; the review page's counts change. axe on every page."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from followthrough.tracker import services
from followthrough.tracker.models import Review
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.tracker.factories import build_world, post_update


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_partner_update_then_assessor_sign_off_changes_the_review_counts(live_server, page):
    today = timezone.localdate()
    world = build_world(agreed=today - timedelta(days=60), target=today + timedelta(days=200))
    # The council's half is already signed off; the police half is in progress.
    council = world.council_action
    post_update(council, world.council_lead, today - timedelta(days=50), status="in_progress")
    post_update(
        council, world.council_lead, today - timedelta(days=40), status="ready_for_assessment"
    )
    council.refresh_from_db()
    services.action_assess(
        actor=world.assessor,
        action=council,
        decision="signed_off",
        rationale="Seen.",
        decided_on=today - timedelta(days=30),
    )
    post_update(
        world.police_action, world.police_lead, today - timedelta(days=20), status="in_progress"
    )
    review_url = f"{live_server.url}/reviews/{world.review.slug}/"

    sign_in(page, live_server.url, "police.lead", PASSWORD)
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(review_url)
    expect(page.get_by_test_id("headline")).to_have_text(
        "1 recommendation: 0 complete, 1 on track, 0 at risk, 0 overdue"
    )
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/actions/{world.police_action.pk}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Post an update").click()
    assert_no_axe_violations(page)
    # Submitting nothing shows the GOV.UK error summary.
    page.get_by_label("Day").fill("")
    page.get_by_role("button", name="Submit update").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_no_axe_violations(page)
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Yes, mark it ready for assessment").check()
    page.get_by_label("Yes, it is on track").check()
    page.get_by_label("Summary of progress").fill("All officers trained; attendance list attached.")
    page.get_by_label("Restricted detail (optional)").fill("Names held by the force training unit.")
    page.get_by_role("button", name="Submit update").click()
    expect(page.get_by_text("Your update has been recorded")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Ready for assessment")
    assert_no_axe_violations(page)
    _sign_out(page)

    sign_in(page, live_server.url, "assessor", PASSWORD)
    expect(page.get_by_role("heading", name="Ready for assessment")).to_be_visible()
    page.get_by_role("link", name=f"Action {world.police_action.reference}").first.click()
    page.get_by_role("link", name="Sign off or return").click()
    assert_no_axe_violations(page)
    page.get_by_label("Sign off: the action is complete").check()
    page.get_by_label("Reasons").fill("Attendance records checked against the force's list.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Your decision has been recorded")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Complete (signed off)")
    # The assessor's verdict sits beside the owner's claim.
    expect(
        page.get_by_text("Attendance records checked against the force's list.").first
    ).to_be_visible()

    page.goto(review_url)
    expect(page.get_by_test_id("headline")).to_have_text(
        "1 recommendation: 1 complete, 0 on track, 0 at risk, 0 overdue"
    )
    assert_no_axe_violations(page)


def test_review_page_as_at_picker_and_filters_work_without_javascript(live_server, browser):
    today = timezone.localdate()
    world = build_world(agreed=today - timedelta(days=300), target=today - timedelta(days=10))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "member", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{world.review.slug}/")
    expect(page.get_by_test_id("headline")).to_contain_text("1 overdue")
    as_at = today - timedelta(days=250)
    page.get_by_label("Day").fill(str(as_at.day))
    page.get_by_label("Month").fill(str(as_at.month))
    page.get_by_label("Year").fill(str(as_at.year))
    page.get_by_role("button", name="Show progress").click()
    expect(page.get_by_test_id("headline")).to_contain_text("1 on track")
    # (axe needs JavaScript in the page, so it runs on this page in the JavaScript test above.)
    context.close()


def test_review_list_pages_through_every_review(live_server, page):
    world = build_world()
    Review.objects.bulk_create(
        Review(
            slug=f"older-{n:03d}",
            title=f"Older review {n:03d}",
            made_by="Scrutiny Committee",
            agreed_on=world.review.agreed_on - timedelta(days=n + 1),
        )
        for n in range(60)
    )
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/reviews/")
    expect(page.get_by_test_id("results-summary")).to_have_text("Showing 1 to 50 of 61 reviews")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)
    pagination.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(f"{live_server.url}/reviews/?page=2")
    expect(page.get_by_test_id("results-summary")).to_have_text("Showing 51 to 61 of 61 reviews")
    expect(page.get_by_role("link", name="Older review 059")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Reviews \(page 2 of 2\)"))
    assert_no_axe_violations(page)
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Page 1").click()
    expect(page.get_by_role("link", name=world.review.title)).to_be_visible()
