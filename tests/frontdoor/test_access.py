"""Only the front-door team ever reaches a contact: every other role, and every anonymous
visitor, gets "not found" from every front-door page except the public form."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from followthrough.core.roles import Role
from followthrough.frontdoor import services, urls
from followthrough.frontdoor.models import Contact

pytestmark = pytest.mark.django_db

PUBLIC = {name for name in (p.name for p in urls.urlpatterns) if name and name.startswith("report")}
MANAGER_ONLY = {"contact-access-log", "contact-legal-hold", "legal-hold-lift", "figures"}
OUTSIDERS = [
    role for role in Role.values if role not in ("frontdoor_practitioner", "frontdoor_manager")
]


@pytest.fixture
def world(contact_factory, practitioner, manager):
    """A contact with a decision that opened an assessment, and a legal hold: every URL resolves."""
    contact = contact_factory()
    services.decision_record(
        actor=practitioner, contact=contact, outcome="child_in_need_assessment", rationale="CIN"
    )
    hold = services.legal_hold_place(
        actor=manager, contact=contact, reason="Subject access request"
    )
    return {"contact": contact, "assessment": contact.assessments.get(), "hold": hold}


def staff_urls(world) -> dict[str, str]:
    contact: Contact = world["contact"]
    kwargs_for = {
        "reference": contact.reference,
        "assessment_id": world["assessment"].pk,
        "hold_id": world["hold"].pk,
    }
    found = {}
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in PUBLIC:
            continue
        names = pattern.pattern.regex.groupindex
        found[pattern.name] = reverse(
            f"frontdoor:{pattern.name}", kwargs={k: kwargs_for[k] for k in names}
        )
    return found


def test_the_matrix_covers_every_front_door_page(world):
    every = {p.name for p in urls.urlpatterns}
    assert set(staff_urls(world)) | PUBLIC == every
    assert len(staff_urls(world)) >= 12


@pytest.mark.parametrize("role", [*OUTSIDERS, "anonymous"])
def test_no_other_role_and_no_anonymous_visitor_can_reach_any_contact_page(
    role, world, user_factory
):
    client = Client()
    if role != "anonymous":
        client.force_login(user_factory(role, username=f"outsider-{role}"))
    for name, url in staff_urls(world).items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{role} {method.upper()} {name} {url}"
    # Nothing was logged as viewed or changed by them.
    from followthrough.core.models import AuditEvent

    assert not AuditEvent.objects.filter(actor__role=role).exists()


def test_a_practitioner_reaches_team_pages_but_not_manager_pages(world, practitioner):
    client = Client()
    client.force_login(practitioner)
    for name, url in staff_urls(world).items():
        status = client.get(url).status_code
        if name in MANAGER_ONLY:
            assert status == 404, name
            assert client.post(url).status_code == 404, name
        else:
            assert status in (200, 302, 405), f"{name} gave {status}"


def test_a_manager_reaches_every_page(world, manager):
    client = Client()
    client.force_login(manager)
    for name, url in staff_urls(world).items():
        assert client.get(url).status_code in (200, 302, 405), name


def test_an_inactive_practitioner_is_refused(world, user_factory):
    client = Client()
    client.force_login(user_factory(Role.FRONTDOOR_PRACTITIONER, username="left", is_active=False))
    assert client.get(reverse("frontdoor:queue")).status_code in (302, 404)


def test_an_unknown_reference_looks_the_same_as_a_forbidden_one(world, practitioner):
    client = Client()
    client.force_login(practitioner)
    assert client.get("/front-door/contacts/AAAAAAAAAA/").status_code == 404


@pytest.mark.parametrize("role", [*OUTSIDERS, "anonymous"])
def test_the_public_form_is_open_to_everyone(role, user_factory):
    client = Client()
    if role != "anonymous":
        client.force_login(user_factory(role, username=f"resident-{role}"))
    assert client.get(reverse("frontdoor:report-start")).status_code == 200
