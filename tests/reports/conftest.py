from __future__ import annotations

import io

import pytest
from docx import Document

from tests.reports.factories import build_cycle


@pytest.fixture
def cycle(db):
    return build_cycle()


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word document, one a line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def pdf_text(content: bytes, pages: slice = slice(None)) -> str:
    """The text of a PDF's pages (all, or a slice: reading every page of a long report is slow)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages[pages])
