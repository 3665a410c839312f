"""Find the real recommendations among a report's text lines.

Two kinds of evidence are used, as a clerk reading the report would:

* a "Recommendation N" label anywhere (with an optional title after it), and
* a numbered or lettered list that follows a heading or lead-in naming recommendations,
  conclusions or resolutions ("Conclusions and recommendations", "RESOLVED – that:").

A list keeps going for as long as its numbering counts up in the same style, so sub-headings
between items do not end it, while sub-points in another style ("(i)", "(1)", bullets) and
report paragraphs numbered some other way never become items. Each item's text runs until the
next item, a heading, a "Response:" block or a numbered report paragraph.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .lines import WEAK_HEADING, TextLine
from .markers import (
    ListMarker,
    RecommendationLabel,
    parse_list_marker,
    parse_recommendation_label,
)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommendation as printed: number, optional title, full text, PDF start page."""

    number: str
    title: str | None
    text: str
    page: int | None

    def as_dict(self) -> dict[str, str | int | None]:
        """The JSON shape of DESIGN.md §5."""
        return {"number": self.number, "title": self.title, "text": self.text, "page": self.page}


# Bullet glyphs, including the private-use codes Word's Symbol/Wingdings bullets become in PDFs.
_BULLET_GLYPHS = "•◦▪▫●○■□➢►▶▸‣⁃∙·✓✔❖◆◇➤\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e0"
_LEADING_BULLET = re.compile(rf"^(?:[{_BULLET_GLYPHS}]|[-–—*o](?=\s))\s*")
_INLINE_BULLET = re.compile(rf"\s*[{_BULLET_GLYPHS}]\s*")
_SENTENCE_END = re.compile(r"""[.!?;:](?:["'”’)\]]*)$|\)$""")
_DOT_LEADERS = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}$|…+\s*\d{1,4}$")
_TRAILING_PAGE = re.compile(r"^(?P<text>.*[A-Za-z)’'])\s+\d{1,4}$")

_TRIGGER_HEADING = re.compile(
    r"(?i)\b(?:recommendations?|conclusions|resolutions?|resolved|decisions?)\b"
)
# A lead-in naming what follows: "The panel recommends that:", "Cabinet is asked to:",
# "It was agreed that:". "Agreed" mid-sentence ("has agreed a standard with:") does not count.
_TRIGGER_LEAD_IN = re.compile(
    r"(?i)(?:\b(?:recommend\w*|resolv\w*|asked\s+to|decisions?)\b.*"
    r"|\b(?:agreed|decided)(?:\s+that)?\s*):\s*$"
)
_RESOLVED = re.compile(
    r"(?i)^(?:it\s+was\s+(?:\w+\s+)?)?(?:resolved|agreed)\b(?:\s*\(\w+\))?"
    r"(?:\s*[:–—-]|\s+that\b|$)"
)
# Council report sections about recommendations rather than of them.
_NOT_A_TRIGGER = re.compile(
    r"(?i)\b(?:reasons?\s+for|background\s+to|implications\s+of|the\s+following)\b"
    r".*\brecommendation"
)

# "Response:", "Council response –", "Response from the Police:", and the fields action plans
# and progress reports put after each recommendation ("Lead: ...", "Progress to date").
# None of it is recommendation text.
_RESPONSE = re.compile(
    r"""(?ix)^(?:
        (?:[\w’'&]+\s+){0,4}?(?:response|reply)s?
            (?:\s+(?:from|of|by)\s+(?:the\s+)?[^:]{1,60})?\s*(?:[:–—-]|$)
      | (?:lead(?:\s+(?:officer|member|partner|agency|organisation))?|owner|timescales?
          |target\s+date|deadline|due\s+date|status|rag(?:\s+status)?|progress(?:\s+update)?
          |update|evidence\s+of\s+(?:progress|completion)|officer\s+comments?|comments?)\s*:
      | (?:fully\s+|partially\s+|partly\s+|not\s+)?(?:accepted|agreed|rejected)\.?$
      | (?:progress(?:\s+(?:to\s+date|update|made|so\s+far))?|update|current\s+(?:position|status)
          |actions?\s+(?:taken|planned|required)|evidence|rag\s+rating)\s*[:.]?$
    )"""
)

