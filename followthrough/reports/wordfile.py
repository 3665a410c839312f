"""The committee report as a Word document a clerk can edit (python-docx, no Django).

Real "Heading 1"/"Heading 2" styles (so the navigation pane and a table of contents work),
tables whose header row repeats on every page, the chart as a picture with alternative text,
A4 pages numbered in the footer.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable

from .committee_report import SECTION_HEADINGS, Presentation, Table

FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)


def _set_font(style: object, size: float, bold: bool | None = None) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size)
    font.color.rgb = BLACK
    if bold is not None:
        font.bold = bold
    # East Asian text otherwise falls back to the theme font.
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _styles(document: object) -> None:
    styles = document.styles  # type: ignore[attr-defined]
    _set_font(styles["Normal"], 11)
    _set_font(styles["Title"], 26, bold=True)
    _set_font(styles["Heading 1"], 18, bold=True)
    _set_font(styles["Heading 2"], 14, bold=True)
    _set_font(styles["Heading 3"], 12, bold=True)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        styles[name].paragraph_format.space_before = Pt(12)
        styles[name].paragraph_format.space_after = Pt(6)
        styles[name].paragraph_format.keep_with_next = True


def _field(paragraph: object, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _page_setup(document: object, footer_text: str) -> None:
    section = document.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{footer_text} – page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _repeat_header(table: DocxTable) -> None:
    """Mark the first row as a header row, repeated at the top of each page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cell_text(cell: object, text: str, *, bold: bool = False) -> None:
    lines = text.split("\n") or [""]
    first = cell.paragraphs[0]  # type: ignore[attr-defined]
    first.add_run(lines[0]).bold = bold
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold  # type: ignore[attr-defined]


def _table(document: object, table: Table, widths: list[float] | None = None) -> None:
    caption = document.add_paragraph()  # type: ignore[attr-defined]
    caption.add_run(table.caption).bold = True
    caption.paragraph_format.keep_with_next = True
    if not table.rows:
        if table.empty:
            document.add_paragraph(table.empty)  # type: ignore[attr-defined]
        return
    result = document.add_table(rows=1, cols=len(table.headers))  # type: ignore[attr-defined]
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, header in zip(result.rows[0].cells, table.headers, strict=True):
        _cell_text(cell, header, bold=True)
    _repeat_header(result)
    for row in table.rows:
        cells = result.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _cell_text(cell, value)
    if widths:
        for row in result.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    document.add_paragraph()  # type: ignore[attr-defined]


def build_docx(view: Presentation, chart_png: bytes) -> bytes:
    document = Document()
    _styles(document)
    _page_setup(document, view.title)
    properties = document.core_properties
    properties.title = f"{view.title}: {view.as_at.lower()}"
    properties.author = view.committee.removeprefix("Report to the ")

    # Cover
    document.add_paragraph(view.title, style="Title")
    for line in (view.committee, view.meeting, view.as_at):
        document.add_paragraph().add_run(line).bold = True
    document.add_paragraph(view.standing)
    if view.illustrative:
        document.add_paragraph(view.illustrative)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    summary, progress, changes, slippage, no_update, recommendations = SECTION_HEADINGS
    document.add_heading(summary, level=1)
    document.add_paragraph().add_run(view.headline).bold = True
    _table(document, view.counts, [8, 4])
    _table(document, view.partners)

    document.add_heading(progress, level=1)
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(chart_png), width=Cm(16))
    doc_pr = picture._inline.docPr
    doc_pr.set("descr", view.progress_alt)
    doc_pr.set("title", "Progress over time")
    document.add_paragraph(view.progress_alt)
    _table(document, view.progress)

    document.add_heading(changes, level=1)
    document.add_paragraph(view.changes_summary)
    if view.changes.rows:
        _table(document, view.changes, [9, 4, 4])

    document.add_heading(slippage, level=1)
    _table(document, view.slippage, [1.6, 2.2, 2.6, 2.6, 2.2, 5.8])

    document.add_heading(no_update, level=1)
    document.add_paragraph(view.no_update_intro)
    if view.no_update.rows:
        _table(document, view.no_update, [6, 11])

    document.add_heading(recommendations, level=1)
    for section in view.recommendations:
        document.add_heading(section.heading, level=2)
        document.add_paragraph().add_run(section.status).bold = True
        document.add_paragraph(section.lead)
        document.add_paragraph(section.text)
        _table(document, section.actions, [5, 4, 4, 4])
        if section.indicators.rows:
            _table(document, section.indicators, [8, 3, 3, 3])

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
