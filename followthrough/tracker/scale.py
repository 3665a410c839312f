"""Synthetic national-scale tracker data for benchmarks (`followthrough generate_scale`).

Pure module (no Django): it turns a partnership number, a shape and a seed into rows, table by
table, with their ids already assigned, so the command can stream them into PostgreSQL with COPY
(or bulk_create elsewhere). Every row is what the services would have written, in the order
they would have written it: an action's updates, status changes, assessments and target-date
changes tell one consistent story (an update moves it to in progress, a later one claims it is
ready, an assessor signs it off or returns it, an officer closes a few), and the action's current
columns are the end of that story. So as-at reconstruction has real work to do at every date.

A partnership is one council area: five partner organisations (council, police, health,
safeguarding partnership, licensing), a lead for each, a scrutiny officer and an assessor, and
its reviews. All wording is illustrative and the reviews are marked so.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

# The columns written for each table (Django attribute names), in COPY order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("id", "name", "short_name", "slug", "kind"),
    "user": (
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "role",
    ),
    "user_organisations": ("id", "user_id", "organisation_id"),
    "review": (
        "id",
        "slug",
        "title",
        "kind",
        "made_by",
        "agreed_on",
        "summary",
        "source_url",
        "source_document",
        "visibility",
        "update_interval_days",
        "illustrative",
        "created_at",
    ),
    "recommendation": (
        "id",
        "review_id",
        "number",
        "position",
        "title",
        "text",
        "lead_organisation_id",
        "response",
        "response_reason",
        "baseline_target_date",
    ),
    "recommendation_themes": ("id", "recommendation_id", "theme_id"),
    "recommendation_partners": ("id", "recommendation_id", "organisation_id"),
    "action": (
        "id",
        "recommendation_id",
        "reference",
        "position",
        "description",
        "owner_id",
        "owner_person_id",
        "success_measure",
        "start_date",
        "baseline_target_date",
        "target_date",
        "status",
        "owner_confidence",
        "last_update_on",
        "last_entry_on",
        "version",
    ),
    "update": (
        "id",
        "action_id",
        "author_id",
        "organisation_id",
        "recorded_at",
        "effective_date",
        "public_summary",
        "restricted_detail",
        "status_to",
        "owner_confidence",
    ),
    "assessment": (
        "id",
        "action_id",
        "assessor_id",
        "decision",
        "rationale",
        "decided_on",
        "recorded_at",
        "claim_id",
    ),
    "status_change": (
        "id",
        "action_id",
        "effective_date",
        "recorded_at",
        "status_from",
        "status_to",
        "actor_id",
        "reason",
        "update_id",
        "assessment_id",
    ),
    "target_change": (
        "id",
        "action_id",
        "previous_date",
        "new_date",
        "reason",
        "approver_id",
        "effective_date",
        "recorded_at",
    ),
}
# Parents before children, so foreign keys are satisfied in write order.
TABLE_ORDER = tuple(COLUMNS)

PARTNERS = (
    ("council", "Council", "council"),
    ("police", "Police", "police"),
    ("health", "Health", "health"),
    ("lscb", "Safeguarding Partnership", "safeguarding_partnership"),
    ("licensing", "Licensing", "licensing"),
)
THEMES = (
    ("Specialist posts", "specialist-posts"),
    ("Taxi licensing", "taxi-licensing"),
    ("Training and awareness", "training-and-awareness"),
    ("Commissioning", "commissioning"),
    ("Schools", "schools"),
    ("Public information", "public-information"),
)
REVIEW_KINDS = ("scrutiny_review", "independent_inquiry", "practice_review", "inspection", "audit")
SLUG_PREFIX = "scale-"
# An unusable password (Django's "!" prefix): benchmark users are signed in by the harness.
UNUSABLE_PASSWORD = "!scale-benchmark-user"  # noqa: S105 - not a password: unusable
EARLIEST_REVIEW = date(2014, 1, 6)

_SUMMARIES = (
    "Work continues with partners; the lead officer reported progress to the board this month.",
    "Training sessions delivered to front-line staff; attendance figures are being collated.",
    "The new referral pathway is in use and early feedback from practitioners is positive.",
    "A task and finish group met twice and agreed the draft protocol for consultation.",
    "Recruitment to the specialist post is under way; interviews are planned next month.",
    "Commissioning specifications have been revised to include the safeguarding requirements.",
    "Awareness materials were shared with schools and licensed drivers across the area.",
    "Data for the first quarter shows more referrals, which partners attribute to awareness.",
)
_CLAIMS = (
    "All parts of the action are in place; evidence of delivery is attached for assessment.",
    "The action has been delivered and embedded in practice; we ask for it to be signed off.",
)
_RATIONALES_SIGNED = (
    "The evidence shows the action has been delivered and is making a difference.",
    "Signed off: the panel saw the evidence of delivery and spoke to practitioners.",
)
_RATIONALES_RETURNED = (
    "Returned: the evidence does not yet show the change is embedded in practice.",
    "Returned: please provide the audit results before this can be signed off.",
)
_TARGET_REASONS = (
    "Recruitment took longer than planned.",
    "Waiting for the regional protocol to be agreed.",
    "The commissioning cycle moved to the next financial year.",
)
_CLOSE_REASONS = (
    "Superseded by the regional arrangement agreed by the partnership.",
    "Cannot be implemented locally: national guidance changed.",
)
_RESTRICTED = "Named staff and case references are held in the partnership's case system."


@dataclass(frozen=True)
class ScaleShape:
    """How much each partnership holds."""

    reviews_per_partnership: int = 50
    recommendations_per_review: int = 40
    actions_per_recommendation: int = 3
    updates_per_action: int = 8

    def rows_per_partnership(self) -> dict[str, int]:
        reviews = self.reviews_per_partnership
        recommendations = reviews * self.recommendations_per_review
        actions = recommendations * self.actions_per_recommendation
        return {
            "review": reviews,
            "recommendation": recommendations,
            "action": actions,
            "update": actions * self.updates_per_action,
        }


def partnership_slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:04d}"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass
class _ActionStory:
    """One action's history as the services would have recorded it."""

    updates: list[tuple[date, str, str, str, str]]  # (on, summary, restricted, status_to, conf)
    assessments: list[tuple[date, str, str, int]]  # (on, decision, rationale, claim index)
    closed: tuple[date, str] | None
    target_changes: list[tuple[date, date, date, str]]  # (on, previous, new, reason)


