"""The public journeys in a real browser, on phone widths (320 and 375 pixels) and a desktop:
home → progress → a review as at a meeting date → a recommendation's history; the facts page;
how to report a concern; open data; the accessibility statement. axe-core on every page, no
sideways scrolling, and the filter form works with JavaScript switched off."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from followthrough.demo import tracker_demo
from followthrough.tracker.models import Review
from tests.browser.conftest import assert_no_axe_violations

WIDTHS = [320, 375, 1280]


@pytest.fixture
def demo(transactional_db):
    review, _ = tracker_demo.load()
    return review


def _check(page, width: int) -> None:
    assert_no_axe_violations(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width}px ({scroll_width}px)"
    # One main heading that says what the page is, and a title that starts with it.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    assert page.title().split(" – ")[0].strip()


@pytest.mark.parametrize("width", WIDTHS)
def test_resident_checks_progress_as_at_a_meeting(live_server, page, demo, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("what has been done")
    expect(page.get_by_text("If a child is in immediate danger, call 999.")).to_be_visible()
    _check(page, width)

    page.get_by_role("main").get_by_role("link", name="Progress on recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress on recommendations")
    _check(page, width)

    page.get_by_role("link", name="Child sexual exploitation: scrutiny review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Child sexual exploitation: scrutiny review"
    )
    _check(page, width)

    # The interim meeting: the committee was told 17 complete and 21 on track.
    page.get_by_label("Day").fill("24")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Show progress").click()
    expect(page.get_by_test_id("headline")).to_have_text(
        "38 recommendations: 17 complete, 21 on track, 0 at risk, 0 overdue"
    )
    assert "as at 24 November 2016" in page.title()
    _check(page, width)

    page.get_by_role("link", name="Recommendation 1: Specialist CSE social workers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recommendation 1")
    expect(page.get_by_text("as at 24 November 2016")).to_be_visible()
    _check(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_resident_finds_facts_how_to_report_open_data_and_accessibility(
    live_server, page, demo, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/facts-about-child-sexual-exploitation/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Facts about child sexual exploitation"
    )
    _check(page, width)

    page.get_by_role("link", name="How to report a concern about a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern about a child")
    expect(page.get_by_text("If a child is in immediate danger, call 999 now.")).to_be_visible()
    expect(page.get_by_test_id("front-door-phone")).to_be_visible()
    _check(page, width)

    page.get_by_role("contentinfo").get_by_role("link", name="Open data and API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data and API")
    _check(page, width)

    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    assert_no_axe_violations(page)


def test_filters_and_history_work_without_javascript(live_server, browser, demo):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/progress/cse-scrutiny-review/")
        page.get_by_label("Status").select_option("overdue")
        page.get_by_label("Day").fill("25")
        page.get_by_label("Month").fill("5")
        page.get_by_label("Year").fill("2017")
        page.get_by_role("button", name="Show progress").click()
        expect(page.get_by_role("heading", name="2 matching recommendations")).to_be_visible()
        page.get_by_role("link", name="Dated history of recommendation", exact=False).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Recommendation")
        expect(page.locator(".ft-history__item").first).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_resident_pages_through_many_published_reviews(live_server, page, demo, width):
    Review.objects.bulk_create(
        Review(
            slug=f"review-{n:03d}",
            title=f"Review {n:03d}",
            made_by="Children's Scrutiny Committee",
            agreed_on=date(2020, 1, 1) + timedelta(days=n),
            visibility=Review.Visibility.PUBLISHED,
        )
        for n in range(120)
    )  # with the demo's, 121 published reviews: three pages of 50
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/progress/")
    expect(page.get_by_test_id("results-summary")).to_have_text("Showing 1 to 50 of 121 reviews")
    pages = page.get_by_role("navigation", name="Pagination")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    _check(page, width)

    pages.get_by_role("link", name="Next page").click()
    expect(page).to_have_title(re.compile(r"^Progress on recommendations \(page 2 of 3\)"))
    expect(page.get_by_test_id("results-summary")).to_have_text("Showing 51 to 100 of 121 reviews")
    _check(page, width)

    pages.get_by_role("link", name="Page 3").click()
    expect(
        page.get_by_role("link", name="Child sexual exploitation: scrutiny review")
    ).to_be_visible()
    expect(pages.get_by_role("link", name="Next page")).to_have_count(0)
    _check(page, width)

    pages.get_by_role("link", name="Previous page").click()
    expect(page.get_by_test_id("results-summary")).to_have_text("Showing 51 to 100 of 121 reviews")


@pytest.fixture
def published_release(settings, tmp_path, transactional_db):
    insights_services = pytest.importorskip("followthrough.insights.services")
    insights_generate = pytest.importorskip("followthrough.insights.generate")
    from followthrough.core.models import User
    from followthrough.core.roles import Role

    settings.FOLLOWTHROUGH_INSIGHTS_DB = str(tmp_path / "insights.duckdb")
    csv_path = tmp_path / "offences.csv"
    insights_generate.write_csv(1200, 7, csv_path)
    analyst = User.objects.create_user(username="analyst", role=Role.ANALYST)
    insights_services.offence_import(actor=analyst, path=csv_path, filename="offences.csv")
    return insights_services.release_publish(
        actor=analyst, title="Offences 2019 to 2023", mode="round"
    )


def test_facts_page_with_published_figures_reads_well_on_a_phone(
    live_server, page, published_release
):
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/facts-about-child-sexual-exploitation/")
        expect(page.get_by_role("heading", name="Are abusers usually strangers?")).to_be_visible()
        expect(
            page.get_by_role("region", name="Table: Relationship of the suspect to the victim")
        ).to_be_visible()
        _check(page, width)
