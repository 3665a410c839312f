"""Reads for the tracker, including the access funnels and as-at reconstruction.

The access funnels (`*_get_for_user`, `*_list_for_user`) are the only way views, the API and
reports fetch tracker objects for a person: missing and forbidden both raise Http404.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import FilteredRelation, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import (
    Action,
    Assessment,
    Evidence,
    ProgressUpdate,
    Recommendation,
    Review,
    StatusChange,
    TargetDateChange,
)
from .permissions import _org_ids, can_view_restricted, is_tracker_reader, sees_all_reviews
from .rules import (
    REPORT_ORDER,
    ActionFacts,
    Confidence,
    OwnerConfidence,
    Status,
    action_confidence,
    headline,
    recommendation_confidence,
    recommendation_status,
)


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Access funnels


def review_list_for_user(user: Any) -> QuerySet[Review]:
    """Reviews a signed-in person may open in the tracker."""
    if sees_all_reviews(user):
        return Review.objects.all()
    if not is_tracker_reader(user):
        return Review.objects.none()
    orgs = _org_ids(user)
    # A review the person's organisations lead a recommendation of, share one, or own an action
    # in: three look-ups by index, joined into one list of ids. (One OR across two joins made
    # the database pair every partner row with every action row of the tracker: seconds at
    # national scale; an OR of three lists still checked every review in the country.)
    leading = Recommendation.objects.filter(lead_organisation__in=orgs).values("review_id")
    sharing = Recommendation.partners.through.objects.filter(organisation__in=orgs).values(
        "recommendation__review_id"
    )
    owning = Action.objects.filter(owner__in=orgs).values("recommendation__review_id")
    involved = leading.order_by().union(sharing.order_by(), owning.order_by())
    return Review.objects.filter(pk__in=involved)


def review_get_for_user(user: Any, slug: str) -> Review:
    review = review_list_for_user(user).filter(slug=slug).first()
    if review is None:
        raise Http404("No such review")
    return review


def recommendation_get_for_user(user: Any, review: Review, number: str) -> Recommendation:
    recommendation = (
        Recommendation.objects.filter(review=review, number=number)
        .select_related("review", "lead_organisation")
        .prefetch_related("themes", "partners")
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def recommendation_get_by_number_for_user(user: Any, slug: str, number: str) -> Recommendation:
    """Recommendation `number` of review `slug`, with its review, if the person may open the
    review: `review_get_for_user` and `recommendation_get_for_user` in one query."""
    queryset = Recommendation.objects.filter(review__slug=slug, number=number)
    if not sees_all_reviews(user):
        queryset = queryset.filter(review__in=review_list_for_user(user))
    recommendation = (
        queryset.select_related("review", "lead_organisation")
        .prefetch_related("themes", "partners")
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def action_get_for_user(user: Any, action_id: int) -> Action:
    action = (
        Action.objects.filter(pk=action_id)
        .select_related("recommendation__review", "owner", "owner_person")
        .first()
    )
    if (
        action is None
        or not review_list_for_user(user).filter(pk=action.recommendation.review_id).exists()
    ):
        raise Http404("No such action")
    return action


def evidence_get_for_user(user: Any, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(pk=evidence_id, file__gt="")
        .select_related("update__action__recommendation__review")
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence")
    action = evidence.update.action
    if not review_list_for_user(user).filter(pk=action.recommendation.review_id).exists():
        raise Http404("No such evidence")
    if not can_view_restricted(user, action):
        raise Http404("No such evidence")
    return evidence


def action_list_for_user(user: Any) -> QuerySet[Action]:
    """Open actions the person's organisations own (a partner lead's "my actions")."""
    return (
        Action.objects.filter(owner__in=_org_ids(user), status__in=_open())
        .select_related("recommendation__review", "owner")
        .order_by("target_date", "id")
    )


def action_ready_for_assessment_list() -> QuerySet[Action]:
    return (
        Action.objects.filter(status=Status.READY_FOR_ASSESSMENT)
        .select_related("recommendation__review", "owner")
        .order_by("last_update_on", "id")
    )


def action_overdue_list_for_user(user: Any, *, as_at: date) -> QuerySet[Action]:
    queryset = Action.objects.filter(status__in=_open(), target_date__lt=as_at)
    if not sees_all_reviews(user):
        # Name the person's reviews (a few dozen), so the database starts from them rather
        # than walking every overdue action in the country looking for theirs.
        reviews = list(review_list_for_user(user).values_list("pk", flat=True))
        queryset = queryset.filter(recommendation__review_id__in=reviews)
    return queryset.select_related("recommendation__review", "owner").order_by("target_date", "id")


def _open() -> list[str]:
    return [Status.NOT_STARTED, Status.IN_PROGRESS, Status.READY_FOR_ASSESSMENT]


# ---------------------------------------------------------------------------------------------
# As-at reconstruction


@dataclass(frozen=True)
class ActionState:
    action_id: int
    recommendation_id: int
    owner_id: int
    status: Status
    target_date: date
    baseline_target_date: date
    last_update_on: date | None
    owner_confidence: OwnerConfidence | None
    confidence: Confidence


@dataclass(frozen=True)
class RecommendationState:
    recommendation_id: int
    status: Status
    confidence: Confidence
    actions: tuple[ActionState, ...]


@dataclass
class ReviewState:
    review_id: int
    as_at: date
    recommendations: dict[int, RecommendationState] = field(default_factory=dict)

    @property
    def counts(self) -> dict[Confidence, int]:
        tally = Counter(r.confidence for r in self.recommendations.values())
        return {c: tally.get(c, 0) for c in REPORT_ORDER}

    @property
    def total(self) -> int:
        return len(self.recommendations)

    @property
    def headline(self) -> str:
        return headline(self.counts, self.total)

    def as_status_json(self, slug: str) -> dict[str, Any]:
        counts = self.counts
        return {
            "review": slug,
            "as_at": self.as_at.isoformat(),
            "recommendations": self.total,
            **{c.value: counts[c] for c in REPORT_ORDER},
        }


def review_state_as_at(*, review: Review, as_at: date) -> ReviewState:
    """Every action's and recommendation's status, target date and confidence on `as_at`.

    Computed only from the dated history (status changes, target-date changes, updates), never
    from the current columns on Action, so a past date gives what was true then. Two queries
    whatever the size of the review.
    """
    return reviews_state_as_at(reviews=[review], as_at=as_at)[review.pk]


def reviews_state_as_at(*, reviews: list[Review], as_at: date) -> dict[int, ReviewState]:
    """`review_state_as_at` for several reviews at once, in the same two queries."""
    review_ids = [r.pk for r in reviews]
    if not review_ids:
        return {}
    interval = {r.pk: r.update_interval_days for r in reviews}
    at_risk_days = int(settings.FOLLOWTHROUGH["AT_RISK_DAYS"])

    # The recommendations, each with the actions agreed by the date (one row per action, or
    # one row of nulls for a recommendation with none yet).
    started = FilteredRelation("actions", condition=Q(actions__start_date__lte=as_at))
    rows = (
        Recommendation.objects.filter(review_id__in=review_ids)
        .annotate(started=started)
        .order_by("review_id", "position", "id", "started__position", "started__id")
        .values_list(
            "id",
            "review_id",
            "started__id",
            "started__owner_id",
            "started__start_date",
            "started__baseline_target_date",
        )
    )
    latest = _latest_history(review_ids=review_ids, as_at=as_at)

    by_rec: dict[tuple[int, int], list[ActionState]] = {}  # in the order read
    for rec_id, review_id, action_id, owner_id, start, baseline in rows:
        action_states = by_rec.setdefault((review_id, rec_id), [])
        if action_id is None:
            continue
        action_states.append(
            _action_state(
                action_id=action_id,
                rec_id=rec_id,
                owner_id=owner_id,
                start=start,
                baseline=baseline,
                latest=latest,
                as_at=as_at,
                update_interval_days=interval[review_id],
                at_risk_days=at_risk_days,
            )
        )

    states = {review_id: ReviewState(review_id=review_id, as_at=as_at) for review_id in review_ids}
    for (review_id, rec_id), action_list in by_rec.items():
        states[review_id].recommendations[rec_id] = _recommendation_state(rec_id, action_list)
    return states


def _action_state(
    *,
    action_id: int,
    rec_id: int,
    owner_id: int,
    start: date,
    baseline: date,
    latest: _Latest,
    as_at: date,
    update_interval_days: int,
    at_risk_days: int,
) -> ActionState:
    facts = ActionFacts(
        status=latest.status.get(action_id, Status.NOT_STARTED),
        target_date=latest.target.get(action_id, baseline),
        last_update_on=latest.last_update.get(action_id),
        owner_confidence=latest.claim.get(action_id),
        start_date=start,
    )
    return ActionState(
        action_id=action_id,
        recommendation_id=rec_id,
        owner_id=owner_id,
        status=facts.status,
        target_date=latest.target.get(action_id, baseline),
        baseline_target_date=baseline,
        last_update_on=facts.last_update_on,
        owner_confidence=facts.owner_confidence,
        confidence=action_confidence(
            facts, as_at=as_at, update_interval_days=update_interval_days, at_risk_days=at_risk_days
        ),
    )


def _recommendation_state(rec_id: int, action_list: list[ActionState]) -> RecommendationState:
    return RecommendationState(
        recommendation_id=rec_id,
        status=recommendation_status([a.status for a in action_list]),
        confidence=recommendation_confidence([a.confidence for a in action_list]),
        actions=tuple(action_list),
    )


@dataclass
class _Latest:
    """Each action's latest status, target date and update on or before a date."""

    status: dict[int, Status] = field(default_factory=dict)
    target: dict[int, date] = field(default_factory=dict)
    last_update: dict[int, date] = field(default_factory=dict)
    claim: dict[int, OwnerConfidence] = field(default_factory=dict)