def _story(
    rng: random.Random, *, start: date, baseline: date, until: date, updates: int
) -> _ActionStory:
    """An action's updates, verdicts, closure and target changes from `start` up to `until`."""
    available = max((until - start).days, 1)
    planned = max((baseline - start).days, 30)
    roll = rng.random()
    # How far into the available time the owner's updates run.
    finish = min(int(planned * rng.uniform(0.6, 1.2)), available - 1)
    if finish + 45 < available:  # there was time to finish
        if roll < 0.86:
            outcome = "returned" if roll < 0.1 else "complete"
        elif roll < 0.9:
            outcome = "closed"
        elif roll < 0.93:
            outcome = "stalled"
        else:
            outcome = "in_progress"  # long-running: overdue unless the target was moved
    elif roll < 0.1 and finish + 10 < available:
        outcome = "ready"
    elif roll < 0.15:
        outcome = "stalled"
    else:
        outcome = "in_progress"
    if outcome == "stalled":  # updates stop early: "no update" at later dates
        finish = max(int(available * rng.uniform(0.15, 0.5)), 1)
    elif outcome == "in_progress":
        finish = available - rng.randint(0, min(40, available - 1))
    first = min(rng.randint(10, 45), max(finish, 1))
    step = (finish - first) / max(updates - 1, 1)
    dates = [start + timedelta(days=int(first + step * i)) for i in range(updates)]
    at_risk_share = 0.08 if outcome in ("complete", "ready") else 0.25
    story_updates: list[tuple[date, str, str, str, str]] = []
    for i, on in enumerate(dates):
        status_to = ""
        if i == 0 and not (outcome == "stalled" and rng.random() < 0.3):
            status_to = "in_progress"
        summary = _SUMMARIES[rng.randrange(len(_SUMMARIES))]
        if i == updates - 1 and outcome in ("complete", "returned", "ready") and updates > 1:
            status_to = "ready_for_assessment"
            summary = _CLAIMS[rng.randrange(len(_CLAIMS))]
        confidence = "at_risk" if rng.random() < at_risk_share else "on_track"
        restricted = _RESTRICTED if rng.random() < 0.2 else ""
        story_updates.append((on, summary, restricted, status_to, confidence))
    assessments: list[tuple[date, str, str, int]] = []
    closed: tuple[date, str] | None = None
    last = dates[-1]
    if outcome == "returned" and updates >= 4:
        # An earlier claim, returned, then claimed again at the last update and signed off.
        claim = updates // 2
        on, summary, restricted, _, confidence = story_updates[claim]
        story_updates[claim] = (on, _CLAIMS[0], restricted, "ready_for_assessment", confidence)
        returned_on = min(on + timedelta(days=rng.randint(5, 25)), dates[claim + 1])
        returned = _RATIONALES_RETURNED[rng.randrange(len(_RATIONALES_RETURNED))]
        assessments.append((returned_on, "returned", returned, claim))
        # The owner's next update takes it back to in progress only through the assessor.
    if outcome in ("complete", "returned") and updates > 1:
        decided = last + timedelta(days=rng.randint(7, 40))
        if decided <= until:
            signed = _RATIONALES_SIGNED[rng.randrange(len(_RATIONALES_SIGNED))]
            assessments.append((decided, "signed_off", signed, updates - 1))
    if outcome == "closed":
        closed_on = min(last + timedelta(days=rng.randint(10, 60)), until)
        closed = (closed_on, _CLOSE_REASONS[rng.randrange(len(_CLOSE_REASONS))])
    target_changes: list[tuple[date, date, date, str]] = []
    current = baseline
    if len(dates) > 2 and rng.random() < 0.12:  # slippage agreed along the way
        on = dates[rng.randrange(1, len(dates) - 1)]
        new = current + timedelta(days=rng.randint(60, 180))
        target_changes.append((on, current, new, _TARGET_REASONS[rng.randrange(3)]))
        current = new
    if outcome == "in_progress" and current < until + timedelta(days=30) and rng.random() < 0.7:
        # Most work still going past its target has had the date moved, as committees ask.
        on = dates[-1]
        if not target_changes or on > target_changes[-1][0]:
            new = until + timedelta(days=rng.randint(31, 240))
            target_changes.append((on, current, new, _TARGET_REASONS[rng.randrange(3)]))
    return _ActionStory(story_updates, assessments, closed, target_changes)


