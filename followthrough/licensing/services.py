"""Every write to the licensing register: permission, validation, change and audit, together.

Views and management commands call these, so they behave identically. Services raise
`ValidationError` with messages for the person acting and `PermissionDenied` when the actor may
not act. A command-line run acts as the system: its actor is a plain string (for example
"licensing_import"), which the audit log records as the actor's label.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from followthrough.core.audit import audit_record
from followthrough.core.models import User
from followthrough.core.roles import Role
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import Indicator, Recommendation

from . import encryption, permissions, selectors
from .compliance import (
    HELD_STATUSES,
    CompliancePolicy,
    LicenceStatus,
    LicenceType,
    Rule,
    State,
    StatusCheckResult,
    appeal_deadline,
    assess_register,
    default_licence_months,
    grant_blockers,
    licence_expiry,
    nr3s_keep_until,
)
from .importing import DBSRow, ImportFailed, Problem, RegisterRow, TrainingRow
from .models import (
    Attendance,
    Course,
    DBSCheck,
    DBSStatusCheck,
    Licence,
    LicenceStatusChange,
    Licensee,
    LicensingDecision,
    NR3SEntry,
    NR3SSearch,
    Reminder,
    SelfReport,
    TrainingSession,
)

SYSTEM = "system"


def _today() -> date:
    return timezone.localdate()


def _require(actor: Any, allowed: bool) -> None:
    """People need the permission; the system (a command-line run, a string actor) is trusted."""
    if isinstance(actor, str):
        return
    if not allowed:
        raise PermissionDenied


def _not_future(value: date | None, field_name: str, what: str = "The date") -> None:
    if value is not None and value > _today():
        raise ValidationError({field_name: f"{what} must be today or in the past"})


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# ---------------------------------------------------------------------------------------------
# Licence holders and licences


@transaction.atomic
def licensee_create(
    *, actor: Any, reference: str, name: str, date_of_birth: date | None = None, email: str = ""
) -> Licensee:
    _require(actor, permissions.can_edit_register(actor))
    reference = reference.strip().upper()
    if Licensee.objects.filter(reference__iexact=reference).exists():
        raise ValidationError({"reference": f"{reference} is already on the register"})
    if date_of_birth and date_of_birth >= _today():
        raise ValidationError({"date_of_birth": "The date of birth must be in the past"})
    licensee = Licensee(
        reference=reference, name=name.strip(), date_of_birth=date_of_birth, email=email.strip()
    )
    licensee.full_clean()
    licensee.save()
    audit_record(
        actor=actor,
        verb="licensee.create",
        obj=licensee,
        summary=f"Licence holder {licensee.reference} added",
        after={"reference": licensee.reference, "name": licensee.name},
    )
    return licensee


def licensee_record_view(*, actor: Any, licensee: Licensee) -> None:
    """A view of a licence holder's record is itself recorded (criminal-record data)."""
    with transaction.atomic():
        audit_record(actor=actor, verb="licensee.view", obj=licensee, summary=licensee.reference)


def _set_status(
    licence: Licence,
    new: LicenceStatus,
    *,
    effective: date,
    reason: str = "",
    decision: LicensingDecision | None = None,
) -> LicenceStatusChange:
    change = LicenceStatusChange.objects.create(
        licence=licence,
        effective_date=effective,
        status_from=licence.status,
        status_to=new,
        reason=reason,
        decision=decision,
        recorded_at=timezone.now(),
    )
    licence.status = new
    licence.save(update_fields=["status"])
    return change


def _new_licence(
    *,
    licensee: Licensee,
    number: str,
    licence_type: str,
    issued_on: date,
    months: int,
    conditions: str = "",
    decision: LicensingDecision | None = None,
) -> Licence:
    licence = Licence(
        licensee=licensee,
        number=number,
        licence_type=licence_type,
        issued_on=issued_on,
        expires_on=licence_expiry(issued_on, months),
        status=LicenceStatus.ACTIVE,
        conditions=conditions,
    )
    licence.full_clean()
    licence.save()
    LicenceStatusChange.objects.create(
        licence=licence,
        effective_date=issued_on,
        status_from="",
        status_to=LicenceStatus.ACTIVE,
        decision=decision,
        recorded_at=timezone.now(),
    )
    return licence


@transaction.atomic
def licence_close(
    *, actor: Any, licence: Licence, status: str, effective_date: date, reason: str = ""
) -> LicenceStatusChange:
    """Close a held licence that was surrendered, or has run out and was not renewed."""
    _require(actor, permissions.can_edit_register(actor))
    if status not in (LicenceStatus.EXPIRED, LicenceStatus.SURRENDERED):
        raise ValidationError({"status": "Select expired or surrendered"})
    if licence.status not in HELD_STATUSES:
        raise ValidationError(
            {"status": f"This licence is already {licence.get_status_display().lower()}"}
        )
    _not_future(effective_date, "effective_date")
    if effective_date < licence.issued_on:
        raise ValidationError(
            {"effective_date": "The date must be on or after the day the licence was issued"}
        )
    if status == LicenceStatus.EXPIRED and effective_date <= licence.expires_on:
        raise ValidationError(
            {
                "effective_date": f"The licence runs until {_fmt(licence.expires_on)}: "
                "it can only be closed as expired after that"
            }
        )
    before = {"status": licence.status}
    change = _set_status(
        licence, LicenceStatus(status), effective=effective_date, reason=reason.strip()
    )
    audit_record(
        actor=actor,
        verb="licence.close",
        obj=licence,
        summary=f"Licence {licence.number} {status}",
        before=before,
        after={"status": status, "effective_date": effective_date},
        reason=reason,
    )
    return change


# ---------------------------------------------------------------------------------------------
# DBS certificates and Update Service status checks


