"""Turning protected tables into what templates draw: rows of display cells and bar charts.

Every figure and every percentage here comes from protected values (rounded or exact as shown,
"[c]" when suppressed). The unprotected view is built separately and marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .disclosure import (
    TOTAL,
    FrequencyTable,
    ProtectedCell,
    ProtectedTable,
    count_label,
    percent_label,
)

SUPPRESSED_TEXT = "[c]"
# Each bar takes a row: its label on top (labels can be long), then the bar and its figure.
BAR_HEIGHT = 46
PLOT_WIDTH = 340
CHART_WIDTH = 460


@dataclass
class DisplayRow:
    label: str
    cells: list[str]
    is_total: bool = False


@dataclass
class DisplayTable:
    name: str
    title: str
    caption: str
    column_header: str
    columns: list[str]
    row_header: str
    rows: list[DisplayRow]


@dataclass
class Bar:
    label: str
    value: int | None
    text: str
    y: int
    width: float

    @property
    def label_y(self) -> int:
        return self.y + 16

    @property
    def rect_y(self) -> int:
        return self.y + 22

    @property
    def value_y(self) -> int:
        return self.y + 36

    @property
    def value_x(self) -> float:
        return self.width + 6 if self.width else 0


@dataclass
class Chart:
    ident: str
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    height: int = 0


def _pretty(dimension: str) -> str:
    return dimension.replace("_", " ").capitalize()


def protected_display(table: ProtectedTable, title: str) -> DisplayTable:
    shape = table.shape
    if len(shape.dimensions) == 1:
        total = table.grand_total()
        rows = []
        for label in (*shape.categories[0], TOTAL):
            cell = table.cells[(label,)]
            rows.append(
                DisplayRow(
                    label,
                    [count_label(cell), percent_label(cell, total)],
                    is_total=label == TOTAL,
                )
            )
        return DisplayTable(
            table.name, title, title, "", ["Number", "Share"], _pretty(shape.dimensions[0]), rows
        )
    columns = [*shape.categories[1], TOTAL]
    rows = [
        DisplayRow(
            label,
            [count_label(table.cells[(label, col)]) for col in columns],
            is_total=label == TOTAL,
        )
        for label in (*shape.categories[0], TOTAL)
    ]
    return DisplayTable(
        table.name,
        title,
        title,
        _pretty(shape.dimensions[1]),
        columns,
        _pretty(shape.dimensions[0]),
        rows,
    )


def unprotected_display(table: FrequencyTable, title: str) -> DisplayTable:
    shape = table.shape
    values = table.values()
    caption = f"{title}: true counts, not for publication"
    if len(shape.dimensions) == 1:
        rows = [
            DisplayRow(label, [f"{values[(label,)]:,}"], is_total=label == TOTAL)
            for label in (*shape.categories[0], TOTAL)
        ]
        return DisplayTable(
            table.name, title, caption, "", ["Number"], _pretty(shape.dimensions[0]), rows
        )
    columns = [*shape.categories[1], TOTAL]
    rows = [
        DisplayRow(label, [f"{values[(label, col)]:,}" for col in columns], is_total=label == TOTAL)
        for label in (*shape.categories[0], TOTAL)
    ]
    return DisplayTable(
        table.name,
        title,
        caption,
        _pretty(shape.dimensions[1]),
        columns,
        _pretty(shape.dimensions[0]),
        rows,
    )


def chart(table: ProtectedTable, title: str) -> Chart:
    """A horizontal bar chart of the table's first dimension (its margin for a 2-D table),
    from protected values; the text alternative lists every bar."""
    shape = table.shape
    rest = tuple(TOTAL for _ in shape.dimensions[1:])
    cells: list[tuple[str, ProtectedCell]] = [
        (label, table.cells[(label, *rest)]) for label in shape.categories[0]
    ]
    biggest = max((c.value or 0 for _, c in cells), default=0) or 1
    bars = []
    parts = []
    for i, (label, cell) in enumerate(cells):
        text = count_label(cell)
        bars.append(
            Bar(
                label=label,
                value=cell.value,
                text=text if cell.value is not None else f"{SUPPRESSED_TEXT} not shown",
                y=i * BAR_HEIGHT,
                width=0 if cell.value is None else round(PLOT_WIDTH * cell.value / biggest, 1),
            )
        )
        parts.append(f"{label}: {text if cell.value is not None else 'not shown'}")
    dimension = _pretty(shape.dimensions[0]).lower()
    description = f"Bar chart of {title.lower()} by {dimension}. " + "; ".join(parts) + "."
    return Chart(
        ident=f"chart-{table.name}",
        title=f"{title} by {dimension}",
        description=description,
        bars=bars,
        height=len(bars) * BAR_HEIGHT,
    )