def partnership_rows(
    number: int,
    *,
    shape: ScaleShape,
    seed: int,
    until: date,
    theme_ids: list[int],
    next_ids: dict[str, int],
) -> dict[str, list[tuple[object, ...]]]:
    """Every row for partnership `number`, table by table (see COLUMNS).

    Ids are taken from `next_ids` (one counter per table), which is advanced past them, so
    consecutive partnerships never collide. The same number, shape, seed and `until` give the
    same rows whatever else has been generated.
    """
    rng = random.Random(f"{seed}-{number}")
    rows: dict[str, list[tuple[object, ...]]] = {table: [] for table in TABLE_ORDER}

    def take(table: str) -> int:
        value = next_ids[table]
        next_ids[table] = value + 1
        return value

    area = f"Area {number:04d}"
    prefix = partnership_slug(number)
    created = _at(until)
    orgs: dict[str, int] = {}
    leads: dict[int, int] = {}
    for key, label, kind in PARTNERS:
        org_id = take("organisation")
        orgs[key] = org_id
        rows["organisation"].append(
            (org_id, f"{area} {label}", f"{label} ({area})", f"{prefix}-{key}", kind)
        )
    people = [(f"{key}.lead", "partner_lead", [org]) for key, org in orgs.items()]
    people += [("officer", "scrutiny_officer", [orgs["council"]]), ("assessor", "assessor", [])]
    staff: dict[str, int] = {}
    for username, role, memberships in people:
        user_id = take("user")
        staff[username] = user_id
        rows["user"].append(
            (
                user_id,
                UNUSABLE_PASSWORD,
                None,
                False,
                f"{prefix}-{username}",
                area,
                username.split(".")[0].title(),
                f"{prefix}-{username}@example.gov.uk",
                False,
                True,
                created,
                role,
            )
        )
        for org_id in memberships:
            rows["user_organisations"].append((take("user_organisations"), user_id, org_id))
            leads[org_id] = user_id
    officer, assessor = staff["officer"], staff["assessor"]
    org_ids = list(orgs.values())

    latest_agreed = until - timedelta(days=120)
    span = max((latest_agreed - EARLIEST_REVIEW).days, 1)
    for r in range(1, shape.reviews_per_partnership + 1):
        review_id = take("review")
        agreed = EARLIEST_REVIEW + timedelta(days=rng.randrange(span))
        kind = REVIEW_KINDS[rng.randrange(len(REVIEW_KINDS))]
        rows["review"].append(
            (
                review_id,
                f"{prefix}-review-{r:02d}",
                f"{area}: review {r} of child sexual exploitation (illustrative)",
                kind,
                f"{area} Children and Young People Scrutiny Committee",
                agreed,
                "Synthetic review generated for benchmarks; its wording is illustrative.",
                "",
                "",
                "published" if rng.random() < 0.6 else "draft",
                92,
                True,
                created,
            )
        )
        for n in range(1, shape.recommendations_per_review + 1):
            rec_id = take("recommendation")
            lead = org_ids[rng.randrange(len(org_ids))]
            baseline = agreed + timedelta(days=rng.randint(120, 720))
            rows["recommendation"].append(
                (
                    rec_id,
                    review_id,
                    str(n),
                    n,
                    f"Recommendation {n} of review {r}",
                    "The partnership should make sure that children at risk of sexual "
                    "exploitation are identified early and supported by trained staff, and "
                    "report progress to the committee.",
                    lead,
                    "accepted" if rng.random() < 0.9 else "partially_accepted",
                    "",
                    baseline,
                )
            )
            theme = theme_ids[rng.randrange(len(theme_ids))] if theme_ids else None
            if theme is not None:
                rows["recommendation_themes"].append((take("recommendation_themes"), rec_id, theme))
            owners = _owners(rng, lead, org_ids, shape.actions_per_recommendation)
            for org_id in dict.fromkeys(owners):
                rows["recommendation_partners"].append(
                    (take("recommendation_partners"), rec_id, org_id)
                )
            for k, owner in enumerate(owners, start=1):
                _action_rows(
                    rows,
                    take,
                    rng,
                    rec_id=rec_id,
                    reference=f"{n}.{k}",
                    position=k,
                    owner=owner,
                    author=leads[owner],
                    officer=officer,
                    assessor=assessor,
                    start=agreed,
                    baseline=baseline + timedelta(days=rng.randint(-60, 60)),
                    until=until,
                    updates=shape.updates_per_action,
                )
    return rows


