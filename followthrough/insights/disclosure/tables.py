"""Frequency tables with margins: the shape every disclosure rule and the audit work on.

A table holds only its interior counts (the finest cells). Every cell the public can see, margins
included, is identified by a key with one label per dimension; the label "Total" stands for the
sum over that dimension. No Django import: this module is pure and tested without a database.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

TOTAL = "Total"

CellKey = tuple[str, ...]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TableShape:
    """The dimensions and categories of a table, without counts.

    `partial` says the table covers only part of the population (for example victims of known
    age and sex), so its grand total may be smaller than other tables' grand totals.
    """

    name: str
    dimensions: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    partial: bool = False

    def __post_init__(self) -> None:
        if len(self.dimensions) != len(self.categories):
            raise ValueError(f"{self.name}: one category list per dimension is needed")
        for dim, cats in zip(self.dimensions, self.categories, strict=True):
            if not cats:
                raise ValueError(f"{self.name}: dimension {dim} has no categories")
            if TOTAL in cats or len(set(cats)) != len(cats):
                raise ValueError(f"{self.name}: categories of {dim} must be distinct, not Total")

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(c) for c in self.categories)

    @property
    def n_interior(self) -> int:
        return int(np.prod(self.sizes))

    @property
    def grand_total_key(self) -> CellKey:
        return tuple(TOTAL for _ in self.dimensions)

    def cell_keys(self) -> list[CellKey]:
        """Every cell, interior and margins, in a stable order (interior first per line)."""
        options = [(*cats, TOTAL) for cats in self.categories]
        return [tuple(k) for k in itertools.product(*options)]

    def is_interior(self, key: CellKey) -> bool:
        return TOTAL not in key

    def members(self, key: CellKey) -> IntArray:
        """Flat indices of the interior cells that add up to `key`."""
        axes: list[Sequence[int]] = []
        for label, cats in zip(key, self.categories, strict=True):
            if label == TOTAL:
                axes.append(range(len(cats)))
            else:
                axes.append([cats.index(label)])
        grids = np.meshgrid(*[np.asarray(a, dtype=np.int64) for a in axes], indexing="ij")
        flat = np.ravel_multi_index(tuple(g.ravel() for g in grids), self.sizes)
        return np.asarray(flat, dtype=np.int64)

    def lines(self) -> Iterator[tuple[CellKey, list[CellKey]]]:
        """Every additive line: (its total cell, its interior cells along one dimension)."""
        for d, cats in enumerate(self.categories):
            others = [(*c, TOTAL) if i != d else (TOTAL,) for i, c in enumerate(self.categories)]
            for fixed in itertools.product(*others):
                total_key = tuple(fixed)
                parts = [total_key[:d] + (cat,) + total_key[d + 1 :] for cat in cats]
                yield total_key, parts


@dataclass(frozen=True)
class FrequencyTable:
    """A table's shape and its true interior counts (never published as they are)."""

    shape: TableShape
    counts: IntArray = field(repr=False)

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts, dtype=np.int64)
        if counts.shape != self.shape.sizes:
            raise ValueError(
                f"{self.shape.name}: counts have shape {counts.shape}, expected {self.shape.sizes}"
            )
        if (counts < 0).any():
            raise ValueError(f"{self.shape.name}: counts must not be negative")
        object.__setattr__(self, "counts", counts)

    @property
    def name(self) -> str:
        return self.shape.name

    def value(self, key: CellKey) -> int:
        return int(self.counts.ravel()[self.shape.members(key)].sum())

    def value_or_zero(self, key: CellKey) -> int:
        """Like value(), but 0 for a category this table does not have (none recorded)."""
        for label, cats in zip(key, self.shape.categories, strict=True):
            if label != TOTAL and label not in cats:
                return 0
        return self.value(key)

    def values(self) -> dict[CellKey, int]:
        return {key: self.value(key) for key in self.shape.cell_keys()}


def table_from_counts(
    name: str,
    dimensions: Sequence[str],
    counts: dict[CellKey, int],
    categories: Sequence[Sequence[str]] | None = None,
    *,
    partial: bool = False,
) -> FrequencyTable:
    """Build a table from interior counts keyed by category labels (missing keys count 0)."""
    if categories is None:
        found: list[list[str]] = [[] for _ in dimensions]
        for key in counts:
            for i, label in enumerate(key):
                if label not in found[i]:
                    found[i].append(label)
        categories = found
    shape = TableShape(
        name=name,
        dimensions=tuple(dimensions),
        categories=tuple(tuple(c) for c in categories),
        partial=partial,
    )
    array = np.zeros(shape.sizes, dtype=np.int64)
    for key, n in counts.items():
        if TOTAL in key:
            continue
        index = tuple(cats.index(label) for label, cats in zip(key, shape.categories, strict=True))
        array[index] += int(n)
    return FrequencyTable(shape=shape, counts=array)
