"""Writes for the API: issuing and revoking partner API tokens, audited like every change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from followthrough.core.audit import audit_record
from followthrough.core.roles import Role

from .models import ApiToken

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
def api_token_issue(*, actor: Any, user: Any, rotate: bool = False) -> str:
    """Give a partner lead a token for posting updates to their own actions, and return it.

    This is the only time the token can be seen: only its digest is stored. A person who has
    one already must `rotate` to get another, and then the old one stops working at once. Only
    active partner leads belonging to an organisation can hold one.
    """
    _check_actor(actor)
    if not user.is_active or user.role != Role.PARTNER_LEAD:
        raise ValidationError("API tokens are only for active partner leads.")
    if not user.organisations.exists():
        raise ValidationError("This partner lead does not belong to an organisation yet.")
    existing = ApiToken.objects.filter(user=user).first()
    if existing is not None and not rotate:
        raise ValidationError(
            f"{user.username} already has an API token, which cannot be shown again: rotate it "
            "to issue a new one (the old one stops working)."
        )
    if existing is not None:
        existing.delete()
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(key), prefix=key[:6])
    audit_record(
        actor=actor,
        verb="api_token.rotate" if existing else "api_token.issue",
        obj=user,
        summary=f"API token {'rotated' if existing else 'issued'} for {user.username}",
    )
    return key


@transaction.atomic
def api_token_revoke(*, actor: Any, user: Any) -> bool:
    """Stop a person's API token working. Returns whether there was one."""
    _check_actor(actor)
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            verb="api_token.revoke",
            obj=user,
            summary=f"API token revoked for {user.username}",
        )
    return bool(deleted)
