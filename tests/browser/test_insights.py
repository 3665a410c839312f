"""The analyst journey in a real browser: sign in, upload, view, publish; no axe violations."""

from __future__ import annotations

import pytest

from followthrough.core.roles import Role
from followthrough.insights.generate import write_csv
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.conftest import PASSWORD


@pytest.fixture
def insights_db(settings, tmp_path):
    settings.FOLLOWTHROUGH_INSIGHTS_DB = str(tmp_path / "insights.duckdb")


def test_analyst_uploads_views_and_publishes(
    live_server, page, user_factory, insights_db, tmp_path
):
    analyst = user_factory(Role.ANALYST, username="analyst")
    csv_path = tmp_path / "offences.csv"
    write_csv(800, 3, csv_path)

    sign_in(page, live_server.url, analyst.username, PASSWORD)
    page.goto(f"{live_server.url}/insights/")
    assert page.get_by_role("heading", level=1).inner_text() == "Offence insights"
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Upload offence records").click()
    assert_no_axe_violations(page)
    page.get_by_label("Offence records file (CSV)").set_input_files(str(csv_path))
    page.get_by_role("button", name="Upload and check").click()
    assert "800 added" in page.locator(".govuk-notification-banner, main").first.inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="View profile tables").click()
    assert page.get_by_role("img", name="Victims by age and sex by victim age band").is_visible()
    assert page.get_by_role("table", name="Victims by age and sex").first.is_visible()
    assert_no_axe_violations(page)
    page.get_by_text("Show unprotected true counts").click()
    assert_no_axe_violations(page)

    page.get_by_label("Release title").fill("Offence profile 2019 to 2023")
    page.get_by_role("button", name="Publish release").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Offence profile 2019 to 2023"
    assert_no_axe_violations(page)


def test_other_roles_get_not_found(live_server, page, user_factory, insights_db):
    member = user_factory(Role.MEMBER, username="member")
    sign_in(page, live_server.url, member.username, PASSWORD)
    response = page.goto(f"{live_server.url}/insights/")
    assert response is not None and response.status == 404


def test_analyst_is_told_when_the_records_are_in_use(
    live_server, page, user_factory, settings, insights_db, monkeypatch
):
    from followthrough.insights import store

    monkeypatch.setattr(store, "LOCK_WAIT_SECONDS", 0.2)
    analyst = user_factory(Role.ANALYST, username="analyst")
    sign_in(page, live_server.url, analyst.username, PASSWORD)
    with store.connect(settings.FOLLOWTHROUGH_INSIGHTS_DB):  # as another worker's import
        response = page.goto(f"{live_server.url}/insights/")
    assert response is not None and response.status == 503
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "The offence records are in use"
    assert_no_axe_violations(page)
