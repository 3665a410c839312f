"""The audit log: one function appends, one verifies.

Appends serialise on a lock (PostgreSQL advisory lock; SQLite's write lock) so the chain stays
linear under concurrent writers. Callers must already be inside a transaction with their change,
so the change and its record commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent

GENESIS = "0" * 64
_ADVISORY_LOCK_KEY = 7_202_611  # arbitrary, constant: "the audit chain"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _to_millisecond(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }


@dataclass(frozen=True)
class AuditEntry:
    """One record to append: what `audit_record` takes, for appending many at once."""

    actor: Any
    verb: str
    obj: Any = None
    object_type: str = ""
    object_id: str | int = ""
    summary: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""


def audit_record(
    *,
    actor: Any,
    verb: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one record to the chain. Must run inside the caller's transaction."""
    entry = AuditEntry(actor, verb, obj, object_type, object_id, summary, before, after, reason)
    return audit_record_many([entry])[0]


def audit_record_many(entries: list[AuditEntry]) -> list[AuditEvent]:
    """Append records in order under one lock and one insert (imports write thousands)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    if not entries:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    next_id, prev_hash = ((last[0] + 1), last[1]) if last else (1, GENESIS)
    # Millisecond precision: what JSON backups keep, so a restored chain still verifies.
    at = _to_millisecond(timezone.now())
    events = []
    for entry in entries:
        object_type, object_id = entry.object_type, entry.object_id
        if entry.obj is not None:
            object_type = object_type or entry.obj._meta.label_lower
            object_id = object_id or entry.obj.pk
        is_user = getattr(entry.actor, "is_authenticated", False)
        event = AuditEvent(
            id=next_id,
            at=at,
            actor=entry.actor if is_user else None,
            actor_label=(entry.actor.username if is_user else str(entry.actor or "anonymous"))[
                :200
            ],
            verb=entry.verb,
            object_type=object_type,
            object_id=str(object_id),
            summary=entry.summary[:300],
            before=_jsonable(entry.before) if entry.before is not None else None,
            after=_jsonable(entry.after) if entry.after is not None else None,
            reason=entry.reason[:300],
            prev_hash=prev_hash,
        )
        event.hash = _digest(prev_hash, _hashed_fields(event))
        events.append(event)
        prev_hash, next_id = event.hash, next_id + 1
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        AuditEvent.objects.bulk_create(events, batch_size=500)
    return events


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def audit_verify(*, batch: int = 5000) -> ChainBreak | None:
    """Walk the whole chain; return the first broken record, or None when intact."""
    prev_hash = GENESIS
    expected_id = 1
    for event in _iterate(batch):
        if event.pk != expected_id:
            return ChainBreak(expected_id, f"record {expected_id} is missing (next is {event.pk})")
        if event.prev_hash != prev_hash:
            return ChainBreak(
                event.pk, "does not follow the record before it (reordered or removed)"
            )
        if _digest(prev_hash, _hashed_fields(event)) != event.hash:
            return ChainBreak(event.pk, "content does not match its hash (edited)")
        prev_hash = event.hash
        expected_id += 1
    return None


def _iterate(batch: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].pk