# Headings that open the next part of a report rather than a topic within the list: a
# "conclusions and recommendations" list carries on past topic sub-headings, not past these.
_SECTION_END = re.compile(
    r"""(?ix)^(?:(?:\d+(?:\.\d+)*\.?|[A-Z]\.\d*:?)\s+)?(?:
        (?:annex|appendix|appendices|chapter|part|section|schedule)\b
      | formal\s+minutes | witnesses | published\s+(?:written\s+)?evidence | list\s+of\b
      | glossary | references | bibliography | acknowledge?ments | contents | index\b
      | background | introduction | next\s+steps | terms\s+of\s+reference | membership
      | methodology | (?:financial|legal|equality|risk)\s+implications | implications
      | signed | contact\b | report\s+author
    )"""
)
# Government and council responses often start without a label: "The Government accepts
# this recommendation.", "We partially accept the recommendation".
_RESPONSE_OPENING = re.compile(
    r"""^(?:The\s+)?[A-Z][\w&’'-]*(?:\s+[A-Z&][\w&’'-]*){0,4}\s+(?:fully\s+|partially\s+)?
        (?:accepts?|agrees?(?:\s+with)?|rejects?|does\s+not\s+(?:accept|agree(?:\s+with)?)
          |welcomes?|supports?|notes)\s+(?:this|the|these)\s+recommendations?\b""",
    re.VERBOSE,
)
# Select committee conclusions end with the paragraph they come from: "(Paragraph 16)",
# "(Paragraphs 7 and 8)". Whatever follows before the next item (a response) is not the item.
_PARAGRAPH_REFERENCE = re.compile(
    r"\((?:Paragraphs?|Paras?\.?)\s+[\d\s,.–—-]+(?:(?:and|to)\s+[\d\s.,–—-]+)*\)\.?$",
    re.IGNORECASE,
)
_WEAK, _STRONG = 1, 2
_MAX_GAP_LINES = 400  # a list that has not counted up for this long has ended
_TRIGGER_WINDOW = 60  # lines after a heading within which its list must start


@dataclass(slots=True)
class _Line:
    text: str
    page: int | None
    para_start: bool
    heading: int
    depth: int
    bullet: bool
    marker: ListMarker | None
    label: RecommendationLabel | None
    response: bool
    toc: bool
    trigger: int  # 0 none, _WEAK (a lead-in sentence), _STRONG (a heading, "RESOLVED")
    heading_like: bool


@dataclass(slots=True)
class _Start:
    """Where an item begins, its printed number and the label text left on its first line."""

    index: int
    number: str
    rest: str
    labelled: bool  # a "Recommendation N" label (may carry a title)
    depth: int
    weak: bool = False  # found only through a lead-in sentence, not a heading


def find_recommendations(lines: Sequence[TextLine]) -> list[Recommendation]:
    """Return the recommendations in `lines`, in document order, each once."""
    document = _Document(lines)
    labelled = document.labelled_starts()
    # A lead-in inside a recommendation ("The panel recommends that the council:") introduces
    # its sub-points, not a list of recommendations.
    covered: set[int] = set()
    for position, start in enumerate(labelled):
        stop = labelled[position + 1].index if position + 1 < len(labelled) else document.size
        covered.update(
            range(start.index, document.response_end(document.extent(start, stop)[2], stop))
        )
    listed = document.listed_starts(covered)
    if labelled or any(not start.weak for start in listed):
        # "37. We recommend that the Government: (a) ... (b) ..." in a report's chapters
        # are sub-points of a paragraph once the report has its own recommendations list.
        listed = [start for start in listed if not start.weak]
    if not labelled and not listed:
        listed = document.fallback_starts()
    by_index = {start.index: start for start in listed}
    by_index.update({start.index: start for start in labelled})  # the label's number wins
    ordered = sorted(by_index.values(), key=lambda start: start.index)
    found: list[tuple[Recommendation, bool]] = []
    for position, start in enumerate(ordered):
        stop = ordered[position + 1].index if position + 1 < len(ordered) else document.size
        item = document.build(start, stop)
        if item is not None:
            found.append(item)
    return _once_each(found)


