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


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> None:
    """Tests create many users: a cheap hasher keeps the suite fast (production keeps PBKDF2)."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path) -> None:
    """Uploaded files and the insights store go to a per-test folder, never var/."""
    storages = dict(settings.STORAGES)
    storages["default"] = {**storages["default"], "OPTIONS": {"location": str(tmp_path / "media")}}
    settings.STORAGES = storages
    settings.FOLLOWTHROUGH = {
        **settings.FOLLOWTHROUGH,
        "INSIGHTS_DB": str(tmp_path / "insights.duckdb"),
    }
