"""Where each extracted recommendation sits in its document: page and paragraphs.

Pure module (no Django). The extractor gives each recommendation's text and, for a PDF, the
page it starts on; the clerk checks a draft against the source, so the draft also needs the
paragraphs each recommendation was read from. Paragraphs are numbered 1, 2, 3... in reading
order, as the reader split the document (a Word or HTML paragraph, a block of PDF lines).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .extraction.lines import TextLine
from .extraction.markers import parse_list_marker, parse_recommendation_label

_PROBE_WORDS = 12  # enough words to find a passage once, few enough to stay within it


@dataclass(frozen=True)
class SourceParagraph:
    number: int  # 1-based, in reading order
    page: int | None
    text: str
    heading: bool

    def as_dict(self) -> dict[str, int | str | bool | None]:
        return {
            "number": self.number,
            "page": self.page,
            "text": self.text,
            "heading": self.heading,
        }


@dataclass(frozen=True)
class Span:
    """The first and last paragraph (inclusive) a recommendation was read from."""

    first: int
    last: int


def source_paragraphs(lines: Sequence[TextLine]) -> list[SourceParagraph]:
    """Group the reader's lines into paragraphs: a new one at each paragraph or heading start,
    and at each numbered item, which hard-wrapped text often runs on without a blank line."""
    paragraphs: list[SourceParagraph] = []
    parts: list[str] = []
    page: int | None = None
    heading = False
    for line in lines:
        starts = (
            line.para_start
            or bool(line.heading) != heading
            or parse_recommendation_label(line.text) is not None
            or parse_list_marker(line.text) is not None
        )
        if parts and starts:
            paragraphs.append(SourceParagraph(len(paragraphs) + 1, page, " ".join(parts), heading))
            parts = []
        if not parts:
            page, heading = line.page, bool(line.heading)
        parts.append(line.text)
    if parts:
        paragraphs.append(SourceParagraph(len(paragraphs) + 1, page, " ".join(parts), heading))
    return paragraphs


def _words(text: str) -> list[str]:
    return re.sub(r"\W+", " ", text.lower()).split()


class _Searchable:
    """The whole document as one normalised string, with where each paragraph begins."""

    def __init__(self, paragraphs: Sequence[SourceParagraph]) -> None:
        self.paragraphs = paragraphs
        self.starts: list[int] = []
        pieces: list[str] = []
        offset = 0
        for paragraph in paragraphs:
            self.starts.append(offset)
            piece = " ".join(_words(paragraph.text))
            pieces.append(piece)
            offset += len(piece) + 1
        self.text = " ".join(pieces)

    def paragraph_at(self, offset: int) -> int:
        """1-based number of the paragraph holding `offset`."""
        return max(1, bisect.bisect_right(self.starts, offset))

    def occurrences(self, probe: str) -> list[int]:
        found: list[int] = []
        if not probe:
            return found
        position = self.text.find(probe)
        while position >= 0:
            # Whole words only: "1 the" must not match inside "11 the".
            before_ok = position == 0 or self.text[position - 1] == " "
            end = position + len(probe)
            after_ok = end == len(self.text) or self.text[end] == " "
            if before_ok and after_ok:
                found.append(position)
            position = self.text.find(probe, position + 1)
        return found


def locate(
    items: Sequence[tuple[str | None, str, int | None]],
    paragraphs: Sequence[SourceParagraph],
) -> list[Span | None]:
    """The paragraphs each (title, text, page) item was read from, or None if not found.

    Items are in document order, so each search starts after the previous item; a PDF page,
    when known, picks between copies of a recommendation the report prints twice.
    """
    searchable = _Searchable(paragraphs)
    spans: list[Span | None] = []
    cursor = 0
    for title, text, page in items:
        words = _words(text)
        position = None
        for size in (_PROBE_WORDS, 5, 2):
            position = _best(searchable, " ".join(words[:size]), cursor, page)
            if position is not None:
                break
        if position is None:
            spans.append(None)
            continue
        first = searchable.paragraph_at(position)
        tail = " ".join(words[-_PROBE_WORDS:])
        ends = [end for end in searchable.occurrences(tail) if end >= position]
        last_offset = ends[0] + len(tail) - 1 if ends else position
        last = max(first, searchable.paragraph_at(last_offset))
        # The "Recommendation 4: Title" line usually stands just above the text.
        if title:
            title_words = " ".join(_words(title))
            for back in (first - 1, first - 2):
                if (
                    back >= 1
                    and title_words
                    and title_words in " ".join(_words(paragraphs[back - 1].text))
                ):
                    first = back
                    break
        spans.append(Span(first, last))
        cursor = position + 1
    return spans


def _best(searchable: _Searchable, probe: str, cursor: int, page: int | None) -> int | None:
    found = searchable.occurrences(probe)
    if not found:
        return None
    if page is not None:
        on_page = [
            at
            for at in found
            if searchable.paragraphs[searchable.paragraph_at(at) - 1].page == page
        ]
        if on_page:
            return next((at for at in on_page if at >= cursor), on_page[0])
    return next((at for at in found if at >= cursor), found[0])