@transaction.atomic
def dbs_check_record(
    *,
    actor: Any,
    licensee: Licensee,
    issued_on: date,
    level: str = DBSCheck.Level.ENHANCED,
    children_barred_list: bool = True,
    adults_barred_list: bool = True,
    certificate_number: str = "",
    outcome: str = DBSCheck.Outcome.NO_INFORMATION,
    update_service_subscribed_on: date | None = None,
) -> DBSCheck:
    """Record a DBS certificate the council has seen. The certificate number is encrypted."""
    _require(actor, permissions.can_edit_register(actor))
    _not_future(issued_on, "issued_on", "The issue date")
    _not_future(update_service_subscribed_on, "update_service_subscribed_on")
    number = certificate_number.replace(" ", "").replace("-", "")
    if number and not (number.isdigit() and len(number) == 12):
        raise ValidationError({"certificate_number": "A DBS certificate number is 12 digits"})
    if update_service_subscribed_on and update_service_subscribed_on < issued_on:
        raise ValidationError(
            {
                "update_service_subscribed_on": "The subscription cannot start before the "
                "certificate was issued"
            }
        )
    if DBSCheck.objects.filter(licensee=licensee, issued_on=issued_on, level=level).exists():
        raise ValidationError({"issued_on": "This certificate is already recorded"})
    check = DBSCheck(
        licensee=licensee,
        level=level,
        children_barred_list=children_barred_list,
        adults_barred_list=adults_barred_list,
        issued_on=issued_on,
        certificate_number_encrypted=encryption.encrypt(number),
        certificate_number_last4=number[-4:],
        outcome=outcome,
        update_service_subscribed_on=update_service_subscribed_on,
        recorded_at=timezone.now(),
    )
    check.full_clean()
    check.save()
    audit_record(
        actor=actor,
        verb="dbs_check.record",
        obj=check,
        summary=f"{check.get_level_display()} DBS for {licensee.reference} issued {issued_on}",
        after={
            "level": level,
            "children_barred_list": children_barred_list,
            "adults_barred_list": adults_barred_list,
            "outcome": outcome,
            "issued_on": issued_on,
        },
    )
    return check


@transaction.atomic
def dbs_status_check_record(
    *, actor: Any, licensee: Licensee, checked_on: date, result: str
) -> DBSStatusCheck:
    """Record an Update Service status check of the licence holder's latest certificate."""
    _require(actor, permissions.can_edit_register(actor))
    _not_future(checked_on, "checked_on")
    try:
        outcome = StatusCheckResult(result)
    except ValueError as exc:
        raise ValidationError({"result": "Select the result of the status check"}) from exc
    certificate = (
        DBSCheck.objects.filter(licensee=licensee, issued_on__lte=checked_on)
        .order_by("-issued_on", "-id")
        .first()
    )
    if certificate is None:
        raise ValidationError(
            {"checked_on": "Record the DBS certificate first: there is none issued by that date"}
        )
    if DBSStatusCheck.objects.filter(licensee=licensee, checked_on=checked_on).exists():
        raise ValidationError({"checked_on": "A status check on that date is already recorded"})
    check = DBSStatusCheck.objects.create(
        licensee=licensee,
        dbs_check=certificate,
        checked_on=checked_on,
        result=outcome,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb="dbs_status_check.record",
        obj=check,
        summary=f"DBS status check for {licensee.reference} on {checked_on}: {outcome}",
        after={"checked_on": checked_on, "result": outcome},
    )
    return check


@transaction.atomic
def certificate_numbers_rotate(*, actor: Any) -> int:
    """Re-encrypt every stored DBS certificate number under the newest field key.

    Run after putting a new key first in FOLLOWTHROUGH_FIELD_KEYS and before removing the old.
    """
    _require(actor, permissions.can_edit_register(actor))
    changed = []
    for check in DBSCheck.objects.exclude(certificate_number_encrypted="").only(
        "id", "certificate_number_encrypted"
    ):
        check.certificate_number_encrypted = encryption.rotate(check.certificate_number_encrypted)
        changed.append(check)
    DBSCheck.objects.bulk_update(changed, ["certificate_number_encrypted"], batch_size=500)
    if changed:
        audit_record(
            actor=actor,
            verb="licensing.rotate_keys",
            object_type="licensing.dbscheck",
            object_id="*",
            summary=f"{len(changed)} DBS certificate numbers re-encrypted under the newest key",
        )
    return len(changed)


# ---------------------------------------------------------------------------------------------
# Training


@transaction.atomic
def course_create(
    *,
    actor: Any,
    name: str,
    audience: str,
    validity_months: int | None = None,
    counts_for_driver_condition: bool = False,
    provider: str = "",
) -> Course:
    _require(actor, permissions.can_manage_training(actor))
    if Course.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": "A course with this name already exists"})
    course = Course(
        name=name.strip(),
        audience=audience,
        validity_months=validity_months,
        counts_for_driver_condition=counts_for_driver_condition,
        provider=provider.strip(),
    )
    course.full_clean()
    course.save()
    audit_record(
        actor=actor,
        verb="course.create",
        obj=course,
        summary=course.name,
        after={
            "audience": audience,
            "validity_months": validity_months,
            "counts_for_driver_condition": counts_for_driver_condition,
        },
    )
    return course


