"""The audit: what can an attacker deduce about each suppressed cell from everything published?

Unknowns are non-negative integers: for every segment of the population (a set of records that
the same releases covered) one population count, and for every table the interior counts of that
segment. Tables in a release share only the population count of each segment; because no two
tables share a dimension, any set of table margins with equal totals has a joint table, so this
model is exact for the atoms (it neither hides nor invents information). Every shown cell of this
and every earlier release adds the constraint "its sum lies in [known_lo, known_hi]".

For each suppressed cell the narrowest range is the minimum and maximum of its sum over that
integer feasible set: two small integer programs solved by HiGHS (`scipy.optimize.milp`). Checks:

- P0: no suppressed cell is pinned (hi - lo >= 1);
- P1: a cell protected for its own sake (primary, zero or dominance) has hi - lo >= p;
- P2: an insider who knows one suppressed count of 1 or 2 (their own record) cannot pin any
  other suppressed cell in a line they share.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from .release import PROTECTED_RULES, ProtectedCell, ProtectedRelease, Rule, Status
from .tables import CellKey, FrequencyTable, IntArray, TableShape

# Counts above this are "unbounded" for the audit; keeps every program bounded.
UNBOUNDED = 10**12

CellRef = tuple[str, CellKey]  # (table name, cell key) within the release being audited


class AuditInfeasible(RuntimeError):
    """The published figures contradict each other: a bug, never a property of real data."""


@dataclass(frozen=True)
class Interval:
    lo: int
    hi: int | None  # None: no upper bound can be deduced

    @property
    def width(self) -> float:
        return float("inf") if self.hi is None else self.hi - self.lo

    def contains(self, value: int) -> bool:
        return self.lo <= value and (self.hi is None or value <= self.hi)


@dataclass(frozen=True)
class AuditFinding:
    table: str
    key: CellKey
    interval: Interval
    problem: str  # "exact", "narrow" or "insider"
    detail: str = ""

    def __str__(self) -> str:
        hi = "∞" if self.interval.hi is None else str(self.interval.hi)
        return (
            f"{self.table} {'/'.join(self.key)}: {self.problem} "
            f"(deducible range [{self.interval.lo}, {hi}]){' ' + self.detail if self.detail else ''}"
        )


@dataclass
class AuditResult:
    ranges: dict[CellRef, Interval] = field(default_factory=dict)
    findings: list[AuditFinding] = field(default_factory=list)
    passing: set[CellRef] = field(default_factory=set)
    programs_solved: int = 0

    @property
    def passed(self) -> bool:
        return not self.findings


def _union_shapes(shapes: Iterable[TableShape]) -> TableShape:
    shapes = list(shapes)
    first = shapes[0]
    categories: list[list[str]] = [list(c) for c in first.categories]
    for shape in shapes[1:]:
        if shape.dimensions != first.dimensions:
            raise ValueError(f"table {first.name} changed its dimensions between releases")
        for i, cats in enumerate(shape.categories):
            categories[i].extend(c for c in cats if c not in categories[i])
    return TableShape(
        name=first.name,
        dimensions=first.dimensions,
        categories=tuple(tuple(c) for c in categories),
        partial=any(s.partial for s in shapes),
    )


class AttackerModel:
    """The integer feasible set an attacker faces, given every release in `releases`."""

    def __init__(self, releases: Sequence[ProtectedRelease]) -> None:
        self.releases = list(releases)
        segments = sorted({s for r in self.releases for s in r.segments})
        n = 0
        self._population: dict[int, int] = {}
        for s in segments:
            self._population[s] = n
            n += 1
        by_name: dict[str, list[TableShape]] = {}
        for release in self.releases:
            for table in release.tables:
                by_name.setdefault(table.name, []).append(table.shape)
        self.shapes = {name: _union_shapes(s) for name, s in by_name.items()}
        self._offset: dict[tuple[str, int], int] = {}
        rows: list[tuple[IntArray, np.ndarray, float, float]] = []
        for name, shape in self.shapes.items():
            for s in segments:
                self._offset[(name, s)] = n
                interior = np.arange(n, n + shape.n_interior, dtype=np.int64)
                n += shape.n_interior
                idx = np.append(interior, self._population[s])
                coef = np.append(np.ones(len(interior)), -1.0)
                if shape.partial:  # records outside the table (e.g. unknown age) are a slack
                    idx = np.append(idx, n)
                    coef = np.append(coef, 1.0)
                    n += 1
                rows.append((idx, coef, 0.0, 0.0))
        self.n_vars = n
        for release in self.releases:
            for table in release.tables:
                union = self.shapes[table.name]
                for key, cell in table.cells.items():
                    if cell.known_lo <= 0 and cell.known_hi is None:
                        continue
                    idx = self._vars(release, table.name, key)
                    hi = UNBOUNDED if cell.known_hi is None else cell.known_hi
                    rows.append((idx, np.ones(len(idx)), float(cell.known_lo), float(hi)))
                # Categories a release does not list are zero in it.
                for d, cats in enumerate(union.categories):
                    for label in cats:
                        if label in table.shape.categories[d]:
                            continue
                        key = tuple(
                            label if i == d else "Total" for i in range(len(union.dimensions))
                        )
                        idx = self._vars(release, table.name, key)
                        rows.append((idx, np.ones(len(idx)), 0.0, 0.0))
        self._rows = rows
        self._matrix, self._lb, self._ub = self._assemble(rows)

    def _vars(self, release: ProtectedRelease, name: str, key: CellKey) -> IntArray:
        union = self.shapes[name]
        if all(label == "Total" for label in key) and not union.partial:
            return np.asarray([self._population[s] for s in sorted(release.segments)])
        members = union.members(key)
        return np.concatenate([self._offset[(name, s)] + members for s in sorted(release.segments)])

    def cell_vars(self, release: ProtectedRelease, name: str, key: CellKey) -> IntArray:
        return self._vars(release, name, key)

    def segment_cell_vars(self, name: str, key: CellKey, segment: int) -> IntArray:
        """The unknowns of one cell restricted to the records of one segment."""
        union = self.shapes[name]
        if all(label == "Total" for label in key) and not union.partial:
            return np.asarray([self._population[segment]])
        return self._offset[(name, segment)] + union.members(key)

    def _assemble(
        self, rows: Sequence[tuple[IntArray, np.ndarray, float, float]]
    ) -> tuple[csr_array, np.ndarray, np.ndarray]:
        data = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0)
        cols = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int64)
        indptr = np.cumsum([0] + [len(r[0]) for r in rows])
        matrix = csr_array((data, cols, indptr), shape=(len(rows), self.n_vars))
        lb = np.asarray([r[2] for r in rows], dtype=float)
        ub = np.asarray([r[3] for r in rows], dtype=float)
        return matrix, lb, ub

    def interval(
        self,
        target: IntArray,
        *,
        fixed: Sequence[tuple[IntArray, int]] = (),
        integer: bool = True,
    ) -> Interval:
        """Min and max of the sum of `target` over the feasible set (LP relaxation if asked)."""
        matrix, lb, ub = self._matrix, self._lb, self._ub
        if fixed:
            extra = [(idx, np.ones(len(idx)), float(v), float(v)) for idx, v in fixed]
            matrix, lb, ub = self._assemble([*self._rows, *extra])
        constraint = LinearConstraint(matrix, lb, ub)
        integrality = np.ones(self.n_vars) if integer else np.zeros(self.n_vars)
        bounds = Bounds(np.zeros(self.n_vars), np.full(self.n_vars, float(UNBOUNDED)))
        c = np.zeros(self.n_vars)
        np.add.at(c, target, 1.0)
        results: list[float] = []
        for sign in (1.0, -1.0):
            res = milp(sign * c, constraints=constraint, integrality=integrality, bounds=bounds)
            if res.status != 0 or res.fun is None:
                raise AuditInfeasible(f"audit program failed: {res.message}")
            results.append(sign * float(res.fun))
        lo, hi = results
        lo_i = int(np.ceil(lo - 1e-6)) if not integer else int(round(lo))
        hi_i = int(np.floor(hi + 1e-6)) if not integer else int(round(hi))
        return Interval(lo_i, None if hi >= UNBOUNDED / 2 else hi_i)


def required_width(cell: ProtectedCell, p: int) -> int:
    return p if cell.rule in PROTECTED_RULES else 1


def audit_release(
    release: ProtectedRelease,
    earlier: Sequence[ProtectedRelease] = (),
    *,
    truth: dict[str, FrequencyTable] | None = None,
    segment_truth: dict[int, dict[str, FrequencyTable]] | None = None,
    skip: frozenset[CellRef] = frozenset(),
    stop_at_first: bool = False,
) -> AuditResult:
    """Deduce the range of every suppressed cell of `release`, given it and `earlier` releases.

    `truth` (the true tables) enables the insider check P2. `segment_truth` (the true tables of
    each segment, when the release spans several) enables the differencing check: a count from 1
    to T-1 in the records of one segment (say, those new since the last release) must not
    be narrowed below width p by subtracting one release from another. Cells in `skip` are known
    to pass already (suppressing more only widens ranges) and are not re-solved.
    """
    model = AttackerModel([*earlier, release])
    result = AuditResult()
    if segment_truth and len(release.segments) > 1:
        _differencing_check(model, release, segment_truth, result, skip, stop_at_first)
        if result.findings and stop_at_first:
            return result
    for table in release.tables:
        for key, cell in table.cells.items():
            if not cell.suppressed or (table.name, key) in skip:
                continue
            interval = model.interval(model.cell_vars(release, table.name, key))
            result.programs_solved += 2
            result.ranges[(table.name, key)] = interval
            need = required_width(cell, release.p)
            if interval.width >= need:
                result.passing.add((table.name, key))
            else:
                problem = "exact" if interval.width < 1 else "narrow"
                result.findings.append(
                    AuditFinding(table.name, key, interval, problem, f"needs width >= {need}")
                )
                if stop_at_first:
                    return result
    if truth is not None and not result.findings:
        _insider_check(model, release, truth, result, stop_at_first)
    return result


def _differencing_check(
    model: AttackerModel,
    release: ProtectedRelease,
    segment_truth: dict[int, dict[str, FrequencyTable]],
    result: AuditResult,
    skip: frozenset[CellRef],
    stop_at_first: bool,
) -> None:
    for segment in sorted(release.segments):
        tables = segment_truth.get(segment, {})
        for table in release.tables:
            true_table = tables.get(table.name)
            for key in table.shape.cell_keys():
                n = true_table.value_or_zero(key) if true_table is not None else 0
                ref = (f"{table.name}@{segment}", key)
                # Only counts 1..T-1: a zero here is usually structural (a release's period
                # says it has no records of a later quarter), which everyone knows anyway.
                if n == 0 or n >= release.threshold or ref in skip:
                    continue
                interval = model.interval(model.segment_cell_vars(table.name, key, segment))
                result.programs_solved += 2
                if interval.width < release.p:
                    result.findings.append(
                        AuditFinding(
                            table.name,
                            key,
                            interval,
                            "differencing",
                            f"the count in segment {segment} alone can be narrowed by "
                            "comparing releases",
                        )
                    )
                    if stop_at_first:
                        return
                else:
                    result.passing.add(ref)


def _insider_check(
    model: AttackerModel,
    release: ProtectedRelease,
    truth: dict[str, FrequencyTable],
    result: AuditResult,
    stop_at_first: bool,
) -> None:
    for table in release.tables:
        true_table = truth.get(table.name)
        if true_table is None:
            continue
        for key, cell in table.cells.items():
            if not cell.suppressed:
                continue
            n_u = true_table.value_or_zero(key)
            if n_u not in (1, 2):
                continue
            own = model.cell_vars(release, table.name, key)
            fixed = [(own, n_u)]
            neighbours = {
                k
                for total, parts in table.shape.lines()
                if key == total or key in parts
                for k in (total, *parts)
                if k != key and table.cells[k].suppressed
            }
            for other in sorted(neighbours):
                if np.array_equal(table.shape.members(other), table.shape.members(key)):
                    continue  # the same records under another name: nothing new is learnt
                target = model.cell_vars(release, table.name, other)
                interval = model.interval(target, fixed=fixed)
                result.programs_solved += 2
                if interval.width < 1:
                    result.findings.append(
                        AuditFinding(
                            table.name,
                            other,
                            interval,
                            "insider",
                            f"pinned by someone who knows {'/'.join(key)} = {n_u}",
                        )
                    )
                    if stop_at_first:
                        return


def with_ranges(release: ProtectedRelease, result: AuditResult) -> ProtectedRelease:
    """The release with each suppressed cell's deduced range recorded."""
    tables = []
    for table in release.tables:
        cells = {}
        for key, cell in table.cells.items():
            interval = result.ranges.get((table.name, key))
            if interval is not None:
                cell = ProtectedCell(
                    key=cell.key,
                    status=cell.status,
                    value=cell.value,
                    rule=cell.rule,
                    known_lo=cell.known_lo,
                    known_hi=cell.known_hi,
                    lo=interval.lo,
                    hi=interval.hi,
                )
            elif cell.status != Status.SUPPRESSED:
                cell = ProtectedCell(
                    key=cell.key,
                    status=cell.status,
                    value=cell.value,
                    rule=cell.rule,
                    known_lo=cell.known_lo,
                    known_hi=cell.known_hi,
                    lo=cell.known_lo,
                    hi=cell.known_hi,
                )
            cells[key] = cell
        tables.append(type(table)(shape=table.shape, cells=cells))
    return release.with_tables(tables, audited=result.passed)


__all__ = [
    "AttackerModel",
    "AuditFinding",
    "AuditInfeasible",
    "AuditResult",
    "Interval",
    "Rule",
    "audit_release",
    "with_ranges",
]
