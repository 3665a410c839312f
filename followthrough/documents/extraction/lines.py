"""The common shape every reader produces: the document as a flat list of text lines."""

from __future__ import annotations

from dataclasses import dataclass

#: `TextLine.heading` for a line only shown as a heading by bold type; the finder still checks
#: that it reads like one, since reports also print whole recommendations in bold.
WEAK_HEADING = 9


@dataclass(frozen=True, slots=True)
class TextLine:
    """One visual line (PDF, wrapped text) or one paragraph (HTML, DOCX, unwrapped text).

    The finder never sees the file format, only these lines, so every reader has to say what
    it knows about layout here rather than in format-specific code paths.
    """

    text: str
    #: 1-based PDF page the line is printed on; None for formats without pages.
    page: int | None = None
    #: True where a new paragraph or block begins (blank line, <p>, Word paragraph, PDF gap).
    para_start: bool = True
    #: Structural heading level (1 = most important), WEAK_HEADING for bold alone, 0 for text.
    heading: int = 0
    #: Nesting depth of the list the line belongs to (0 outside lists or at the top level).
    depth: int = 0