class _Document:
    """The report's lines, classified once (labels, list markers, headings, responses), with
    the questions the finder asks about them."""

    def __init__(self, lines: Sequence[TextLine]) -> None:
        # PDFs often print a bullet glyph as a line of its own; it carries nothing.
        self.lines = [
            prepared
            for line in lines
            for part in _split_inline_resolutions(line)
            if (prepared := _prepare(part)).text
        ]
        self.size = len(self.lines)
        self._mark_tables_of_contents()
        self.width = _typical_width(self.lines)
        for index, line in enumerate(self.lines):
            line.trigger = self._is_trigger(index)

    # ------------------------------------------------------------------ line classification

    def _mark_tables_of_contents(self) -> None:
        # Three or more heading-like lines in a row ending in page numbers are a contents list.
        entries = [_TRAILING_PAGE.match(line.text) for line in self.lines]
        candidates = [
            entry is not None and not _SENTENCE_END.search(entry.group("text")) for entry in entries
        ]
        run_start = 0
        for index in range(len(candidates) + 1):
            if index < len(candidates) and candidates[index]:
                continue
            if index - run_start >= 3:
                for inside in range(run_start, index):
                    self.lines[inside].toc = True
            run_start = index + 1

    def _is_trigger(self, index: int) -> int:
        """How strongly the line announces a list of recommendations (0, _WEAK, _STRONG)."""
        line = self.lines[index]
        if line.toc or line.label is not None:
            return 0
        text = line.text
        if _RESOLVED.match(text) and len(text) < 160:
            return _STRONG
        if _TRIGGER_LEAD_IN.search(text) and len(text) < 400:
            # "Recommendations:" or "Decision:" alone is a heading; a sentence is a lead-in.
            return _STRONG if len(text.split()) <= 3 else _WEAK
        if not _TRIGGER_HEADING.search(text) or _NOT_A_TRIGGER.search(text):
            return 0
        heading_text = line.marker.rest if line.marker else text
        if (
            (line.heading > 0 or line.heading_like)
            and _short_heading(heading_text)
            and (self.is_heading(index) or index == 0 or self._follows_break(index))
        ):
            return _STRONG
        return 0

    def _under_recommendations_heading(self, index: int) -> bool:
        """True if the nearest heading above `index` announces recommendations."""
        for above in range(index - 1, -1, -1):
            if self.is_heading(above):
                return self.lines[above].trigger == _STRONG
        return False

    def _follows_break(self, index: int) -> bool:
        line = self.lines[index]
        if line.para_start or index == 0:
            return True
        previous = self.lines[index - 1]
        return previous.heading > 0 or bool(_SENTENCE_END.search(previous.text))

    def is_heading(self, index: int) -> bool:
        """True for a heading line: structural, or a short unpunctuated line standing alone."""
        line = self.lines[index]
        if 0 < line.heading < WEAK_HEADING:
            return True
        if line.heading == WEAK_HEADING:
            return line.heading_like  # bold alone does not make a sentence a heading
        if not line.heading_like or not self._follows_break(index):
            return False
        if index + 1 >= len(self.lines):
            return True
        following = self.lines[index + 1]
        if following.para_start or following.heading or following.label or following.marker:
            return True
        # In hard-wrapped text with no blank lines, a heading is visibly shorter than the
        # wrapped lines around it and the next line starts a sentence.
        return len(line.text) < 0.7 * self.width and following.text[:1].isupper()

    # ------------------------------------------------------------------ where items start

    def labelled_starts(self) -> list[_Start]:
        """Every "Recommendation N" label that begins a line, a paragraph or a heading."""
        starts: list[_Start] = []
        for index, line in enumerate(self.lines):
            label = line.label
            if label is None or line.toc:
                continue
            if not (line.para_start or line.heading or self._follows_break(index)):
                continue  # "... as set out in\nRecommendation 4 of the 2014 report"
            starts.append(_Start(index, label.number, label.rest, True, line.depth))
        return starts

    def listed_starts(self, covered: set[int]) -> list[_Start]:
        """Items of numbered or lettered lists introduced by a recommendations heading."""
        starts: dict[int, _Start] = {}
        index = 0
        while index < len(self.lines):
            if not self.lines[index].trigger or index in covered:
                index += 1
                continue
            first = self._first_item_after(index)
            if first is None or first in covered:
                index += 1
                continue
            items = self._follow_list(index, first)
            weak = self.lines[index].trigger == _WEAK and not self._under_recommendations_heading(
                index
            )
            for start in items:
                start.weak = weak
                starts.setdefault(start.index, start)
            # Carry on after the last item's text and response, so lead-ins inside them
            # ("We recommend that the Council:") start nothing.
            end = self.extent(items[-1], self.size)[2]
            index = max(index + 1, self.response_end(end, self.size))
        return sorted(starts.values(), key=lambda start: start.index)

    def _section_level(self, trigger: int) -> int:
        """The heading level of the section a trigger opens or sits in (0 if unknown)."""
        for index in range(trigger, -1, -1):
            if 0 < self.lines[index].heading < WEAK_HEADING:
                return self.lines[index].heading
        return 0

    def _first_item_after(self, trigger: int) -> int | None:
        level = self._section_level(trigger)
        paragraph: int | None = None
        for index in range(trigger + 1, min(len(self.lines), trigger + _TRIGGER_WINDOW)):
            line = self.lines[index]
            if line.label is not None:
                return None  # "Recommendation N" labels carry this section
            if line.trigger:
                break  # a later heading or lead-in owns what follows
            if 0 < line.heading <= level and line.marker is None:
                break  # the section ended
            if line.heading_like and _SECTION_END.match(
                line.marker.rest if line.marker else line.text
            ):
                break  # "Formal minutes", "Appendix": a contents list, or the section ended
            marker = line.marker
            if marker is None or line.toc or not self._substantive(index):
                continue
            if not marker.form.startswith("dec:"):
                return index
            # A numbered paragraph ("3.1 Each recommendation is set out below") may only
            # introduce the real list; it is the list only if no other list follows.
            if paragraph is None:
                paragraph = index
        return paragraph

    def _substantive(self, index: int) -> bool:
        """A list item with something to say, not a numbered heading such as "3. Findings"."""
        line = self.lines[index]
        marker = line.marker
        assert marker is not None
        if not marker.rest:
            following = self.lines[index + 1] if index + 1 < len(self.lines) else None
            return following is not None and following.marker is None and not following.heading
        if len(marker.rest.split()) >= 4 or _SENTENCE_END.search(marker.rest):
            return True
        if not self.is_heading(index) and not line.heading:
            return True
        # "1. Leadership" followed by its text is a titled item; "3. Findings" followed by
        # "3.1 ..." or by another heading is a section heading.
        return not _SECTION_END.match(marker.rest) and self._titled(index)

    def _titled(self, index: int) -> bool:
        """True if the numbered line at `index` is a title standing above its own text."""
        line = self.lines[index]
        if not line.marker or not line.marker.rest or not line.heading_like:
            return False
        if not (self.is_heading(index) or line.heading):
            return False
        following = self.lines[index + 1] if index + 1 < len(self.lines) else None
        return (
            following is not None
            and following.marker is None
            and following.label is None
            and not following.heading
            and not following.heading_like
            and not following.response
            and not following.toc
        )

    def _follow_list(self, trigger: int, first: int) -> list[_Start]:
        """Collect the items of the list whose first item is at `first`."""
        head = self.lines[first]
        marker = head.marker
        assert marker is not None
        kind, value = _reading_for_start(marker)
        contained = value == 1  # its own list, not report paragraphs that carry on numbering
        level = self._section_level(trigger)
        items = [self._list_start(first, marker)]
        last = first
        index = first + 1
        while index < len(self.lines) and index - last <= _MAX_GAP_LINES:
            line = self.lines[index]
            if 0 < line.heading <= level and line.marker is None:
                break
            if line.marker is None and self.is_heading(index):
                if not contained or _SECTION_END.match(line.text):
                    break
                if line.trigger and index - last > 1:
                    break  # a new recommendations section starts its own list
            candidate = line.marker
            if candidate is not None and line.depth <= head.depth and not line.toc:
                if candidate.form == marker.form and candidate.reads_as(kind, value + 1):
                    if self._substantive(index):
                        items.append(self._list_start(index, candidate))
                        value += 1
                        last = index
                elif (
                    candidate.form == marker.form
                    and candidate.reads_as(kind, 1)
                    and self._follows_break(index)
                    and not self.lines[index - 1].text.endswith(":")
                ):
                    break  # the same style restarts at 1: a different list
            index += 1
        return items

    def _list_start(self, index: int, marker: ListMarker) -> _Start:
        line = self.lines[index]
        number = marker.token
        rest = marker.rest
        labelled = False
        # "1. Working Group Recommendation 3: ..." — the label names the real number.
        label = parse_recommendation_label(rest) if rest else None
        if label is not None and label.punctuated:
            number, rest, labelled = label.number, label.rest, True
        return _Start(index, number, rest, labelled, line.depth)

    def fallback_starts(self) -> list[_Start]:
        """With no recommendations heading at all, take numbered lists that read like them."""
        starts: list[_Start] = []
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if line.marker is None or not line.marker.starts_list() or not self._substantive(index):
                index += 1
                continue
            items = self._follow_list(max(index - 1, 0), index)
            if len(items) >= 2:
                stops = [item.index for item in items[1:]] + [self.size]
                built = [self.build(item, stop) for item, stop in zip(items, stops, strict=True)]
                modal = sum(
                    1
                    for item in built
                    if item
                    and re.search(r"(?i)\b(should|must|recommend|ensure|be noted)\b", item[0].text)
                )
                if modal * 2 >= len(items):
                    starts.extend(items)
                    index = items[-1].index + 1
                    continue
            index += 1
        return starts

    # ------------------------------------------------------------------ item text

    def extent(self, start: _Start, stop: int) -> tuple[str | None, list[str], int]:
        """Title, text parts and end (exclusive) of the item at `start`: it runs to `stop` or
        to the first heading, response or numbered report paragraph before it."""
        title: str | None = None
        parts: list[str] = []
        index = start.index + 1
        if start.labelled:
            title, parts, index = self._title(start, stop)
        elif start.rest and self._titled(start.index):
            title = start.rest
        elif start.rest:
            parts.append(start.rest)
            if _PARAGRAPH_REFERENCE.search(start.rest):
                return title, parts, index
        sublists: dict[tuple[str, str], int] = {}
        while index < stop:
            line = self.lines[index]
            if line.response or line.toc or line.label is not None:
                break
            if line.trigger and (line.heading or self.is_heading(index)):
                break
            if self.is_heading(index) and not line.bullet and line.marker is None:
                break
            if line.marker is not None and line.depth <= start.depth:
                sub_point = _continues_sub_points(line.marker, sublists)
                if not sub_point and (
                    _paragraph_number(line.marker) or (line.heading_like and self.is_heading(index))
                ):
                    break  # a report paragraph ("23.") or a numbered heading ("iv) Training")
            parts.append(line.text)
            index += 1
            if _PARAGRAPH_REFERENCE.search(" ".join(parts[-2:])):
                break
        return title, parts, index

    def response_end(self, end: int, stop: int) -> int:
        """Where a response block that begins at `end` finishes (`end` if there is none).

        Lists inside a response ("The Council will: 1. ... 2. ...") are the answer, not more
        recommendations, so the whole block up to the next heading counts as the item's.
        """
        if end >= stop or not self.lines[end].response:
            return end
        index = end + 1
        while index < stop and not (self.is_heading(index) and self.lines[index].marker is None):
            index += 1
        return index

    def build(self, start: _Start, stop: int) -> tuple[Recommendation, bool] | None:
        """The recommendation starting at `start` and ending by `stop`; the flag marks an
        item that is only a title (a summary list), to be replaced by a fuller copy."""
        head = self.lines[start.index]
        title, parts, _ = self.extent(start, stop)
        text = _joined(parts)
        weak = False
        if not text:
            if not title:
                return None
            # A label with a title and nothing else (a summary list): the title is its text.
            text, title, weak = title, None, True
        return Recommendation(start.number, title, text, head.page), weak

    def _title(self, start: _Start, stop: int) -> tuple[str | None, list[str], int]:
        """Split a labelled recommendation into title and first text, as the layout shows."""
        head = self.lines[start.index]
        index = start.index + 1
        following = self.lines[index] if index < stop else None
        rest = start.rest
        if not rest:
            # "Recommendation 4" on its own line, then perhaps a title line, then the text.
            if (
                following is not None
                and following.marker is None
                and not following.response
                and (following.heading or following.heading_like)
                and _short_heading(following.text)
                and index + 1 < stop
            ):
                return following.text, [], index + 1
            return None, [], index
        # Text, not a title: a sentence, a lead-in to sub-points ("including:"), "That ...".
        if _SENTENCE_END.search(rest) or re.match(r"(?i)that\b", rest) or len(rest.split()) > 30:
            return None, [rest], index
        if following is None:
            return None, [rest], index
        if head.heading or following.para_start or following.heading:
            return rest, [], index
        # Hard-wrapped text or PDF lines: a title is shorter than the text lines and the
        # text starts a new sentence on the next line.
        if len(rest) < 0.75 * self.width and following.text[:1].isupper():
            return rest, [], index
        after = self.lines[index + 1] if index + 1 < stop else None
        if (
            following.text[:1].islower()
            and len(following.text) < 0.6 * self.width
            and not _SENTENCE_END.search(following.text)
            and after is not None
            and after.text[:1].isupper()
        ):
            return f"{rest} {following.text}", [], index + 1
        return None, [rest], index


