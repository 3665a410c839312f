"""Loading recommendations in a real browser: an officer uploads a report, checks and corrects
the draft, confirms, and finds the recommendations on the review; then imports an action plan.
axe-core on every page visited; the draft also works with JavaScript off."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from followthrough.core.models import Organisation
from followthrough.core.roles import Role
from followthrough.documents.action_plan import COLUMNS
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import Recommendation
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.conftest import PASSWORD

PDF = (
    Path(__file__).resolve().parents[1] / "documents" / "samples" / "eastbrook-scrutiny-review.pdf"
)


@pytest.fixture
def review(transactional_db, user_factory):
    officer = user_factory(Role.SCRUTINY_OFFICER, username="officer")
    Organisation.objects.create(
        name="West Mercia Police", short_name="Police", slug="police", kind="police"
    )
    return tracker_services.review_create(
        actor=officer,
        slug="cse-review",
        title="CSE scrutiny review",
        made_by="Children and Young People Scrutiny Committee",
        agreed_on=date(2016, 5, 16),
    )


def _card(page, number: str):
    return page.locator("#recommendations > div").filter(
        has=page.get_by_role("heading", name=f"Recommendation {number}", exact=True)
    )


def test_officer_uploads_a_report_edits_merges_and_confirms(live_server, page, review):
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/documents/reviews/{review.slug}/")
    expect(page.get_by_role("heading", name="Load recommendations")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Upload the report").click()
    expect(page.get_by_text("Reading a long report can take up to a minute")).to_be_visible()
    assert_no_axe_violations(page)
    # A bad file first: one error, nothing kept.
    page.get_by_label("Upload the report").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": b""}
    )
    page.get_by_role("button", name="Read the report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("report.pdf: is empty")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_no_axe_violations(page)

    page.get_by_label("Upload the report").set_input_files(str(PDF))
    page.get_by_role("button", name="Read the report").click()
    expect(
        page.get_by_text("6 recommendations found in eastbrook-scrutiny-review.pdf")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("In the report: page 4"))).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Read the whole text of the report").click()
    expect(
        page.get_by_role("heading", name="Text of eastbrook-scrutiny-review.pdf")
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.go_back()

    # Edit recommendation 1's title.
    page.get_by_role("link", name="Edit recommendation 1", exact=True).click()
    expect(page.get_by_role("heading", name="Edit recommendation 1")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Title (optional)").fill("A single front door for concerns")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Recommendation 1 has been changed")).to_be_visible()
    expect(_card(page, "1")).to_contain_text("A single front door for concerns")

    # The split page, to check it; then merge 5 and 6 instead.
    page.get_by_role("link", name="Split recommendation 2", exact=True).click()
    expect(page.get_by_role("heading", name="Split recommendation 2")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to the recommendations").click()
    page.get_by_role(
        "button",
        name=re.compile("^Merge with the next one.*recommendation 5 and recommendation 6$"),
    ).click()
    expect(page.get_by_text("Recommendation 5 has been merged with the next one")).to_be_visible()
    expect(page.get_by_role("heading", name="Recommendation 6", exact=True)).to_have_count(0)
    expect(_card(page, "5")).to_contain_text("The panel should review progress")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Add 5 recommendations to the review").click()
    expect(
        page.get_by_text("5 recommendations added from eastbrook-scrutiny-review.pdf")
    ).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/reviews/{review.slug}/")
    table = page.locator("#recommendations")
    expect(table.get_by_role("link", name="A single front door for concerns")).to_be_visible()
    expect(table.get_by_role("link", name=re.compile("^Publishing progress"))).to_be_visible()
    assert_no_axe_violations(page)
    assert list(Recommendation.objects.order_by("position").values_list("number", flat=True)) == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]


def test_the_draft_can_be_corrected_and_confirmed_without_javascript(live_server, browser, review):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/documents/reviews/{review.slug}/report/")
    page.get_by_label("Upload the report").set_input_files(str(PDF))
    page.get_by_role("button", name="Read the report").click()
    page.get_by_role("button", name="Exclude recommendation 6", exact=True).click()
    expect(page.get_by_text("Recommendation 6 has been excluded")).to_be_visible()
    page.reload()  # the draft is on the server
    page.get_by_role("link", name="Split recommendation 1", exact=True).click()
    page.get_by_label(re.compile("^Before “")).first.check()
    page.get_by_label("Number of the second recommendation").fill("1a")
    page.get_by_role("button", name="Split it").click()
    expect(page.get_by_text("the second part is recommendation 1a")).to_be_visible()
    page.get_by_role("button", name="Add 6 recommendations to the review").click()
    expect(page.get_by_text("6 recommendations added")).to_be_visible()
    assert Recommendation.objects.filter(number="1a").exists()
    assert not Recommendation.objects.filter(number="6").exists()
    context.close()


def test_officer_imports_an_action_plan_after_fixing_its_problems(
    live_server, page, review, tmp_path
):
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/documents/reviews/{review.slug}/action-plan/")
    expect(page.locator("#columns")).to_contain_text("recommendation_number")
    assert_no_axe_violations(page)
    header = ",".join(COLUMNS)
    bad = tmp_path / "plan.csv"
    bad.write_text(f"{header}\n1,,,Police,,,Train staff,,,2017-02-30,\n2,,Text,Fire,,,,,,,\n")
    page.get_by_label("Upload the action plan").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("plan.csv, row 2, column recommendation_text")
    expect(problems).to_contain_text("plan.csv, row 2, column target_date")
    expect(problems).to_contain_text("plan.csv, row 3, column lead_partner")
    assert_no_axe_violations(page)

    good = tmp_path / "plan.csv"
    good.write_text(f"{header}\n1,,Train staff,Police,,,Run a course,,,2017-02-28,\n")
    page.get_by_label("Upload the action plan").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("cell", name="Add action 1.1")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Import these changes").click()
    expect(page.get_by_text("plan.csv: 1 recommendation added, 1 action added")).to_be_visible()
    expect(page.locator("#recommendations")).to_contain_text("Train staff")
