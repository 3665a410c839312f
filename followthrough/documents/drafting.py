"""The draft list of recommendations read from a report, and what the clerk does to it.

Pure module (no Django). A draft is a list of `DraftRecommendation`s kept as JSON between
requests; every operation returns a new list and never renumbers the others, so a page the
clerk opened earlier still points at the right recommendation. Keys are never reused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

NUMBER_MAX = 20
TITLE_MAX = 300


class DraftError(ValueError):
    """An operation that cannot apply to the draft as it now stands."""


@dataclass(frozen=True)
class DraftRecommendation:
    key: int
    number: str
    title: str
    text: str
    page: int | None = None
    first_paragraph: int | None = None
    last_paragraph: int | None = None
    included: bool = True

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftRecommendation:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})

    @property
    def source(self) -> str:
        """Where it came from, as the clerk reads it: "Page 4, paragraphs 31 to 33"."""
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.first_paragraph is not None:
            last = self.last_paragraph or self.first_paragraph
            if last == self.first_paragraph:
                parts.append(f"paragraph {self.first_paragraph}")
            else:
                parts.append(f"paragraphs {self.first_paragraph} to {last}")
        return ", ".join(parts).capitalize() if parts else "Not found in the text"


@dataclass(frozen=True)
class DraftProblem:
    key: int
    field: str
    message: str


def _position(items: Sequence[DraftRecommendation], key: int) -> int:
    for position, item in enumerate(items):
        if item.key == key:
            return position
    raise DraftError("That recommendation is no longer in the draft")


def next_key(items: Sequence[DraftRecommendation], used: int = 0) -> int:
    return max([used, *(item.key for item in items)]) + 1


def edit(
    items: Sequence[DraftRecommendation], key: int, *, number: str, title: str, text: str
) -> list[DraftRecommendation]:
    position = _position(items, key)
    changed = replace(
        items[position], number=number.strip(), title=title.strip(), text=text.strip()
    )
    return [*items[:position], changed, *items[position + 1 :]]


def set_included(
    items: Sequence[DraftRecommendation], key: int, included: bool
) -> list[DraftRecommendation]:
    position = _position(items, key)
    return [*items[:position], replace(items[position], included=included), *items[position + 1 :]]


def merge_with_next(
    items: Sequence[DraftRecommendation], key: int, next_key: int
) -> list[DraftRecommendation]:
    """Join a recommendation and the one after it (the extractor split one in two).

    `next_key` is the one the clerk saw below it: if the draft has changed since, nothing is
    merged rather than the wrong pair.
    """
    position = _position(items, key)
    if position + 1 >= len(items) or items[position + 1].key != next_key:
        raise DraftError("Those recommendations are no longer next to each other")
    first, second = items[position], items[position + 1]
    text = first.text
    if second.title and first.title:
        text = f"{text} {second.title}"
    text = f"{text} {second.text}".strip()
    firsts = [p for p in (first.first_paragraph, second.first_paragraph) if p is not None]
    lasts = [p for p in (first.last_paragraph, second.last_paragraph, *firsts) if p is not None]
    merged = replace(
        first,
        title=first.title or second.title,
        text=text,
        page=first.page if first.page is not None else second.page,
        first_paragraph=min(firsts) if firsts else None,
        last_paragraph=max(lasts) if lasts else None,
        included=True,
    )
    return [*items[:position], merged, *items[position + 2 :]]


# Split points: after a sentence, a clause ending in ; or :, or before a bullet.
_BREAK = re.compile(r"(?<=[.!?;:])\s+(?=\S)|\s+(?=[•◦▪●■‣⁃])")


def sentences(text: str) -> list[str]:
    """The places a recommendation can be split: its sentences and list clauses."""
    return [part.strip() for part in _BREAK.split(text.strip()) if part.strip()]


def split(
    items: Sequence[DraftRecommendation],
    key: int,
    *,
    before_sentence: int,
    new_key: int,
    number: str,
    title: str = "",
) -> list[DraftRecommendation]:
    """Split a recommendation in two before its `before_sentence`-th sentence (1-based, > 1):
    the extractor ran two recommendations together."""
    position = _position(items, key)
    item = items[position]
    parts = sentences(item.text)
    if not 1 <= before_sentence < len(parts):
        raise DraftError("Choose where the second recommendation starts")
    first = replace(item, text=" ".join(parts[:before_sentence]))
    second = DraftRecommendation(
        key=new_key,
        number=number.strip(),
        title=title.strip(),
        text=" ".join(parts[before_sentence:]),
        page=item.page,
        first_paragraph=item.first_paragraph,
        last_paragraph=item.last_paragraph,
        included=item.included,
    )
    return [*items[:position], first, second, *items[position + 1 :]]


def problems_before_confirm(
    items: Sequence[DraftRecommendation], existing_numbers: set[str]
) -> list[DraftProblem]:
    """Everything that stops the included recommendations being added to the review."""
    included = [item for item in items if item.included]
    if not included:
        return [DraftProblem(0, "", "Include at least one recommendation, or discard the draft")]
    problems: list[DraftProblem] = []
    seen: dict[str, DraftRecommendation] = {}
    for item in included:
        label = f"Recommendation {item.number}" if item.number else "A recommendation"
        if not item.number:
            problems.append(
                DraftProblem(item.key, "number", "Enter a number for every recommendation")
            )
        elif len(item.number) > NUMBER_MAX:
            problems.append(
                DraftProblem(
                    item.key,
                    "number",
                    f"{label}: the number must be {NUMBER_MAX} characters or fewer",
                )
            )
        elif item.number in existing_numbers:
            problems.append(
                DraftProblem(
                    item.key,
                    "number",
                    f"{label} is already in this review: change its number or exclude it",
                )
            )
        elif item.number in seen:
            problems.append(
                DraftProblem(
                    item.key,
                    "number",
                    f"{label} appears twice in the draft: change one number, merge or exclude one",
                )
            )
        seen.setdefault(item.number, item)
        if not item.text:
            problems.append(DraftProblem(item.key, "text", f"{label}: enter its text"))
        if len(item.title) > TITLE_MAX:
            problems.append(
                DraftProblem(
                    item.key, "title", f"{label}: the title must be {TITLE_MAX} characters or fewer"
                )
            )
    return problems