_INLINE_LABEL = re.compile(r"(?:^|(?<=[\s:;–—-]))(?:\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|\d{1,2}\))\s")


def _split_inline_resolutions(line: TextLine) -> list[TextLine]:
    """Split "RESOLVED: (1) That ...; (2) That ..." printed on one line into its items, or
    "RESOLVED – (1) that ..." from its first item when the next ones follow on new lines.

    Only after "RESOLVED"/"AGREED" and only for labels counting up from 1 (or a, i), so
    inline sub-points elsewhere ("training on: (i) safeguarding and (ii) ...") stay whole.
    """
    text = line.text
    if not _RESOLVED.match(text):
        return [line]
    cuts: list[int] = []
    kind_value: tuple[str, str, int] | None = None
    for match in _INLINE_LABEL.finditer(text):
        marker = parse_list_marker(text[match.start() :])
        if marker is None:
            continue
        if kind_value is None:
            if match.start() > 40 or not marker.starts_list():
                return [line]
            kind, value = _reading_for_start(marker)
            kind_value = (marker.form, kind, value)
            cuts.append(match.start())
        elif marker.form == kind_value[0] and marker.reads_as(kind_value[1], kind_value[2] + 1):
            kind_value = (kind_value[0], kind_value[1], kind_value[2] + 1)
            cuts.append(match.start())
    if not cuts:
        return [line]  # (a lone "(1)" is split off too: "(2)" may follow on its own line)
    pieces = [text[: cuts[0]]] + [
        text[start:end] for start, end in zip(cuts, [*cuts[1:], len(text)], strict=True)
    ]
    return [
        TextLine(
            piece.strip(),
            page=line.page,
            para_start=line.para_start or number > 0,
            heading=line.heading,
            depth=line.depth,
        )
        for number, piece in enumerate(pieces)
        if piece.strip()
    ]


