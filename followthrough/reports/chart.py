"""The progress-over-time chart as a PNG (matplotlib, no Django).

Stacked bars, one per month end, in GOV.UK tag colours. The chart never stands alone: every
report gives its text alternative and the same figures as a table.
"""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache
from typing import Any

from .committee_report import PROGRESS_SERIES

_COLOURS = {
    "complete": "#00703c",
    "on_track": "#1d70b8",
    "at_risk": "#ffdd00",
    "overdue": "#d4351c",
    "no_update": "#505a5f",
    "closed_not_implemented": "#4c2c92",
}
# The four a committee always sees, even at zero; the others only when they occur.
_ALWAYS = {"complete", "on_track", "at_risk", "overdue"}


@lru_cache(maxsize=1)
def _font_family() -> str:
    """Arial where installed, else its metric twin Liberation Sans, else matplotlib's own."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((f for f in ("Arial", "Liberation Sans") if f in installed), "DejaVu Sans")


def point_label(on: str, *, last: bool) -> str:
    day = date.fromisoformat(on)
    if last:
        return f"{day.day} {day:%b}\n{day:%Y}"
    return f"{day:%b}\n{day:%Y}"


def progress_chart_png(progress: list[dict[str, Any]], *, dpi: int = 150) -> bytes:
    """Recommendations by status at each point of `progress`, as PNG bytes (16 × 8 cm)."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(
        {
            "font.family": _font_family(),
            "font.size": 8,
            "svg.hashsalt": "followthrough",
        }
    ):
        figure = Figure(figsize=(6.3, 3.15), dpi=dpi)
        axes = figure.add_subplot()
        positions = list(range(len(progress)))
        bottoms = [0] * len(progress)
        for key, label in PROGRESS_SERIES:
            values = [point["counts"].get(key, 0) for point in progress]
            if key not in _ALWAYS and not any(values):
                continue
            axes.bar(
                positions,
                values,
                bottom=bottoms,
                color=_COLOURS[key],
                label=label,
                edgecolor="#ffffff",
                linewidth=0.5,
                width=0.7,
            )
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        axes.set_xticks(
            positions,
            [point_label(p["on"], last=i == len(progress) - 1) for i, p in enumerate(progress)],
            fontsize=7,
        )
        axes.set_ylabel("Recommendations")
        axes.set_ylim(0, max([*bottoms, 1]) * 1.05)
        axes.spines[["top", "right"]].set_visible(False)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.2),
            ncol=6,
            frameon=False,
            fontsize=7,
            handlelength=1,
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()
