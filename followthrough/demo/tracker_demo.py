"""The demo scenario of DESIGN.md §7, written through the real services so its history is
exactly what a year of real use would leave behind (status changes, target-date changes,
returns, sign-offs, audit records)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from followthrough.core.models import Organisation, User
from followthrough.core.roles import Role
from followthrough.tracker import services
from followthrough.tracker.models import Action, Assessment, Review, Theme
from followthrough.tracker.rules import Status

from .recommendations import RECOMMENDATIONS, THEMES

SLUG = "cse-scrutiny-review"
AGREED = date(2016, 5, 16)
INTERIM = date(2016, 11, 24)
END_OF_YEAR = date(2017, 5, 25)
DEMO_PASSWORD = "followthrough-demo"  # noqa: S105 - printed for the demo; never used in production

ORGANISATIONS = {
    "council": ("Telford & Wrekin Council", "Council", Organisation.Kind.COUNCIL),
    "police": ("West Mercia Police", "Police", Organisation.Kind.POLICE),
    "lscb": (
        "Telford & Wrekin Safeguarding Children Board",
        "LSCB",
        Organisation.Kind.SAFEGUARDING_PARTNERSHIP,
    ),
    "health": ("Telford & Wrekin Clinical Commissioning Group", "Health", Organisation.Kind.HEALTH),
    "licensing": (
        "Telford & Wrekin Council Licensing Service",
        "Licensing",
        Organisation.Kind.LICENSING,
    ),
}

# username -> (role, organisation keys, first name, last name)
USERS = {
    "admin": (Role.ADMIN, [], "Alex", "Admin"),
    "officer": (Role.SCRUTINY_OFFICER, ["council"], "Sam", "Clerk"),
    "council.lead": (Role.PARTNER_LEAD, ["council"], "Chris", "Council"),
    "police.lead": (Role.PARTNER_LEAD, ["police"], "Pat", "Police"),
    "lscb.lead": (Role.PARTNER_LEAD, ["lscb"], "Lee", "Board"),
    "health.lead": (Role.PARTNER_LEAD, ["health"], "Hari", "Health"),
    "licensing.lead": (Role.PARTNER_LEAD, ["licensing"], "Lou", "Licensing"),
    "assessor": (Role.ASSESSOR, [], "Ada", "Assessor"),
    "councillor": (Role.MEMBER, [], "Morgan", "Member"),
    "analyst": (Role.ANALYST, ["police"], "Ana", "Analyst"),
    "frontdoor": (Role.FRONTDOOR_PRACTITIONER, ["council"], "Frankie", "Practitioner"),
    "frontdoor.manager": (Role.FRONTDOOR_MANAGER, ["council"], "Fran", "Manager"),
    "licensing.officer": (Role.LICENSING_OFFICER, ["licensing"], "Lesley", "Officer"),
}

# One letter per recommendation, in order: what happened to it over the year.
#   C complete before the interim meeting      L complete after it, before the end of the year
#   T slipped (new target date) but on track   R at risk (owner says so)
#   O overdue                                  N no update received
#   X closed, not implemented
FATES = "CCCLLCLTLCRCCLLCCCCOLCCTLCXCLCCLRLONTL"
assert len(FATES) == len(RECOMMENDATIONS) == 38
assert FATES.count("C") == 17


def _organisations() -> dict[str, Organisation]:
    orgs = {}
    for key, (name, short, kind) in ORGANISATIONS.items():
        orgs[key], _ = Organisation.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "short_name": short, "kind": kind}
        )
    return orgs


def _users(orgs: dict[str, Organisation]) -> dict[str, User]:
    users = {}
    hashed = make_password(DEMO_PASSWORD)  # hash once: a deliberately slow hash, 13 users
    for username, (role, org_keys, first, last) in USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                password=hashed,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@example.gov.uk",
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.organisations.set([orgs[k] for k in org_keys])
        users[username] = user
    return users


def load() -> tuple[Review, bool]:
    """Create the demo review with a year of history. Returns (review, created)."""
    with transaction.atomic():
        orgs = _organisations()
        users = _users(orgs)
        existing = Review.objects.filter(slug=SLUG).first()
        if existing is not None:
            return existing, False
        officer = users["officer"]
        themes = {
            key: Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for key, name in THEMES.items()
        }
        review = services.review_create(
            actor=officer,
            slug=SLUG,
            title="Child sexual exploitation: scrutiny review",
            kind=Review.Kind.SCRUTINY_REVIEW,
            made_by="Children and Young People Scrutiny Committee",
            agreed_on=AGREED,
            summary=(
                "The committee reviewed how the council and its partners respond to child sexual "
                "exploitation and made 38 recommendations. Illustrative demo: the wording of these "
                "recommendations and updates is our own, not the committee's."
            ),
            update_interval_days=92,
            illustrative=True,
        )
        services.review_set_visibility(actor=officer, review=review, visibility="published")
        leads = {key: users[f"{key}.lead"] for key in ORGANISATIONS}
        for index, ((theme, lead, partners, title, text), fate) in enumerate(
            zip(RECOMMENDATIONS, FATES, strict=True)
        ):
            recommendation = services.recommendation_create(
                actor=officer,
                review=review,
                number=str(index + 1),
                title=title,
                text=text,
                lead_organisation=orgs[lead],
                partners=[orgs[lead], *(orgs[p] for p in partners)],
                themes=[themes[theme]],
                response="accepted",
                baseline_target_date=date(2016, 11, 30) if fate == "C" else date(2017, 3, 31),
            )
            owners = [lead] if fate == "X" or not partners else [lead, partners[0]]
            for owner_key in owners:
                action = services.action_create(
                    actor=officer,
                    recommendation=recommendation,
                    owner=orgs[owner_key],
                    description=_action_text(title, owner_key, lead),
                    success_measure="Evidence accepted by the independent assessor.",
                    start_date=AGREED,
                    target_date=date(2016, 11, 30) if fate == "C" else date(2017, 3, 31),
                )
                _play_history(action, fate, index, leads[owner_key], users)
    return review, True


def _action_text(title: str, owner_key: str, lead_key: str) -> str:
    name = ORGANISATIONS[owner_key][1].lower()
    if owner_key == lead_key:
        return f"Lead delivery: {title}. (Illustrative demo wording.)"
    return f"Support the lead partner on {title} from the {name} side. (Illustrative demo wording.)"


def _update(
    action: Action,
    lead: User,
    on: date,
    summary: str,
    *,
    status: str = "",
    confidence: str = "on_track",
    detail: str = "",
) -> None:
    action.refresh_from_db()
    services.update_submit(
        actor=lead,
        action=action,
        effective_date=on,
        public_summary=summary,
        restricted_detail=detail,
        owner_confidence=confidence,
        status_to=status,
    )


def _assess(action: Action, assessor: User, on: date, decision: str, rationale: str) -> None:
    action.refresh_from_db()
    services.action_assess(
        actor=assessor, action=action, decision=decision, rationale=rationale, decided_on=on
    )


def _play_history(action: Action, fate: str, k: int, lead: User, users: dict[str, User]) -> None:
    assessor, officer = users["assessor"], users["officer"]
    signed_off = Assessment.Decision.SIGNED_OFF
    _update(
        action,
        lead,
        AGREED + timedelta(days=20 + k % 10),
        "Work has started: a lead officer is named and a delivery plan agreed.",
        status=Status.IN_PROGRESS,
        detail="Named lead and plan held on the partner's internal system (restricted).",
    )
    if fate == "C":
        ready_on = date(2016, 9, 1) + timedelta(days=k)
        _update(
            action,
            lead,
            ready_on,
            "Delivered. Evidence of completion provided for assessment.",
            status=Status.READY_FOR_ASSESSMENT,
        )
        _assess(
            action,
            assessor,
            ready_on + timedelta(days=14),
            signed_off,
            "Evidence seen and tested with the consultee panel; the recommendation's intent is met.",
        )
        return

    _update(
        action,
        lead,
        date(2016, 9, 5) + timedelta(days=k % 40),
        "Good progress; on course for the agreed target date.",
    )
    if fate == "L":
        ready_on = date(2017, 1, 16) + timedelta(days=k % 30)
        if k % 5 == 3:  # some are returned before being signed off
            _update(
                action,
                lead,
                ready_on,
                "Complete; evidence attached.",
                status=Status.READY_FOR_ASSESSMENT,
            )
            _assess(
                action,
                assessor,
                ready_on + timedelta(days=7),
                Assessment.Decision.RETURNED,
                "The evidence shows the plan but not that it is in use. Please provide data on take-up.",
            )
            ready_on += timedelta(days=28)
            _update(
                action,
                lead,
                ready_on,
                "Take-up data now provided.",
                status=Status.READY_FOR_ASSESSMENT,
            )
        else:
            _update(
                action,
                lead,
                ready_on,
                "Delivered. Evidence provided for assessment.",
                status=Status.READY_FOR_ASSESSMENT,
            )
        _assess(
            action,
            assessor,
            ready_on + timedelta(days=21),
            signed_off,
            "Evidence is sufficient and the change is embedded in practice.",
        )
    elif fate == "T":
        _change_target(
            action,
            officer,
            date(2017, 2, 20),
            date(2017, 9, 30),
            "Recruitment to the supporting post took longer than planned; committee agreed a new date.",
        )
        _update(action, lead, date(2017, 4, 20), "Back on course against the revised target date.")
    elif fate == "R":
        _change_target(
            action,
            officer,
            date(2017, 3, 1),
            date(2017, 7, 31),
            "Funding decision deferred to the new financial year.",
        )
        _update(
            action,
            lead,
            date(2017, 5, 10),
            "Funding is still not confirmed; delivery by the revised date is at risk.",
            confidence="at_risk",
        )
    elif fate == "O":
        _update(action, lead, date(2017, 3, 10), "Final stage under way.")
        _update(
            action,
            lead,
            date(2017, 4, 28),
            "Delayed by a provider change; completion expected in the summer.",
            confidence="at_risk",
        )
    elif fate == "N":
        _change_target(
            action,
            officer,
            date(2017, 1, 5),
            date(2017, 12, 31),
            "Depends on the regional review, now reporting in the autumn.",
        )
        _update(action, lead, date(2017, 1, 10), "Waiting for the regional review.")
    elif fate == "X":
        action.refresh_from_db()
        services.action_close(
            actor=officer,
            action=action,
            effective_date=date(2017, 3, 15),
            reason="Superseded by new national statutory guidance, which partners now follow instead.",
        )


def _change_target(action: Action, officer: User, on: date, new: date, reason: str) -> None:
    action.refresh_from_db()
    services.action_change_target_date(
        actor=officer, action=action, new_date=new, reason=reason, effective_date=on
    )
