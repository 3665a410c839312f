"""Derived figures (percentages, chart labels) computed only from protected values.

A share is shown only when both its numerator and its denominator are shown; it is computed from
the figures as shown (rounded, in round mode), never from the true counts.
"""

from __future__ import annotations

from .release import ProtectedCell


def share(numerator: ProtectedCell, denominator: ProtectedCell) -> float | None:
    """numerator / denominator as shown, or None when either is suppressed or the base is 0."""
    if numerator.value is None or denominator.value is None or denominator.value <= 0:
        return None
    return numerator.value / denominator.value


def percent_label(numerator: ProtectedCell, denominator: ProtectedCell) -> str:
    """A whole-number percentage, or "[c]" (the GSS marker for confidential) when not shown."""
    value = share(numerator, denominator)
    if value is None:
        return "[c]"
    return f"{round(100 * value)}%"


def count_label(cell: ProtectedCell) -> str:
    return "[c]" if cell.value is None else f"{cell.value:,}"