@transaction.atomic
def session_create(
    *, actor: Any, course: Course, held_on: date, venue: str, trainer: str = ""
) -> TrainingSession:
    _require(actor, permissions.can_manage_training(actor))
    if TrainingSession.objects.filter(course=course, held_on=held_on, venue=venue.strip()).exists():
        raise ValidationError({"held_on": "This session is already recorded"})
    session = TrainingSession(
        course=course,
        held_on=held_on,
        venue=venue.strip(),
        trainer=trainer.strip(),
        recorded_at=timezone.now(),
    )
    session.full_clean()
    session.save()
    audit_record(
        actor=actor,
        verb="training_session.create",
        obj=session,
        summary=f"{course.name} on {held_on}",
    )
    return session


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    course: Course,
    completed_on: date | None,
    licensee: Licensee | None = None,
    attendee_name: str = "",
    attendee_organisation: str = "",
    session: TrainingSession | None = None,
    attended: bool = True,
    certificate_reference: str = "",
) -> Attendance:
    """Record that someone attended (and completed) a course, at a session or elsewhere."""
    _require(actor, permissions.can_manage_training(actor))
    attendee_name = attendee_name.strip()
    attendee_organisation = attendee_organisation.strip()
    if licensee is None and not attendee_name:
        raise ValidationError({"attendee_name": "Enter the name of the person who attended"})
    if session is not None and session.course_id != course.pk:
        raise ValidationError({"course": "The session is for a different course"})
    if session is None and completed_on is None:
        raise ValidationError({"completed_on": "Enter the date the course was completed"})
    _not_future(completed_on, "completed_on")
    if session is not None:
        if session.held_on > _today():
            raise ValidationError(
                {"session": "Only record attendance at a session that has happened"}
            )
        if completed_on is not None and completed_on < session.held_on:
            raise ValidationError(
                {"completed_on": "The course cannot be completed before the session"}
            )
    if not attended and completed_on is not None:
        raise ValidationError(
            {"completed_on": "Someone who did not attend cannot have completed the course"}
        )
    duplicate = Attendance.objects.filter(course=course, session=session)
    if licensee is not None:
        duplicate = duplicate.filter(licensee=licensee)
    else:
        duplicate = duplicate.filter(
            licensee__isnull=True,
            attendee_name__iexact=attendee_name,
            attendee_organisation__iexact=attendee_organisation,
        )
    if session is None:
        duplicate = duplicate.filter(completed_on=completed_on)
    if duplicate.exists():
        raise ValidationError("This attendance is already recorded")
    attendance = Attendance(
        course=course,
        session=session,
        licensee=licensee,
        attendee_name="" if licensee else attendee_name,
        attendee_organisation="" if licensee else attendee_organisation,
        attended=attended,
        completed_on=completed_on,
        certificate_reference=certificate_reference.strip(),
        recorded_at=timezone.now(),
    )
    attendance.full_clean()
    attendance.save()
    who = licensee.reference if licensee else attendee_name
    audit_record(
        actor=actor,
        verb="attendance.record",
        obj=attendance,
        summary=f"{who}: {course.name}" + (f", completed {completed_on}" if completed_on else ""),
        after={
            "course": course.pk,
            "session": getattr(session, "pk", None),
            "licensee": getattr(licensee, "pk", None),
            "attended": attended,
            "completed_on": completed_on,
        },
    )
    return attendance


# ---------------------------------------------------------------------------------------------
# NR3S searches, decisions and entries