def _owners(rng: random.Random, lead: int, org_ids: list[int], count: int) -> list[int]:
    """The lead partner owns the first action; other partners share the rest."""
    others = [o for o in org_ids if o != lead]
    if count - 1 <= len(others):
        return [lead, *rng.sample(others, count - 1)]
    return [lead, *(others[k % len(others)] for k in range(count - 1))]


def _action_rows(
    rows: dict[str, list[tuple[object, ...]]],
    take_id: Callable[[str], int],
    rng: random.Random,
    *,
    rec_id: int,
    reference: str,
    position: int,
    owner: int,
    author: int,
    officer: int,
    assessor: int,
    start: date,
    baseline: date,
    until: date,
    updates: int,
) -> None:
    baseline = max(baseline, start + timedelta(days=30))
    action_id = take_id("action")
    story = _story(rng, start=start, baseline=baseline, until=until, updates=updates)

    # Every dated event in the order the services would have recorded it.
    events: list[tuple[date, int, str, int]] = []
    events += [(u[0], 0, "update", i) for i, u in enumerate(story.updates)]
    events += [(t[0], 1, "target", i) for i, t in enumerate(story.target_changes)]
    events += [(a[0], 2, "assessment", i) for i, a in enumerate(story.assessments)]
    if story.closed is not None:
        events.append((story.closed[0], 3, "closed", 0))
    events.sort()

    status = "not_started"
    target = baseline
    confidence = ""
    last_update: date | None = None
    last_entry: date | None = None
    version = 1
    update_ids: dict[int, int] = {}
    for on, order, kind, index in events:
        recorded = _at(on, 10 + order)
        if kind == "assessment" and status != "ready_for_assessment":
            continue  # nothing left to assess: the verdict was never given
        if kind == "closed" and status in ("complete", "closed_not_implemented"):
            continue
        version += 1  # every write bumps the version and the latest-entry date
        last_entry = on
        if kind == "update":
            day, summary, restricted, status_to, owner_confidence = story.updates[index]
            if status_to and (
                status_to == status or status in ("complete", "closed_not_implemented")
            ):
                status_to = ""  # a claim the workflow would not allow is just an update
            if status_to == "ready_for_assessment" and status != "in_progress":
                status_to = ""
            update_id = take_id("update")
            update_ids[index] = update_id
            rows["update"].append(
                (
                    update_id,
                    action_id,
                    author,
                    owner,
                    recorded,
                    day,
                    summary,
                    restricted,
                    status_to,
                    owner_confidence,
                )
            )
            if status_to:
                rows["status_change"].append(
                    (
                        take_id("status_change"),
                        action_id,
                        day,
                        recorded,
                        status,
                        status_to,
                        author,
                        "",
                        update_id,
                        None,
                    )
                )
                status = status_to
            confidence, last_update = owner_confidence, day
        elif kind == "target":
            day, _previous, new, reason = story.target_changes[index]
            rows["target_change"].append(
                (take_id("target_change"), action_id, target, new, reason, officer, day, recorded)
            )
            target = new
        elif kind == "assessment":
            day, decision, rationale, claim = story.assessments[index]
            assessment_id = take_id("assessment")
            rows["assessment"].append(
                (
                    assessment_id,
                    action_id,
                    assessor,
                    decision,
                    rationale,
                    day,
                    recorded,
                    update_ids.get(claim),
                )
            )
            new_status = "complete" if decision == "signed_off" else "in_progress"
            rows["status_change"].append(
                (
                    take_id("status_change"),
                    action_id,
                    day,
                    recorded,
                    status,
                    new_status,
                    assessor,
                    rationale,
                    None,
                    assessment_id,
                )
            )
            status = new_status
        elif kind == "closed" and story.closed is not None:
            day, reason = story.closed
            rows["status_change"].append(
                (
                    take_id("status_change"),
                    action_id,
                    day,
                    recorded,
                    status,
                    "closed_not_implemented",
                    officer,
                    reason,
                    None,
                    None,
                )
            )
            status = "closed_not_implemented"
    rows["action"].append(
        (
            action_id,
            rec_id,
            reference,
            position,
            "Put in place the arrangements the recommendation asks for and show they work.",
            owner,
            None,
            "Audit of cases shows the new arrangements are followed.",
            start,
            baseline,
            target,
            status,
            confidence,
            last_update,
            last_entry,
            version,
        )
    )


def rows_count(rows: dict[str, list[tuple[object, ...]]]) -> int:
    return sum(len(v) for v in rows.values())


def iter_tables(
    rows: dict[str, list[tuple[object, ...]]],
) -> Iterator[tuple[str, list[tuple[object, ...]]]]:
    for table in TABLE_ORDER:
        if rows[table]:
            yield table, rows[table]
