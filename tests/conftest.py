"""Shared fixtures. The database engine comes from DATABASE_URL (scripts/test runs the suite
once on SQLite and once on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from followthrough.core.models import Organisation, User
from followthrough.core.roles import Role

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def organisation_factory(db) -> Callable[..., Organisation]:
    def make(name: str = "Example Council", kind: str = Organisation.Kind.COUNCIL) -> Organisation:
        slug = name.lower().replace(" ", "-")
        org, _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        return org

    return make


@pytest.fixture
def user_factory(db) -> Callable[..., User]:
    """make_user(role, organisations=[...], username=...) with password PASSWORD."""

    def make(
        role: str = Role.MEMBER, organisations: list[Organisation] | None = None, **extra: Any
    ) -> User:
        username = extra.pop("username", f"{role}-{User.objects.count() + 1}")
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            **extra,
        )
        if organisations:
            user.organisations.set(organisations)
        return user

    return make