@transaction.atomic
def nr3s_search_record(
    *,
    actor: Any,
    licensee: Licensee,
    searched_on: date,
    result: str,
    search_reference: str = "",
    information_requested_on: date | None = None,
    notes: str = "",
) -> NR3SSearch:
    """Record a search of NR3S, which must come before any grant or renewal decision (T7)."""
    _require(actor, permissions.can_record_decision(actor, licensee))
    _not_future(searched_on, "searched_on")
    _not_future(information_requested_on, "information_requested_on")
    if result not in NR3SSearch.Result.values:
        raise ValidationError({"result": "Select whether the search found a match"})
    if information_requested_on and information_requested_on < searched_on:
        raise ValidationError(
            {"information_requested_on": "The request cannot be made before the search"}
        )
    search = NR3SSearch(
        licensee=licensee,
        searched_on=searched_on,
        result=result,
        search_reference=search_reference.strip(),
        information_requested_on=information_requested_on,
        notes=notes.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    search.full_clean()
    search.save()
    audit_record(
        actor=actor,
        verb="nr3s_search.record",
        obj=search,
        summary=f"NR3S search for {licensee.reference} on {searched_on}: {result}",
        after={"searched_on": searched_on, "result": result},
    )
    return search


NEEDS_SEARCH = (
    LicensingDecision.Kind.GRANT,
    LicensingDecision.Kind.RENEW,
    LicensingDecision.Kind.REFUSE,
)
NR3S_KINDS = (
    LicensingDecision.Kind.REFUSE,
    LicensingDecision.Kind.SUSPEND,
    LicensingDecision.Kind.REVOKE,
)


def _check_search(search: NR3SSearch | None, licensee: Licensee, decided_on: date) -> NR3SSearch:
    message = "Record a search of NR3S for this applicant before deciding a grant or renewal"
    if search is None:
        raise ValidationError({"nr3s_search": message})
    if search.licensee_id != licensee.pk:
        raise ValidationError({"nr3s_search": message})
    if search.searched_on > decided_on:
        raise ValidationError(
            {"nr3s_search": "The NR3S search must be made on or before the date of the decision"}
        )
    if LicensingDecision.objects.filter(nr3s_search=search).exists():
        raise ValidationError(
            {"nr3s_search": "That NR3S search was used for an earlier decision: search again"}
        )
    if search.result == NR3SSearch.Result.MATCH and search.information_requested_on is None:
        raise ValidationError(
            {
                "nr3s_search": "The NR3S search found a match: request the details from the "
                "other authority, and record that, before deciding"
            }
        )
    return search


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    licensee: Licensee,
    kind: str,
    decided_on: date,
    decision_maker: str,
    reasons: str,
    notified_on: date | None = None,
    safeguarding_basis: bool = False,
    licence: Licence | None = None,
    licence_type: str = "",
    licence_number: str = "",
    duration_months: int | None = None,
    conditions: str = "",
    nr3s_search: NR3SSearch | None = None,
    policy: CompliancePolicy | None = None,
) -> LicensingDecision:
    """Record a licensing decision and carry it out.

    Grant and renewal need an NR3S search made for the decision (the statutory duty to search
    first), an enhanced DBS with both barred lists, and, under the local condition, current
    safeguarding training. Refusals, suspensions and revocations on safeguarding grounds are
    recorded for entry on NR3S and kept for 11 years. Every decision carries the 21-day appeal
    deadline.
    """
    _require(actor, permissions.can_record_decision(actor, licensee))
    policy = policy or selectors.compliance_policy()
    if kind not in LicensingDecision.Kind.values:
        raise ValidationError({"kind": "Select the decision"})
    if decision_maker not in LicensingDecision.DecisionMaker.values:
        raise ValidationError({"decision_maker": "Select who made the decision"})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the decision"})
    _not_future(decided_on, "decided_on")
    notified_on = notified_on or decided_on
    if notified_on < decided_on:
        raise ValidationError({"notified_on": "Notice cannot be given before the decision is made"})
    if safeguarding_basis and kind not in NR3S_KINDS:
        raise ValidationError(
            {
                "safeguarding_basis": "Only refusals, suspensions and revocations are recorded "
                "on NR3S"
            }
        )
    if licence is not None and licence.licensee_id != licensee.pk:
        raise ValidationError({"licence": "That licence belongs to someone else"})

    search = _check_search(nr3s_search, licensee, decided_on) if kind in NEEDS_SEARCH else None
    Kind = LicensingDecision.Kind
    if kind in (Kind.RENEW, Kind.SUSPEND, Kind.REVOKE, Kind.REINSTATE) and licence is None:
        raise ValidationError({"licence": "Select the licence"})
    if kind == Kind.GRANT:
        if licence_type not in {t.value for t in LicenceType}:
            raise ValidationError({"licence_type": "Select the type of licence"})
        licence_number = licence_number.strip().upper()
        if not licence_number:
            raise ValidationError({"licence_number": "Enter the licence number"})
        if Licence.objects.filter(number=licence_number).exclude(licensee=licensee).exists():
            raise ValidationError(
                {"licence_number": f"Licence number {licence_number} belongs to someone else"}
            )
        if Licence.objects.filter(number=licence_number, issued_on=decided_on).exists():
            raise ValidationError(
                {"licence_number": "A licence with this number was already issued that day"}
            )
    if kind == Kind.RENEW and licence is not None:
        if licence.status not in HELD_STATUSES:
            raise ValidationError(
                {"licence": f"The licence is {licence.get_status_display().lower()}: apply again"}
            )
        if Licence.objects.filter(number=licence.number, issued_on__gt=licence.issued_on).exists():
            raise ValidationError({"licence": "This licence has already been renewed"})
        licence_type = licence.licence_type
    if kind == Kind.REFUSE and licence is not None:
        licence_type = licence.licence_type
    if kind == Kind.REFUSE and licence is None and not licence_type:
        raise ValidationError({"licence_type": "Select the type of licence applied for"})
    if kind == Kind.SUSPEND and licence is not None and licence.status != LicenceStatus.ACTIVE:
        raise ValidationError({"licence": "Only an active licence can be suspended"})
    if kind == Kind.REVOKE and licence is not None and licence.status not in HELD_STATUSES:
        raise ValidationError({"licence": "Only an active or suspended licence can be revoked"})
    if kind == Kind.REINSTATE and licence is not None and licence.status != LicenceStatus.SUSPENDED:
        raise ValidationError({"licence": "Only a suspended licence can be reinstated"})

    months = None
    if kind in (Kind.GRANT, Kind.RENEW):
        default = default_licence_months(licence_type, policy)
        months = duration_months or default
        if not 1 <= months <= default:
            raise ValidationError(
                {
                    "duration_months": f"A licence runs for at most {default} months; "
                    "a shorter one only where the case needs it"
                }
            )
        if LicenceType(licence_type).is_driver:
            blockers = grant_blockers(selectors.driver_record(licensee), decided_on, policy)
            if blockers:
                raise ValidationError(blockers)

    decision = LicensingDecision.objects.create(
        licensee=licensee,
        licence=licence,
        kind=kind,
        licence_type=licence_type,
        decided_on=decided_on,
        notified_on=notified_on,
        decision_maker=decision_maker,
        reasons=reasons.strip(),
        safeguarding_basis=safeguarding_basis,
        appeal_deadline=appeal_deadline(notified_on),
        nr3s_search=search,
        decided_by=actor,
        recorded_at=timezone.now(),
    )
    before = {"status": licence.status} if licence else None
    if kind in (Kind.GRANT, Kind.RENEW):
        assert months is not None
        number = licence_number if kind == Kind.GRANT else licence.number  # type: ignore[union-attr]
        created = _new_licence(
            licensee=licensee,
            number=number,
            licence_type=licence_type,
            issued_on=decided_on,
            months=months,
            conditions=conditions.strip() or (licence.conditions if licence else ""),
            decision=decision,
        )
        decision.licence = created
        decision.save(update_fields=["licence"])
    elif kind in (Kind.SUSPEND, Kind.REVOKE, Kind.REINSTATE):
        assert licence is not None
        new = {
            Kind.SUSPEND: LicenceStatus.SUSPENDED,
            Kind.REVOKE: LicenceStatus.REVOKED,
            Kind.REINSTATE: LicenceStatus.ACTIVE,
        }[LicensingDecision.Kind(kind)]
        _set_status(licence, new, effective=decided_on, reason=reasons.strip(), decision=decision)
    if safeguarding_basis:
        NR3SEntry.objects.create(
            decision=decision, recorded_on=decided_on, keep_until=nr3s_keep_until(decided_on)
        )
    audit_record(
        actor=actor,
        verb=f"licensing_decision.{kind}",
        obj=decision,
        summary=f"{decision.get_kind_display()} for {licensee.reference} on {decided_on}",
        before=before,
        after={
            "licence": decision.licence_id,
            "status": decision.licence.status if decision.licence else None,
            "appeal_deadline": decision.appeal_deadline,
            "safeguarding_basis": safeguarding_basis,
            "nr3s_search": getattr(search, "pk", None),
        },
        reason=reasons,
    )
    return decision


