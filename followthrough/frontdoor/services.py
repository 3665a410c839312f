"""Every write at the front door: permission check, validation, change and audit record together.

The audit log is not encrypted, so audit records here carry codes, bands and outcomes, never a
name, a narrative or a contact detail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from followthrough.core.audit import audit_record

from . import clocks, permissions, screening, selectors
from .encryption import encrypted_columns, encrypted_fields, token_uses_newest_key
from .models import (
    OPENS_ASSESSMENT,
    Assessment,
    Channel,
    Consent,
    Contact,
    Decision,
    LawfulBasis,
    LegalHold,
    Outcome,
    ReporterKind,
    Screening,
)
from .references import new_reference
from .signs import SIGN_LABELS

PUBLIC_ACTOR = "public (online concern form)"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Receiving a concern


@dataclass(frozen=True)
class ConcernReport:
    """Everything the reporter told us, as the online form (or a phone call) collected it."""

    immediate_danger: bool
    what_happened: str
    reporter_kind: str
    consent: str
    child_name: str = ""
    child_age: int | None = None
    child_age_estimated: bool = False
    child_school: str = ""
    child_area: str = ""
    when_happened: str = ""
    signs: list[str] = field(default_factory=list)
    reporter_anonymous: bool = True
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    reporter_organisation: str = ""
    reporter_role: str = ""


def _validate_report(report: ConcernReport) -> None:
    errors: dict[str, str] = {}
    if not report.what_happened.strip():
        errors["what_happened"] = "Tell us what happened"
    if report.reporter_kind not in ReporterKind.values:
        errors["reporter_kind"] = "Select who you are"
    if report.consent not in Consent.values:
        errors["consent"] = "Select whether the family know you are telling us"
    if report.child_age is not None and not 0 <= report.child_age <= 17:
        errors["child_age"] = "Age must be between 0 and 17"
    if any(s not in SIGN_LABELS for s in report.signs):
        errors["signs"] = "Select signs from the list"
    if not report.reporter_anonymous and not report.reporter_name.strip():
        errors["reporter_name"] = "Enter your name, or choose to stay anonymous"
    if errors:
        raise ValidationError(errors)


def _unused_reference() -> str:
    for _ in range(10):
        reference = new_reference()
        if not Contact.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find an unused reference")  # pragma: no cover


def contact_submit(
    *,
    report: ConcernReport,
    idempotency_key: uuid.UUID | str,
    channel: str = Channel.PUBLIC_WEB,
    actor: Any = PUBLIC_ACTOR,
    received_at: datetime | None = None,
) -> tuple[Contact, bool]:
    """Record a concern and start its one-working-day decision clock.

    Idempotent on `idempotency_key` (generated when the reporter started the form): sending the
    same report again, after a timeout or an error that came after the commit, returns the contact
    already saved instead of making a second one. Returns (contact, created).
    """
    key = uuid.UUID(str(idempotency_key))
    existing = selectors.contact_by_idempotency_key(key)
    if existing is not None:
        return existing, False
    _validate_report(report)
    received = received_at or timezone.now()
    anonymous = report.reporter_anonymous
    contact = Contact(
        reference=_unused_reference(),
        idempotency_key=key,
        received_at=received,
        channel=channel,
        immediate_danger=report.immediate_danger,
        child_name=report.child_name.strip(),
        child_age=report.child_age,
        child_age_estimated=report.child_age_estimated,
        child_school=report.child_school.strip(),
        child_area=report.child_area.strip(),
        what_happened=report.what_happened.strip(),
        when_happened=report.when_happened.strip(),
        signs=sorted(set(report.signs)),
        reporter_kind=report.reporter_kind,
        reporter_anonymous=anonymous,
        reporter_name="" if anonymous else report.reporter_name.strip(),
        reporter_email="" if anonymous else report.reporter_email.strip(),
        reporter_phone="" if anonymous else report.reporter_phone.strip(),
        reporter_organisation="" if anonymous else report.reporter_organisation.strip(),
        reporter_role="" if anonymous else report.reporter_role.strip(),
        consent=report.consent,
        lawful_basis=LawfulBasis.SAFEGUARDING,
        decision_due_at=clocks.decision_due(received),
    )
    try:
        with transaction.atomic():
            contact.save(force_insert=True)
            audit_record(
                actor=actor,
                verb="contact.receive",
                obj=contact,
                summary=f"Concern received ({contact.get_channel_display()})",
                after={
                    "channel": channel,
                    "immediate_danger": contact.immediate_danger,
                    "decision_due_at": contact.decision_due_at,
                },
            )
    except IntegrityError:
        # Two sends of the same report raced: the other one won, and that is the contact.
        existing = selectors.contact_by_idempotency_key(key)
        if existing is None:
            raise
        return existing, False
    return contact, True


# ---------------------------------------------------------------------------------------------
# Access: every view, search, export and print of a contact is recorded with its reason


ACCESS_VERBS = {
    "contact.view": "Viewed the record",
    "contact.print": "Printed the record",
    "contact.export": "Exported (queue download)",
    "contact.search": "Found by a search",
    "contact.access_log": "Viewed who accessed the record",
}


@transaction.atomic
def contact_record_access(*, actor: Any, contact: Contact, verb: str, reason: str) -> None:
    if verb not in ACCESS_VERBS:
        raise ValueError(f"Unknown access verb {verb}")
    _require(permissions.can_view_contact(actor, contact))
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason you are opening this record"})
    audit_record(
        actor=actor,
        verb=verb,
        obj=contact,
        summary=ACCESS_VERBS[verb],
        reason=reason.strip(),
    )


@transaction.atomic
def contacts_record_access(*, actor: Any, contacts: list[Contact], verb: str, reason: str) -> None:
    """One audit record per contact, so each record's 'who accessed' page shows the access."""
    for contact in contacts:
        contact_record_access(actor=actor, contact=contact, verb=verb, reason=reason)


