"""Every write to the tracker: permission check, validation, change and audit record, together.

The web views, the API and the command line all call these, so they behave identically.
Services raise `django.core.exceptions.ValidationError` with messages written for the person
acting, and `PermissionDenied` when the actor may not act at all.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from followthrough.core.audit import AuditEntry, audit_record, audit_record_many
from followthrough.core.models import Organisation
from followthrough.core.uploads import UploadRejected, sniff

from . import permissions
from .models import (
    Action,
    Assessment,
    Evidence,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
    Recommendation,
    Review,
    StatusChange,
    TargetDateChange,
    Theme,
)
from .rules import Actor, OwnerConfidence, Status, TransitionError, check_transition


class ConcurrentEditError(ValidationError):
    """Somebody else changed the action since the form was opened."""


CONCURRENT_MESSAGE = (
    "Someone else changed this action while you were working on it. Your entry has not been "
    "saved: check the latest history below, then submit again."
)


@dataclass(frozen=True)
class EvidenceInput:
    description: str
    url: str = ""
    filename: str = ""
    content: bytes = b""


def _today() -> date:
    return timezone.localdate()


def _snapshot(action: Action) -> dict[str, Any]:
    return {
        "status": action.status,
        "target_date": action.target_date,
        "owner_confidence": action.owner_confidence,
        "last_update_on": action.last_update_on,
        "version": action.version,
    }


def _latest_event_on(action: Action) -> date:
    """The latest effective date in the action's history: new entries may not go before it."""
    return max(action.start_date, action.last_entry_on or action.start_date)


def _check_effective_date(
    action: Action, effective: date, *, field: str = "effective_date"
) -> None:
    if effective > _today():
        raise ValidationError({field: "The date must be today or in the past"})
    floor = _latest_event_on(action)
    if effective < floor:
        raise ValidationError(
            {field: f"The date must be on or after {floor:%-d %B %Y}, the action's latest entry"}
        )


