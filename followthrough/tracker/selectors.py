"""Reads for the tracker, including the access funnels and as-at reconstruction.

The access funnels (`*_get_for_user`, `*_list_for_user`) are the only way views, the API and
reports fetch tracker objects for a person: missing and forbidden both raise Http404.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
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
    involved = Recommendation.objects.filter(review=OuterRef("pk")).filter(
        Q(actions__owner__in=orgs) | Q(partners__in=orgs) | Q(lead_organisation__in=orgs)
    )
    return Review.objects.filter(Exists(involved))


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
    reviews = review_list_for_user(user)
    return (
        Action.objects.filter(
            recommendation__review__in=reviews, status__in=_open(), target_date__lt=as_at
        )
        .select_related("recommendation__review", "owner")
        .order_by("target_date", "id")
    )


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
    from the current columns on Action, so a past date gives what was true then. Four queries
    whatever the size of the review.
    """
    return reviews_state_as_at(reviews=[review], as_at=as_at)[review.pk]


def reviews_state_as_at(*, reviews: list[Review], as_at: date) -> dict[int, ReviewState]:
    review_ids = [r.pk for r in reviews]
    interval = {r.pk: r.update_interval_days for r in reviews}
    at_risk_days = int(settings.FOLLOWTHROUGH["AT_RISK_DAYS"])

    recommendations = list(
        Recommendation.objects.filter(review_id__in=review_ids)
        .order_by("review_id", "position", "id")
        .values_list("id", "review_id")
    )
    actions = list(
        Action.objects.filter(recommendation__review_id__in=review_ids, start_date__lte=as_at)
        .order_by("recommendation_id", "position", "id")
        .values_list("id", "recommendation_id", "owner_id", "start_date", "baseline_target_date")
    )
    action_filter = Q(action__recommendation__review_id__in=review_ids)

    status: dict[int, Status] = {}
    for action_id, status_to in (
        StatusChange.objects.filter(action_filter, effective_date__lte=as_at)
        .order_by("action_id", "effective_date", "id")
        .values_list("action_id", "status_to")
    ):
        status[action_id] = Status(status_to)

    target: dict[int, date] = {}
    for action_id, new_date in (
        TargetDateChange.objects.filter(action_filter, effective_date__lte=as_at)
        .order_by("action_id", "effective_date", "id")
        .values_list("action_id", "new_date")
    ):
        target[action_id] = new_date

    last_update: dict[int, date] = {}
    claim: dict[int, OwnerConfidence] = {}
    for action_id, effective, confidence in (
        ProgressUpdate.objects.filter(action_filter, effective_date__lte=as_at)
        .order_by("action_id", "effective_date", "id")
        .values_list("action_id", "effective_date", "owner_confidence")
    ):
        last_update[action_id] = effective
        claim[action_id] = OwnerConfidence(confidence)

    rec_review = dict(recommendations)
    by_rec: dict[int, list[ActionState]] = defaultdict(list)
    for action_id, rec_id, owner_id, start, baseline in actions:
        facts = ActionFacts(
            status=status.get(action_id, Status.NOT_STARTED),
            target_date=target.get(action_id, baseline),
            last_update_on=last_update.get(action_id),
            owner_confidence=claim.get(action_id),
            start_date=start,
        )
        by_rec[rec_id].append(
            ActionState(
                action_id=action_id,
                recommendation_id=rec_id,
                owner_id=owner_id,
                status=facts.status,
                target_date=target.get(action_id, baseline),
                baseline_target_date=baseline,
                last_update_on=facts.last_update_on,
                owner_confidence=facts.owner_confidence,
                confidence=action_confidence(
                    facts,
                    as_at=as_at,
                    update_interval_days=interval[rec_review[rec_id]],
                    at_risk_days=at_risk_days,
                ),
            )
        )

    states = {review_id: ReviewState(review_id=review_id, as_at=as_at) for review_id in review_ids}
    for rec_id, review_id in recommendations:
        action_states = tuple(by_rec.get(rec_id, ()))
        states[review_id].recommendations[rec_id] = RecommendationState(
            recommendation_id=rec_id,
            status=recommendation_status([a.status for a in action_states]),
            confidence=recommendation_confidence([a.confidence for a in action_states]),
            actions=action_states,
        )
    return states


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
    entries: list[HistoryEntry] = []
    updates = (
        ProgressUpdate.objects.filter(action=action)
        .select_related("author", "organisation")
        .prefetch_related("evidence")
    )
    entries += [HistoryEntry(u.effective_date, u.recorded_at, "update", u) for u in updates]
    assessments = Assessment.objects.filter(action=action).select_related("assessor")
    entries += [HistoryEntry(a.decided_on, a.recorded_at, "assessment", a) for a in assessments]
    changes = TargetDateChange.objects.filter(action=action).select_related("approver")
    entries += [HistoryEntry(c.effective_date, c.recorded_at, "target_date", c) for c in changes]
    closures = StatusChange.objects.filter(
        action=action, status_to=Status.CLOSED_NOT_IMPLEMENTED
    ).select_related("actor")
    entries += [HistoryEntry(c.effective_date, c.recorded_at, "status", c) for c in closures]
    entries.sort(key=lambda e: (e.on, e.recorded_at), reverse=True)
    return entries


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

    return Organisation.objects.filter(
        Q(recommendations__review=review) | Q(actions__recommendation__review=review)
    ).distinct()


def review_themes(review: Review) -> QuerySet[Any]:
    from .models import Theme

    return Theme.objects.filter(recommendations__review=review).distinct()


def dashboard_for_user(user: Any, *, as_at: date) -> dict[str, Any]:
    """What the signed-in person should see first, by role."""
    from followthrough.core.roles import Role

    data: dict[str, Any] = {"reviews": list(review_list_for_user(user)[:50])}
    states = reviews_state_as_at(reviews=data["reviews"], as_at=as_at)
    data["review_headlines"] = [(r, states[r.pk]) for r in data["reviews"]]
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
    for value in IndicatorValue.objects.filter(indicator__in=indicators, on__lte=as_at).order_by(
        "indicator_id", "on"
    ):
        latest[value.indicator_id] = value
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