def _as_date(value: Any) -> date:
    # A raw query on SQLite gives dates back as text.
    return value if isinstance(value, date) else date.fromisoformat(value)


# Each action in `acts`, with its latest status, target date and update on or before the date
# (the last by effective date, then id: the order the history was recorded in). One look-up
# per action and history: with the (action, newest date, id) indexes each is a single index
# probe, so a long history costs nothing extra.
_LATEST_FOR_LISTED = """
SELECT listed.*, u.effective_date AS updated_on, u.owner_confidence
FROM (
    SELECT acts.action_id,
        (SELECT h.status_to FROM tracker_statuschange h
         WHERE h.action_id = acts.action_id AND h.effective_date <= :as_at
         ORDER BY h.effective_date DESC, h.id DESC LIMIT 1) AS status_to,
        (SELECT h.new_date FROM tracker_targetdatechange h
         WHERE h.action_id = acts.action_id AND h.effective_date <= :as_at
         ORDER BY h.effective_date DESC, h.id DESC LIMIT 1) AS new_date,
        (SELECT h.id FROM tracker_progressupdate h
         WHERE h.action_id = acts.action_id AND h.effective_date <= :as_at
         ORDER BY h.effective_date DESC, h.id DESC LIMIT 1) AS update_id
    FROM acts
) listed
LEFT JOIN tracker_progressupdate u ON u.id = listed.update_id
"""

