"""Reads for the public site, the downloads and the open API: published material only.

Every function here starts from `published_review_list()`, so a draft review, its
recommendations and its actions can never reach a resident. Progress figures come from the
tracker's as-at reconstruction (`review_state_as_at`, `recommendation_rows`); the history is read
column by column (public columns only), so restricted detail and evidence are never even loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from followthrough.core.models import AuditEvent, Organisation
from followthrough.tracker import selectors as tracker_selectors
from followthrough.tracker.models import (
    Action,
    Assessment,
    ProgressUpdate,
    Recommendation,
    Review,
    StatusChange,
    TargetDateChange,
    Theme,
)
from followthrough.tracker.rules import CONFIDENCE_LABELS, STATUS_LABELS, Confidence, Status
from followthrough.tracker.selectors import (
    ActionState,
    RecommendationRow,
    RecommendationState,
    ReviewCounts,
    ReviewState,
)

_OWNER_CONFIDENCE_LABELS = {"on_track": "On track", "at_risk": "At risk"}
_DECISION_LABELS = dict(Assessment.Decision.choices)


def today() -> date:
    return tracker_selectors.today()


# ---------------------------------------------------------------------------------------------
# Published reviews and their parts


def published_review_list() -> QuerySet[Review]:
    """Reviews whose progress has been published, newest first; the id makes the order total,
    so in a paged list no review falls between two pages or shows on both."""
    return Review.objects.filter(visibility=Review.Visibility.PUBLISHED).order_by(
        "-agreed_on", "title", "id"
    )


def published_review_get(slug: str) -> Review:
    """A published review; a draft or missing one raises Http404 (they look the same)."""
    review = published_review_list().filter(slug=slug).first()
    if review is None:
        raise Http404("No such review")
    return review


def published_recommendation_list() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(review__in=published_review_list())


def published_recommendation_get(review: Review, number: str) -> Recommendation:
    """A recommendation of a published review (pass a review from `published_review_get`)."""
    if review.visibility != Review.Visibility.PUBLISHED:
        raise Http404("No such recommendation")
    recommendation = (
        Recommendation.objects.filter(review=review, number=number)
        .select_related("review", "lead_organisation")
        .prefetch_related("themes", "partners")
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def published_action_list() -> QuerySet[Action]:
    return Action.objects.filter(recommendation__review__in=published_review_list())


def published_update_list() -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(action__recommendation__review__in=published_review_list())


def review_partners(review: Review) -> QuerySet[Organisation]:
    return tracker_selectors.review_partners(review)


def review_themes(review: Review) -> QuerySet[Theme]:
    return tracker_selectors.review_themes(review)


def published_review_states(*, reviews: list[Review], as_at: date) -> dict[int, ReviewState]:
    """As-at figures for several published reviews (the tracker's reconstruction)."""
    reviews = [r for r in reviews if r.visibility == Review.Visibility.PUBLISHED]
    return tracker_selectors.reviews_state_as_at(reviews=reviews, as_at=as_at)


def published_review_headlines(*, reviews: list[Review], as_at: date) -> dict[int, ReviewCounts]:
    """Each published review's recommendations counted by confidence on `as_at`: the same
    figures as `published_review_states(...)[id].counts` (and so the same headline), worked
    out in the database in one query whatever the size of the reviews. For lists, which show
    only the headline."""
    reviews = [r for r in reviews if r.visibility == Review.Visibility.PUBLISHED]
    return tracker_selectors.reviews_counts_as_at(reviews=reviews, as_at=as_at)


def published_review_state(*, review: Review, as_at: date) -> ReviewState:
    if review.visibility != Review.Visibility.PUBLISHED:
        raise Http404("No such review")
    return tracker_selectors.review_state_as_at(review=review, as_at=as_at)


def published_recommendation_rows(
    *,
    review: Review,
    state: ReviewState,
    confidence: str = "",
    partner_id: int | None = None,
    theme_id: int | None = None,
) -> list[RecommendationRow]:
    if review.visibility != Review.Visibility.PUBLISHED:
        raise Http404("No such review")
    return tracker_selectors.recommendation_rows(
        review=review,
        state=state,
        confidence=confidence,
        partner_id=partner_id,
        theme_id=theme_id,
    )


# ---------------------------------------------------------------------------------------------
# Public history: what was said, claimed and decided, as residents may read it


@dataclass(frozen=True)
class PublicEntry:
    """One dated entry of an action's public history. Holds public fields only."""

    on: date
    kind: str  # "update", "assessment", "target_date", "closed"
    organisation: str = ""  # who wrote an update
    text: str = ""  # public summary, assessor's rationale or reason for a change
    status_to: str = ""  # the status an update claimed (e.g. ready for assessment)
    owner_confidence: str = ""  # the owner's claim: on_track / at_risk
    decision: str = ""  # signed_off / returned
    previous_date: date | None = None
    new_date: date | None = None
    order: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    @property
    def status_to_label(self) -> str:
        return STATUS_LABELS[Status(self.status_to)] if self.status_to else ""

    @property
    def owner_confidence_label(self) -> str:
        return _OWNER_CONFIDENCE_LABELS.get(self.owner_confidence, "")

    @property
    def decision_label(self) -> str:
        return str(_DECISION_LABELS.get(self.decision, ""))

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"date": self.on.isoformat(), "kind": self.kind}
        if self.kind == "update":
            data |= {
                "organisation": self.organisation,
                "public_summary": self.text,
                "status_claimed": self.status_to or None,
                "owner_confidence": self.owner_confidence,
            }
        elif self.kind == "assessment":
            data |= {"decision": self.decision, "rationale": self.text}
        elif self.kind == "target_date":
            data |= {
                "previous_date": self.previous_date.isoformat() if self.previous_date else None,
                "new_date": self.new_date.isoformat() if self.new_date else None,
                "reason": self.text,
            }
        else:
            data |= {"reason": self.text}
        return data


