"""Writes: importing offence records and publishing a protected release.

Each is one code path that checks permission, changes, and writes the audit record, so the web
view and any command behave the same. Publishing never takes figures from its caller: it
computes and protects them itself and stores only protected cells that pass the audit.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from followthrough.core.audit import audit_record

from . import store
from .config import insights_db_path
from .disclosure import (
    ProtectedRelease,
    ProtectionFailed,
    Settings,
    Status,
    audit_release,
    protect,
)
from .models import ImportBatch, Release, ReleaseCell, ReleaseTable
from .permissions import can_publish_release, can_use_insights
from .selectors import earlier_releases_for_audit


class ReleaseNotSafe(RuntimeError):
    """The protected tables did not pass the audit: nothing was published."""


def offence_import(*, actor: Any, path: Path, filename: str) -> ImportBatch:
    """Import one offence records file into the analytics store (all or nothing) and record
    the attempt. A rejected file leaves the store untouched; its batch lists the errors."""
    if not can_use_insights(actor):
        raise PermissionDenied
    errors: list[str] = []
    summary = None
    with store.connect(insights_db_path()) as con:
        try:
            summary = store.import_offences(con, path, name=filename)
        except store.OffenceFileError as exc:
            errors = [str(e) for e in exc.errors]
            if exc.total > len(exc.errors):
                errors.append(f"… and {exc.total - len(exc.errors)} more problems")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            filename=filename[:255],
            imported_by=actor,
            imported_at=timezone.now(),
            status=ImportBatch.Status.IMPORTED if summary else ImportBatch.Status.REJECTED,
            rows=summary.rows if summary else 0,
            added=summary.added if summary else 0,
            updated=summary.updated if summary else 0,
            unchanged=summary.unchanged if summary else 0,
            errors=errors,
        )
        audit_record(
            actor=actor,
            verb="insights.import" if summary else "insights.import_rejected",
            obj=batch,
            summary=(
                f"Imported {filename}: {batch.added} added, {batch.updated} updated, "
                f"{batch.unchanged} unchanged"
                if summary
                else f"Rejected {filename}: {len(errors)} problems"
            ),
            after={"rows": batch.rows, "added": batch.added, "updated": batch.updated},
        )
    return batch


def release_publish(
    *,
    actor: Any,
    title: str,
    mode: str,
    threshold: int = 10,
    start: date | None = None,
    end: date | None = None,
) -> Release:
    """Protect the current profile tables, audit them with every earlier release, and store the
    protected release. Raises ReleaseNotSafe if the audit does not pass."""
    if not can_publish_release(actor):
        raise PermissionDenied
    settings = Settings(threshold=threshold)
    with store.connect(insights_db_path()) as con:
        counts = store.profile_counts(con, start=start, end=end)
        if counts.population == 0:
            raise ReleaseNotSafe("There are no offence records in that period to publish.")
        earlier, segments = earlier_releases_for_audit(con, start=start, end=end)
        segment_truth = segments.truth if earlier else None
        try:
            protected = protect(
                counts.tables,
                mode=mode,
                settings=settings,
                earlier=earlier,
                segments=segments.current,
                segment_truth=segment_truth,
            )
        except ProtectionFailed as exc:
            raise ReleaseNotSafe(f"the tables could not be protected: {exc}") from exc
        # The gate: an independent full audit, insider and differencing checks included.
        gate = audit_release(
            protected,
            earlier,
            truth={t.name: t for t in counts.tables},
            segment_truth={s: {t.name: t for t in ts} for s, ts in (segment_truth or {}).items()}
            or None,
        )
        if not gate.passed or not protected.audited:
            raise ReleaseNotSafe("; ".join(str(f) for f in gate.findings) or "not audited")
        with transaction.atomic():
            release = _store_release(actor, title, protected, start, end)
            audit_record(
                actor=actor,
                verb="insights.publish",
                obj=release,
                summary=f"Published {release.title} ({mode}, threshold {threshold})",
                after={
                    "mode": mode,
                    "threshold": threshold,
                    "period_start": start,
                    "period_end": end,
                    "cells": ReleaseCell.objects.filter(table__release=release).count(),
                },
            )
            # Last, so that a failure here rolls the release back too.
            store.release_records_add(con, release.pk, start=start, end=end)
    return release


def _store_release(
    actor: Any, title: str, protected: ProtectedRelease, start: date | None, end: date | None
) -> Release:
    release = Release.objects.create(
        title=title,
        mode=str(protected.mode),
        threshold=protected.threshold,
        p=protected.p,
        period_start=start,
        period_end=end,
        published_by=actor,
        published_at=timezone.now(),
        footnotes=list(protected.footnotes),
        audit_summary=dict(protected.stats),
    )
    titles = {spec.name: spec.title for spec in store.PROFILE_TABLES}
    for position, table in enumerate(protected.tables):
        stored = ReleaseTable.objects.create(
            release=release,
            name=table.name,
            title=titles.get(table.name, table.name),
            dimensions=list(table.shape.dimensions),
            categories=[list(c) for c in table.shape.categories],
            partial=table.shape.partial,
            position=position,
        )
        cells = []
        for index, key in enumerate(table.shape.cell_keys()):
            cell = table.cells[key]
            suppressed = cell.status == Status.SUPPRESSED
            cells.append(
                ReleaseCell(
                    table=stored,
                    key=" | ".join(key),
                    labels=list(key),
                    position=index,
                    status=str(cell.status),
                    value=None if suppressed else cell.value,
                    rule=str(cell.rule),
                    known_lo=cell.known_lo,
                    known_hi=cell.known_hi,
                    audit_lo=cell.lo,
                    audit_hi=cell.hi,
                )
            )
        for cell_row in cells:
            cell_row.full_clean(exclude=["table"])
        ReleaseCell.objects.bulk_create(cells)
    return release
