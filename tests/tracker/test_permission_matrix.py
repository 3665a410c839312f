"""Every tracker URL × every role (and anonymous, own and other organisation).

The expected outcome is written out as a table a reviewer can read: 200 (allowed), 404 (not
found *or* not allowed: they look the same), 302 (sent to sign in, or redirected after a POST).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from followthrough.core.models import Organisation
from followthrough.core.roles import Role
from followthrough.tracker import services

from .factories import build_world, make_user, post_update

MARKER = "RESTRICTED-MARKER-7f3a"

ROLES = [
    "anonymous",
    "admin",
    "officer",
    "police_lead",  # owns the action under test
    "council_lead",  # partner in the same review, does not own the action
    "outsider_lead",  # partner lead in an organisation with no part in the review
    "assessor",
    "member",
    "analyst",
    "frontdoor",
    "frontdoor_manager",
    "licensing",
]
READERS = {"admin", "officer", "police_lead", "council_lead", "assessor", "member"}
MANAGERS = {"admin", "officer"}
RESTRICTED = {"admin", "officer", "police_lead", "assessor"}


def expected(role: str, page: str) -> int:
    if role == "anonymous":
        return 302
    allowed = {
        "dashboard": READERS | {"outsider_lead"},
        "review-list": READERS | {"outsider_lead"},
        "review-detail": READERS,
        "recommendation-detail": READERS,
        "action-detail": READERS,
        "action-update": {"police_lead"},
        "action-assess": {"assessor"},
        "action-target-date": MANAGERS,
        "action-close": MANAGERS,
        "review-create": MANAGERS,
        "recommendation-create": MANAGERS,
        "action-create": MANAGERS,
        "evidence-download": RESTRICTED,
        "django-admin": {"admin"},
    }[page]
    if page == "django-admin":
        return 200 if role in allowed else 302
    return 200 if role in allowed else 404


@pytest.fixture
def world(db):
    world = build_world(agreed=date(2024, 1, 8))
    action = world.police_action
    post_update(
        action, world.police_lead, date(2024, 2, 1), status="in_progress", restricted_detail=MARKER
    )
    post_update(
        action,
        world.police_lead,
        date(2024, 3, 1),
        status="ready_for_assessment",
        evidence=[
            services.EvidenceInput(description="Plan", filename="plan.txt", content=b"the plan")
        ],
    )
    outsider_org = Organisation.objects.create(
        name="Elsewhere Health", slug="elsewhere", kind="health"
    )
    world.users = {
        "admin": make_user("admin", Role.ADMIN),
        "officer": world.officer,
        "police_lead": world.police_lead,
        "council_lead": world.council_lead,
        "outsider_lead": make_user("outsider", Role.PARTNER_LEAD, [outsider_org]),
        "assessor": world.assessor,
        "member": world.member,
        "analyst": make_user("analyst", Role.ANALYST, [world.police]),
        "frontdoor": make_user("frontdoor", Role.FRONTDOOR_PRACTITIONER, [world.council]),
        "frontdoor_manager": make_user(
            "frontdoor.manager", Role.FRONTDOOR_MANAGER, [world.council]
        ),
        "licensing": make_user("licensing", Role.LICENSING_OFFICER, [world.council]),
    }
    world.users["admin"].is_staff = True
    world.users["admin"].save()
    return world


def _urls(world) -> dict[str, str]:
    slug, number, action_id = world.review.slug, world.recommendation.number, world.police_action.pk
    evidence_id = world.police_action.updates.get(evidence__isnull=False).evidence.get().pk
    return {
        "dashboard": "/dashboard/",
        "review-list": "/reviews/",
        "review-detail": f"/reviews/{slug}/",
        "recommendation-detail": f"/reviews/{slug}/recommendations/{number}/",
        "action-detail": f"/actions/{action_id}/",
        "action-update": f"/actions/{action_id}/update/",
        "action-assess": f"/actions/{action_id}/assess/",
        "action-target-date": f"/actions/{action_id}/target-date/",
        "action-close": f"/actions/{action_id}/close/",
        "review-create": "/reviews/new/",
        "recommendation-create": f"/reviews/{slug}/recommendations/new/",
        "action-create": f"/reviews/{slug}/recommendations/{number}/actions/new/",
        "evidence-download": f"/evidence/{evidence_id}/",
        "django-admin": "/django-admin/",
    }


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_every_tracker_url(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    failures = []
    for page, url in _urls(world).items():
        status = client.get(url).status_code
        if status != expected(role, page):
            failures.append(f"{page} {url}: got {status}, expected {expected(role, page)}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", sorted(READERS))
def test_restricted_detail_only_reaches_those_allowed(world, role):
    client = Client()
    client.force_login(world.users[role])
    for url in (
        f"/actions/{world.police_action.pk}/",
        f"/reviews/{world.review.slug}/recommendations/1/",
    ):
        body = client.get(url).content.decode()
        assert (MARKER in body) == (role in RESTRICTED), url
        assert ("/evidence/" in body) == (role in RESTRICTED), url


@pytest.mark.parametrize("role", ROLES[1:])
def test_posts_are_refused_to_everyone_but_the_permitted(world, role):
    """Writing, not just reading: a POST to each action form changes nothing unless allowed."""
    client = Client()
    client.force_login(world.users[role])
    action = world.police_action
    action.refresh_from_db()
    posts = {
        "action-update": (
            f"/actions/{action.pk}/update/",
            {
                "version": action.version,
                "public_summary": "x",
                "owner_confidence": "on_track",
                "effective_date_0": "2",
                "effective_date_1": "3",
                "effective_date_2": "2024",
                "status_to": "",
            },
        ),
        "action-assess": (
            f"/actions/{action.pk}/assess/",
            {
                "version": action.version,
                "decision": "signed_off",
                "rationale": "ok",
                "decided_on_0": "2",
                "decided_on_1": "3",
                "decided_on_2": "2024",
            },
        ),
        "action-close": (
            f"/actions/{action.pk}/close/",
            {
                "version": action.version,
                "reason": "x",
                "effective_date_0": "2",
                "effective_date_1": "3",
                "effective_date_2": "2024",
            },
        ),
    }
    for page, (url, data) in posts.items():
        status = client.post(url, data).status_code
        if expected(role, page) == 404:
            assert status == 404, (page, role)
    action.refresh_from_db()
    if role not in {"police_lead", "assessor", "admin", "officer"}:
        assert action.status == "ready_for_assessment"
        assert action.updates.count() == 2


def test_visibility_change_is_for_managers_only(world):
    for role in ROLES[1:]:
        client = Client()
        client.force_login(world.users[role])
        status = client.post(
            f"/reviews/{world.review.slug}/visibility/", {"visibility": "published"}
        ).status_code
        assert status == (302 if role in MANAGERS else 404), role