@transaction.atomic
def nr3s_entry_mark_entered(
    *, actor: Any, entry: NR3SEntry, entered_on: date, register_reference: str
) -> NR3SEntry:
    """The entry is now on the national register: keep it 11 years from the day it was made."""
    _require(actor, permissions.can_edit_register(actor))
    _not_future(entered_on, "entered_on")
    if entered_on < entry.decision.decided_on:
        raise ValidationError({"entered_on": "The entry cannot be made before the decision"})
    if not register_reference.strip():
        raise ValidationError({"register_reference": "Enter the NR3S reference"})
    before = {"entered_on": entry.entered_on, "register_reference": entry.register_reference}
    first_made = min(entered_on, entry.entered_on) if entry.entered_on else entered_on
    entry.entered_on = first_made
    entry.recorded_on = first_made
    entry.keep_until = nr3s_keep_until(first_made)
    entry.register_reference = register_reference.strip()
    entry.save(update_fields=["entered_on", "recorded_on", "keep_until", "register_reference"])
    audit_record(
        actor=actor,
        verb="nr3s_entry.entered",
        obj=entry,
        summary=f"NR3S entry {entry.register_reference}",
        before=before,
        after={"entered_on": first_made, "keep_until": entry.keep_until},
    )
    return entry


@transaction.atomic
def self_report_record(
    *,
    actor: Any,
    licensee: Licensee,
    event: str,
    category: str,
    event_at: datetime,
    reported_at: datetime,
    summary: str = "",
) -> SelfReport:
    """Record a licence holder's report of an arrest, charge or conviction (due within 48 h)."""
    _require(actor, permissions.can_edit_register(actor))
    if reported_at > timezone.now():
        raise ValidationError({"reported_at": "The report must be today or in the past"})
    if reported_at < event_at:
        raise ValidationError({"reported_at": "The report cannot come before the event"})
    report = SelfReport(
        licensee=licensee,
        event=event,
        category=category,
        event_at=event_at,
        reported_at=reported_at,
        summary=summary.strip(),
        recorded_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        verb="self_report.record",
        obj=report,
        summary=f"Self-report by {licensee.reference}: {event}",
        after={
            "event": event,
            "category": category,
            "event_at": event_at,
            "reported_at": reported_at,
        },
    )
    return report


# ---------------------------------------------------------------------------------------------
# Imports: all or nothing, idempotent, problems named by file, row and column


@dataclass
class ImportResult:
    source: str
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()))

    def describe(self) -> str:
        if not self.changed:
            return f"{self.source}: nothing changed (already imported)"
        parts = [f"{n} {what} added" for what, n in self.created.items() if n]
        parts += [f"{n} {what} updated" for what, n in self.updated.items() if n]
        return f"{self.source}: " + ", ".join(parts)


def _audit_import(actor: Any, kind: str, result: ImportResult) -> None:
    if result.changed:
        audit_record(
            actor=actor,
            verb=f"licensing.import_{kind}",
            object_type="licensing.import",
            object_id=result.source[:60],
            summary=result.describe(),
            after={"created": dict(result.created), "updated": dict(result.updated)},
        )


def _licensees_by_reference(
    source: str, rows: Sequence[Any], problems: list[Problem]
) -> dict[str, Licensee]:
    wanted = {r.licensee_reference for r in rows if r.licensee_reference}
    found = {lic.reference.upper(): lic for lic in Licensee.objects.filter(reference__in=wanted)}
    for r in rows:
        if r.licensee_reference and r.licensee_reference.upper() not in found:
            problems.append(
                Problem(
                    source,
                    r.row,
                    "licensee_reference",
                    f"No licence holder {r.licensee_reference} on the register: import the register first",
                )
            )
    return found


