"""Small builders for tracker tests, written through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from followthrough.core.models import Organisation, User
from followthrough.core.roles import Role
from followthrough.tracker import services
from followthrough.tracker.models import Action, Recommendation, Review
from tests.conftest import PASSWORD


@dataclass
class World:
    officer: User
    assessor: User
    member: User
    police_lead: User
    council_lead: User
    police: Organisation
    council: Organisation
    review: Review
    recommendation: Recommendation
    police_action: Action
    council_action: Action


def make_user(username: str, role: str, orgs: list[Organisation] | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role)
    if orgs:
        user.organisations.set(orgs)
    return user


def build_world(*, agreed: date = date(2024, 1, 8), target: date = date(2024, 12, 31)) -> World:
    police = Organisation.objects.create(name="West Mercia Police", slug="police", kind="police")
    council = Organisation.objects.create(name="Example Council", slug="council", kind="council")
    officer = make_user("officer", Role.SCRUTINY_OFFICER, [council])
    review = services.review_create(
        actor=officer,
        slug="test-review",
        title="Test review",
        made_by="Scrutiny Committee",
        agreed_on=agreed,
        update_interval_days=92,
    )
    recommendation = services.recommendation_create(
        actor=officer,
        review=review,
        number="1",
        title="Shared recommendation",
        text="Partners should work together.",
        lead_organisation=police,
        partners=[police, council],
    )
    police_action = services.action_create(
        actor=officer,
        recommendation=recommendation,
        owner=police,
        description="Police part",
        start_date=agreed,
        target_date=target,
    )
    council_action = services.action_create(
        actor=officer,
        recommendation=recommendation,
        owner=council,
        description="Council part",
        start_date=agreed,
        target_date=target,
    )
    return World(
        officer=officer,
        assessor=make_user("assessor", Role.ASSESSOR),
        member=make_user("member", Role.MEMBER),
        police_lead=make_user("police.lead", Role.PARTNER_LEAD, [police]),
        council_lead=make_user("council.lead", Role.PARTNER_LEAD, [council]),
        police=police,
        council=council,
        review=review,
        recommendation=recommendation,
        police_action=police_action,
        council_action=council_action,
    )


def post_update(action: Action, lead: User, on: date, status: str = "", **extra: object) -> None:
    action.refresh_from_db()
    services.update_submit(
        actor=lead,
        action=action,
        effective_date=on,
        public_summary=str(extra.pop("summary", "Progress made.")),
        owner_confidence=str(extra.pop("confidence", "on_track")),
        status_to=status,
        **extra,  # type: ignore[arg-type]
    )