def public_history(*, action_ids: Iterable[int], as_at: date) -> dict[int, list[PublicEntry]]:
    """Each action's public history up to `as_at`, newest first: the same entries as the
    tracker's `action_history` (updates, assessments, target-date changes, closures), read with
    `values()` so only public columns leave the database. Four queries for any number of
    actions. Callers pass actions of published reviews only."""
    ids = list(action_ids)
    history: dict[int, list[PublicEntry]] = defaultdict(list)
    if not ids:
        return history
    # Each query clears the models' default ordering (by action, so by recommendation and
    # review: three joins and a sort); `order` below decides the order, and it is unique.
    updates = ProgressUpdate.objects.filter(action_id__in=ids, effective_date__lte=as_at)
    for u in updates.order_by().values(
        "action_id",
        "effective_date",
        "recorded_at",
        "id",
        "organisation__name",
        "organisation__short_name",
        "public_summary",
        "status_to",
        "owner_confidence",
    ):
        history[u["action_id"]].append(
            PublicEntry(
                on=u["effective_date"],
                kind="update",
                organisation=u["organisation__short_name"] or u["organisation__name"],
                text=u["public_summary"],
                status_to=u["status_to"],
                owner_confidence=u["owner_confidence"],
                order=(u["effective_date"], u["recorded_at"], 0, u["id"]),
            )
        )
    assessments = Assessment.objects.filter(action_id__in=ids, decided_on__lte=as_at)
    for a in assessments.order_by().values(
        "action_id", "decided_on", "recorded_at", "id", "decision", "rationale"
    ):
        history[a["action_id"]].append(
            PublicEntry(
                on=a["decided_on"],
                kind="assessment",
                text=a["rationale"],
                decision=a["decision"],
                order=(a["decided_on"], a["recorded_at"], 1, a["id"]),
            )
        )
    changes = TargetDateChange.objects.filter(action_id__in=ids, effective_date__lte=as_at)
    for c in changes.order_by().values(
        "action_id", "effective_date", "recorded_at", "id", "previous_date", "new_date", "reason"
    ):
        history[c["action_id"]].append(
            PublicEntry(
                on=c["effective_date"],
                kind="target_date",
                text=c["reason"],
                previous_date=c["previous_date"],
                new_date=c["new_date"],
                order=(c["effective_date"], c["recorded_at"], 2, c["id"]),
            )
        )
    closures = StatusChange.objects.filter(
        action_id__in=ids, effective_date__lte=as_at, status_to=Status.CLOSED_NOT_IMPLEMENTED
    )
    for sc in closures.order_by().values(
        "action_id", "effective_date", "recorded_at", "id", "reason"
    ):
        history[sc["action_id"]].append(
            PublicEntry(
                on=sc["effective_date"],
                kind="closed",
                text=sc["reason"],
                order=(sc["effective_date"], sc["recorded_at"], 3, sc["id"]),
            )
        )
    for entries in history.values():
        entries.sort(key=lambda e: e.order, reverse=True)
    return history


