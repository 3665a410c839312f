"""Second factor for staff: an authenticator app (TOTP, django-otp)."""

from __future__ import annotations

from typing import Any

import django_otp
import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_record


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def device_for_setup(user: Any) -> TOTPDevice:
    """The person's unconfirmed device, created on first visit to the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def setup_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no external service sees the secret)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#0b0c0c", title="QR code"
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 key in groups of four, for people who type it into their app."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def second_factor_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    audit_record(
        actor=request.user,
        verb="user.second_factor_added",
        obj=request.user,
        summary="Authenticator app added",
    )
    return True


def second_factor_verify(*, request: HttpRequest, token: str) -> bool:
    device = django_otp.match_token(request.user, token.replace(" ", ""))
    if device is None:
        return False
    django_otp.login(request, device)
    return True