def _prepare(line: TextLine) -> _Line:
    text = line.text.strip()
    bullet = False
    stripped = _LEADING_BULLET.sub("", text, count=1)
    if stripped != text:
        bullet, text = True, stripped
    dotted = _DOT_LEADERS.search(text)
    marker = None if bullet else parse_list_marker(text)
    label = None if bullet else parse_recommendation_label(text)
    if label is None and marker is not None and marker.rest:
        # "ii) Working Group Recommendation 2": the label, not the list position, is the
        # recommendation's number.
        label = parse_recommendation_label(marker.rest)
        if label is not None and not (label.punctuated or not label.rest):
            label = None
    return _Line(
        text=text,
        page=line.page,
        para_start=line.para_start,
        heading=line.heading,
        depth=line.depth,
        bullet=bullet,
        marker=marker,
        label=label,
        response=bool(_RESPONSE.match(text) or _RESPONSE_OPENING.match(text)),
        toc=bool(dotted),
        trigger=0,
        # "iv) Training": judge the words after a list label, not the label's letter.
        heading_like=not bullet and _heading_like(marker.rest if marker and marker.rest else text),
    )


# A line ending in one of these words is a sentence running on, never a heading.
_RUNNING_ON = frozenset(
    "a an the and or of to for on in into that with by from including as at which who "  # noqa: SIM905 (reads better as prose)
    "whom be should must will would is are was were their its this these those such than "
    "our".split()
)


