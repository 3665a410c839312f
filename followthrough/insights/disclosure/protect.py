"""Protect a set of tables for release: primary rule, dominance, suppression or 10-5 rounding,
then secondary suppression until the audit passes.

Primary rule: a count from 1 to T-1 is never shown (T = 10 by default, never below 5); a zero is
treated as potentially disclosive and not shown either. A line (a row or column with its total)
whose mass sits entirely in one category is flagged, and that category is protected too.

Secondary suppression follows sdcTable's SIMPLEHEURISTIC: while a suppressed cell fails the audit,
suppress the cheapest shown cell sharing a line with it (cost 1 + log n, interior cells before
totals, the population total last), preferring one that actually widens the failing cell's range;
then audit again. Suppressing more only widens ranges, so cells that passed stay passed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .audit import AttackerModel, AuditResult, CellRef, audit_release, with_ranges
from .release import (
    ROUND_FOOTNOTE,
    SUPPRESS_FOOTNOTE,
    Mode,
    ProtectedCell,
    ProtectedRelease,
    ProtectedTable,
    Rule,
    Status,
)
from .tables import TOTAL, CellKey, FrequencyTable

MIN_THRESHOLD = 5


@dataclass(frozen=True)
class Settings:
    threshold: int = 10
    p: int = 5
    zeros_disclosive: bool = True

    def __post_init__(self) -> None:
        if self.threshold < MIN_THRESHOLD:
            raise ValueError(f"the threshold must be at least {MIN_THRESHOLD}")
        if self.p < 1:
            raise ValueError("the protection width p must be at least 1")

    @property
    def width(self) -> int:
        """The width each protected cell's range needs: p, but at most T - 1, because a cell
        shown as "under T" can never have a range wider than 0 to T - 1."""
        return min(self.p, self.threshold - 1)


class ProtectionFailed(RuntimeError):
    """Secondary suppression could not make the release pass its audit."""


def round_to_5(n: int) -> int:
    """Conventional rounding to the nearest 5 (…2 down, …3 up)."""
    return 5 * ((n + 2) // 5)


def primary_rule(n: int, settings: Settings) -> Rule:
    if n == 0:
        return Rule.ZERO if settings.zeros_disclosive else Rule.NONE
    if n < settings.threshold:
        return Rule.PRIMARY
    return Rule.NONE


def dominant_cells(table: FrequencyTable) -> dict[CellKey, str]:
    """Cells holding all of a line's non-zero mass, with a note saying which line."""
    values = table.values()
    found: dict[CellKey, str] = {}
    for total, parts in table.shape.lines():
        if len(parts) < 2 or values[total] == 0:
            continue
        nonzero = [k for k in parts if values[k] > 0]
        if len(nonzero) == 1:
            line = ", ".join(label for label in total if label != TOTAL) or "all records"
            found.setdefault(
                nonzero[0],
                f"{table.name}: every record in line '{line}' is in '{'/'.join(nonzero[0])}'",
            )
    return found


def _initial_cell(key: CellKey, n: int, rule: Rule, mode: Mode, s: Settings) -> ProtectedCell:
    zero_floor = 0 if s.zeros_disclosive else 1
    if mode == Mode.SUPPRESS:
        if rule == Rule.NONE:
            return ProtectedCell(key, Status.PUBLISHED, n, Rule.NONE, n, n)
        return ProtectedCell(key, Status.SUPPRESSED, None, rule, zero_floor, None)
    # 10-5 rule: everything under T is suppressed (zeros too), the rest rounded to 5.
    if n < s.threshold:
        rule = Rule.ZERO if n == 0 else Rule.PRIMARY
        return ProtectedCell(key, Status.SUPPRESSED, None, rule, 0, s.threshold - 1)
    if rule == Rule.DOMINANCE:
        return ProtectedCell(key, Status.SUPPRESSED, None, rule, 0, None)
    shown = round_to_5(n)
    return ProtectedCell(
        key, Status.ROUNDED, shown, Rule.NONE, max(shown - 2, s.threshold), shown + 2
    )


def _secondary(cell: ProtectedCell, mode: Mode, s: Settings) -> ProtectedCell:
    # The audit assumes an attacker knows which suppressed cells are under T (the "<10" of the
    # 10-5 rule), which is conservative; it does not also credit them with knowing that the
    # others are at least T, which would make some small tables impossible to protect.
    floor = 0 if (mode == Mode.ROUND or s.zeros_disclosive) else 1
    return ProtectedCell(cell.key, Status.SUPPRESSED, None, Rule.SECONDARY, floor, None)