# The same for counting, with two short cuts that leave the figures unchanged:
#  * an action with nothing recorded after the date ("settled": its latest entry is on or
#    before it) stands then where it stands now, and the services keep its current status,
#    target date and latest claim on the action itself (tests/tracker/test_as_at.py checks
#    the history replays to them), so its history is not read at all. As at today that is
#    every action: a dashboard or the national roll-up reads the actions alone;
#  * a finished action's target date and updates no longer matter.
# `acts` must give each action's current columns and whether it is settled.
_LATEST_FOR_COUNTING = """
SELECT st.action_id, st.recommendation_id, st.start_date, st.baseline_target_date,
    st.update_interval, st.status_to,
    CASE WHEN st.settled = 1 THEN st.target_date
        WHEN st.status_to IN ('complete', 'closed_not_implemented') THEN NULL
        ELSE (SELECT h.new_date FROM tracker_targetdatechange h
              WHERE h.action_id = st.action_id AND h.effective_date <= :as_at
              ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)
    END AS new_date,
    CASE WHEN st.settled = 1 THEN st.last_update_on
        WHEN st.status_to IN ('complete', 'closed_not_implemented') THEN NULL
        ELSE (SELECT h.effective_date FROM tracker_progressupdate h
              WHERE h.action_id = st.action_id AND h.effective_date <= :as_at
              ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)
    END AS updated_on,
    CASE WHEN st.settled = 1 THEN st.owner_confidence
        WHEN st.status_to IN ('complete', 'closed_not_implemented') THEN NULL
        ELSE (SELECT h.owner_confidence FROM tracker_progressupdate h
              WHERE h.action_id = st.action_id AND h.effective_date <= :as_at
              ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)
    END AS owner_confidence
FROM (
    SELECT acts.*,
        CASE WHEN acts.settled = 1 THEN acts.status
            ELSE (SELECT h.status_to FROM tracker_statuschange h
                  WHERE h.action_id = acts.action_id AND h.effective_date <= :as_at
                  ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)
        END AS status_to
    FROM acts {fence}
) st
"""
# Actions agreed by the date in the reviews chosen, with their current columns.
_ACTS_FOR_COUNTING = """
SELECT a.id AS action_id, a.recommendation_id, a.start_date, a.baseline_target_date,
    rv.update_interval_days AS update_interval, a.status, a.target_date, a.last_update_on,
    a.owner_confidence,
    CASE WHEN a.last_entry_on IS NULL OR a.last_entry_on <= :as_at THEN 1 ELSE 0 END AS settled
FROM tracker_action a
JOIN tracker_recommendation r ON r.id = a.recommendation_id
JOIN tracker_review rv ON rv.id = r.review_id
WHERE a.start_date <= :as_at AND :reviews
"""


