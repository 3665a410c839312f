"""Recommendation extraction from published reports: pure Python, no Django.

    >>> from followthrough.documents.extraction import extract_recommendations
    >>> [r.number for r in extract_recommendations(Path("report.pdf"))]

Readers (`reading`) turn .txt, .html, .pdf and .docx into text lines; the finder (`finding`)
picks out the recommendations; `evaluation` scores the result against expected JSON.
"""

from __future__ import annotations

from pathlib import Path

from .finding import Recommendation, find_recommendations
from .reading import SUPPORTED_SUFFIXES, ExtractionError, read_document

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ExtractionError",
    "Recommendation",
    "extract_recommendations",
]


def extract_recommendations(path: Path) -> list[Recommendation]:
    """The recommendations printed in the report at `path`, in document order, each once.

    Raises `ExtractionError` (with a one-line message naming the file) for a file that is
    missing, empty, encrypted, damaged or not what its extension says.
    """
    return find_recommendations(read_document(path))