@transaction.atomic
def register_import(*, actor: Any, source: str, rows: Sequence[RegisterRow]) -> ImportResult:
    """Licence holders and their licences, one row per licence period."""
    _require(actor, permissions.can_edit_register(actor))
    result = ImportResult(source)
    problems: list[Problem] = []
    refs = {r.licensee_reference.upper() for r in rows}
    holders = dict(
        Licence.objects.filter(number__in={r.licence_number for r in rows}).values_list(
            "number", "licensee__reference"
        )
    )
    for r in rows:
        holder = holders.get(r.licence_number)
        if holder is not None and holder.upper() != r.licensee_reference.upper():
            problems.append(
                Problem(
                    source,
                    r.row,
                    "licence_number",
                    f"Licence {r.licence_number} is held by {holder} on the register",
                )
            )
    if problems:
        raise ImportFailed(problems)

    people = {lic.reference.upper(): lic for lic in Licensee.objects.filter(reference__in=refs)}
    new_people: dict[str, Licensee] = {}
    changed_people: dict[str, Licensee] = {}
    for r in rows:
        key = r.licensee_reference.upper()
        person = people.get(key)
        if person is None:
            if key not in new_people:
                new_people[key] = Licensee(
                    reference=key, name=r.name, date_of_birth=r.date_of_birth, email=r.email
                )
            continue
        # A blank cell leaves what the register holds alone.
        updates = {
            "name": r.name,
            "date_of_birth": r.date_of_birth or person.date_of_birth,
            "email": r.email or person.email,
        }
        if any(getattr(person, k) != v for k, v in updates.items()):
            for k, v in updates.items():
                setattr(person, k, v)
            changed_people[key] = person
    Licensee.objects.bulk_create(new_people.values())
    if changed_people:
        Licensee.objects.bulk_update(changed_people.values(), ["name", "date_of_birth", "email"])
    result.created["licence holders"] += len(new_people)
    result.updated["licence holders"] += len(changed_people)
    people = {lic.reference.upper(): lic for lic in Licensee.objects.filter(reference__in=refs)}

    existing = {
        (lic.number, lic.issued_on): lic
        for lic in Licence.objects.filter(number__in={r.licence_number for r in rows})
    }
    now = timezone.now()
    new_licences: list[tuple[RegisterRow, Licence]] = []
    changes: list[LicenceStatusChange] = []
    updated: list[Licence] = []
    for r in rows:
        lic = existing.get((r.licence_number, r.issued_on))
        if lic is None:
            lic = Licence(
                licensee=people[r.licensee_reference.upper()],
                number=r.licence_number,
                licence_type=r.licence_type,
                issued_on=r.issued_on,
                expires_on=r.expires_on,
                status=r.status,
            )
            new_licences.append((r, lic))
            continue
        dirty = False
        if lic.licence_type != r.licence_type or lic.expires_on != r.expires_on:
            lic.licence_type, lic.expires_on = r.licence_type, r.expires_on
            dirty = True
        if lic.status != r.status:
            changes.append(
                LicenceStatusChange(
                    licence=lic,
                    effective_date=r.status_since,
                    status_from=lic.status,
                    status_to=r.status,
                    reason=f"Imported from {source}",
                    recorded_at=now,
                )
            )
            lic.status = r.status
            dirty = True
        if dirty:
            updated.append(lic)
    Licence.objects.bulk_create([lic for _, lic in new_licences])
    for r, lic in new_licences:
        first = LicenceStatus.ACTIVE if r.status_since > r.issued_on else r.status
        changes.append(
            LicenceStatusChange(
                licence=lic,
                effective_date=r.issued_on,
                status_from="",
                status_to=first,
                reason=f"Imported from {source}",
                recorded_at=now,
            )
        )
        if first != r.status:
            changes.append(
                LicenceStatusChange(
                    licence=lic,
                    effective_date=r.status_since,
                    status_from=first,
                    status_to=r.status,
                    reason=f"Imported from {source}",
                    recorded_at=now,
                )
            )
    if updated:
        Licence.objects.bulk_update(updated, ["licence_type", "expires_on", "status"])
    LicenceStatusChange.objects.bulk_create(changes)
    result.created["licences"] += len(new_licences)
    result.updated["licences"] += len(updated)
    _audit_import(actor, "register", result)
    return result


@transaction.atomic
def dbs_import(*, actor: Any, source: str, rows: Sequence[DBSRow]) -> ImportResult:
    """DBS certificates and Update Service status checks, one row each."""
    _require(actor, permissions.can_edit_register(actor))
    result = ImportResult(source)
    problems: list[Problem] = []
    people = _licensees_by_reference(source, rows, problems)
    if problems:
        raise ImportFailed(problems)
    ids = [p.pk for p in people.values()]
    certificates = {
        (c.licensee_id, c.issued_on, c.level): c
        for c in DBSCheck.objects.filter(licensee_id__in=ids)
    }
    now = timezone.now()
    new_certs: list[DBSCheck] = []
    changed_certs: list[DBSCheck] = []
    for r in rows:
        if r.record != "certificate":
            continue
        person = people[r.licensee_reference.upper()]
        cert = certificates.get((person.pk, r.on, r.level))
        values = {
            "children_barred_list": r.children_barred_list,
            "adults_barred_list": r.adults_barred_list,
            "outcome": r.outcome,
            "update_service_subscribed_on": r.update_service_subscribed_on,
        }
        if cert is None:
            cert = DBSCheck(
                licensee=person,
                level=r.level,
                issued_on=r.on,
                certificate_number_encrypted=encryption.encrypt(r.certificate_number),
                certificate_number_last4=r.certificate_number[-4:],
                recorded_at=now,
                **values,
            )
            certificates[(person.pk, r.on, r.level)] = cert
            new_certs.append(cert)
            continue
        dirty = any(getattr(cert, k) != v for k, v in values.items())
        if r.certificate_number and encryption.decrypt(cert.certificate_number_encrypted) != (
            r.certificate_number
        ):
            cert.certificate_number_encrypted = encryption.encrypt(r.certificate_number)
            cert.certificate_number_last4 = r.certificate_number[-4:]
            dirty = True
        if dirty:
            for k, v in values.items():
                setattr(cert, k, v)
            changed_certs.append(cert)
    DBSCheck.objects.bulk_create(new_certs)
    if changed_certs:
        DBSCheck.objects.bulk_update(
            changed_certs,
            [
                "children_barred_list",
                "adults_barred_list",
                "outcome",
                "update_service_subscribed_on",
                "certificate_number_encrypted",
                "certificate_number_last4",
            ],
        )
    result.created["DBS certificates"] += len(new_certs)
    result.updated["DBS certificates"] += len(changed_certs)

    by_person: dict[int, list[DBSCheck]] = defaultdict(list)
    for cert in certificates.values():
        by_person[cert.licensee_id].append(cert)
    checks = {
        (c.licensee_id, c.checked_on): c for c in DBSStatusCheck.objects.filter(licensee_id__in=ids)
    }
    new_checks: list[DBSStatusCheck] = []
    changed_checks: list[DBSStatusCheck] = []
    for r in rows:
        if r.record != "status_check":
            continue
        assert r.result is not None
        person = people[r.licensee_reference.upper()]
        earlier = [c for c in by_person[person.pk] if c.issued_on <= r.on]
        if not earlier:
            problems.append(
                Problem(
                    source,
                    r.row,
                    "date",
                    "There is no DBS certificate issued by this date to check",
                )
            )
            continue
        latest = max(earlier, key=lambda c: (c.issued_on, c.pk or 0))
        check = checks.get((person.pk, r.on))
        if check is None:
            check = DBSStatusCheck(
                licensee=person, dbs_check=latest, checked_on=r.on, result=r.result, recorded_at=now
            )
            checks[(person.pk, r.on)] = check
            new_checks.append(check)
        elif check.result != r.result:
            check.result = r.result
            changed_checks.append(check)
    if problems:
        raise ImportFailed(problems)  # rolls back the certificates too
    DBSStatusCheck.objects.bulk_create(new_checks)
    if changed_checks:
        DBSStatusCheck.objects.bulk_update(changed_checks, ["result"])
    result.created["status checks"] += len(new_checks)
    result.updated["status checks"] += len(changed_checks)
    _audit_import(actor, "dbs", result)
    return result


