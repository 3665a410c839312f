"""Reads for the front door, including the access funnels.

`contact_get_for_user` and `contact_list_for_user` are the only way views fetch contacts for a
person: missing and forbidden both raise Http404, so nobody outside the front-door team can even
learn that a reference exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from followthrough.core.models import AuditEvent, User

from . import clocks, permissions, retention
from .encryption import encrypted_fields
from .models import Assessment, Contact, Decision, LegalHold, Screening
from .references import normalise

CONTACT_OBJECT_TYPE = Contact._meta.label_lower


def setting(name: str, default: Any) -> Any:
    return settings.FOLLOWTHROUGH.get(name, default)


# ---------------------------------------------------------------------------------------------
# Access funnels


def contact_list_for_user(user: Any) -> QuerySet[Contact]:
    if not permissions.can_view_contact(user):
        return Contact.objects.none()
    return Contact.objects.all()


def contact_get_for_user(user: Any, reference: str) -> Contact:
    contact = (
        contact_list_for_user(user)
        .select_related("assigned_to")
        .filter(reference=normalise(reference))
        .first()
    )
    if contact is None:
        raise Http404("No such contact")
    return contact


def assessment_get_for_user(user: Any, contact: Contact, assessment_id: int) -> Assessment:
    assessment = Assessment.objects.filter(contact=contact, pk=assessment_id).first()
    if assessment is None or not permissions.can_view_contact(user, contact):
        raise Http404("No such assessment")
    return assessment


def legal_hold_get_for_user(user: Any, contact: Contact, hold_id: int) -> LegalHold:
    hold = LegalHold.objects.filter(contact=contact, pk=hold_id, lifted_at__isnull=True).first()
    if hold is None or not permissions.can_manage_legal_hold(user, contact):
        raise Http404("No such legal hold")
    return hold


# ---------------------------------------------------------------------------------------------
# The queue


QUEUE_VIEWS = {
    "waiting": "Waiting for a decision",
    "mine": "Assigned to me",
    "decided": "Decided",
}


@dataclass(frozen=True)
class QueueRow:
    contact: Contact
    urgency: clocks.Urgency | None
    time_left: str
    band: str
    outcome: str


def amber_hours() -> float:
    return float(setting("FRONTDOOR_AMBER_HOURS", clocks.DEFAULT_AMBER_HOURS))


def queue_for_user(user: Any, *, view: str, now: datetime, limit: int = 200) -> list[QueueRow]:
    """Contacts for the queue: waiting ones most urgent first (immediate danger, then due time)."""
    # The queue shows no personal details, so it never decrypts them.
    contacts = (
        contact_list_for_user(user).select_related("assigned_to").defer(*encrypted_fields(Contact))
    )
    if view == "decided":
        contacts = contacts.filter(decided_at__isnull=False).order_by("-decided_at", "-id")
    else:
        contacts = contacts.filter(decided_at__isnull=True).order_by(
            "-immediate_danger", "decision_due_at", "id"
        )
        if view == "mine":
            contacts = contacts.filter(assigned_to=user)
    contacts = contacts.prefetch_related(
        Prefetch("screenings", queryset=Screening.objects.only("contact_id", "band")),
        Prefetch("decisions", queryset=Decision.objects.only("contact_id", "outcome")),
    )
    rows = []
    hours = amber_hours()
    for contact in contacts[:limit]:
        screenings = list(contact.screenings.all())
        decisions = list(contact.decisions.all())
        waiting = contact.decided_at is None
        rows.append(
            QueueRow(
                contact=contact,
                urgency=clocks.urgency(contact.decision_due_at, now, hours) if waiting else None,
                time_left=clocks.time_left(contact.decision_due_at, now) if waiting else "",
                band=screenings[-1].band if screenings else "",
                outcome=decisions[-1].get_outcome_display() if decisions else "",
            )
        )
    return rows


def queue_counts(user: Any, *, now: datetime) -> dict[str, int]:
    waiting = contact_list_for_user(user).filter(decided_at__isnull=True)
    return {
        "waiting": waiting.count(),
        "overdue": waiting.filter(decision_due_at__lte=now).count(),
        "mine": waiting.filter(assigned_to=user).count(),
    }


# ---------------------------------------------------------------------------------------------
# One contact


def screenings_for(contact: Contact) -> list[Screening]:
    return list(contact.screenings.select_related("screened_by"))


def decisions_for(contact: Contact) -> list[Decision]:
    return list(contact.decisions.select_related("decided_by"))


def assessments_for(contact: Contact) -> list[Assessment]:
    return list(contact.assessments.all())


def active_legal_holds(contact: Contact) -> list[LegalHold]:
    return list(contact.legal_holds.filter(lifted_at__isnull=True).select_related("placed_by"))


def frontdoor_staff() -> QuerySet[User]:
    return User.objects.filter(role__in=permissions.FRONTDOOR_ROLES, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def contact_access_log(contact: Contact) -> QuerySet[AuditEvent]:
    """Every audited view, search hit, export, print and change of one contact, oldest first."""
    return AuditEvent.objects.filter(
        object_type=CONTACT_OBJECT_TYPE, object_id=str(contact.pk)
    ).select_related("actor")


def contact_by_idempotency_key(key: Any) -> Contact | None:
    return Contact.objects.filter(idempotency_key=key).first()


# ---------------------------------------------------------------------------------------------
# Retention


def retention_schedule() -> Any:
    return setting("FRONTDOOR_RETENTION_DAYS", retention.DEFAULT_SCHEDULE)


@dataclass(frozen=True)
class DisposalCandidate:
    contact: Contact
    outcome: str
    last_decided_on: date
    dispose_from: date
    on_hold: bool


def contacts_due_for_disposal(*, today: date) -> list[DisposalCandidate]:
    """Decided contacts whose retention period has run out, held ones included (and marked)."""
    schedule = retention_schedule()
    held = LegalHold.objects.filter(contact=OuterRef("pk"), lifted_at__isnull=True)
    latest = Decision.objects.filter(contact=OuterRef("pk")).order_by("-decided_at", "-id")
    contacts = (
        Contact.objects.filter(decided_at__isnull=False)
        .only("id", "reference", "received_at", "decided_at")
        .annotate(
            last_decided_at=Max("decisions__decided_at"),
            latest_outcome=Subquery(latest.values("outcome")[:1]),
            on_hold=Exists(held),
        )
        .order_by("id")
    )
    due = []
    for contact in contacts.iterator(chunk_size=500):
        last_at = contact.last_decided_at  # type: ignore[attr-defined]
        if last_at is None:
            continue
        last_on = clocks.local_time(last_at).date()
        outcome = contact.latest_outcome or ""  # type: ignore[attr-defined]
        dispose_from = retention.disposal_date(last_on, outcome, schedule)
        if dispose_from is not None and dispose_from <= today:
            due.append(
                DisposalCandidate(
                    contact=contact,
                    outcome=outcome,
                    last_decided_on=last_on,
                    dispose_from=dispose_from,
                    on_hold=bool(contact.on_hold),  # type: ignore[attr-defined]
                )
            )
    return due
