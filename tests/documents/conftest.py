"""A review with no recommendations yet, the partners an action plan names, and the people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from followthrough.core.models import Organisation, User
from followthrough.core.roles import Role
from followthrough.tracker import services
from followthrough.tracker.models import Review, Theme
from tests.conftest import PASSWORD


@dataclass
class Setting:
    officer: User
    admin: User
    other_officer: User
    partner_lead: User
    member: User
    assessor: User
    council: Organisation
    police: Organisation
    health: Organisation
    review: Review

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def _user(username: str, role: str, orgs: list[Organisation] | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role)
    if orgs:
        user.organisations.set(orgs)
    return user


@pytest.fixture
def setting(db) -> Setting:
    council = Organisation.objects.create(
        name="Telford & Wrekin Council",
        short_name="Council",
        slug="telford-wrekin-council",
        kind="council",
    )
    police = Organisation.objects.create(
        name="West Mercia Police", short_name="Police", slug="west-mercia-police", kind="police"
    )
    health = Organisation.objects.create(
        name="Telford Clinical Commissioning Group",
        short_name="Health",
        slug="telford-ccg",
        kind="health",
    )
    Theme.objects.create(name="Taxi licensing", slug="taxi-licensing")
    Theme.objects.create(name="Work with schools", slug="work-with-schools")
    officer = _user("officer", Role.SCRUTINY_OFFICER, [council])
    review = services.review_create(
        actor=officer,
        slug="cse-review",
        title="CSE scrutiny review",
        made_by="Children and Young People Scrutiny Committee",
        agreed_on=date(2016, 5, 16),
    )
    return Setting(
        officer=officer,
        admin=_user("admin", Role.ADMIN),
        other_officer=_user("officer2", Role.SCRUTINY_OFFICER, [council]),
        partner_lead=_user("police.lead", Role.PARTNER_LEAD, [police]),
        member=_user("councillor", Role.MEMBER),
        assessor=_user("assessor", Role.ASSESSOR),
        council=council,
        police=police,
        health=health,
        review=review,
    )