@transaction.atomic
def training_import(*, actor: Any, source: str, rows: Sequence[TrainingRow]) -> ImportResult:
    """Training sessions and attendance, for drivers (by reference) and anyone else (by name)."""
    _require(actor, permissions.can_manage_training(actor))
    result = ImportResult(source)
    problems: list[Problem] = []
    people = _licensees_by_reference(source, rows, problems)
    courses = {c.name.lower(): c for c in Course.objects.all()}
    for r in rows:
        if r.course.lower() not in courses:
            problems.append(
                Problem(
                    source, r.row, "course", f"There is no course called '{r.course}': add it first"
                )
            )
    if problems:
        raise ImportFailed(problems)

    now = timezone.now()
    sessions = {
        (s.course_id, s.held_on, s.venue.lower()): s
        for s in TrainingSession.objects.filter(course__in=courses.values())
    }
    new_sessions: list[TrainingSession] = []
    for r in rows:
        if r.session_date is None:
            continue
        course = courses[r.course.lower()]
        key = (course.pk, r.session_date, r.venue.lower())
        if key not in sessions:
            sessions[key] = TrainingSession(
                course=course,
                held_on=r.session_date,
                venue=r.venue,
                trainer=r.trainer,
                recorded_at=now,
            )
            new_sessions.append(sessions[key])
    TrainingSession.objects.bulk_create(new_sessions)
    result.created["training sessions"] += len(new_sessions)

    def key_of(a: Attendance) -> tuple[Any, ...]:
        who: tuple[Any, ...] = (
            ("licensee", a.licensee_id)
            if a.licensee_id
            else ("person", a.attendee_name.lower(), a.attendee_organisation.lower())
        )
        if a.session_id:
            return ("session", a.session_id, *who)
        return ("course", a.course_id, a.completed_on, *who)

    existing = {key_of(a): a for a in Attendance.objects.filter(course__in=courses.values())}
    new_attendances: list[Attendance] = []
    changed: list[Attendance] = []
    for r in rows:
        course = courses[r.course.lower()]
        session = sessions[(course.pk, r.session_date, r.venue.lower())] if r.session_date else None
        person = people.get(r.licensee_reference.upper()) if r.licensee_reference else None
        candidate = Attendance(
            course=course,
            session=session,
            licensee=person,
            attendee_name="" if person else r.attendee_name,
            attendee_organisation="" if person else r.attendee_organisation,
            attended=r.attended,
            completed_on=r.completed_on,
            certificate_reference=r.certificate_reference,
            recorded_at=now,
        )
        found = existing.get(key_of(candidate))
        if found is None:
            existing[key_of(candidate)] = candidate
            new_attendances.append(candidate)
            continue
        values = {
            "attended": r.attended,
            "completed_on": r.completed_on,
            "certificate_reference": r.certificate_reference,
        }
        if any(getattr(found, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(found, k, v)
            changed.append(found)
    Attendance.objects.bulk_create(new_attendances)
    if changed:
        Attendance.objects.bulk_update(
            changed, ["attended", "completed_on", "certificate_reference"]
        )
    result.created["attendances"] += len(new_attendances)
    result.updated["attendances"] += len(changed)
    _audit_import(actor, "training", result)
    return result


# ---------------------------------------------------------------------------------------------
# Reminders before things fall due


_RULE_SUBJECT = {
    Rule.LICENCE: Reminder.Subject.LICENCE,
    Rule.DBS_STATUS_CHECK: Reminder.Subject.DBS_STATUS_CHECK,
    Rule.TRAINING: Reminder.Subject.TRAINING,
}


@dataclass(frozen=True)
class _Due:
    licensee: Licensee
    subject: str
    due_on: date


def _due_items(on: date, window: int, policy: CompliancePolicy) -> list[_Due]:
    """Everything due within `window` days: drivers' three dated rules, operators' licences."""
    records = selectors.driver_records()
    summary = assess_register(records, on, policy)
    people = {
        p.pk: p
        for p in Licensee.objects.filter(pk__in=[d.record.licensee_id for d in summary.drivers])
    }
    items: list[_Due] = []
    for driver in summary.drivers:
        for finding in driver.findings:
            if finding.due_on is None or finding.rule not in _RULE_SUBJECT:
                continue
            if (
                finding.state is State.NON_COMPLIANT
                or not 0 <= (finding.due_on - on).days <= window
            ):
                continue
            items.append(
                _Due(people[driver.record.licensee_id], _RULE_SUBJECT[finding.rule], finding.due_on)
            )
    for expiring in selectors.licences_expiring(on, window):
        if expiring.licence.licence_type == LicenceType.OPERATOR:
            items.append(
                _Due(
                    expiring.licence.licensee, Reminder.Subject.LICENCE, expiring.licence.expires_on
                )
            )
    return items


@dataclass
class ReminderRun:
    sent: list[Reminder] = field(default_factory=list)
    emails: int = 0


@transaction.atomic
def reminders_send(
    *,
    on: date | None = None,
    days_before: Iterable[int] | None = None,
    policy: CompliancePolicy | None = None,
) -> ReminderRun:
    """Remind licence holders, and licensing officers, of what falls due soon.

    For each thing due, the reminder for the nearest threshold passed is sent once: running
    this again the same day (or tomorrow) sends nothing new. Emails go out inside the
    transaction, so a failure to send leaves nothing marked as sent.
    """
    on = on or _today()
    thresholds = sorted({int(d) for d in (days_before or selectors.reminder_days())})
    policy = policy or selectors.compliance_policy()
    run = ReminderRun()
    if not thresholds:
        return run
    items = _due_items(on, max(thresholds), policy)
    sent = defaultdict(list)
    for item in items:
        days = (item.due_on - on).days
        for recipient in (Reminder.Recipient.LICENSEE, Reminder.Recipient.OFFICERS):
            if recipient == Reminder.Recipient.LICENSEE and not item.licensee.email:
                continue
            threshold = min(t for t in thresholds if days <= t)
            if Reminder.objects.filter(
                licensee=item.licensee,
                subject=item.subject,
                due_on=item.due_on,
                recipient=recipient,
                days_before__lte=threshold,
            ).exists():
                continue
            reminder = Reminder.objects.create(
                licensee=item.licensee,
                subject=item.subject,
                due_on=item.due_on,
                days_before=threshold,
                recipient=recipient,
                sent_on=on,
                sent_at=timezone.now(),
            )
            sent[recipient].append(reminder)
            run.sent.append(reminder)
    if not run.sent:
        return run
    messages = []
    by_licensee: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in sent[Reminder.Recipient.LICENSEE]:
        by_licensee[reminder.licensee_id].append(reminder)
    for group in by_licensee.values():
        licensee = group[0].licensee
        lines = [
            f"- {r.get_subject_display()}: due by {_fmt(r.due_on)}"
            for r in sorted(group, key=lambda r: r.due_on)
        ]
        messages.append(
            EmailMessage(
                subject="Your taxi licence: things due soon",
                body=(
                    f"Dear {licensee.name},\n\nThe following fall due soon for your licence "
                    f"(reference {licensee.reference}):\n\n"
                    + "\n".join(lines)
                    + "\n\nPlease contact the licensing service to arrange them.\n"
                ),
                to=[licensee.email],
            )
        )
    officer_items = sorted(
        sent[Reminder.Recipient.OFFICERS], key=lambda r: (r.due_on, r.licensee.name)
    )
    officers = list(
        User.objects.filter(role=Role.LICENSING_OFFICER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if officer_items and officers:
        lines = [
            f"- {r.licensee.name} ({r.licensee.reference}): {r.get_subject_display().lower()} due by {_fmt(r.due_on)}"
            for r in officer_items
        ]
        messages.append(
            EmailMessage(
                subject=f"Licensing: {len(officer_items)} renewals and checks due soon",
                body="Due soon on the licensing register:\n\n" + "\n".join(lines) + "\n",
                to=officers,
            )
        )
    run.emails = get_connection().send_messages(messages) or 0
    audit_record(
        actor=SYSTEM,
        verb="licensing.reminders",
        object_type="licensing.reminder",
        object_id=on.isoformat(),
        summary=f"{len(run.sent)} reminders sent on {on}",
        after={"licensee": len(sent[Reminder.Recipient.LICENSEE]), "officers": len(officer_items)},
    )
    return run


# ---------------------------------------------------------------------------------------------
# Feeding the tracker's indicators (through its services only)


def indicator_attach(*, actor: Any, recommendation: Recommendation, feed: str) -> Indicator:
    """Show a licensing figure as an indicator on a recommendation."""
    known = selectors.feeds()
    if feed not in known:
        raise ValidationError({"feed": f"There is no licensing feed called {feed}"})
    definition = known[feed]
    return tracker_services.indicator_ensure(
        actor=actor,
        recommendation=recommendation,
        feed=definition.key,
        name=definition.name,
        unit=definition.unit,
        target=definition.target,
    )


@dataclass
class FeedRun:
    recorded: int = 0
    indicators: int = 0


def indicators_feed(*, actor: Any, dates: Sequence[date]) -> FeedRun:
    """Record every attached licensing indicator's value on each date, computed as at that date.

    Quarterly training counts are recorded on the quarter-end dates among `dates`. Recording the
    same value again changes nothing (the tracker service skips it).
    """
    indicators = list(Indicator.objects.filter(feed__startswith="licensing."))
    run = FeedRun(indicators=len(indicators))
    if not indicators:
        return run
    records = selectors.driver_records()
    wanted = {i.feed for i in indicators}
    for on in sorted(set(dates)):
        values = selectors.feed_values_on(on, wanted, records=records)
        for indicator in indicators:
            if indicator.feed not in values:
                continue
            value, note = values[indicator.feed]
            tracker_services.indicator_record_value(
                actor=actor, indicator=indicator, on=on, value=value, note=note
            )
            run.recorded += 1
    return run