def _heading_like(text: str) -> bool:
    if not text or _SENTENCE_END.search(text) or text.endswith((",", "-", "–")):
        return False
    if text.rsplit(None, 1)[-1] in _RUNNING_ON:  # case matters: "Appendix A" is a heading
        return False
    first = text.lstrip("\"'“‘(")[:1]
    return (first.isupper() or first.isdigit()) and len(text.split()) <= 16 and len(text) <= 140


def _short_heading(text: str) -> bool:
    return 0 < len(text.split()) <= 16 and len(text) <= 140


def _typical_width(lines: list[_Line]) -> float:
    """The length of a full wrapped line, to tell short headings from wrapped text."""
    widths = [
        len(line.text)
        for index, line in enumerate(lines)
        if index + 1 < len(lines) and not lines[index + 1].para_start and not line.heading
    ]
    if len(widths) < 5:
        return float("inf")
    return float(statistics.median(widths))


def _reading_for_start(marker: ListMarker) -> tuple[str, int]:
    # "i" starts a roman list; otherwise prefer numbers, then letters.
    for kind, value in marker.readings:
        if value == 1:
            return kind, value
    for preferred in ("num", "dec", "lower", "upper"):
        for kind, value in marker.readings:
            if kind == preferred:
                return kind, value
    return marker.readings[0]


