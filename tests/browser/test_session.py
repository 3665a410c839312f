"""Signing in with a second factor, and not losing typed text when a session ends."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.tracker.factories import build_world, post_update


def test_adding_an_authenticator_app_in_the_browser(live_server, page, settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "REQUIRE_2FA": True}
    build_world()
    sign_in(page, live_server.url, "officer", PASSWORD)
    expect(page.get_by_role("heading", name="Add an authenticator app")).to_be_visible()
    assert_no_axe_violations(page)
    device = TOTPDevice.objects.get(user__username="officer")
    page.get_by_label("Enter the 6-digit code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()


def test_text_typed_before_the_session_ended_is_restored_after_signing_in_again(live_server, page):
    today = timezone.localdate()
    world = build_world(agreed=today - timedelta(days=30), target=today + timedelta(days=100))
    post_update(
        world.police_action, world.police_lead, today - timedelta(days=5), status="in_progress"
    )
    sign_in(page, live_server.url, "police.lead", PASSWORD)
    page.goto(f"{live_server.url}/actions/{world.police_action.pk}/update/")
    page.get_by_label("Summary of progress").fill("A long paragraph written over lunch.")
    page.context.clear_cookies()  # the session ends while they type
    page.get_by_label("Yes, it is on track").check()
    page.get_by_role("button", name="Submit update").click()
    expect(page.get_by_role("heading", name="Sign in to Followthrough")).to_be_visible()
    page.get_by_label("Username").fill("police.lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Post an update")).to_be_visible()
    expect(page.get_by_label("Summary of progress")).to_have_value(
        "A long paragraph written over lunch."
    )
    expect(page.get_by_text("We have restored text you typed earlier")).to_be_visible()
    assert_no_axe_violations(page)


def test_timeout_warning_offers_to_stay_signed_in(live_server, page, settings):
    settings.SESSION_COOKIE_AGE = 302  # the warning shows 5 minutes before the end: after 2 s
    build_world()
    sign_in(page, live_server.url, "member", PASSWORD)
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_visible(timeout=10_000)
    assert_no_axe_violations(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
