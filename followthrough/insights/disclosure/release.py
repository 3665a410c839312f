"""What a protected release is made of: cells as shown, with what each tells an attacker.

Every shown cell carries the interval of true values consistent with how it is shown
(`known_lo`, `known_hi`): an exact figure pins it, a figure rounded to 5 allows ±2, a suppressed
cell allows anything from 0 up. The audit reasons only from these intervals, so it sees exactly
what the public sees. `lo`/`hi` are the audit's deduced range for suppressed cells.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .tables import TOTAL, CellKey, TableShape


class Mode(StrEnum):
    SUPPRESS = "suppress"
    ROUND = "round"


class Status(StrEnum):
    PUBLISHED = "published"
    ROUNDED = "rounded"
    SUPPRESSED = "suppressed"


class Rule(StrEnum):
    """Why a cell is suppressed (empty for a shown cell)."""

    NONE = ""
    PRIMARY = "primary"  # a count from 1 to T-1
    ZERO = "zero"  # a zero, treated as potentially disclosive
    DOMINANCE = "dominance"  # all of a line's mass in this one category
    SECONDARY = "secondary"  # suppressed so that other suppressed cells cannot be derived


PROTECTED_RULES = frozenset({Rule.PRIMARY, Rule.ZERO, Rule.DOMINANCE})

ROUND_FOOTNOTE = (
    "Figures under 10 are not shown and the rest are rounded to the nearest 5. "
    "Totals are rounded independently, so figures may not add up to the totals shown."
)
SUPPRESS_FOOTNOTE = (
    "Figures under {threshold}, and some others that would let them be worked out, are not shown."
)


@dataclass(frozen=True)
class ProtectedCell:
    key: CellKey
    status: Status
    value: int | None  # the figure as shown; None when suppressed
    rule: Rule = Rule.NONE
    known_lo: int = 0
    known_hi: int | None = None
    lo: int | None = None  # audit range (suppressed cells); None until audited
    hi: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.status == Status.SUPPRESSED

    def label(self, dimension_index: int) -> str:
        return self.key[dimension_index]


@dataclass(frozen=True)
class ProtectedTable:
    shape: TableShape
    cells: dict[CellKey, ProtectedCell]

    @property
    def name(self) -> str:
        return self.shape.name

    def cell(self, *labels: str) -> ProtectedCell:
        return self.cells[tuple(labels)]

    def grand_total(self) -> ProtectedCell:
        return self.cells[self.shape.grand_total_key]

    def suppressed_keys(self) -> list[CellKey]:
        return [k for k, c in self.cells.items() if c.suppressed]

    def as_contract(self) -> dict[str, object]:
        """The JSON shape of DESIGN.md §5 (insights_tables)."""
        cells = []
        for key in self.shape.cell_keys():
            cell = self.cells[key]
            row: dict[str, object] = dict(zip(self.shape.dimensions, key, strict=True))
            row["value"] = cell.value
            row["status"] = str(cell.status)
            cells.append(row)
        return {"name": self.name, "dimensions": list(self.shape.dimensions), "cells": cells}


@dataclass(frozen=True)
class ProtectedRelease:
    """A set of protected tables over one population (the records in `segments`)."""

    mode: Mode
    threshold: int
    p: int
    tables: tuple[ProtectedTable, ...]
    segments: frozenset[int] = frozenset({0})
    footnotes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    audited: bool = False
    label: str = ""
    stats: dict[str, int] = field(default_factory=dict)

    def table(self, name: str) -> ProtectedTable:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    def with_tables(self, tables: Iterable[ProtectedTable], **changes: object) -> ProtectedRelease:
        return replace(self, tables=tuple(tables), **changes)  # type: ignore[arg-type]

    def as_contract(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "mode": str(self.mode),
            "tables": [t.as_contract() for t in self.tables],
        }


def is_margin(key: CellKey) -> bool:
    return TOTAL in key