def protect(
    tables: Sequence[FrequencyTable],
    *,
    mode: Mode | str,
    settings: Settings | None = None,
    earlier: Sequence[ProtectedRelease] = (),
    segments: frozenset[int] = frozenset({0}),
    segment_truth: Mapping[int, Sequence[FrequencyTable]] | None = None,
    label: str = "",
    max_steps: int | None = None,
) -> ProtectedRelease:
    """Protect `tables` (one population) so the result passes the audit, alone and with
    `earlier` releases. The returned release carries every suppressed cell's audit range.

    When the population spans several segments shared with earlier releases, `segment_truth`
    gives each segment's true tables so that differencing between releases is checked too.
    """
    s = settings or Settings()
    mode = Mode(mode)
    truth = {t.name: t for t in tables}
    if len(truth) != len(tables):
        raise ValueError("table names must be distinct")
    flags: list[str] = []
    cells: dict[str, dict[CellKey, ProtectedCell]] = {}
    values: dict[str, dict[CellKey, int]] = {}
    for table in tables:
        vals = table.values()
        values[table.name] = vals
        dominant = dominant_cells(table)
        flags.extend(dominant.values())
        table_cells = {}
        for key, n in vals.items():
            rule = primary_rule(n, s)
            if rule == Rule.NONE and key in dominant:
                rule = Rule.DOMINANCE
            table_cells[key] = _initial_cell(key, n, rule, mode, s)
        cells[table.name] = table_cells
    _share_population_total(tables, cells, mode, s)

    footnotes = (
        (ROUND_FOOTNOTE,)
        if mode == Mode.ROUND
        else (SUPPRESS_FOOTNOTE.format(threshold=s.threshold),)
    )

    def build() -> ProtectedRelease:
        return ProtectedRelease(
            mode=mode,
            threshold=s.threshold,
            p=s.width,
            tables=tuple(ProtectedTable(t.shape, dict(cells[t.name])) for t in tables),
            segments=segments,
            footnotes=footnotes,
            flags=tuple(flags),
            label=label,
        )

    by_segment = (
        {seg: {t.name: t for t in ts} for seg, ts in segment_truth.items()}
        if segment_truth
        else None
    )
    passed: set[CellRef] = set()
    steps = 0
    limit = max_steps if max_steps is not None else sum(len(c) for c in cells.values()) + 1
    programs = 0
    while True:
        release = build()
        result = audit_release(
            release,
            earlier,
            truth=truth,
            segment_truth=by_segment,
            skip=frozenset(passed),
            stop_at_first=True,
        )
        programs += result.programs_solved
        passed.update(result.passing)
        if result.passed:
            break
        steps += 1
        if steps > limit:
            raise ProtectionFailed("; ".join(str(f) for f in result.findings))
        finding = result.findings[0]
        choice = _choose_secondary(release, earlier, finding.table, finding.key, values, mode, s)
        if choice is None:
            raise ProtectionFailed(str(finding))
        for name, key in choice:
            cells[name][key] = _secondary(cells[name][key], mode, s)
    final = audit_release(release, earlier, truth=truth, segment_truth=by_segment)
    programs += final.programs_solved
    if not final.passed:  # cannot happen (monotone), but the gate is the gate
        raise ProtectionFailed("; ".join(str(f) for f in final.findings))
    protected = with_ranges(release, final)
    return replace(protected, stats={"programs_solved": programs, "secondary_steps": steps})


def _share_population_total(
    tables: Sequence[FrequencyTable],
    cells: dict[str, dict[CellKey, ProtectedCell]],
    mode: Mode,
    s: Settings,
) -> None:
    """The population total appears in every whole-population table: one status for all."""
    whole = [t for t in tables if not t.shape.partial]
    if any(cells[t.name][t.shape.grand_total_key].suppressed for t in whole):
        for t in whole:
            key = t.shape.grand_total_key
            if not cells[t.name][key].suppressed:
                cells[t.name][key] = _secondary(cells[t.name][key], mode, s)


def _cost(name: str, key: CellKey, n: int, release: ProtectedRelease) -> tuple[int, float]:
    table = release.table(name)
    if key == table.shape.grand_total_key:
        tier = 3 if not table.shape.partial else 2
    elif TOTAL in key:
        tier = 1
    else:
        tier = 0
    return tier, 1 + math.log(max(n, 1))


def _choose_secondary(
    release: ProtectedRelease,
    earlier: Sequence[ProtectedRelease],
    name: str,
    key: CellKey,
    values: dict[str, dict[CellKey, int]],
    mode: Mode,
    s: Settings,
) -> list[CellRef] | None:
    table = release.table(name)
    shown = [k for k, c in table.cells.items() if not c.suppressed]
    in_line = {
        k
        for total, parts in table.shape.lines()
        if key == total or key in parts
        for k in (total, *parts)
        if k in shown and k != key
    }
    pool: list[CellRef] = [(name, k) for k in in_line]
    if not pool:
        pool = [(name, k) for k in shown]
    if not pool:
        pool = [(t.name, k) for t in release.tables for k, c in t.cells.items() if not c.suppressed]
    if not pool:
        return None
    pool.sort(key=lambda ref: _cost(ref[0], ref[1], values[ref[0]][ref[1]], release))

    def expand(ref: CellRef) -> list[CellRef]:
        t = release.table(ref[0])
        if ref[1] == t.shape.grand_total_key and not t.shape.partial:
            return [
                (other.name, other.shape.grand_total_key)
                for other in release.tables
                if not other.shape.partial
                and not other.cells[other.shape.grand_total_key].suppressed
            ]
        return [ref]

    # Prefer the cheapest candidate that actually widens the failing cell's range.
    base_model = AttackerModel([*earlier, release])
    base = base_model.interval(base_model.cell_vars(release, name, key)).width
    for ref in pool[:6]:
        trial = _suppress_in(release, expand(ref), mode, s)
        model = AttackerModel([*earlier, trial])
        if model.interval(model.cell_vars(trial, name, key)).width > base:
            return expand(ref)
    return expand(pool[0])


def _suppress_in(
    release: ProtectedRelease, refs: list[CellRef], mode: Mode, s: Settings
) -> ProtectedRelease:
    tables = []
    for table in release.tables:
        cells = dict(table.cells)
        for name, key in refs:
            if name == table.name:
                cells[key] = _secondary(cells[key], mode, s)
        tables.append(ProtectedTable(table.shape, cells))
    return release.with_tables(tables)


def audit_only(
    release: ProtectedRelease,
    earlier: Sequence[ProtectedRelease] = (),
    truth: dict[str, FrequencyTable] | None = None,
) -> AuditResult:
    """Re-run the full audit (the gate before anything is stored or shown)."""
    return audit_release(release, earlier, truth=truth)