def _latest_for_counting() -> str:
    # OFFSET 0 keeps PostgreSQL from copying the status look-up into each place it is used.
    fence = "OFFSET 0" if connection.vendor == "postgresql" else ""
    return _LATEST_FOR_COUNTING.format(fence=fence)


_HISTORY_SQL = """
WITH acts AS (
    SELECT a.id AS action_id
    FROM tracker_action a
    JOIN tracker_recommendation r ON r.id = a.recommendation_id
    WHERE a.start_date <= :as_at AND :reviews
)
SELECT l.action_id, l.status_to, l.new_date, l.updated_on, l.owner_confidence
FROM ({latest}) l
"""


def _latest_history(*, review_ids: list[int], as_at: date) -> _Latest:
    """Each action's latest status, target date and update on or before the date, for the
    actions of these reviews: one query, and only one row per action leaves the database."""
    condition = f"r.review_id IN ({', '.join(['%s'] * len(review_ids))})"
    latest = _Latest()
    for action_id, status_to, new_date, updated_on, confidence in _run(
        _HISTORY_SQL.format(latest=_LATEST_FOR_LISTED),
        {"as_at": as_at, "reviews": (condition, review_ids)},
    ):
        if status_to is not None:
            latest.status[action_id] = Status(status_to)
        if new_date is not None:
            latest.target[action_id] = _as_date(new_date)
        if updated_on is not None:
            latest.last_update[action_id] = _as_date(updated_on)
            latest.claim[action_id] = OwnerConfidence(confidence)
    return latest


