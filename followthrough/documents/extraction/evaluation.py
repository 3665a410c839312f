"""Score extracted recommendations against hand-checked expected JSON.

An expected file is `NAME.expected.json` beside `NAME.txt|html|pdf|docx` with a
`recommendations` list of `{"number", "text", "truncated"?}`. A found recommendation matches an
expected one when the numbers agree and the whitespace-collapsed texts are equal, or, where the
expected item is marked `truncated` (the stored copy stops part-way), when the expected text is
a prefix of the found one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .finding import Recommendation
from .reading import SUPPORTED_SUFFIXES, ExtractionError

EXPECTED_SUFFIX = ".expected.json"


@dataclass(frozen=True, slots=True)
class ExpectedRecommendation:
    """One recommendation a person confirmed is in the document."""

    number: str
    text: str
    truncated: bool = False


@dataclass(slots=True)
class Score:
    """True positives, false positives and false negatives, with the usual ratios."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    missed: list[ExpectedRecommendation] = field(default_factory=list)
    unexpected: list[Recommendation] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of found recommendations that are real; 1.0 when nothing was found wrongly."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else float(self.false_negatives == 0)

    @property
    def recall(self) -> float:
        """Share of real recommendations that were found; 1.0 when there were none to find."""
        real = self.true_positives + self.false_negatives
        return self.true_positives / real if real else float(self.false_positives == 0)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def add(self, other: Score) -> None:
        """Pool another file's counts into this one (micro-averaging)."""
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives


def normalise_text(text: str) -> str:
    """Collapse runs of whitespace to one space, as the expected texts are written."""
    return re.sub(r"\s+", " ", text).strip()


def matches(found: Recommendation, expected: ExpectedRecommendation) -> bool:
    """True if `found` is the `expected` recommendation (see the module docstring)."""
    if found.number.strip().lower() != expected.number.strip().lower():
        return False
    found_text, expected_text = normalise_text(found.text), normalise_text(expected.text)
    if expected.truncated:
        return found_text.startswith(expected_text)
    return found_text == expected_text


def score(found: list[Recommendation], expected: list[ExpectedRecommendation]) -> Score:
    """Match found to expected one-to-one and count the outcome."""
    result = Score()
    unmatched = list(found)
    for wanted in expected:
        for position, candidate in enumerate(unmatched):
            if matches(candidate, wanted):
                del unmatched[position]
                result.true_positives += 1
                break
        else:
            result.false_negatives += 1
            result.missed.append(wanted)
    result.false_positives = len(unmatched)
    result.unexpected = unmatched
    return result


def load_expected(path: Path) -> list[ExpectedRecommendation]:
    """Read an expected-output file; raises `ExtractionError` if it is not usable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            ExpectedRecommendation(
                number=str(item["number"]),
                text=str(item["text"]),
                truncated=bool(item.get("truncated", False)),
            )
            for item in data["recommendations"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ExtractionError(f"{path}: not a usable expected-output file ({error})") from error


def evaluation_pairs(directory: Path) -> list[tuple[Path, Path]]:
    """Each document in `directory` that has an expected-output file beside it, by name."""
    pairs: list[tuple[Path, Path]] = []
    for expected in sorted(directory.glob(f"*{EXPECTED_SUFFIX}")):
        stem = expected.name[: -len(EXPECTED_SUFFIX)]
        for suffix in SUPPORTED_SUFFIXES:
            document = directory / f"{stem}{suffix}"
            if document.is_file():
                pairs.append((document, expected))
    return pairs
