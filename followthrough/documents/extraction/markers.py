"""Recognise the labels that start list items and recommendations: "3.", "(b)", "iv)",
"Recommendation 7: Title", "R12"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A list label at the start of a line. Letters and numerals need a following space (or the
# end of the line) so that "e.g." or "J. Smith" wrapped onto a new line are less likely to
# pass; the sequence check in the finder rejects the rest. A bare number counts before a
# capital or alone on its line (a table's number column copied as text).
_LIST_MARKER = re.compile(
    r"""^(?:
        \((?P<parens>\d{1,3}|[A-Za-z]|[ivxlcdm]{2,7}|[IVXLCDM]{2,7})\)
      | (?P<paren>\d{1,3}|[A-Za-z]|[ivxlcdm]{2,7}|[IVXLCDM]{2,7})\)
      | (?P<dot>\d{1,3}|[A-Za-z]|[ivxlcdm]{2,7}|[IVXLCDM]{2,7})\.
      | (?P<dec>\d{1,3}(?:\.\d{1,3})+)\.?
      | (?P<code>[A-Z]{1,3}\d{1,3})[.:)]?
      | (?P<bare>\d{1,3})(?=\s+[A-Z"'“‘]|\s*$)
    )(?:\s+|$)(?P<rest>.*)$""",
    re.VERBOSE,
)
_ROMAN = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}

# "Recommendation 3: Title", "Working Group Recommendation 3 –", "RECOMMENDATION 3", "Rec 4.".
_REC_LABEL = re.compile(
    r"""^(?P<prefix>(?:[A-Z][\w’'&-]*\s+){0,4}?)
        (?P<word>[Rr]ecommendations?|RECOMMENDATIONS?|Rec\.?)\s*
        (?:[Nn]o\.?\s*|[Nn]umber\s*)?
        (?P<num>\d{1,3}(?:\.\d{1,3})*[a-z]?)
        (?![\w/])
        (?P<sep>\s*[:.)\-–—]+\s*|\s+|$)
        (?P<rest>.*)$""",
    re.VERBOSE,
)
# Tables of recommendations often label them "R1", "R2": the printed number keeps the R.
_R_LABEL = re.compile(r"^(?P<num>R\d{1,3}[a-z]?)(?P<sep>\s*[:.)\-–—]+\s*|\s+|$)(?P<rest>.*)$")


@dataclass(frozen=True, slots=True)
class ListMarker:
    """A list label such as "3.", "(b)" or "4.2", with every way its token can be read."""

    form: str  # "parens" (a), "paren" a), "dot" a., "dec:4" 4.2, "bare" 4, "code:E" E1
    token: str
    readings: tuple[tuple[str, int], ...]  # (kind, value): ("num", 3), ("lower", 2), ("roman", 4)
    rest: str

    def reads_as(self, kind: str, value: int) -> bool:
        """True if the label can be read as `value` in numbering `kind`."""
        return (kind, value) in self.readings

    def starts_list(self) -> bool:
        """True for the first label of a list: 1, a, A, i or I."""
        return any(value == 1 for _, value in self.readings)


@dataclass(frozen=True, slots=True)
class RecommendationLabel:
    """A "Recommendation N" label: the printed number and what follows it on the line."""

    number: str
    rest: str
    #: separated from the rest by punctuation (":", "–") rather than only by a space
    punctuated: bool
    prefixed: bool


def parse_list_marker(text: str) -> ListMarker | None:
    """Read a list label at the start of `text`, or None."""
    match = _LIST_MARKER.match(text)
    if match is None:
        return None
    rest = match.group("rest")
    if match.group("dec"):
        token = match.group("dec")
        # Numbered paragraphs (4.2, 4.3) count up in their last part under a fixed prefix,
        # so the prefix is part of the style: 4.3 follows 4.2, 5.1 starts something else.
        prefix, last = token.rsplit(".", 1)
        return ListMarker(f"dec:{prefix}", token, (("dec", int(last)),), rest)
    if match.group("code"):
        # Codes that carry their sector ("E1." education, "P2" police) count up per letter.
        token = match.group("code")
        letters = token.rstrip("0123456789")
        return ListMarker(f"code:{letters}", token, (("num", int(token[len(letters) :])),), rest)
    for form in ("parens", "paren", "dot", "bare"):
        token = match.group(form)
        if token:
            break
    readings = _readings(token)
    if not readings:
        return None
    if form == "dot" and token.isalpha() and len(token) == 1 and not rest:
        return None  # a lone initial ("A.") on a line is more often a name than a list label
    return ListMarker(form, token, readings, rest)


def _readings(token: str) -> tuple[tuple[str, int], ...]:
    if token.isdigit():
        return (("num", int(token)),)
    readings: list[tuple[str, int]] = []
    case = "lower" if token.islower() else "upper"
    if len(token) == 1:
        readings.append((case, ord(token.lower()) - 96))
    lowered = token.lower()
    if _ROMAN.match(lowered):
        readings.append((f"roman-{case}", _roman_value(lowered)))
    return tuple(readings)


def _roman_value(numeral: str) -> int:
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def parse_recommendation_label(text: str) -> RecommendationLabel | None:
    """Read a "Recommendation N" (or "R12") label at the start of `text`, or None."""
    match = _REC_LABEL.match(text)
    if match is not None:
        word = match.group("word").lower().rstrip(".")
        if word == "recommendations":
            return None  # "Recommendations 3 and 4 ..." refers to recommendations
        number = match.group("num")
    else:
        match = _R_LABEL.match(text)
        if match is None:
            return None
        number = match.group("num")
    separator = match.group("sep")
    rest = match.group("rest").strip()
    punctuated = bool(separator.strip())
    prefixed = bool(match.groupdict().get("prefix"))
    # Without punctuation the label must be followed by a capitalised title or sentence;
    # "Recommendation 3 is that ..." is prose about a recommendation.
    if not punctuated and rest and (prefixed or not (rest[0].isupper() or rest[0] in "\"'“‘")):
        return None
    if separator.strip() in (".", ")") and rest[:1].islower():
        return None
    return RecommendationLabel(number, rest, punctuated, prefixed)
