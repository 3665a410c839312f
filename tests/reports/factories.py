"""A small review with a committee cycle, written through the real services (no fixtures of
the database layer), so browser tests can build it too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from followthrough.core.models import Organisation, User
from followthrough.core.roles import Role
from followthrough.reports import services as report_services
from followthrough.reports.models import Meeting
from followthrough.tracker import services
from followthrough.tracker.models import Action, Review
from tests.conftest import PASSWORD

RESTRICTED = "RESTRICTED-DETAIL-never-in-a-report"
AGREED = date(2020, 1, 6)
INTERIM = date(2020, 3, 26)
INTERIM_DEADLINE = date(2020, 3, 16)
INTERIM_REQUESTS = date(2020, 2, 24)
LATER = date(2020, 7, 2)


@dataclass
class Cycle:
    officer: User
    assessor: User
    member: User
    leads: dict[str, User]
    orgs: dict[str, Organisation]
    review: Review
    actions: dict[str, Action]
    interim: Meeting
    later: Meeting


def _user(username: str, role: str, orgs: list[Organisation] | None = None) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, email=f"{username}@example.gov.uk"
    )
    if orgs:
        user.organisations.set(orgs)
    return user


def _update(action: Action, lead: User, on: date, summary: str, status: str = "", **kw) -> None:
    action.refresh_from_db()
    services.update_submit(
        actor=lead,
        action=action,
        effective_date=on,
        public_summary=summary,
        owner_confidence=kw.pop("confidence", "on_track"),
        status_to=status,
        **kw,
    )


def build_cycle(*, published: bool = True) -> Cycle:
    """Three recommendations (one complete, two open) and two meetings.

    As at the interim meeting (26 March 2020): 1 complete, 2 on track. Updates count from
    24 February to the 16 March papers deadline: the council updated, police and health did not.
    The police action's target date moved from 30 April to 30 September 2020.
    """
    kinds = {"council": "council", "police": "police", "health": "health"}
    orgs = {
        key: Organisation.objects.create(
            name=f"Northam {key.title()}", short_name=key.title(), slug=f"northam-{key}", kind=kind
        )
        for key, kind in kinds.items()
    }
    officer = _user("clerk", Role.SCRUTINY_OFFICER, [orgs["council"]])
    assessor = _user("panel", Role.ASSESSOR)
    member = _user("councillor", Role.MEMBER)
    leads = {key: _user(f"{key}.lead", Role.PARTNER_LEAD, [org]) for key, org in orgs.items()}
    review = services.review_create(
        actor=officer,
        slug="small-review",
        title="Small scrutiny review",
        made_by="Children's Scrutiny Committee",
        agreed_on=AGREED,
        update_interval_days=92,
    )
    if published:
        services.review_set_visibility(actor=officer, review=review, visibility="published")

    def recommendation(number: str, title: str, lead: str, partners: list[str]):
        return services.recommendation_create(
            actor=officer,
            review=review,
            number=number,
            title=title,
            text=f"The partnership should {title.lower()}.",
            lead_organisation=orgs[lead],
            partners=[orgs[p] for p in [lead, *partners]],
        )

    def action(rec, owner: str, target: date) -> Action:
        return services.action_create(
            actor=officer,
            recommendation=rec,
            owner=orgs[owner],
            description=f"{owner.title()} delivers {rec.title.lower()}.",
            start_date=AGREED,
            target_date=target,
        )

    r1 = recommendation("1", "Appoint a CSE coordinator", "council", [])
    r2 = recommendation("2", "Train taxi drivers", "council", ["police"])
    r3 = recommendation("3", "Commission sexual health outreach", "health", [])
    actions = {
        "coordinator": action(r1, "council", date(2020, 3, 31)),
        "training": action(r2, "council", date(2020, 6, 30)),
        "checks": action(r2, "police", date(2020, 4, 30)),
        "outreach": action(r3, "health", date(2020, 12, 31)),
    }
    _update(
        actions["coordinator"], leads["council"], date(2020, 1, 20), "Recruiting.", "in_progress"
    )
    _update(
        actions["coordinator"],
        leads["council"],
        date(2020, 2, 3),
        "Coordinator in post; job description attached.",
        "ready_for_assessment",
        restricted_detail=RESTRICTED,
    )
    actions["coordinator"].refresh_from_db()
    services.action_assess(
        actor=assessor,
        action=actions["coordinator"],
        decision="signed_off",
        rationale="Post filled and chairing the multi-agency meeting.",
        decided_on=date(2020, 2, 10),
    )
    _update(
        actions["training"], leads["council"], date(2020, 1, 20), "Course designed.", "in_progress"
    )
    _update(actions["training"], leads["council"], date(2020, 3, 2), "First 40 drivers trained.")
    _update(actions["checks"], leads["police"], date(2020, 1, 22), "Checks started.", "in_progress")
    actions["checks"].refresh_from_db()
    services.action_change_target_date(
        actor=officer,
        action=actions["checks"],
        new_date=date(2020, 9, 30),
        reason="Recruitment of the vetting officer was delayed.",
        effective_date=date(2020, 2, 20),
    )
    _update(
        actions["outreach"], leads["health"], date(2020, 1, 27), "Tender drafted.", "in_progress"
    )
    interim = report_services.meeting_create(
        actor=officer,
        review=review,
        kind=Meeting.Kind.INTERIM,
        meets_on=INTERIM,
        papers_deadline=INTERIM_DEADLINE,
        requests_from=INTERIM_REQUESTS,
    )
    later = report_services.meeting_create(
        actor=officer,
        review=review,
        kind=Meeting.Kind.END_OF_YEAR,
        meets_on=LATER,
        papers_deadline=date(2020, 6, 22),
        requests_from=date(2020, 5, 26),
    )
    for item in actions.values():
        item.refresh_from_db()
    return Cycle(officer, assessor, member, leads, orgs, review, actions, interim, later)
