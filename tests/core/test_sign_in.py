from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from followthrough.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(user_factory):
    return user_factory("scrutiny_officer", username="officer")


def _sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/sign-in/", {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_must_add_an_authenticator_app_when_required(officer, settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "REQUIRE_2FA": True}
    client = Client()
    assert _sign_in(client, "officer").status_code == 302
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/authenticator/"
    page = client.get("/sign-in/authenticator/")
    assert "Add an authenticator app" in page.content.decode() and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert client.post("/sign-in/authenticator/", {"code": _code(device)}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(verb="user.second_factor_added", actor=officer).exists()


def test_a_person_with_an_app_must_give_a_code_even_when_not_required(officer, settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "REQUIRE_2FA": False}
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = Client()
    _sign_in(client, "officer")
    response = client.get("/reviews/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/sign-in/code/?next=/reviews/"
    )
    ok = client.post("/sign-in/code/", {"code": _code(device), "next": "/reviews/"})
    assert ok.status_code == 302 and ok["Location"] == "/reviews/"
    assert client.get("/reviews/").status_code == 200


def test_a_wrong_code_is_refused_and_further_tries_are_slowed(officer):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = Client()
    _sign_in(client, "officer")
    wrong = client.post("/sign-in/code/", {"code": "12345", "next": "/reviews/"})
    assert "The code is not right" in wrong.content.decode()
    assert client.get("/reviews/").status_code == 302
    # django-otp throttles the device after a failure: even the right code waits a moment.
    throttled = client.post("/sign-in/code/", {"code": _code(device), "next": "/reviews/"})
    assert throttled.status_code == 200
    assert client.get("/reviews/").status_code == 302


def test_code_page_never_redirects_off_site(officer, settings):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = Client()
    _sign_in(client, "officer")
    response = client.post(
        "/sign-in/code/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_sign_in_locks_out_after_five_failures(officer):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        response = _sign_in(client, "officer", "wrong password")
    response = _sign_in(client, "officer")  # the right password, too late
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302  # not signed in


def test_every_page_has_a_strict_content_security_policy(officer):
    client = Client()
    client.force_login(officer)
    response = client.get("/dashboard/")
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_keepalive_extends_the_session(officer):
    client = Client()
    client.force_login(officer)
    response = client.post("/session/keep-alive/")
    assert response.status_code == 200 and response.json()["expires_in"] > 0
