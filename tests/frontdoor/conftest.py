"""Front-door fixtures: a contact maker that goes through the real service, and a clean cache
(the public form's rate limit lives there)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache

from followthrough.core.roles import Role
from followthrough.frontdoor import services
from followthrough.frontdoor.models import Contact

CHILD_NAME = "Zebedee Quartermaine"
NARRATIVE = "Seen getting into a silver car outside the chip shop on Marlowe Street"
REPORTER_EMAIL = "worried.neighbour@example.org"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def a_report(**overrides: Any) -> services.ConcernReport:
    fields: dict[str, Any] = {
        "immediate_danger": False,
        "child_name": CHILD_NAME,
        "child_age": 14,
        "child_school": "Hillcrest Academy",
        "child_area": "Marlowe estate",
        "what_happened": NARRATIVE,
        "signs": ["cars", "gifts"],
        "reporter_kind": "member_of_public",
        "reporter_anonymous": False,
        "reporter_name": "Pat Neighbour",
        "reporter_email": REPORTER_EMAIL,
        "reporter_phone": "01632 960 555",
        "consent": "not_sought",
    }
    fields.update(overrides)
    return services.ConcernReport(**fields)


@pytest.fixture
def contact_factory(db) -> Callable[..., Contact]:
    def make(received_at: datetime | None = None, **overrides: Any) -> Contact:
        contact, _ = services.contact_submit(
            report=a_report(**overrides), idempotency_key=uuid.uuid4(), received_at=received_at
        )
        return contact

    return make


@pytest.fixture
def practitioner(user_factory):
    return user_factory(Role.FRONTDOOR_PRACTITIONER, username="practitioner")


@pytest.fixture
def manager(user_factory):
    return user_factory(Role.FRONTDOOR_MANAGER, username="manager")
