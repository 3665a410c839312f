"""The facts page's figures, taken only from published, disclosure-controlled insights releases.

Nothing here counts offence records or holds a figure of its own: it reads what the insights
module has already protected, audited and published (`published_release_list`,
`release_get_published`, `release_protected`, `indicator_values`) and lays it out for residents
with the module's own presentation helpers, which work from protected values only. Until the
insights module has published a release, the page says so.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# What each headline figure answers, in a resident's words. The figure and its wording come from
# the release; these only frame it.
_QUESTIONS = {
    "share_suspects_known_to_victim": "Are abusers usually strangers?",
    "share_suspects_children": "Are suspects always adults?",
    "offences_recorded": "How many offences were recorded?",
    "cse_flagged_offences": "How many were flagged as exploitation?",
}
_SENTENCES = {
    "share_suspects_known_to_victim": (
        "In {value} of offences, the suspect was known to the victim: a family member, a partner "
        "or ex-partner, or a friend or acquaintance."
    ),
    "share_suspects_children": (
        "{value} of suspects whose age was recorded were children themselves, aged 10 to 17."
    ),
    "offences_recorded": "{value} sexual offences against children were recorded by the police.",
    "cse_flagged_offences": (
        "The police flagged {value} of these offences as child sexual exploitation."
    ),
}


@dataclass(frozen=True)
class Statement:
    question: str
    text: str
    period: str
    source: str


@dataclass(frozen=True)
class FactsTable:
    display: Any  # insights.presentation.DisplayTable
    chart: Any  # insights.presentation.Chart


@dataclass(frozen=True)
class FactsRelease:
    title: str
    period: str
    source: str
    published_on: date
    footnotes: tuple[str, ...]
    statements: tuple[Statement, ...] = ()
    tables: tuple[FactsTable, ...] = field(default=())


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _period(release: Any) -> str:
    start, end = release.period_start, release.period_end
    if start and end:
        return f"{_long(start)} to {_long(end)}"
    if end:
        return f"Up to {_long(end)}"
    if start:
        return f"From {_long(start)} to {_long(release.published_at.date())}"
    return f"All records up to {_long(release.published_at.date())}"


def _value_text(value: float | int | None, unit: str) -> str | None:
    if value is None:
        return None
    if unit == "share":
        return f"{round(100 * value)}%"
    return f"{int(value):,}"


def _statements(selectors: Any, release: Any, period: str, source: str) -> list[Statement]:
    try:
        values = selectors.indicator_values(release_id=release.pk)
    except (KeyError, AttributeError, LookupError):  # a release without those tables
        logger.info("Release %s has no headline figures", release.pk)
        return []
    statements = []
    for figure in values:
        shown = _value_text(figure.value, figure.unit)
        if shown is None:
            text = (
                f"{figure.label}: not published, because the numbers are too small to show safely."
            )
        else:
            text = _SENTENCES.get(figure.name, f"{figure.label}: {{value}}.").format(value=shown)
        statements.append(
            Statement(
                question=_QUESTIONS.get(figure.name, figure.label),
                text=text,
                period=period,
                source=source,
            )
        )
    return statements


def published_facts() -> FactsRelease | None:
    """The newest published release, laid out for residents; None until there is one."""
    try:
        selectors = importlib.import_module("followthrough.insights.selectors")
        presentation = importlib.import_module("followthrough.insights.presentation")
    except ImportError:  # the insights module is not installed
        return None
    latest = selectors.published_release_list().first()
    if latest is None:
        return None
    release = selectors.release_get_published(release_id=latest.pk)
    protected = selectors.release_protected(release)
    period = _period(release)
    council = settings.FOLLOWTHROUGH.get("COUNCIL_NAME", "the council")
    source = (
        f"Crimes recorded by the police in the {council} area; published release "
        f"“{release.title}”, {_long(release.published_at.date())}."
    )
    titles = {t.name: t.title for t in release.tables.all()}
    tables = tuple(
        FactsTable(
            display=presentation.protected_display(table, titles.get(table.name, table.name)),
            chart=presentation.chart(table, titles.get(table.name, table.name)),
        )
        for table in protected.tables
    )
    return FactsRelease(
        title=release.title,
        period=period,
        source=source,
        published_on=release.published_at.date(),
        footnotes=tuple(release.footnotes or protected.footnotes),
        statements=tuple(_statements(selectors, release, period, source)),
        tables=tables,
    )