# ---------------------------------------------------------------------------------------------
# Triage


@transaction.atomic
def contact_assign(*, actor: Any, contact: Contact, assignee: Any | None) -> Contact:
    _require(permissions.can_assign_contact(actor, contact))
    if assignee is not None and not permissions.is_frontdoor_staff(assignee):
        raise ValidationError({"assignee": "Choose someone in the front-door team"})
    before = contact.assigned_to.username if contact.assigned_to else None
    Contact.objects.filter(pk=contact.pk).update(assigned_to=assignee)
    contact.assigned_to = assignee
    audit_record(
        actor=actor,
        verb="contact.assign",
        obj=contact,
        summary=f"Assigned to {assignee.username}" if assignee else "Unassigned",
        before={"assigned_to": before},
        after={"assigned_to": assignee.username if assignee else None},
    )
    return contact


@transaction.atomic
def screening_record(
    *,
    actor: Any,
    contact: Contact,
    indicators: list[str],
    child_age: int | None,
    override_band: str = "",
    override_reason: str = "",
    tool_version: str | None = None,
) -> Screening:
    """Score the CSE screening tool for a contact; a practitioner may override with a reason."""
    _require(permissions.can_screen_contact(actor, contact))
    tool = screening.tool(tool_version or screening.CURRENT_VERSION)
    if child_age is not None and not 0 <= child_age <= 17:
        raise ValidationError({"child_age": "Age must be between 0 and 17"})
    try:
        result = screening.score(tool, indicators, child_age)
    except ValueError as exc:
        raise ValidationError({"indicators": str(exc)}) from exc
    override = screening.Band(override_band) if override_band else None
    try:
        band = screening.final_band(result.band, override, override_reason)
    except ValueError as exc:
        raise ValidationError({"override_reason": str(exc)}) from exc
    overridden = band != result.band
    row = Screening(
        contact=contact,
        tool_version=tool.version,
        indicators=list(result.indicators_present),
        child_age=child_age,
        calculated_band=result.band.value,
        override_band=band.value if overridden else "",
        override_reason=override_reason.strip() if overridden else "",
        band=band.value,
        young_child_rule_applied=result.young_child_rule_applied,
        disclosure=result.disclosure,
        screened_by=actor,
        screened_at=timezone.now(),
    )
    row.save()
    audit_record(
        actor=actor,
        verb="contact.screen",
        obj=contact,
        summary=f"CSE screening (tool version {tool.version}): {band.label.lower()}"
        + (" (overridden)" if overridden else ""),
        after={
            "tool_version": tool.version,
            "calculated_band": result.band.value,
            "band": band.value,
            "overridden": overridden,
            "indicators": len(result.indicators_present),
        },
    )
    return row


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    contact: Contact,
    outcome: str,
    rationale: str,
    decided_at: datetime | None = None,
) -> Decision:
    """Append a decision. The first one stops the decision clock; one that opens an assessment
    starts the assessment's 45-working-day clock, counted from the point of referral.

    `decided_at` is only for loading past records (the demo, a migration from another system);
    the web form never passes it, so nobody can backdate a decision to look on time."""
    _require(permissions.can_decide_contact(actor, contact))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Select the decision"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the reasons for the decision"})
    now = timezone.now()
    if decided_at is not None:
        if not contact.received_at <= decided_at <= now:
            raise ValidationError("A decision must come between the contact's receipt and now")
        now = decided_at
    # Lock the contact so two practitioners deciding at once cannot both "first decide" it.
    locked = Contact.objects.select_for_update().only("id", "decided_at").get(pk=contact.pk)
    decision = Decision(
        contact=contact,
        outcome=outcome,
        rationale=rationale.strip(),
        decided_by=actor,
        decided_at=now,
    )
    decision.save()
    first = locked.decided_at is None
    if first:
        Contact.objects.filter(pk=contact.pk).update(decided_at=now)
        contact.decided_at = now
    assessment = None
    if outcome in OPENS_ASSESSMENT and not contact.assessments.filter(completed_at=None).exists():
        assessment = Assessment.objects.create(
            contact=contact,
            opened_by=decision,
            started_at=contact.received_at,
            due_at=clocks.assessment_due(contact.received_at),
        )
    audit_record(
        actor=actor,
        verb="contact.decide",
        obj=contact,
        summary=f"Decision: {decision.get_outcome_display()}",
        after={
            "outcome": outcome,
            "first_decision": first,
            "on_time": (now <= contact.decision_due_at) if first else None,
            "assessment_due_at": assessment.due_at if assessment else None,
        },
    )
    return decision