def _continues_sub_points(marker: ListMarker, sublists: dict[tuple[str, str], int]) -> bool:
    """True if a numbered line inside an item starts or continues its sub-points.

    Sub-points start at 1 (a, i) and count up; report paragraphs ("23.", "4.5") and the next
    list's labels ("iv)") arrive with a number that starts no such sequence.
    """
    for kind, value in marker.readings:
        key = (marker.form, kind)
        if value == 1 or sublists.get(key) == value - 1:
            sublists[key] = value
            return True
    return False


def _paragraph_number(marker: ListMarker) -> bool:
    """Numbers in the forms reports use for their paragraphs ("23.", "23", "4.5")."""
    # Lettered and bracketed labels are too varied to police; paragraph numbers are not.
    return (marker.form in ("dot", "bare") or marker.form.startswith("dec:")) and (
        marker.readings[0][0] in ("num", "dec")
    )


def _joined(parts: list[str]) -> str:
    text = " ".join(parts)
    text = _INLINE_BULLET.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _same(first: Recommendation, second: Recommendation) -> bool:
    """Two occurrences of one recommendation (a chapter and a summary list)."""
    if first.number.lower() != second.number.lower():
        return False
    a, b = _normalised(first.text), _normalised(second.text)
    if not a or not b:
        return False
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    titles = {_normalised(item.title or "") for item in (first, second)} - {""}
    if a in titles or b in titles:
        return True
    # Summaries sometimes reword slightly; short texts ("be noted") are too alike to compare.
    words_a, words_b = set(a.split()), set(b.split())
    shorter = min(len(words_a), len(words_b))
    return shorter >= 8 and len(words_a & words_b) >= 0.6 * shorter


def _once_each(found: list[tuple[Recommendation, bool]]) -> list[Recommendation]:
    """Keep one of each recommendation the report repeats, preferring the fuller copy."""
    kept: list[tuple[Recommendation, bool]] = []
    for item, weak in found:
        for position, (other, other_weak) in enumerate(kept):
            if not _same(item, other):
                continue
            if other_weak and not weak:
                kept[position] = (item, weak)
            elif len(item.text) > len(other.text) and not weak:
                kept[position] = (
                    replace(other, text=item.text, title=other.title or item.title),
                    False,
                )
            elif other.title is None and item.title:
                kept[position] = (replace(other, title=item.title), other_weak)
            break
        else:
            kept.append((item, weak))
    return [item for item, _ in kept]
