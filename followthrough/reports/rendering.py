"""Render a committee report's content as HTML, PDF (WeasyPrint, from the same HTML) or Word.

Every format reads only the report's content dict (live or frozen) through one presentation
(committee_report.presentation), so the three say the same thing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from .chart import progress_chart_png
from .committee_report import SECTION_HEADINGS, presentation
from .selectors import ReportContent
from .wordfile import build_docx


@dataclass(frozen=True)
class ReportFormat:
    extension: str
    content_type: str
    label: str


FORMATS = {
    "html": ReportFormat("html", "text/html; charset=utf-8", "HTML web page"),
    "docx": ReportFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
    ),
    "pdf": ReportFormat("pdf", "application/pdf", "PDF"),
}


def _tabled(content: ReportContent) -> dict[str, Any] | None:
    snapshot = content.snapshot
    if snapshot is None:
        return None
    return {
        "frozen_at": snapshot.frozen_at.date().isoformat(),
        "reference": snapshot.content_hash[:12],
    }


def _html(content: ReportContent, chart_png: bytes) -> str:
    view = presentation(content.data, _tabled(content))
    return render_to_string(
        "reports/report_document.html",
        {
            "view": view,
            "headings": SECTION_HEADINGS,
            "chart_src": "data:image/png;base64," + base64.b64encode(chart_png).decode("ascii"),
            "content_hash": content.snapshot.content_hash if content.snapshot else "",
        },
    )


def render_report(content: ReportContent, format: str) -> bytes:
    """The report in `format` ("html", "docx" or "pdf") as bytes."""
    if format not in FORMATS:
        raise ValueError(f"Unknown report format {format!r}: use html, docx or pdf")
    chart_png = progress_chart_png(content.data["progress"])
    if format == "docx":
        return build_docx(presentation(content.data, _tabled(content)), chart_png)
    html = _html(content, chart_png)
    if format == "html":
        return html.encode("utf-8")
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def report_filename(content: ReportContent, format: str) -> str:
    data = content.data
    return f"{data['review']['slug']}-report-as-at-{data['as_at']}.{FORMATS[format].extension}"