def _run(
    sql: str, values: dict[str, Any], *, planner: tuple[str, ...] = ()
) -> list[tuple[Any, ...]]:
    """Run SQL written with `:name` placeholders. A value given as (sql, params) is put in
    as that fragment with its own parameters (a condition); any other value is a parameter.
    `planner` settings (PostgreSQL) apply to this query only."""
    params: list[Any] = []

    def bind(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        if isinstance(value, tuple):
            params.extend(value[1])
            return str(value[0])
        params.append(value)
        return "%s"

    sql = re.sub(r":([a-z_]+)\b", bind, sql)
    if not planner or connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    with transaction.atomic():
        # SET LOCAL lasts to the end of the transaction; rolling back to the savepoint ends it
        # here even inside a caller's transaction. The query only reads, so nothing is lost.
        savepoint = transaction.savepoint()
        try:
            with connection.cursor() as cursor:
                for setting in planner:
                    cursor.execute(f"SET LOCAL {setting}")
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        finally:
            transaction.savepoint_rollback(savepoint)


# ---------------------------------------------------------------------------------------------
# Counts as at a date, worked out inside the database (headlines, the national roll-up)
#
# The same rules as rules.action_confidence / recommendation_confidence, written in SQL so a
# headline for many reviews, or for the whole country, never brings a history row into Python.
# Severity codes order the confidences worst-first, as rules._SEVERITY does.

_SEVERITY_CODES = {
    Confidence.COMPLETE: 0,
    Confidence.CLOSED_NOT_IMPLEMENTED: 1,
    Confidence.ON_TRACK: 2,
    Confidence.AT_RISK: 3,
    Confidence.NO_UPDATE: 4,
    Confidence.OVERDUE: 5,
}
_CONFIDENCE_BY_CODE = {code: confidence for confidence, code in _SEVERITY_CODES.items()}

# An action's confidence as a severity code, from a row of the latest-entries SQL above.
_SEVERITY_SQL = """
CASE
    WHEN l.status_to = 'complete' THEN 0
    WHEN l.status_to = 'closed_not_implemented' THEN 1
    WHEN COALESCE(l.new_date, l.baseline_target_date) < :as_at THEN 5
    WHEN {days_since_heard} > l.update_interval THEN 4
    WHEN l.owner_confidence = 'at_risk' THEN 3
    WHEN COALESCE(l.status_to, '') <> 'ready_for_assessment'
        AND COALESCE(l.new_date, l.baseline_target_date) <= :soon THEN 3
    ELSE 2
END
"""
# A recommendation's: its worst open action's, else complete if all are, else closed.
_RECOMMENDATION_SEVERITY_SQL = """
CASE
    WHEN actions = 0 THEN 2
    WHEN worst_open IS NOT NULL THEN worst_open
    WHEN complete = actions THEN 0
    ELSE 1
END
"""
_REVIEW_COUNTS_SQL = """
WITH acts AS ({acts}),
latest AS {materialized} ({latest}),
severities AS (
    SELECT l.recommendation_id, {severity} AS severity FROM latest l
),
recs AS (
    SELECT r.review_id,
        MAX(CASE WHEN sv.severity >= 2 THEN sv.severity END) AS worst_open,
        COUNT(sv.severity) AS actions,
        SUM(CASE WHEN sv.severity = 0 THEN 1 ELSE 0 END) AS complete
    FROM tracker_recommendation r
    JOIN tracker_review rv ON rv.id = r.review_id
    LEFT JOIN severities sv ON sv.recommendation_id = r.id
    WHERE :reviews
    GROUP BY r.review_id, r.id
)
SELECT review_id, {recommendation_severity}, COUNT(*)
FROM recs
GROUP BY 1, 2
"""
# Recommendations with at least one action agreed by the date; the rest are counted apart.
_NATIONAL_COUNTS_SQL = """
WITH acts AS ({acts})
SELECT {recommendation_severity}, COUNT(*)
FROM (
    SELECT recommendation_id,
        MAX(CASE WHEN severity >= 2 THEN severity END) AS worst_open,
        COUNT(*) AS actions,
        SUM(CASE WHEN severity = 0 THEN 1 ELSE 0 END) AS complete
    FROM (
        SELECT l.recommendation_id, {severity} AS severity FROM ({latest} {fence}) l
    ) severities
    GROUP BY recommendation_id
) recs
GROUP BY 1
"""


def _severity_sql() -> str:
    if connection.vendor == "postgresql":
        days = ":as_at - COALESCE(l.updated_on, l.start_date)"
    else:
        days = "julianday(:as_at) - julianday(COALESCE(l.updated_on, l.start_date))"
    return _SEVERITY_SQL.format(days_since_heard=days)


def _count_values(as_at: date, **values: Any) -> dict[str, Any]:
    at_risk_days = int(settings.FOLLOWTHROUGH["AT_RISK_DAYS"])
    return {"as_at": as_at, "soon": as_at + timedelta(days=at_risk_days), **values}


@dataclass(frozen=True)
class ReviewCounts:
    """How many of a review's recommendations stand at each confidence on a date."""

    review_id: int
    as_at: date
    counts: dict[Confidence, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def headline(self) -> str:
        return headline(self.counts, self.total)


def _tally(rows: list[tuple[int, int]]) -> dict[Confidence, int]:
    tally = {c: 0 for c in REPORT_ORDER}
    for code, count in rows:
        tally[_CONFIDENCE_BY_CODE[code]] += count
    return tally


def reviews_counts_as_at(*, reviews: list[Review], as_at: date) -> dict[int, ReviewCounts]:
    """Each review's counts by confidence on `as_at`, the same figures as
    `reviews_state_as_at(...)[id].counts`, in one query whatever the size of the reviews.
    For headlines; pages that show recommendations or actions need the full state."""
    ids = [r.pk for r in reviews]
    by_review: dict[int, list[tuple[int, int]]] = {review_id: [] for review_id in ids}
    if ids:
        sql = _REVIEW_COUNTS_SQL.format(
            acts=_ACTS_FOR_COUNTING,
            # Each action's latest entries worked out once, not once per mention below.
            materialized="MATERIALIZED" if connection.vendor == "postgresql" else "",
            latest=_latest_for_counting(),
            severity=_severity_sql(),
            recommendation_severity=_RECOMMENDATION_SEVERITY_SQL,
        )
        condition = (f"rv.id IN ({', '.join(['%s'] * len(ids))})", ids)
        for review_id, code, count in _run(sql, _count_values(as_at, reviews=condition)):
            by_review[review_id].append((code, count))
    return {
        review_id: ReviewCounts(review_id=review_id, as_at=as_at, counts=_tally(rows))
        for review_id, rows in by_review.items()
    }


@dataclass(frozen=True)
class NationalRollup:
    """Every review's recommendations, counted by confidence, on a date."""

    as_at: date
    reviews: int
    counts: dict[Confidence, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def headline(self) -> str:
        return headline(self.counts, self.total)


# How PostgreSQL should run the national roll-up, a reporting query over every action: enough
# memory to group 800,000 recommendations without spilling to disk, no parallel workers (on a
# small server they only competed with each other) and no JIT compilation (it took longer
# than it saved). Measured at national scale: see bench/README.md.
_REPORTING = ("work_mem = '256MB'", "max_parallel_workers_per_gather = 0", "jit = off")


def national_rollup_as_at(*, as_at: date) -> NationalRollup:
    """Recommendations of every review agreed on or before `as_at`, counted by their
    confidence on that date: the sum of `review_state_as_at(...).counts` over those reviews,
    worked out in the database (three queries in all). As at today it reads only the actions;
    further back, the history of each action with entries after the date."""
    sql = _NATIONAL_COUNTS_SQL.format(
        acts=_ACTS_FOR_COUNTING,
        latest=_latest_for_counting(),
        fence="OFFSET 0" if connection.vendor == "postgresql" else "",
        severity=_severity_sql(),
        recommendation_severity=_RECOMMENDATION_SEVERITY_SQL,
    )
    rows = _run(
        sql, _count_values(as_at, reviews=("rv.agreed_on <= %s", [as_at])), planner=_REPORTING
    )
    counts = _tally(rows)
    # A recommendation with no action agreed yet is on track.
    in_scope = Recommendation.objects.filter(review__agreed_on__lte=as_at).count()
    counts[Confidence.ON_TRACK] += in_scope - sum(count for _code, count in rows)
    return NationalRollup(
        as_at=as_at,
        reviews=Review.objects.filter(agreed_on__lte=as_at).count(),
        counts=counts,
    )


# ---------------------------------------------------------------------------------------------
# Histories for the recommendation and action pages


@dataclass(frozen=True)
class HistoryEntry:
    on: date
    recorded_at: Any
    kind: str  # "update", "assessment", "target_date", "status"
    obj: Any


def action_history(*, action: Action) -> list[HistoryEntry]:
    """The action's full dated history, newest first."""
    return actions_history(actions=[action])[action.pk]


def actions_history(*, actions: list[Action]) -> dict[int, list[HistoryEntry]]:
    """Each action's full dated history, newest first: five queries for any number of
    actions (the recommendation page shows every action's history)."""
    return _history_entries(_action_records([a.pk for a in actions]))


@dataclass
class _ActionRecords:
    """Everything dated that was recorded against some actions, oldest first."""

    action_ids: list[int]
    updates: list[ProgressUpdate]
    assessments: list[Assessment]
    target_changes: list[TargetDateChange]
    status_changes: list[StatusChange]


def _action_records(ids: list[int]) -> _ActionRecords:
    chronological = ("action_id", "effective_date", "id")
    return _ActionRecords(
        action_ids=ids,
        updates=list(
            ProgressUpdate.objects.filter(action_id__in=ids)
            .select_related("author", "organisation")
            .prefetch_related("evidence")
            .order_by(*chronological)
        ),
        assessments=list(
            Assessment.objects.filter(action_id__in=ids)
            .select_related("assessor")
            .order_by("action_id", "decided_on", "id")
        ),
        target_changes=list(
            TargetDateChange.objects.filter(action_id__in=ids)
            .select_related("approver")
            .order_by(*chronological)
        ),
        status_changes=list(
            StatusChange.objects.filter(action_id__in=ids)
            .select_related("actor")
            .order_by(*chronological)
        ),
    )


def _history_entries(records: _ActionRecords) -> dict[int, list[HistoryEntry]]:
    history: dict[int, list[HistoryEntry]] = {pk: [] for pk in records.action_ids}
    for u in records.updates:
        history[u.action_id].append(HistoryEntry(u.effective_date, u.recorded_at, "update", u))
    for a in records.assessments:
        history[a.action_id].append(HistoryEntry(a.decided_on, a.recorded_at, "assessment", a))
    for c in records.target_changes:
        history[c.action_id].append(HistoryEntry(c.effective_date, c.recorded_at, "target_date", c))
    for sc in records.status_changes:
        if sc.status_to == Status.CLOSED_NOT_IMPLEMENTED:
            history[sc.action_id].append(
                HistoryEntry(sc.effective_date, sc.recorded_at, "status", sc)
            )
    for entries in history.values():
        entries.sort(key=lambda e: (e.on, e.recorded_at), reverse=True)
    return history


def _latest_from_records(records: _ActionRecords, as_at: date) -> _Latest:
    """The same as `_latest_history`, picked from records already loaded (oldest first, so the
    last one on or before the date wins)."""
    latest = _Latest()
    for sc in records.status_changes:
        if sc.effective_date <= as_at:
            latest.status[sc.action_id] = Status(sc.status_to)
    for c in records.target_changes:
        if c.effective_date <= as_at:
            latest.target[c.action_id] = c.new_date
    for u in records.updates:
        if u.effective_date <= as_at:
            latest.last_update[u.action_id] = u.effective_date
            latest.claim[u.action_id] = OwnerConfidence(u.owner_confidence)
    return latest


@dataclass(frozen=True)
class RecommendationRecord:
    """A recommendation's actions, each one's full history, and where it stood on a date."""

    state: RecommendationState
    actions: list[Action]
    histories: dict[int, list[HistoryEntry]]


def recommendation_record_as_at(
    *, recommendation: Recommendation, as_at: date
) -> RecommendationRecord:
    """The recommendation page's data: its actions with their histories, and its state on
    `as_at` worked out from those same histories (equal to `review_state_as_at(...)`'s
    figures for it). Six queries however many actions and updates it has."""
    actions = list(recommendation.actions.select_related("owner").order_by("position", "id"))
    records = _action_records([a.pk for a in actions])
    latest = _latest_from_records(records, as_at)
    at_risk_days = int(settings.FOLLOWTHROUGH["AT_RISK_DAYS"])
    interval = recommendation.review.update_interval_days
    states = [
        _action_state(
            action_id=a.pk,
            rec_id=recommendation.pk,
            owner_id=a.owner_id,
            start=a.start_date,
            baseline=a.baseline_target_date,
            latest=latest,
            as_at=as_at,
            update_interval_days=interval,
            at_risk_days=at_risk_days,
        )
        for a in actions
        if a.start_date <= as_at
    ]
    return RecommendationRecord(
        state=_recommendation_state(recommendation.pk, states),
        actions=actions,
        histories=_history_entries(records),
    )


def latest_assessment(action: Action) -> Assessment | None:
    return Assessment.objects.filter(action=action).order_by("-decided_on", "-id").first()


# ---------------------------------------------------------------------------------------------
# Page data


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: Recommendation
    state: RecommendationState


def recommendation_rows(
    *,
    review: Review,
    state: ReviewState,
    confidence: str = "",
    partner_id: int | None = None,
    theme_id: int | None = None,
) -> list[RecommendationRow]:
    """The review page's table: recommendations with their as-at state, filtered."""
    queryset = (
        Recommendation.objects.filter(review=review)
        .select_related("lead_organisation")
        .prefetch_related("partners", "themes")
        .order_by("position", "id")
    )
    if partner_id:
        queryset = queryset.filter(
            Q(partners=partner_id) | Q(lead_organisation=partner_id) | Q(actions__owner=partner_id)
        ).distinct()
    if theme_id:
        queryset = queryset.filter(themes=theme_id)
    rows = [
        RecommendationRow(rec, state.recommendations[rec.pk])
        for rec in queryset
        if rec.pk in state.recommendations
    ]
    if confidence:
        rows = [row for row in rows if row.state.confidence == confidence]
    return rows


def review_partners(review: Review) -> QuerySet[Any]:
    from followthrough.core.models import Organisation

    # Two semi-joins rather than joining both relations at once: the OR over two outer joins
    # multiplied every partner row by every action row and took seconds on a large database.
    sharing = Recommendation.partners.through.objects.filter(recommendation__review=review)
    owning = Action.objects.filter(recommendation__review=review)
    return Organisation.objects.filter(
        Q(pk__in=sharing.values("organisation_id")) | Q(pk__in=owning.values("owner_id"))
    )


def review_themes(review: Review) -> QuerySet[Any]:
    from .models import Theme

    return Theme.objects.filter(recommendations__review=review).distinct()


def dashboard_for_user(user: Any, *, as_at: date) -> dict[str, Any]:
    """What the signed-in person should see first, by role."""
    from followthrough.core.roles import Role

    data: dict[str, Any] = {"reviews": list(review_list_for_user(user)[:50])}
    counts = reviews_counts_as_at(reviews=data["reviews"], as_at=as_at)
    data["review_headlines"] = [(r, counts[r.pk]) for r in data["reviews"]]
    if user.role == Role.PARTNER_LEAD:
        data["my_actions"] = list(action_list_for_user(user)[:100])
    if user.role == Role.ASSESSOR:
        data["ready"] = list(action_ready_for_assessment_list()[:100])
    data["overdue"] = list(action_overdue_list_for_user(user, as_at=as_at)[:100])
    return data


@dataclass(frozen=True)
class IndicatorReading:
    indicator: Any
    value: Any  # Decimal | None
    on: date | None
    note: str


def indicator_readings_as_at(
    *, recommendation_ids: list[int], as_at: date
) -> dict[int, list[IndicatorReading]]:
    """Each indicator's latest value on or before `as_at`, by recommendation (two queries)."""
    from .models import Indicator, IndicatorValue

    indicators = list(
        Indicator.objects.filter(recommendation_id__in=recommendation_ids).order_by("id")
    )
    latest: dict[int, Any] = {}
    for reading in IndicatorValue.objects.filter(indicator__in=indicators, on__lte=as_at).order_by(
        "indicator_id", "on"
    ):
        latest[reading.indicator_id] = reading
    readings: dict[int, list[IndicatorReading]] = defaultdict(list)
    for indicator in indicators:
        value = latest.get(indicator.pk)
        readings[indicator.recommendation_id].append(
            IndicatorReading(
                indicator=indicator,
                value=value.value if value else None,
                on=value.on if value else None,
                note=value.note if value else "",
            )
        )
    return readings
