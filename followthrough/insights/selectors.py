"""Reads. Analyst access goes through `insights_require`; the public site and tracker indicators
read published releases only, through `published_release_list`, `release_get_published`,
`release_protected` and `indicator_values` (they never touch offence records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from . import store
from .config import insights_db_path
from .disclosure import (
    Mode,
    ProtectedCell,
    ProtectedRelease,
    ProtectedTable,
    Rule,
    Settings,
    Status,
    TableShape,
    protect,
    share,
)
from .models import ImportBatch, Release, ReleaseCell, ReleaseTable
from .permissions import can_use_insights


def insights_require(user: Any) -> None:
    """Not found, for anyone who is not an analyst (or administrator)."""
    if not can_use_insights(user):
        raise Http404("Not found")


def import_batch_list_for_user(*, user: Any) -> QuerySet[ImportBatch]:
    insights_require(user)
    return ImportBatch.objects.select_related("imported_by")


def release_list_for_user(*, user: Any) -> QuerySet[Release]:
    insights_require(user)
    return published_release_list()


def release_get_for_user(*, user: Any, release_id: int) -> Release:
    insights_require(user)
    return release_get_published(release_id=release_id)


# --- the public interface ----------------------------------------------------------------------


def published_release_list() -> QuerySet[Release]:
    """Every published release, newest first. Only protected figures are ever stored."""
    return Release.objects.all()


def release_get_published(*, release_id: int) -> Release:
    """One published release with its tables and cells, or 404."""
    cells = Prefetch("cells", queryset=ReleaseCell.objects.order_by("position"))
    tables = Prefetch(
        "tables", queryset=ReleaseTable.objects.order_by("position").prefetch_related(cells)
    )
    release = Release.objects.prefetch_related(tables).filter(pk=release_id).first()
    if release is None:
        raise Http404("Not found")
    return release


def release_protected(
    release: Release, segments: frozenset[int] = frozenset({0})
) -> ProtectedRelease:
    """A stored release as the disclosure module sees it (for display and for later audits)."""
    tables = []
    for table in release.tables.all():
        shape = TableShape(
            name=table.name,
            dimensions=tuple(table.dimensions),
            categories=tuple(tuple(c) for c in table.categories),
            partial=table.partial,
        )
        cells = {}
        for cell in table.cells.all():
            key = tuple(cell.labels)
            cells[key] = ProtectedCell(
                key=key,
                status=Status(cell.status),
                value=cell.value,
                rule=Rule(cell.rule),
                known_lo=cell.known_lo,
                known_hi=cell.known_hi,
                lo=cell.audit_lo,
                hi=cell.audit_hi,
            )
        tables.append(ProtectedTable(shape=shape, cells=cells))
    return ProtectedRelease(
        mode=Mode(release.mode),
        threshold=release.threshold,
        p=release.p,
        tables=tuple(tables),
        segments=segments,
        footnotes=tuple(release.footnotes),
        audited=True,
        label=release.title,
    )


@dataclass(frozen=True)
class IndicatorValue:
    """One figure for a tracker indicator, drawn only from a published (protected) release."""

    name: str
    label: str
    value: float | None  # None when the release suppressed what it needs
    unit: str  # "count" or "share"
    as_at: date
    release_id: int


def indicator_values(*, release_id: int | None = None) -> list[IndicatorValue]:
    """Headline figures from the latest published release (or the one given), for tracker
    indicators. Shares are computed from protected values only."""
    if release_id is None:
        latest = published_release_list().first()
        if latest is None:
            return []
        release_id = latest.pk
    stored = release_get_published(release_id=release_id)
    protected = release_protected(stored)
    as_at = stored.period_end or stored.published_at.date()
    out: list[IndicatorValue] = []

    def add(name: str, label: str, value: float | int | None, unit: str) -> None:
        out.append(IndicatorValue(name, label, value, unit, as_at, stored.pk))

    relationship = protected.table("relationship")
    total = relationship.grand_total()
    add("offences_recorded", "Offences recorded", total.value, "count")
    known = [
        relationship.cell(r) for r in ("family", "partner or ex-partner", "friend or acquaintance")
    ]
    known_total = None if any(c.value is None for c in known) else sum(c.value or 0 for c in known)
    add(
        "share_suspects_known_to_victim",
        "Share of offences where the suspect was known to the victim",
        None
        if known_total is None
        else share(ProtectedCell(("",), Status.PUBLISHED, known_total), total),
        "share",
    )
    suspects = protected.table("suspect_age_band_by_sex")
    children = suspects.cell("10-17", "Total")
    unknown = suspects.cell("unknown", "Total")
    all_suspects = suspects.grand_total()
    known_age = (
        None
        if all_suspects.value is None or unknown.value is None
        else ProtectedCell(("",), Status.PUBLISHED, all_suspects.value - unknown.value)
    )
    add(
        "share_suspects_children",
        "Share of suspects of known age who were children (10 to 17)",
        None if known_age is None else share(children, known_age),
        "share",
    )
    cse = protected.table("cse_flagged")
    add("cse_flagged_offences", "Offences flagged as CSE", cse.cell("Y").value, "count")
    return out


# --- the analyst's view ------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the analyst sees: the true tables (never published) and the protected release that
    publishing would store, audited with every earlier release."""

    records: int
    population: int
    true_tables: dict[str, Any]
    protected: ProtectedRelease
    start: date | None
    end: date | None


def earlier_releases_for_audit(
    con: Any, *, start: date | None, end: date | None
) -> tuple[list[ProtectedRelease], store.Segments]:
    stored = list(published_release_list().order_by("published_at", "id"))
    segments = store.segment_profiles(con, [r.pk for r in stored], start=start, end=end)
    earlier = [
        release_protected(release_get_published(release_id=r.pk), segments.releases[r.pk])
        for r in stored
    ]
    return earlier, segments


def profile_for_user(
    *,
    user: Any,
    mode: str,
    threshold: int,
    start: date | None = None,
    end: date | None = None,
) -> Profile | None:
    """The profile tables of the records in the period, or None when there are none."""
    insights_require(user)
    with store.connect(insights_db_path()) as con:
        records = store.record_count(con)
        if records == 0:
            return None
        counts = store.profile_counts(con, start=start, end=end)
        if counts.population == 0:
            return None
        earlier, segments = earlier_releases_for_audit(con, start=start, end=end)
    protected = protect(
        counts.tables,
        mode=mode,
        settings=Settings(threshold=threshold),
        earlier=earlier,
        segments=segments.current,
        segment_truth=segments.truth if earlier else None,
    )
    return Profile(
        records=records,
        population=counts.population,
        true_tables={t.name: t for t in counts.tables},
        protected=protected,
        start=start,
        end=end,
    )
