"""Reads for committee reports and the committee cycle.

Every figure in a report comes from the tracker's as-at reconstruction
(`tracker.selectors.reviews_state_as_at`), never from the current columns or typed numbers.
Narrative is the public summary only: restricted detail never enters a report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from followthrough.core.models import Organisation
from followthrough.tracker import selectors as tracker_selectors
from followthrough.tracker.models import (
    Action,
    Assessment,
    ProgressUpdate,
    Recommendation,
    Review,
    TargetDateChange,
)
from followthrough.tracker.rules import (
    CONFIDENCE_LABELS,
    OPEN_STATUSES,
    REPORT_ORDER,
    STATUS_LABELS,
    Status,
)
from followthrough.tracker.selectors import ReviewState

from .committee_report import (
    SCHEMA,
    RecommendationDifference,
    changes_summary,
    compare_recommendations,
    content_hash,
    long_date,
    month_ends,
)
from .models import Meeting, Notification, ReportSnapshot, Subscription

# ---------------------------------------------------------------------------------------------
# Access funnels (reviews come through the tracker's funnel, so access always agrees with it)


def meeting_list(*, review: Review) -> QuerySet[Meeting]:
    return Meeting.objects.filter(review=review).select_related("snapshot").order_by("meets_on")


def meeting_get_for_user(user: Any, review_slug: str, meeting_id: int) -> Meeting:
    review = tracker_selectors.review_get_for_user(user, review_slug)
    meeting = Meeting.objects.filter(review=review, pk=meeting_id).select_related("review").first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def snapshot_list(*, review: Review) -> QuerySet[ReportSnapshot]:
    return (
        ReportSnapshot.objects.filter(review=review)
        .select_related("meeting")
        .order_by("as_at", "id")
    )


def snapshot_get_for_user(user: Any, review_slug: str, snapshot_id: int) -> ReportSnapshot:
    review = tracker_selectors.review_get_for_user(user, review_slug)
    snapshot = (
        ReportSnapshot.objects.filter(review=review, pk=snapshot_id)
        .select_related("meeting", "review")
        .first()
    )
    if snapshot is None:
        raise Http404("No such report")
    return snapshot


def meeting_on(*, review: Review, on: date) -> Meeting | None:
    return Meeting.objects.filter(review=review, meets_on=on).select_related("snapshot").first()


def meeting_before(*, review: Review, on: date) -> Meeting | None:
    return (
        Meeting.objects.filter(review=review, meets_on__lt=on)
        .select_related("snapshot")
        .order_by("-meets_on")
        .first()
    )


def snapshot_of(meeting: Meeting | None) -> ReportSnapshot | None:
    if meeting is None:
        return None
    try:
        return meeting.snapshot
    except ReportSnapshot.DoesNotExist:
        return None


def snapshot_is_intact(snapshot: ReportSnapshot) -> bool:
    """True when the stored figures still match the hash taken when the report was frozen."""
    return content_hash(snapshot.data) == snapshot.content_hash


def snapshot_compare(
    *, earlier: ReportSnapshot, later: ReportSnapshot
) -> list[RecommendationDifference]:
    """Per recommendation, what differs between two frozen reports."""
    return compare_recommendations(earlier.data["recommendations"], later.data["recommendations"])


def notification_list_for_user(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def subscription_list_for_user(user: Any) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(user=user)
        .select_related("recommendation__review")
        .order_by("recommendation__review__title", "recommendation__position")
    )


def subscription_for_user(user: Any, recommendation: Recommendation) -> Subscription | None:
    if not user.is_authenticated:
        return None
    return Subscription.objects.filter(user=user, recommendation=recommendation).first()


def subscription_get_by_token(token: str) -> Subscription:
    """The subscription an emailed link names: holding the link is the permission."""
    subscription = (
        Subscription.objects.filter(token=token).select_related("recommendation__review").first()
    )
    if subscription is None:
        raise Http404("No such subscription")
    return subscription


def published_recommendation_get(review_slug: str, number: str) -> Recommendation:
    """A recommendation of a published review: what the public may follow."""
    recommendation = (
        Recommendation.objects.filter(
            review__slug=review_slug,
            review__visibility=Review.Visibility.PUBLISHED,
            number=number,
        )
        .select_related("review")
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


# ---------------------------------------------------------------------------------------------
# Owners who did not update


@dataclass(frozen=True)
class UpdateWindow:
    """Updates effective from `start` to `end` (inclusive) count as received for a meeting."""

    start: date
    end: date


def update_window(*, review: Review, as_at: date, meeting: Meeting | None) -> UpdateWindow:
    """For a meeting: from the date requests went out to the papers deadline. Without one:
    since the previous meeting (or, before any, the review's update interval)."""
    if meeting is not None:
        return UpdateWindow(meeting.requests_from, min(meeting.papers_deadline, as_at))
    previous = meeting_before(review=review, on=as_at)
    if previous is not None:
        return UpdateWindow(previous.meets_on + timedelta(days=1), as_at)
    start = max(review.agreed_on, as_at - timedelta(days=review.update_interval_days))
    return UpdateWindow(start, as_at)


def actions_without_update(
    *, review: Review, state: ReviewState, window: UpdateWindow
) -> list[int]:
    """Ids of actions open on the as-at date with no progress update in the window."""
    open_ids = [
        a.action_id
        for rec in state.recommendations.values()
        for a in rec.actions
        if a.status in OPEN_STATUSES
    ]
    updated = set(
        ProgressUpdate.objects.filter(
            action_id__in=open_ids,
            effective_date__gte=window.start,
            effective_date__lte=window.end,
        ).values_list("action_id", flat=True)
    )
    return [action_id for action_id in open_ids if action_id not in updated]


# ---------------------------------------------------------------------------------------------
# The committee report's content


def _latest_by_action(rows: Iterable[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:  # ordered oldest first, so the last one wins
        latest[row["action_id"]] = dict(row)
    return latest


def _recommendation_entries(
    *, review: Review, state: ReviewState, detail: bool
) -> list[dict[str, Any]]:
    """Each recommendation with its actions as at the state's date. With `detail`, also the
    latest public narrative, the owner's claim and the assessor's verdict."""
    as_at = state.as_at
    recommendations = list(
        Recommendation.objects.filter(review=review)
        .select_related("lead_organisation")
        .order_by("position", "id")
    )
    actions = {
        a.pk: a
        for a in Action.objects.filter(recommendation__review=review).select_related("owner")
    }
    updates: dict[int, dict[str, Any]] = {}
    claims: dict[int, dict[str, Any]] = {}
    verdicts: dict[int, dict[str, Any]] = {}
    if detail:
        rows: list[Mapping[str, Any]] = list(
            ProgressUpdate.objects.filter(
                action__recommendation__review=review, effective_date__lte=as_at
            )
            .order_by("action_id", "effective_date", "id")
            .values(
                "action_id", "effective_date", "public_summary", "owner_confidence", "status_to"
            )
        )
        updates = _latest_by_action(rows)
        claims = _latest_by_action(
            [r for r in rows if r["status_to"] == Status.READY_FOR_ASSESSMENT]
        )
        verdicts = _latest_by_action(
            Assessment.objects.filter(action__recommendation__review=review, decided_on__lte=as_at)
            .order_by("action_id", "decided_on", "id")
            .values("action_id", "decided_on", "decision", "rationale")
        )
    readings = tracker_selectors.indicator_readings_as_at(
        recommendation_ids=[rec.pk for rec in recommendations], as_at=as_at
    )
    entries = []
    for rec in recommendations:
        rec_state = state.recommendations.get(rec.pk)
        if rec_state is None:  # added since the state was worked out
            continue
        action_entries = []
        for action_state in rec_state.actions:
            action = actions[action_state.action_id]
            entry: dict[str, Any] = {
                "reference": action.reference,
                "description": action.description,
                "owner": action.owner.label,
                "status": action_state.status.value,
                "status_label": STATUS_LABELS[action_state.status],
                "confidence": action_state.confidence.value,
                "confidence_label": CONFIDENCE_LABELS[action_state.confidence],
                "baseline_target": action_state.baseline_target_date.isoformat(),
                "target": action_state.target_date.isoformat(),
            }
            if detail:
                entry.update(
                    _narrative(
                        updates.get(action.pk), claims.get(action.pk), verdicts.get(action.pk)
                    )
                )
            action_entries.append(entry)
        entries.append(
            {
                "number": rec.number,
                "title": rec.title,
                "text": rec.text,
                "lead": rec.lead_organisation.name if rec.lead_organisation else "",
                "status": rec_state.status.value,
                "status_label": STATUS_LABELS[rec_state.status],
                "confidence": rec_state.confidence.value,
                "confidence_label": CONFIDENCE_LABELS[rec_state.confidence],
                "actions": action_entries,
                # Evidence from the registers (licensing, front door, insights): the latest
                # value of each indicator on or before the date.
                "indicators": [
                    {
                        "name": r.indicator.name,
                        "unit": r.indicator.unit,
                        "value": None if r.value is None else format(r.value.normalize(), "f"),
                        "target": None
                        if r.indicator.target is None
                        else format(r.indicator.target.normalize(), "f"),
                        "on": r.on.isoformat() if r.on else None,
                        "note": r.note,
                    }
                    for r in readings.get(rec.pk, [])
                ],
            }
        )
    return entries


_OWNER_SAYS = {"on_track": "on track", "at_risk": "at risk"}


def _narrative(
    update: dict[str, Any] | None, claim: dict[str, Any] | None, verdict: dict[str, Any] | None
) -> dict[str, Any]:
    latest_update = None
    owner_claim = None
    if update is not None:
        latest_update = {
            "on": update["effective_date"].isoformat(),
            "summary": update["public_summary"],
        }
        says = _OWNER_SAYS.get(update["owner_confidence"], update["owner_confidence"])
        owner_claim = {"on": update["effective_date"].isoformat(), "text": f"Says it is {says}"}
    # The owner's claim that the action is ready is what the assessor's verdict answers, so it
    # is shown rather than later notes; without one, the owner's latest stated confidence.
    if claim is not None and claim["status_to"] == Status.READY_FOR_ASSESSMENT:
        owner_claim = {
            "on": claim["effective_date"].isoformat(),
            "text": "Says it is ready for assessment: " + claim["public_summary"],
        }
    assessor_verdict = None
    if verdict is not None:
        assessor_verdict = {
            "on": verdict["decided_on"].isoformat(),
            "decision": verdict["decision"],
            "decision_label": Assessment.Decision(verdict["decision"]).label,
            "rationale": verdict["rationale"],
        }
    return {"latest_update": latest_update, "claim": owner_claim, "verdict": assessor_verdict}


def _counts(state: ReviewState) -> list[dict[str, Any]]:
    counts = state.counts
    return [
        {"key": c.value, "label": CONFIDENCE_LABELS[c], "count": counts[c]} for c in REPORT_ORDER
    ]


def _by_partner(state: ReviewState) -> list[dict[str, Any]]:
    tally: dict[int, dict[str, int]] = defaultdict(lambda: {c.value: 0 for c in REPORT_ORDER})
    for rec in state.recommendations.values():
        for action in rec.actions:
            tally[action.owner_id][action.confidence.value] += 1
    names = dict(Organisation.objects.filter(pk__in=tally).values_list("pk", "name"))
    rows = [
        {"partner": names[org_id], "counts": counts, "total": sum(counts.values())}
        for org_id, counts in tally.items()
    ]
    return sorted(rows, key=lambda row: row["partner"])


def _progress(review: Review, as_at: date) -> list[dict[str, Any]]:
    points = month_ends(review.agreed_on, as_at)
    result = []
    for on in points:
        state = tracker_selectors.review_state_as_at(review=review, as_at=on)
        result.append(
            {"on": on.isoformat(), "counts": {c.value: n for c, n in state.counts.items()}}
        )
    return result


def _slippage(review: Review, state: ReviewState) -> list[dict[str, Any]]:
    live = {a.action_id: a for rec in state.recommendations.values() for a in rec.actions}
    changes = (
        TargetDateChange.objects.filter(
            action__recommendation__review=review,
            action_id__in=list(live),
            effective_date__lte=state.as_at,
        )
        .select_related("action__recommendation", "action__owner")
        .order_by("action__recommendation__position", "action__position", "effective_date", "id")
    )
    rows: dict[int, dict[str, Any]] = {}
    for change in changes:
        action = change.action
        action_state = live[action.pk]
        row = rows.setdefault(
            action.pk,
            {
                "number": action.recommendation.number,
                "reference": action.reference,
                "owner": action.owner.label,
                "baseline": action_state.baseline_target_date.isoformat(),
                "current": action_state.target_date.isoformat(),
                "days": (action_state.target_date - action_state.baseline_target_date).days,
                "revisions": [],
            },
        )
        row["revisions"].append(
            {
                "on": change.effective_date.isoformat(),
                "from": change.previous_date.isoformat(),
                "to": change.new_date.isoformat(),
                "reason": change.reason,
            }
        )
    return list(rows.values())


def _no_update(review: Review, state: ReviewState, meeting: Meeting | None) -> dict[str, Any]:
    window = update_window(review=review, as_at=state.as_at, meeting=meeting)
    missing = actions_without_update(review=review, state=state, window=window)
    live = {a.action_id: a for rec in state.recommendations.values() for a in rec.actions}
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for action in (
        Action.objects.filter(pk__in=missing)
        .select_related("owner", "recommendation")
        .order_by("recommendation__position", "position", "id")
    ):
        last = live[action.pk].last_update_on
        by_owner[action.owner.name].append(
            {
                "reference": action.reference,
                "number": action.recommendation.number,
                "last_update_on": last.isoformat() if last else None,
            }
        )
    return {
        "from": window.start.isoformat(),
        "to": window.end.isoformat(),
        "owners": [
            {"owner": owner, "actions": actions} for owner, actions in sorted(by_owner.items())
        ],
    }


def _meeting_entry(meeting: Meeting | None) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "meets_on": meeting.meets_on.isoformat(),
        "papers_deadline": meeting.papers_deadline.isoformat(),
        "requests_from": meeting.requests_from.isoformat(),
    }


def _earlier_recommendations(review: Review, as_at: date) -> tuple[str, list[dict[str, Any]]]:
    """What the committee last saw: the previous meeting's frozen report if there is one,
    otherwise the as-at position on its date, or on the day the review was agreed."""
    previous = meeting_before(review=review, on=as_at)
    if previous is not None:
        since = (
            f"the meeting on {long_date(previous.meets_on)} ({previous.get_kind_display().lower()})"
        )
        snapshot = snapshot_of(previous)
        if snapshot is not None:
            return since, list(snapshot.data["recommendations"])
        on = previous.meets_on
    else:
        since = f"the review was agreed on {long_date(review.agreed_on)}"
        on = review.agreed_on
    state = tracker_selectors.review_state_as_at(review=review, as_at=on)
    return since, _recommendation_entries(review=review, state=state, detail=False)


def report_data_build(
    *, review: Review, as_at: date, meeting: Meeting | None = None
) -> dict[str, Any]:
    """The whole committee report as at `as_at`, as a JSON-able dict (what a snapshot stores)."""
    state = tracker_selectors.review_state_as_at(review=review, as_at=as_at)
    recommendations = _recommendation_entries(review=review, state=state, detail=True)
    since, earlier = _earlier_recommendations(review, as_at)
    moved = [d for d in compare_recommendations(earlier, recommendations) if d.status_changed]
    return {
        "schema": SCHEMA,
        "review": {
            "slug": review.slug,
            "title": review.title,
            "made_by": review.made_by,
            "agreed_on": review.agreed_on.isoformat(),
            "illustrative": review.illustrative,
        },
        "committee": meeting.committee if meeting else review.made_by,
        "meeting": _meeting_entry(meeting),
        "as_at": as_at.isoformat(),
        "generated_on": timezone.localdate().isoformat(),
        "headline": state.headline,
        "total": state.total,
        "counts": _counts(state),
        "partners": _by_partner(state),
        "progress": _progress(review, as_at),
        "changes": {
            "since": since,
            "summary": changes_summary(moved, since),
            "rows": [
                {
                    "number": d.number,
                    "title": d.title,
                    "before": d.before or "Not listed",
                    "after": d.after,
                }
                for d in moved
            ],
        },
        "slippage": _slippage(review, state),
        "no_update": _no_update(review, state, meeting),
        "recommendations": recommendations,
    }


@dataclass(frozen=True)
class ReportContent:
    """A report ready to render: its content and, when tabled, the snapshot it came from."""

    data: dict[str, Any]
    snapshot: ReportSnapshot | None


def report_content(*, review: Review, as_at: date) -> ReportContent:
    """The tabled report when a meeting on that date has been frozen; otherwise a draft worked
    out now from the record (not stored)."""
    meeting = meeting_on(review=review, on=as_at)
    snapshot = snapshot_of(meeting)
    if snapshot is not None:
        return ReportContent(snapshot.data, snapshot)
    return ReportContent(report_data_build(review=review, as_at=as_at, meeting=meeting), None)