@transaction.atomic
def assessment_complete(
    *, actor: Any, assessment: Assessment, overrun_reason: str = ""
) -> Assessment:
    """Close an assessment. Past its 45 working days, the reason for the overrun is required."""
    _require(permissions.can_complete_assessment(actor, assessment))
    now = timezone.now()
    late = now > assessment.due_at
    if late and not overrun_reason.strip():
        raise ValidationError(
            {"overrun_reason": "Give the reason the assessment took longer than 45 working days"}
        )
    assessment.completed_at = now
    assessment.overrun_reason = overrun_reason.strip() if late else ""
    assessment.save(update_fields=["completed_at", "overrun_reason"])
    audit_record(
        actor=actor,
        verb="contact.assessment_complete",
        obj=assessment.contact,
        summary="Assessment completed" + (" after its due date" if late else ""),
        after={"completed_at": now, "late": late},
    )
    return assessment


# ---------------------------------------------------------------------------------------------
# Retention


@transaction.atomic
def legal_hold_place(*, actor: Any, contact: Contact, reason: str) -> LegalHold:
    _require(permissions.can_manage_legal_hold(actor, contact))
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the hold"})
    hold = LegalHold.objects.create(
        contact=contact, reason=reason.strip(), placed_by=actor, placed_at=timezone.now()
    )
    audit_record(
        actor=actor,
        verb="contact.hold",
        obj=contact,
        summary="Legal hold placed: the record will not be disposed of",
        reason=reason.strip(),
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Any, hold: LegalHold) -> LegalHold:
    _require(permissions.can_manage_legal_hold(actor, hold.contact))
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    audit_record(
        actor=actor, verb="contact.hold_lift", obj=hold.contact, summary="Legal hold lifted"
    )
    return hold


@dataclass(frozen=True)
class DisposalReport:
    disposed: list[str]
    held: list[str]


def contacts_dispose(*, actor: Any, today: date, dry_run: bool = False) -> DisposalReport:
    """Delete decided contacts past their retention period, except those under a legal hold.

    Each disposal is its own transaction with its audit record (which keeps the reference and
    the outcome, nothing personal), so a failure part-way leaves every finished one finished.
    """
    disposed, held = [], []
    for candidate in selectors.contacts_due_for_disposal(today=today):
        if candidate.on_hold:
            held.append(candidate.contact.reference)
            continue
        if dry_run:
            disposed.append(candidate.contact.reference)
            continue
        with transaction.atomic():
            contact = (
                Contact.objects.select_for_update()
                .only("id", "reference")
                .get(pk=candidate.contact.pk)
            )
            if LegalHold.objects.filter(contact=contact, lifted_at__isnull=True).exists():
                held.append(contact.reference)  # a hold arrived while we were working
                continue
            audit_record(
                actor=actor,
                verb="contact.dispose",
                obj=contact,
                summary="Disposed of under the retention schedule",
                before={
                    "reference": contact.reference,
                    "outcome": candidate.outcome,
                    "last_decided_on": candidate.last_decided_on,
                    "dispose_from": candidate.dispose_from,
                },
            )
            contact.delete()
        disposed.append(candidate.contact.reference)
    return DisposalReport(disposed=disposed, held=held)


# ---------------------------------------------------------------------------------------------
# Key rotation


def encryption_rotate(*, actor: Any, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column of every model with the newest key.

    Safe to stop and run again (each batch commits on its own, and a value already under the
    newest key is rewritten harmlessly). Returns rows rewritten per model.
    """
    counts: dict[str, int] = {}
    for model in apps.get_models():
        names = encrypted_fields(model)
        if not names:
            continue
        rewritten = 0
        last_pk: Any = None
        while True:
            with transaction.atomic():
                rows = model._default_manager.order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                chunk = list(rows.values_list("pk", *names)[:batch])
                for pk, *values in chunk:
                    model._default_manager.filter(pk=pk).update(
                        **dict(zip(names, values, strict=True))
                    )
                rewritten += len(chunk)
            if len(chunk) < batch:
                break
            last_pk = chunk[-1][0]
        counts[model._meta.label] = rewritten
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="encryption.rotate",
            object_type="encryption",
            object_id="field-keys",
            summary="Encrypted columns re-encrypted with the newest key",
            after=counts,
        )
    return counts


def encryption_rows_needing_rotation() -> int:
    """How many encrypted values the newest key alone cannot read (0 once rotation is done)."""
    from django.db import connection

    stale = 0
    for model in apps.get_models():
        names = encrypted_columns(model)
        if not names:
            continue
        columns = ", ".join(connection.ops.quote_name(name) for name in names)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - names from models
            for row in cursor.fetchall():
                stale += sum(1 for token in row if token and not token_uses_newest_key(token))
    return stale
