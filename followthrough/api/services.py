"""Writes for the API: issuing and revoking partner API tokens, audited like every change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from followthrough.core.audit import audit_record
from followthrough.core.roles import Role

# Who runs a management command: somebody with shell access to the server.
COMMAND_LINE = "command line"


def _check_actor(actor: Any) -> None:
    if actor == COMMAND_LINE:
        return
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(
        Role.ADMIN, Role.SCRUTINY_OFFICER
    ):
        raise PermissionDenied


@transaction.atomic
def api_token_issue(*, actor: Any, user: Any, rotate: bool = False) -> Token:
    """Give a partner lead a token for posting updates to their own actions.

    Returns their existing token unless `rotate` is set, in which case the old one stops
    working at once. Only active partner leads belonging to an organisation can hold one.
    """
    _check_actor(actor)
    if not user.is_active or user.role != Role.PARTNER_LEAD:
        raise ValidationError("API tokens are only for active partner leads.")
    if not user.organisations.exists():
        raise ValidationError("This partner lead does not belong to an organisation yet.")
    existing = Token.objects.filter(user=user).first()
    if existing is not None and not rotate:
        return existing
    if existing is not None:
        existing.delete()
    token = Token.objects.create(user=user)
    audit_record(
        actor=actor,
        verb="api_token.rotate" if existing else "api_token.issue",
        obj=user,
        summary=f"API token {'rotated' if existing else 'issued'} for {user.username}",
    )
    return token


@transaction.atomic
def api_token_revoke(*, actor: Any, user: Any) -> bool:
    """Stop a person's API token working. Returns whether there was one."""
    _check_actor(actor)
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            verb="api_token.revoke",
            obj=user,
            summary=f"API token revoked for {user.username}",
        )
    return bool(deleted)