@dataclass(frozen=True)
class PublicAction:
    """An action as residents see it on a date: figures from the as-at reconstruction, words
    from the public history."""

    action_id: int
    reference: str
    description: str
    owner: str
    success_measure: str
    state: ActionState | None  # None when the action had not started by the date
    history: tuple[PublicEntry, ...]

    @property
    def latest_claim(self) -> PublicEntry | None:
        """The owner's most recent update: their narrative and their claim."""
        return next((e for e in self.history if e.kind == "update"), None)

    @property
    def latest_verdict(self) -> PublicEntry | None:
        """The independent assessor's most recent decision, published beside the claim."""
        return next((e for e in self.history if e.kind == "assessment"), None)

    @property
    def target_changes(self) -> list[PublicEntry]:
        return [e for e in self.history if e.kind == "target_date"]

    @property
    def target_slipped(self) -> bool:
        return bool(self.state and self.state.target_date != self.state.baseline_target_date)


@dataclass(frozen=True)
class PublicRecommendation:
    recommendation: Recommendation
    state: RecommendationState
    actions: tuple[PublicAction, ...]


def public_recommendations(
    *, review: Review, state: ReviewState, recommendations: list[Recommendation]
) -> list[PublicRecommendation]:
    """Recommendations of a published review with their actions and public history as at the
    state's date (six queries whatever the number of recommendations)."""
    if review.visibility != Review.Visibility.PUBLISHED:
        raise Http404("No such review")
    wanted = {r.pk for r in recommendations if r.review_id == review.pk}
    actions = list(
        Action.objects.filter(recommendation_id__in=wanted)
        .select_related("owner")
        .order_by("recommendation_id", "position", "id")
    )
    history = public_history(action_ids=[a.pk for a in actions], as_at=state.as_at)
    by_rec: dict[int, list[PublicAction]] = defaultdict(list)
    for action in actions:
        rec_state = state.recommendations.get(action.recommendation_id)
        action_state = None
        if rec_state is not None:
            action_state = next((a for a in rec_state.actions if a.action_id == action.pk), None)
        if action_state is None and action.start_date > state.as_at:
            continue  # not yet agreed on that date
        by_rec[action.recommendation_id].append(
            PublicAction(
                action_id=action.pk,
                reference=action.reference,
                description=action.description,
                owner=action.owner.label,
                success_measure=action.success_measure,
                state=action_state,
                history=tuple(history.get(action.pk, ())),
            )
        )
    return [
        PublicRecommendation(rec, state.recommendations[rec.pk], tuple(by_rec.get(rec.pk, ())))
        for rec in recommendations
        if rec.pk in wanted and rec.pk in state.recommendations
    ]


def confidence_label(value: Confidence | str) -> str:
    return CONFIDENCE_LABELS[Confidence(value)]


def status_label(value: Status | str) -> str:
    return STATUS_LABELS[Status(value)]


# ---------------------------------------------------------------------------------------------
# Freshness: one cheap number that changes whenever anything published could have changed


@dataclass(frozen=True)
class Freshness:
    marker: str  # the newest audit record's hash: unique to that record and all before it
    changed_at: datetime | None


def public_freshness() -> Freshness:
    """The newest audit record's hash and time. Every write goes through a service that appends
    to the audit chain, so this changes whenever published progress (or a published release)
    could have changed; public pages build their ETag and Last-Modified from it."""
    row = AuditEvent.objects.order_by("-id").values_list("hash", "at").first()
    return Freshness(row[0], row[1]) if row else Freshness("", None)
