"""The front door in a real browser: a member of the public reports a concern on a phone with
JavaScript switched off and with it on; a practitioner triages it and records a decision; a
manager sees who opened the record. axe-core on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from followthrough.core.models import User
from followthrough.core.roles import Role
from followthrough.frontdoor.models import Contact
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.conftest import PASSWORD

PHONE = {"width": 375, "height": 667}
CHILD = "Jordan Example"
STORY = "A man in a grey van keeps waiting outside the youth club and giving girls vapes and lifts."


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def _check(page, width: int | None = None) -> None:
    if page.locator("body.js-enabled").count():
        # axe-core runs inside the page, so only with JavaScript on; the journey without it
        # visits the same pages, and checks how they behave.
        assert_no_axe_violations(page)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    if width:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} scrolls sideways at {width}px ({scroll}px)"


def _continue(page) -> None:
    page.get_by_role("button", name="Continue").click()


def report_a_concern(page, base: str, *, width: int | None, danger: bool = False) -> str:
    """Walk the whole public form; returns the reference shown at the end."""
    page.goto(f"{base}/front-door/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern about a child")
    expect(page.get_by_text("If a child is in immediate danger, call 999 now.")).to_be_visible()
    exit_link = page.get_by_role("button", name="Emergency Exit this page")
    expect(exit_link).to_have_attribute("href", "https://www.bbc.co.uk/weather")
    _check(page, width)
    page.get_by_role("button", name="Start now").click()

    # Leaving the first question unanswered shows the error summary.
    _continue(page)
    expect(page.get_by_role("alert")).to_contain_text(
        "Select yes if a child is in immediate danger right now"
    )
    _check(page, width)
    page.get_by_label("Yes" if danger else "No", exact=True).check()
    _continue(page)
    if danger:
        expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
        _check(page, width)
        page.get_by_role("button", name=re.compile("I have called 999")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About the child")
    page.get_by_label("Their name (if you know it)").fill(CHILD)
    page.get_by_label("How old are they?").fill("13")
    page.get_by_label("This is my best guess").check()
    page.get_by_label("Where do they live or spend time?").fill("Near the youth club")
    _check(page, width)
    _continue(page)

    page.get_by_label("What has happened, or what are you worried about?").fill(STORY)
    _check(page, width)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Have you noticed any of these signs?"
    )
    page.get_by_label(re.compile("picked up or dropped off in cars")).check()
    page.get_by_label(re.compile("money, a new phone")).check()
    _check(page, width)
    _continue(page)

    page.get_by_label("Member of the public, family member or friend").check()
    _check(page, width)
    _continue(page)

    page.get_by_label("Yes, give my details").check()
    _check(page, width)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    page.get_by_label("Your full name").fill("Robin Reporter")
    page.get_by_label("Phone number").fill("01632 960 321")
    _check(page, width)
    _continue(page)

    page.get_by_label("No, because telling them could put the child at risk").check()
    _check(page, width)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your report"
    )
    expect(page.get_by_text(STORY)).to_be_visible()
    expect(page.locator("#id_website")).to_be_hidden()  # the honeypot
    _check(page, width)
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    expect(page.get_by_text("within one working day")).to_be_visible()
    _check(page, width)
    return page.get_by_test_id("reference").inner_text().replace(" ", "")


def test_a_member_of_the_public_reports_on_a_phone_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        reference = report_a_concern(page, live_server.url, width=PHONE["width"], danger=True)
    finally:
        context.close()
    contact = Contact.objects.get()
    assert contact.reference == reference
    assert contact.immediate_danger and contact.child_name == CHILD


def test_a_member_of_the_public_reports_on_a_phone_with_javascript(live_server, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        reference = report_a_concern(page, live_server.url, width=PHONE["width"])
        # govuk-frontend ran: the Exit this page button is enhanced (keyboard shortcut indicator).
        expect(page.locator(".govuk-exit-this-page__indicator")).to_have_count(1)
    finally:
        context.close()
    assert Contact.objects.get().reference == reference


def test_too_many_reports_from_one_place_are_turned_away_with_a_phone_number(
    live_server, page, settings
):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "FRONTDOOR_SENDS_PER_HOUR": 0}
    # The shortest report: everything optional left out, and anonymous.
    page.goto(f"{live_server.url}/front-door/report/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No", exact=True).check()
    _continue(page)
    _continue(page)  # nothing known about the child
    page.get_by_label("What has happened, or what are you worried about?").fill(STORY)
    _continue(page)
    _continue(page)  # no signs ticked
    page.get_by_label("Member of the public, family member or friend").check()
    _continue(page)
    page.get_by_label("No, stay anonymous").check()
    _continue(page)
    page.get_by_label("No, or I do not know").check()
    _continue(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Too many reports have been sent from here"
    )
    expect(page.get_by_text("01632 960 000")).to_be_visible()
    _check(page)
    assert not Contact.objects.exists()


def test_a_practitioner_triages_the_concern_and_a_manager_sees_who_opened_it(live_server, browser):
    public = browser.new_context(viewport=PHONE)
    reference = report_a_concern(public.new_page(), live_server.url, width=None)
    public.close()
    User.objects.create_user(
        "pat.practitioner",
        password=PASSWORD,
        role=Role.FRONTDOOR_PRACTITIONER,
        first_name="Pat",
        last_name="Practitioner",
    )
    User.objects.create_user(
        "morgan.manager",
        password=PASSWORD,
        role=Role.FRONTDOOR_MANAGER,
        first_name="Morgan",
        last_name="Manager",
    )

    staff = browser.new_context()
    page = staff.new_page()
    sign_in(page, live_server.url, "pat.practitioner", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts: waiting for a decision")
    expect(page.get_by_test_id("waiting")).to_have_text("1")
    _check(page)

    # Opened straight from its address, the record first asks why.
    page.goto(f"{live_server.url}/front-door/contacts/{reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Why are you opening this record?")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("alert")).to_contain_text("Select why you are opening this record")
    _check(page)
    page.get_by_label("Triage: screening and decision").check()
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_test_id("what-happened")).to_have_text(STORY)
    expect(page.get_by_test_id("band")).to_have_text("Not screened")
    _check(page)

    page.get_by_label("Assign to").select_option(label="Pat Practitioner")
    page.get_by_role("button", name="Save assignment").click()
    expect(page.get_by_test_id("assigned")).to_have_text("Pat Practitioner")

    page.get_by_role("link", name="Screen for CSE risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CSE screening")
    # Suggested from the signs the reporter ticked.
    expect(page.get_by_label(re.compile("Getting into or out of cars"))).to_be_checked()
    expect(page.get_by_label("Child's age")).to_have_value("13")
    _check(page)
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_test_id("band")).to_have_text("High risk")

    page.get_by_role("link", name="Record a decision").click()
    _check(page)
    page.get_by_label("Strategy discussion (possible section 47)").check()
    page.get_by_label("Reasons for the decision").fill(
        "Aged 13 with two high-risk indicators: strategy discussion with police and health today."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Decision recorded")
    expect(page.get_by_test_id("decided")).to_contain_text("Within one working day")
    expect(page.get_by_test_id("assessment")).to_contain_text("45 working days")
    _check(page)

    page.get_by_role("link", name="Print this record").click()
    expect(page.get_by_text(re.compile("Official – sensitive"))).to_be_visible()
    _check(page)
    page.go_back()
    page.get_by_role("link", name=re.compile("Record as completed")).click()
    _check(page)

    page.goto(f"{live_server.url}/front-door/?view=decided")
    expect(
        page.get_by_role("cell", name="Strategy discussion (possible section 47)")
    ).to_be_visible()
    _check(page)
    staff.close()

    boss = browser.new_context()
    page = boss.new_page()
    sign_in(page, live_server.url, "morgan.manager", PASSWORD)
    page.get_by_label("Find a contact by reference").fill(reference.lower())
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_test_id("band")).to_have_text("High risk")
    page.get_by_role("link", name="Who accessed this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who accessed this record")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Pat Practitioner (Front-door practitioner)")
    expect(table).to_contain_text("Triage: screening and decision")
    expect(table).to_contain_text("Printed the record")
    expect(table).to_contain_text("Found by reference from the front-door queue")
    _check(page)
    page.go_back()
    page.get_by_role("link", name=re.compile("Legal hold")).click()
    _check(page)
    page.goto(f"{live_server.url}/front-door/figures/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Figures for the 28 days")
    _check(page)
    boss.close()
