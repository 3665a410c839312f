"""Every write to the tracker: permission check, validation, change and audit record, together.

The web views, the API and the command line all call these, so they behave identically.
Services raise `django.core.exceptions.ValidationError` with messages written for the person
acting, and `PermissionDenied` when the actor may not act at all.
"""

from __future__ import annotations

import uuid
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

from followthrough.core.audit import audit_record
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
    candidates = [action.start_date]
    for model, field in (
        (ProgressUpdate, "effective_date"),
        (StatusChange, "effective_date"),
        (TargetDateChange, "effective_date"),
        (Assessment, "decided_on"),
    ):
        latest = model.objects.filter(action=action).aggregate(m=Max(field))["m"]
        if latest:
            candidates.append(latest)
    return max(candidates)


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
    changes: dict[str, Any] = {"owner_confidence": confidence, "last_update_on": effective_date}
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
    _bump_version(action, expected_version, status=new)
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
    _bump_version(action, expected_version, target_date=new_date)
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
    _bump_version(action, expected_version, status=new)
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