def _bump_version(action: Action, expected_version: int | None, **changes: Any) -> None:
    """Write current-state columns only if nobody else has since the form was opened."""
    version = action.version if expected_version is None else expected_version
    updated = Action.objects.filter(pk=action.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise ConcurrentEditError(CONCURRENT_MESSAGE, code="concurrent")
    for name, value in changes.items():
        setattr(action, name, value)
    action.version = version + 1


def _record_status(
    *,
    action: Action,
    actor: Any,
    new: Status,
    effective: date,
    reason: str = "",
    update: ProgressUpdate | None = None,
    assessment: Assessment | None = None,
) -> StatusChange:
    return StatusChange.objects.create(
        action=action,
        effective_date=effective,
        recorded_at=timezone.now(),
        status_from=action.status,
        status_to=new,
        actor=actor,
        reason=reason,
        update=update,
        assessment=assessment,
    )


def _evidence_save(update: ProgressUpdate, item: EvidenceInput) -> Evidence:
    evidence = Evidence(update=update, description=item.description.strip(), url=item.url.strip())
    if item.content or item.filename:
        limit = int(settings.FOLLOWTHROUGH["EVIDENCE_MAX_BYTES"])
        if len(item.content) > limit:
            raise ValidationError(
                {
                    "evidence_file": f"The selected file must be smaller than {limit // (1024 * 1024)}MB"
                }
            )
        try:
            kind = sniff(item.content, item.filename)
        except UploadRejected as exc:
            raise ValidationError({"evidence_file": str(exc)}) from exc
        evidence.original_name = item.filename[:255]
        evidence.content_type = kind.content_type
        evidence.size = len(item.content)
        # A random name on disk: nothing about the upload's own name reaches the file system.
        evidence.file.save(
            f"{uuid.uuid4().hex}.{kind.extension}", ContentFile(item.content), save=False
        )
    if not (evidence.url or evidence.file or evidence.description):
        raise ValidationError({"evidence_description": "Describe the evidence"})
    evidence.full_clean(exclude=["update"])
    evidence.save()
    return evidence


# ---------------------------------------------------------------------------------------------
# Reviews, recommendations and actions


@transaction.atomic
def review_create(*, actor: Any, **fields: Any) -> Review:
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    review = Review(**fields)
    review.full_clean()
    review.save()
    audit_record(actor=actor, verb="review.create", obj=review, summary=review.title, after=fields)
    return review


@transaction.atomic
def review_set_visibility(*, actor: Any, review: Review, visibility: str) -> Review:
    if not permissions.can_publish_review(actor, review):
        raise PermissionDenied
    before = review.visibility
    review.visibility = visibility
    review.full_clean()
    review.save(update_fields=["visibility"])
    audit_record(
        actor=actor,
        verb="review.visibility",
        obj=review,
        before={"visibility": before},
        after={"visibility": visibility},
    )
    return review


@transaction.atomic
def recommendation_create(
    *,
    actor: Any,
    review: Review,
    number: str,
    text: str,
    title: str = "",
    lead_organisation: Organisation | None = None,
    partners: list[Organisation] | None = None,
    themes: list[Theme] | None = None,
    response: str = "",
    response_reason: str = "",
    baseline_target_date: date | None = None,
    position: int | None = None,
) -> Recommendation:
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    if position is None:
        position = (review.recommendations.aggregate(m=Max("position"))["m"] or 0) + 1
    recommendation = Recommendation(
        review=review,
        number=number.strip(),
        text=text.strip(),
        title=title.strip(),
        lead_organisation=lead_organisation,
        response=response,
        response_reason=response_reason,
        baseline_target_date=baseline_target_date,
        position=position,
    )
    recommendation.full_clean()
    recommendation.save()
    recommendation.partners.set(partners or ([lead_organisation] if lead_organisation else []))
    recommendation.themes.set(themes or [])
    audit_record(
        actor=actor,
        verb="recommendation.create",
        obj=recommendation,
        summary=f"{review.slug} recommendation {recommendation.number}",
        after={"number": number, "text": text, "lead": getattr(lead_organisation, "pk", None)},
    )
    return recommendation


@transaction.atomic
def action_create(
    *,
    actor: Any,
    recommendation: Recommendation,
    owner: Organisation,
    description: str,
    start_date: date,
    target_date: date,
    reference: str = "",
    success_measure: str = "",
    owner_person: Any = None,
) -> Action:
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    if target_date < start_date:
        raise ValidationError({"target_date": "The target date must be on or after the start date"})
    position = (recommendation.actions.aggregate(m=Max("position"))["m"] or 0) + 1
    action = Action(
        recommendation=recommendation,
        owner=owner,
        owner_person=owner_person,
        description=description.strip(),
        success_measure=success_measure.strip(),
        start_date=start_date,
        baseline_target_date=target_date,
        target_date=target_date,
        reference=reference or f"{recommendation.number}.{position}",
        position=position,
    )
    action.full_clean()
    action.save()
    recommendation.partners.add(owner)
    audit_record(
        actor=actor,
        verb="action.create",
        obj=action,
        summary=f"{recommendation.review.slug} action {action.reference}",
        after={"owner": owner.pk, "target_date": target_date, "description": description},
    )
    return action


# ---------------------------------------------------------------------------------------------
# Many at once: action-plan imports of thousands of rows. The same rules and audit records as
# recommendation_create and action_create, with the reads and inserts batched.


@dataclass(frozen=True)
class NewRecommendation:
    number: str
    text: str
    title: str = ""
    lead_organisation: Organisation | None = None
    themes: tuple[Theme, ...] = ()


@dataclass(frozen=True)
class NewAction:
    recommendation: Recommendation
    owner: Organisation
    description: str
    start_date: date
    target_date: date
    reference: str = ""
    success_measure: str = ""


class BatchRefused(ValidationError):
    """Some items of a batch cannot be created, so none were.

    `errors` maps each refused item's position in the batch (from 0) to its ValidationError.
    """

    def __init__(self, errors: dict[int, ValidationError]) -> None:
        self.errors = errors
        super().__init__(
            [
                ValidationError(f"Item {position + 1}: {'; '.join(error.messages)}")
                for position, error in errors.items()
            ]
        )


@transaction.atomic
def recommendation_create_many(
    *, actor: Any, review: Review, items: Sequence[NewRecommendation]
) -> list[Recommendation]:
    """Add recommendations to a review in document order, after those it already has."""
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    taken = set(Recommendation.objects.filter(review=review).values_list("number", flat=True))
    position = review.recommendations.aggregate(m=Max("position"))["m"] or 0
    built: list[Recommendation] = []
    errors: dict[int, ValidationError] = {}
    for index, item in enumerate(items):
        position += 1
        recommendation = Recommendation(
            review=review,
            number=item.number.strip(),
            text=item.text.strip(),
            title=item.title.strip(),
            lead_organisation=item.lead_organisation,
            position=position,
        )
        try:
            # Related objects are saved instances and numbers are checked below, once.
            recommendation.full_clean(
                exclude=["review", "lead_organisation"],
                validate_unique=False,
                validate_constraints=False,
            )
            if recommendation.number in taken:
                raise ValidationError(
                    {"number": f"Recommendation {recommendation.number} is already in this review"}
                )
        except ValidationError as error:
            errors[index] = error
        taken.add(recommendation.number)
        built.append(recommendation)
    if errors:
        raise BatchRefused(errors)
    created = Recommendation.objects.bulk_create(built)
    Recommendation.partners.through.objects.bulk_create(
        [
            Recommendation.partners.through(
                recommendation_id=recommendation.pk, organisation_id=item.lead_organisation.pk
            )
            for recommendation, item in zip(created, items, strict=True)
            if item.lead_organisation is not None
        ],
        ignore_conflicts=True,
    )
    Recommendation.themes.through.objects.bulk_create(
        [
            Recommendation.themes.through(recommendation_id=recommendation.pk, theme_id=theme.pk)
            for recommendation, item in zip(created, items, strict=True)
            for theme in set(item.themes)
        ],
        ignore_conflicts=True,
    )
    audit_record_many(
        [
            AuditEntry(
                actor=actor,
                verb="recommendation.create",
                obj=recommendation,
                summary=f"{review.slug} recommendation {recommendation.number}",
                after={
                    "number": item.number,
                    "text": item.text,
                    "lead": getattr(item.lead_organisation, "pk", None),
                },
            )
            for recommendation, item in zip(created, items, strict=True)
        ]
    )
    return created


@transaction.atomic
def action_create_many(*, actor: Any, items: Sequence[NewAction]) -> list[Action]:
    """Add actions to recommendations, each after the actions its recommendation has."""
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    parents = {item.recommendation.pk for item in items}
    positions: dict[int, int] = {
        row["recommendation_id"]: row["m"] or 0
        for row in Action.objects.filter(recommendation_id__in=parents)
        .values("recommendation_id")
        .annotate(m=Max("position"))
    }
    built: list[Action] = []
    errors: dict[int, ValidationError] = {}
    for index, item in enumerate(items):
        recommendation = item.recommendation
        position = positions.get(recommendation.pk, 0) + 1
        positions[recommendation.pk] = position
        action = Action(
            recommendation=recommendation,
            owner=item.owner,
            description=item.description.strip(),
            success_measure=item.success_measure.strip(),
            start_date=item.start_date,
            baseline_target_date=item.target_date,
            target_date=item.target_date,
            reference=item.reference or f"{recommendation.number}.{position}",
            position=position,
        )
        try:
            if item.target_date < item.start_date:
                raise ValidationError(
                    {"target_date": "The target date must be on or after the start date"}
                )
            action.full_clean(exclude=["recommendation", "owner", "owner_person"])
        except ValidationError as error:
            errors[index] = error
        built.append(action)
    if errors:
        raise BatchRefused(errors)
    created = Action.objects.bulk_create(built)
    Recommendation.partners.through.objects.bulk_create(
        [
            Recommendation.partners.through(recommendation_id=pk, organisation_id=owner)
            for pk, owner in {(item.recommendation.pk, item.owner.pk) for item in items}
        ],
        ignore_conflicts=True,
    )
    audit_record_many(
        [
            AuditEntry(
                actor=actor,
                verb="action.create",
                obj=action,
                summary=f"{item.recommendation.review.slug} action {action.reference}",
                after={
                    "owner": item.owner.pk,
                    "target_date": item.target_date,
                    "description": item.description,
                },
            )
            for action, item in zip(created, items, strict=True)
        ]
    )
    return created


class Unchanged(enum.Enum):
    """An update service's default for a field it leaves alone (None is a real value there)."""

    KEEP = "keep"


KEEP = Unchanged.KEEP


@transaction.atomic
def recommendation_update(
    *,
    actor: Any,
    recommendation: Recommendation,
    title: str | Unchanged = KEEP,
    text: str | Unchanged = KEEP,
    lead_organisation: Organisation | None | Unchanged = KEEP,
    themes: list[Theme] | Unchanged = KEEP,
    reason: str = "",
) -> Recommendation:
    """Correct a recommendation's title, wording, lead partner or themes.

    The number and response are not changed here. An update that changes nothing writes
    nothing, not even an audit record, so re-importing the same action plan leaves no trace.
    """
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    fields: list[str] = []
    if not isinstance(title, Unchanged) and title.strip() != recommendation.title:
        before["title"], after["title"] = recommendation.title, title.strip()
        recommendation.title = title.strip()
        fields.append("title")
    if not isinstance(text, Unchanged) and text.strip() != recommendation.text:
        if not text.strip():
            raise ValidationError({"text": "Enter the recommendation's text"})
        before["text"], after["text"] = recommendation.text, text.strip()
        recommendation.text = text.strip()
        fields.append("text")
    if (
        not isinstance(lead_organisation, Unchanged)
        and getattr(lead_organisation, "pk", None) != recommendation.lead_organisation_id
    ):
        before["lead"] = recommendation.lead_organisation_id
        after["lead"] = getattr(lead_organisation, "pk", None)
        recommendation.lead_organisation = lead_organisation
        fields.append("lead_organisation")
    new_themes: list[Theme] | None = None
    if not isinstance(themes, Unchanged):
        current = set(recommendation.themes.values_list("pk", flat=True))
        if {theme.pk for theme in themes} != current:
            before["themes"], after["themes"] = sorted(current), sorted(t.pk for t in themes)
            new_themes = themes
    if not before:
        return recommendation
    if fields:
        recommendation.full_clean()
        recommendation.save(update_fields=fields)
    if new_themes is not None:
        recommendation.themes.set(new_themes)
    if "lead_organisation" in fields and recommendation.lead_organisation is not None:
        recommendation.partners.add(recommendation.lead_organisation)
    audit_record(
        actor=actor,
        verb="recommendation.update",
        obj=recommendation,
        summary=f"{recommendation.review.slug} recommendation {recommendation.number} changed",
        before=before,
        after=after,
        reason=reason,
    )
    return recommendation


@transaction.atomic
def action_update_details(
    *,
    actor: Any,
    action: Action,
    description: str | Unchanged = KEEP,
    owner: Organisation | Unchanged = KEEP,
    success_measure: str | Unchanged = KEEP,
    reason: str = "",
    expected_version: int | None = None,
) -> Action:
    """Correct an action's description, owning partner or success measure.

    Status and target date have their own services (they carry dated history). An update that
    changes nothing writes nothing.
    """
    if not permissions.can_manage_reviews(actor):
        raise PermissionDenied
    before: dict[str, Any] = {}
    changes: dict[str, Any] = {}
    if not isinstance(description, Unchanged) and description.strip() != action.description:
        if not description.strip():
            raise ValidationError({"description": "Enter what the action is"})
        before["description"] = action.description
        changes["description"] = description.strip()
    if not isinstance(owner, Unchanged) and owner.pk != action.owner_id:
        before["owner"] = action.owner_id
        changes["owner"] = owner
    if (
        not isinstance(success_measure, Unchanged)
        and success_measure.strip() != action.success_measure
    ):
        before["success_measure"] = action.success_measure
        changes["success_measure"] = success_measure.strip()
    if not changes:
        return action
    _bump_version(action, expected_version, **changes)
    if "owner" in changes:
        action.recommendation.partners.add(changes["owner"])
    after = {k: (v.pk if isinstance(v, Organisation) else v) for k, v in changes.items()}
    audit_record(
        actor=actor,
        verb="action.details",
        obj=action,
        summary=f"Action {action.reference} details changed",
        before=before,
        after=after,
        reason=reason,
    )
    return action


# ---------------------------------------------------------------------------------------------
# The workflow


@transaction.atomic
def update_submit(
    *,
    actor: Any,
    action: Action,
    effective_date: date,
    public_summary: str,
    owner_confidence: str,
    restricted_detail: str = "",
    status_to: str = "",
    evidence: list[EvidenceInput] | None = None,
    expected_version: int | None = None,
) -> ProgressUpdate:
    """Post a dated progress update, optionally moving the action on (in progress, ready)."""
    if not permissions.can_post_update(actor, action):
        raise PermissionDenied
    if not public_summary.strip():
        raise ValidationError({"public_summary": "Enter a summary of progress"})
    try:
        confidence = OwnerConfidence(owner_confidence)
    except ValueError as exc:
        raise ValidationError(
            {"owner_confidence": "Select whether the action is on track"}
        ) from exc
    _check_effective_date(action, effective_date)
    new_status = Status(status_to) if status_to else None
    if new_status is not None:
        try:
            check_transition(Status(action.status), new_status, actor=Actor.OWNER)
        except TransitionError as exc:
            raise ValidationError({"status_to": str(exc)}) from exc

    before = _snapshot(action)
    owner = action.owner
    update = ProgressUpdate.objects.create(
        action=action,
        author=actor,
        organisation=owner,
        recorded_at=timezone.now(),
        effective_date=effective_date,
        public_summary=public_summary.strip(),
        restricted_detail=restricted_detail.strip(),
        status_to=new_status or "",
        owner_confidence=confidence,
    )
    for item in evidence or []:
        _evidence_save(update, item)
    changes: dict[str, Any] = {
        "owner_confidence": confidence,
        "last_update_on": effective_date,
        "last_entry_on": effective_date,
    }
    if new_status is not None:
        _record_status(
            action=action, actor=actor, new=new_status, effective=effective_date, update=update
        )
        changes["status"] = new_status
    _bump_version(action, expected_version, **changes)
    audit_record(
        actor=actor,
        verb="update.submit",
        obj=update,
        summary=f"Update to action {action.reference}",
        before=before,
        after={**_snapshot(action), "public_summary": update.public_summary},
    )
    return update


@transaction.atomic
def action_assess(
    *,
    actor: Any,
    action: Action,
    decision: str,
    rationale: str,
    decided_on: date,
    expected_version: int | None = None,
) -> Assessment:
    """An independent assessor signs the action off (complete) or returns it with reasons."""
    if not actor.is_authenticated or not actor.has_role("assessor"):
        raise PermissionDenied
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the reasons for your decision"})
    if decision not in Assessment.Decision.values:
        raise ValidationError({"decision": "Select sign off or return"})
    new = Status.COMPLETE if decision == Assessment.Decision.SIGNED_OFF else Status.IN_PROGRESS
    try:
        check_transition(Status(action.status), new, actor=Actor.ASSESSOR, reason=rationale)
    except TransitionError as exc:
        raise ValidationError(str(exc)) from exc
    _check_effective_date(action, decided_on, field="decided_on")
    before = _snapshot(action)
    claim = (
        ProgressUpdate.objects.filter(action=action, status_to=Status.READY_FOR_ASSESSMENT)
        .order_by("-effective_date", "-id")
        .first()
    )
    assessment = Assessment.objects.create(
        action=action,
        assessor=actor,
        decision=decision,
        rationale=rationale.strip(),
        decided_on=decided_on,
        recorded_at=timezone.now(),
        claim=claim,
    )
    _record_status(
        action=action,
        actor=actor,
        new=new,
        effective=decided_on,
        reason=rationale,
        assessment=assessment,
    )
    _bump_version(action, expected_version, status=new, last_entry_on=decided_on)
    audit_record(
        actor=actor,
        verb=f"action.{decision}",
        obj=action,
        summary=f"Action {action.reference} {assessment.get_decision_display().lower()}",
        before=before,
        after=_snapshot(action),
        reason=rationale,
    )
    return assessment


@transaction.atomic
def action_change_target_date(
    *,
    actor: Any,
    action: Action,
    new_date: date,
    reason: str,
    effective_date: date | None = None,
    expected_version: int | None = None,
) -> TargetDateChange:
    """Revise the target date. The baseline is kept; slippage is reported to the committee."""
    if not permissions.can_change_target_date(actor, action):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for changing the target date"})
    if new_date == action.target_date:
        raise ValidationError({"new_date": "The new target date must differ from the current one"})
    effective = effective_date or _today()
    _check_effective_date(action, effective)
    before = _snapshot(action)
    change = TargetDateChange.objects.create(
        action=action,
        previous_date=action.target_date,
        new_date=new_date,
        reason=reason.strip(),
        approver=actor,
        effective_date=effective,
        recorded_at=timezone.now(),
    )
    _bump_version(action, expected_version, target_date=new_date, last_entry_on=effective)
    audit_record(
        actor=actor,
        verb="action.target_date",
        obj=action,
        summary=f"Target date for {action.reference}: {change.previous_date} → {new_date}",
        before=before,
        after=_snapshot(action),
        reason=reason,
    )
    return change


@transaction.atomic
def action_close(
    *,
    actor: Any,
    action: Action,
    reason: str,
    effective_date: date | None = None,
    expected_version: int | None = None,
) -> StatusChange:
    """Close an action as not implemented (superseded, cannot be done locally, ...)."""
    if not permissions.can_close_action(actor, action):
        raise PermissionDenied
    new = Status.CLOSED_NOT_IMPLEMENTED
    try:
        check_transition(Status(action.status), new, actor=Actor.OFFICER, reason=reason)
    except TransitionError as exc:
        raise ValidationError({"reason": str(exc)}) from exc
    effective = effective_date or _today()
    _check_effective_date(action, effective)
    before = _snapshot(action)
    change = _record_status(action=action, actor=actor, new=new, effective=effective, reason=reason)
    _bump_version(action, expected_version, status=new, last_entry_on=effective)
    audit_record(
        actor=actor,
        verb="action.close",
        obj=action,
        summary=f"Action {action.reference} closed, not implemented",
        before=before,
        after=_snapshot(action),
        reason=reason,
    )
    return change


# ---------------------------------------------------------------------------------------------
# Indicators: the one interface other modules feed numbers through


@transaction.atomic
def indicator_ensure(
    *,
    actor: Any,
    recommendation: Recommendation,
    feed: str,
    name: str,
    unit: str = "%",
    target: Decimal | None = None,
    direction: str = Indicator.Direction.HIGHER_IS_BETTER,
) -> Indicator:
    indicator, created = Indicator.objects.get_or_create(
        recommendation=recommendation,
        feed=feed,
        defaults={"name": name, "unit": unit, "target": target, "direction": direction},
    )
    if created:
        audit_record(actor=actor, verb="indicator.create", obj=indicator, summary=name)
    return indicator


@transaction.atomic
def indicator_record_value(
    *, actor: Any, indicator: Indicator, on: date, value: Decimal, note: str = ""
) -> IndicatorValue:
    """Record (or correct) the indicator's value on a date; the correction is audited."""
    existing = IndicatorValue.objects.filter(indicator=indicator, on=on).first()
    before = {"value": existing.value} if existing else None
    if existing and existing.value == value and existing.note == note:
        return existing
    row, _ = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        on=on,
        defaults={"value": value, "note": note, "recorded_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        verb="indicator.value",
        obj=row,
        summary=f"{indicator.name} on {on}: {value}",
        before=before,
        after={"value": value, "note": note},
    )
    return row
