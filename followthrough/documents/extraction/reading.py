"""Read .txt, .html, .pdf and .docx files into `TextLine`s, refusing files we cannot trust.

Every problem a user can cause (missing file, empty file, wrong extension, password, junk)
becomes an `ExtractionError` with a one-line message, so callers never show a traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import statistics
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .lines import WEAK_HEADING, TextLine

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")

# Readers emit this glyph for bullet-list items so the finder handles HTML <ul>, Word bullets
# and typed bullets the same way.
BULLET = "•"


class ExtractionError(Exception):
    """A file that cannot be read as a report; the message names the file and the problem."""


def read_document(path: Path) -> list[TextLine]:
    """Return the text lines of the report at `path`, or raise `ExtractionError`."""
    data = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ExtractionError(
            f"{path}: unsupported file type {suffix or '(no extension)'!r}; "
            "expected .txt, .html, .pdf or .docx"
        )
    actual = _sniff(data)
    expected = {".pdf": "PDF", ".docx": "DOCX"}.get(suffix, "text")
    if actual != expected and not (expected == "DOCX" and actual == "ZIP"):
        raise ExtractionError(
            f"{path}: the file's content is {_DESCRIPTIONS[actual]}, "
            f"which does not match its {suffix} extension"
        )
    if suffix == ".pdf":
        lines = _read_pdf(path, data)
    elif suffix == ".docx":
        lines = _read_docx(path, data)
    elif suffix in (".html", ".htm"):
        lines = _read_html(path, data)
    else:
        lines = _read_txt(path, data)
    if not any(line.text.strip() for line in lines):
        problem = (
            "has no text layer (it may be a scanned image)" if suffix == ".pdf" else "has no text"
        )
        raise ExtractionError(f"{path}: {problem}")
    return lines


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise ExtractionError(f"{path}: no such file")
    if path.is_dir():
        raise ExtractionError(f"{path}: is a directory, not a document")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractionError(f"{path}: cannot be read ({error.strerror})") from error
    if not data.strip():
        raise ExtractionError(f"{path}: is empty")
    return data


_DESCRIPTIONS = {
    "PDF": "a PDF",
    "DOCX": "a Word .docx document",
    "ZIP": "a ZIP archive",
    "OLE": "an old-style Office file (.doc/.xls)",
    "binary": "binary data",
    "text": "plain text",
}


def _sniff(data: bytes) -> str:
    """Name the kind of content by its signature, not by the file name."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return "PDF"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "DOCX" if b"word/" in data[:65536] or b"[Content_Types]" in data[:4096] else "ZIP"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "OLE"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 text: NUL bytes are expected there
    sample = data[:8192]
    control = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\x0b")
    if b"\x00" in sample or control > len(sample) // 20:
        return "binary"
    return "text"


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Council web pages and Word exports are often Windows-1252; latin-1 never fails.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Soft hyphens, zero-width spaces and joiners, byte-order marks: invisible in the report.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


# ---------------------------------------------------------------------------------------- text


def _read_txt(path: Path, data: bytes) -> list[TextLine]:
    # Text saved from a PDF (pdftotext) separates pages with form feeds and keeps the page
    # numbers and running headers, which would otherwise land inside recommendations.
    pages = [
        [_clean(raw) for raw in re.split(r"\r\n|\r|\n", page)] for page in _decode(data).split("\f")
    ]
    if len(pages) > 1:
        furniture = _running_furniture([[text for text in page if text] for page in pages])
        for number, page in enumerate(pages):
            filled = [text for text in page if text]
            kept = [
                text
                for position, text in enumerate(filled)
                if not _is_furniture(text, position, len(filled), furniture)
            ]
            remaining = iter(kept)
            upcoming = next(remaining, None)
            body: list[str] = []
            for text in page:
                if not text:
                    body.append(text)
                elif text == upcoming:
                    body.append(text)
                    upcoming = next(remaining, None)
            # Drop the blank lines around the furniture too: a page break is not a paragraph
            # break, text flows on to the next page.
            while body and not body[0]:
                body.pop(0)
            while body and not body[-1]:
                body.pop()
            pages[number] = body
    lines: list[TextLine] = []
    new_paragraph = True
    for page in pages:
        for text in page:
            if not text:
                new_paragraph = True
                continue
            lines.append(TextLine(text, para_start=new_paragraph))
            new_paragraph = False
    return lines


# ---------------------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd div dl dt fieldset figcaption "  # noqa: SIM905 (reads better as prose)
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main ol p pre section table tbody "
    "td tfoot th thead tr ul".split()
)
# Page furniture that is not part of the report and would only add false headings.
_SKIPPED_TAGS = frozenset(
    "script style noscript template nav footer aside button select option svg head "  # noqa: SIM905 (reads better as prose)
    "iframe object canvas".split()
)


def _read_html(path: Path, data: bytes) -> list[TextLine]:
    import lxml.etree
    import lxml.html

    # libxml2 assumes Latin-1 when a page declares no charset, which garbles every dash and
    # curly quote of a UTF-8 page; decode here instead (declared charset, else UTF-8/cp1252).
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", data[:4096], re.I)
    text = ""
    if declared:
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = ""
    text = text or _decode(data)
    # A string with an XML declaration is refused by lxml; the declaration says nothing useful.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ExtractionError(f"{path}: cannot be read as HTML ({error})") from error
    reader = _HtmlReader()
    reader.walk(root)
    reader.flush()
    return reader.lines


class _HtmlReader:
    """Walks the element tree, turning blocks into lines and rendering list labels."""

    def __init__(self) -> None:
        self.lines: list[TextLine] = []
        self._parts: list[str] = []
        self._heading = 0
        self._list_depth = 0
        self._new_paragraph = True

    def flush(self, *, soft: bool = False) -> None:
        """End the current line; a soft end (<br>) continues the same paragraph."""
        text = _clean("".join(self._parts))
        self._parts = []
        if text:
            self.lines.append(
                TextLine(
                    text,
                    para_start=self._new_paragraph,
                    heading=self._heading,
                    depth=max(self._list_depth - 1, 0),
                )
            )
        if not soft:
            self._new_paragraph = True
        elif text:
            self._new_paragraph = False

    def walk(self, element: Any) -> None:
        """Add the text of `element` and everything inside it."""
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIPPED_TAGS or not isinstance(element.tag, str):
            # Comments and processing instructions carry no text, but their tails do.
            if element.tail:
                self._parts.append(element.tail)
            return
        if tag == "br":
            self.flush(soft=True)
        elif tag in _BLOCK_TAGS:
            self.flush()
        saved_heading = self._heading
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._heading = int(tag[1])
        if tag == "table":
            self.lines.extend(_table_lines(self._table_cells(element)))
        elif tag in ("ol", "ul"):
            self._list_depth += 1
            self._walk_list(element, ordered=tag == "ol")
            self._list_depth -= 1
        elif tag == "pre":
            for line in (element.text_content() or "").splitlines():
                self._parts.append(line)
                self.flush(soft=True)
        else:
            if element.text:
                self._parts.append(element.text)
            for child in element:
                self.walk(child)
        if tag in _BLOCK_TAGS:
            self.flush()
        self._heading = saved_heading
        if element.tail:
            self._parts.append(element.tail)

    def _table_cells(self, table: Any) -> list[list[list[TextLine]]]:
        rows: list[list[list[TextLine]]] = []
        for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            cells: list[list[TextLine]] = []
            for cell in row.xpath("./td|./th"):
                reader = _HtmlReader()
                reader._list_depth = self._list_depth
                reader.walk_children(cell)
                reader.flush()
                cells.append(reader.lines)
            rows.append(cells)
        return rows

    def walk_children(self, element: Any) -> None:
        """Walk what is inside `element` without treating it as a block of its own."""
        if element.text:
            self._parts.append(element.text)
        for child in element:
            self.walk(child)

    def _walk_list(self, element: Any, *, ordered: bool) -> None:
        kind = (element.get("type") or "1") if ordered else ""
        try:
            number = int(element.get("start") or 1)
        except ValueError:
            number = 1
        for child in element:
            if not isinstance(child.tag, str) or child.tag.lower() != "li":
                self.walk(child)
                continue
            self.flush()
            if ordered:
                with contextlib.suppress(ValueError):  # a bad value= keeps the count
                    number = int(child.get("value") or number)
                self._parts.append(f"{_format_number(number, kind)}. ")
                number += 1
            else:
                self._parts.append(f"{BULLET} ")
            if child.text:
                self._parts.append(child.text)
            for grandchild in child:
                self.walk(grandchild)
            self.flush()
            if child.tail:
                self._parts.append(child.tail)


def _format_number(number: int, kind: str) -> str:
    """Render a list counter the way HTML's <ol type> and Word's numFmt print it."""
    if kind in ("a", "lowerLetter"):
        return _letters(number).lower()
    if kind in ("A", "upperLetter"):
        return _letters(number)
    if kind in ("i", "lowerRoman"):
        return _roman(number).lower()
    if kind in ("I", "upperRoman"):
        return _roman(number)
    return str(number)


def _letters(number: int) -> str:
    text = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        text = chr(65 + remainder) + text
    return text or "A"


def _roman(number: int) -> str:
    if not 0 < number < 4000:
        # Roman numerals stop at 3999; a huge start="..." would otherwise loop for ever.
        return str(number)
    text = ""
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            text += numeral
            number -= value
    return text


# --------------------------------------------------------------------------------------- tables

# Action plans put each recommendation in a table row beside its response, lead and dates.
_RECOMMENDATION_COLUMN = re.compile(r"(?i)recommendation|conclusion|resolution")
_OTHER_COLUMN = re.compile(
    r"(?i)response|progress|status|update|comment|action|lead|owner|date|timescale|rag\b"
    r"|evidence|outcome|priority|theme|responsib"
)
_NUMBER_COLUMN = re.compile(
    r"(?i)^(?:no\.?|number|num\.?|ref(?:erence)?\.?|#|item|rec\.?"
    r"|rec(?:ommendation)?\.?\s*(?:no\.?|number|ref\.?))$"
)


def _table_lines(rows: list[list[list[TextLine]]]) -> list[TextLine]:
    """Lines of a table: with a "Recommendation" column, only that column (numbered from the
    number column); otherwise every cell in reading order."""
    everything = [line for row in rows for cell in row for line in cell]
    if len(rows) < 2:
        return everything
    header = [" ".join(line.text for line in cell) for cell in rows[0]]
    text_column = next(
        (
            index
            for index, name in enumerate(header)
            if _RECOMMENDATION_COLUMN.search(name)
            and not _OTHER_COLUMN.search(name)
            and not _NUMBER_COLUMN.match(name)
            and not re.search(r"\d", name)  # "Recommendation 1" is a row, not a header
        ),
        None,
    )
    if text_column is None:
        return everything
    number_column = next(
        (index for index, name in enumerate(header) if _NUMBER_COLUMN.match(name.strip())), None
    )
    if number_column is None and text_column > 0:
        # Untitled first column of short labels ("1", "R2", "4a"): the numbers.
        labels = [" ".join(line.text for line in row[0]) for row in rows[1:] if row]
        if all(len(label) <= 8 for label in labels):
            number_column = 0
    lines: list[TextLine] = []
    for row in rows[1:]:
        if text_column >= len(row) or not row[text_column]:
            continue
        cell = list(row[text_column])
        label = ""
        if number_column is not None and number_column < len(row):
            label = " ".join(line.text for line in row[number_column]).strip()
        if label:
            # "1" becomes "1." so it reads as a list label; "R2" or "Recommendation 2" stay.
            joiner = ". " if re.fullmatch(r"\d{1,3}[a-z]?|[A-Za-z]", label) else ": "
            first = cell[0]
            cell[0] = TextLine(
                f"{label.rstrip('.:)')}{joiner}{first.text}",
                page=first.page,
                para_start=True,
                heading=0,
                depth=first.depth,
            )
        lines.extend(cell)
    return lines


# ---------------------------------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(path: Path, data: bytes) -> list[TextLine]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ExtractionError(f"{path}: is a ZIP archive but not a Word .docx document")
        document = docx.Document(str(path))
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise ExtractionError(f"{path}: is damaged or not a Word .docx document") from error
    except Exception as error:  # lxml and python-docx raise many kinds on corrupt packages
        raise ExtractionError(f"{path}: cannot be read as a Word document ({error})") from error
    return _docx_blocks(document.element.body, document, _DocxNumbering(document))


def _docx_blocks(container: Any, document: Any, numbering: _DocxNumbering) -> list[TextLine]:
    """Paragraphs and tables in reading order, including those inside content controls
    (w:sdt), which council templates wrap around whole sections."""
    lines: list[TextLine] = []
    for block in container.iterchildren():
        if block.tag == f"{_W}p":
            lines.extend(_docx_paragraph(block, document, numbering))
        elif block.tag == f"{_W}tbl":
            lines.extend(_docx_table(block, document, numbering))
        elif block.tag == f"{_W}sdt":
            for content in block.iterchildren(f"{_W}sdtContent"):
                lines.extend(_docx_blocks(content, document, numbering))
    return lines


def _docx_paragraph(element: Any, document: Any, numbering: _DocxNumbering) -> list[TextLine]:
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(element, document.part)
    style = paragraph.style
    style_name = (style.name or "") if style is not None else ""
    heading = 0
    match = re.fullmatch(r"(?i)heading (\d)", style_name)
    if match:
        heading = int(match.group(1))
    elif style_name.lower() == "title":
        heading = 1
    label, depth = numbering.label(element, style)
    text = paragraph.text
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not heading and runs and len(text.split()) <= 16 and all(_bold(run) for run in runs):
        # A short all-bold paragraph is how most council documents show a sub-heading.
        heading = WEAK_HEADING
    if label:
        text = f"{label} {text}"
    lines: list[TextLine] = []
    for index, part in enumerate(text.split("\n")):
        cleaned = _clean(part)
        if cleaned:
            lines.append(
                TextLine(cleaned, para_start=index == 0 or not lines, heading=heading, depth=depth)
            )
    return lines


def _bold(run: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _docx_table(element: Any, document: Any, numbering: _DocxNumbering) -> list[TextLine]:
    # Walk the XML rather than python-docx's table API, which repeats merged cells.
    rows: list[list[list[TextLine]]] = []
    for row in element.iterchildren(f"{_W}tr"):
        cells: list[list[TextLine]] = []
        for cell in row.iterchildren(f"{_W}tc"):
            cells.append(_docx_blocks(cell, document, numbering))
        rows.append(cells)
    return _table_lines(rows)


class _DocxNumbering:
    """Word keeps list numbers out of the text; re-create the printed labels ("1.", "(a)")."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._abstract_of: dict[str, str] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iterchildren(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for level in abstract.iterchildren(f"{_W}lvl"):
                levels[_number(level.get(f"{_W}ilvl"), 0)] = (
                    _w_val(level, "numFmt") or "decimal",
                    _w_val(level, "lvlText") or "%1.",
                    _number(_w_val(level, "start"), 1),
                )
            self._levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iterchildren(f"{_W}num"):
            self._abstract_of[num.get(f"{_W}numId", "")] = _w_val(num, "abstractNumId") or ""

    def label(self, paragraph: Any, style: Any) -> tuple[str, int]:
        """The printed label of a numbered paragraph and its list depth ("", 0 if none)."""
        num_id, level = _num_pr(paragraph)
        while num_id is None and style is not None:
            num_id, style_level = _num_pr(style.element)
            level = level if style_level is None else style_level
            style = style.base_style
        if num_id is None or num_id == "0":
            return "", 0
        level = level or 0
        levels = self._levels.get(self._abstract_of.get(num_id, ""), {})
        if level not in levels:
            return "", level
        counters = self._counters.setdefault(num_id, {})
        number_format, text, start = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if number_format == "bullet":
            return BULLET, level
        if number_format == "none":
            return "", level

        def render(match: re.Match[str]) -> str:
            shown = int(match.group(1)) - 1
            shown_format, _, shown_start = levels.get(shown, ("decimal", "", 1))
            return _format_number(counters.get(shown, shown_start), shown_format)

        return re.sub(r"%(\d)", render, text), level


def _w_val(element: Any, name: str) -> str | None:
    child = element.find(f"{_W}{name}")
    return None if child is None else child.get(f"{_W}val")


def _num_pr(element: Any) -> tuple[str | None, int | None]:
    properties = element.find(f"{_W}pPr")
    if properties is None:
        return None, None
    num_pr = properties.find(f"{_W}numPr")
    if num_pr is None:
        return None, None
    level = _w_val(num_pr, "ilvl")
    return _w_val(num_pr, "numId"), None if level is None else _number(level, 0)


def _number(value: str | None, default: int) -> int:
    """A whole number from the XML, or `default` for a missing or damaged one ("x", "1.5")."""
    try:
        return int(value or default)
    except ValueError:
        return default


# ----------------------------------------------------------------------------------------- PDF

# Lines that are only page furniture: "12", "Page 12", "Page 12 of 40", "- 12 -".
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d+)?$"
)
_BOLD_FLAG = 0x40000  # FXFONT_FORCE_BOLD in PDFium's font flags


def _read_pdf(path: Path, data: bytes) -> list[TextLine]:
    # PDFium (bundled with pdfplumber as pypdfium2) reads a page in about a millisecond;
    # pdfminer and pypdf take 40-100 ms, too slow for the 300-page budget.
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ExtractionError(f"{path}: is encrypted (password-protected)") from error
        raise ExtractionError(f"{path}: is damaged or not a valid PDF") from error
    try:
        pages = [list(_pdf_page_lines(document[index], pdfium_c)) for index in range(len(document))]
    except pdfium.PdfiumError as error:
        raise ExtractionError(f"{path}: is damaged and cannot be read ({error})") from error
    finally:
        document.close()
    return _assemble_pdf_lines(pages)


class _PdfLine:
    __slots__ = ("text", "top", "bottom", "size", "bold", "joined")

    def __init__(
        self, text: str, top: float, bottom: float, size: float, bold: bool, joined: bool
    ) -> None:
        self.text = text
        self.top = top
        self.bottom = bottom
        self.size = size
        self.bold = bold
        #: the previous line ended in a hyphenation point, so this one continues its word
        self.joined = joined


def _pdf_page_lines(page: Any, pdfium_c: Any) -> Iterator[_PdfLine]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return
        text = textpage.get_text_range(0, count)
        offset = 0
        joined = False
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        for raw in re.split(r"(\r\n|\r|\n)", text):
            start = offset
            offset += len(raw)
            if raw in ("\r\n", "\r", "\n") or not raw.strip():
                continue
            # PDFium marks hyphens it considers soft with \x02 or U+FFFE at the line end.
            hyphenated = raw.rstrip().endswith(("\x02", "\ufffe", "\u00ad"))
            first = start + len(raw) - len(raw.lstrip())
            last = start + len(raw.rstrip()) - 1
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first)
            raw = _without_footnote_references(raw, start, size, textpage, pdfium_c)
            cleaned = _clean(raw.replace("\x02", "").replace("\ufffe", "").replace("\u00ad", ""))
            if not cleaned:
                continue
            _, bottom, _, top = textpage.get_charbox(first)
            bold = all(_pdf_char_bold(textpage, i, pdfium_c, name, flags) for i in (first, last))
            yield _PdfLine(cleaned, top, bottom, size, bold, joined)
            joined = hyphenated
    finally:
        textpage.close()
        page.close()


# Digits stuck to the end of a word or sentence: candidates for superscript note references.
_NOTE_REFERENCE = re.compile(r"(?<=[A-Za-z.,;:)’'”])\d{1,3}(?=[\s.,;:)]|$)")


def _without_footnote_references(
    raw: str, start: int, size: float, textpage: Any, pdfium_c: Any
) -> str:
    """Drop superscript footnote numbers ("publish data¹" prints as "data1")."""
    spans = [
        match.span()
        for match in _NOTE_REFERENCE.finditer(raw)
        if pdfium_c.FPDFText_GetFontSize(textpage.raw, start + match.start()) < size * 0.8
    ]
    for begin, end in reversed(spans):
        raw = raw[:begin] + raw[end:]
    return raw


def _pdf_char_bold(
    textpage: Any, index: int, pdfium_c: Any, name: Any, flags: ctypes.c_int
) -> bool:
    if pdfium_c.FPDFText_GetFontWeight(textpage.raw, index) >= 600:
        return True
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, 128, ctypes.byref(flags))
    font = name.value.decode("latin-1", "replace").lower()
    return bool(flags.value & _BOLD_FLAG) or any(
        word in font for word in ("bold", "black", "heavy", "semibold", "demi")
    )


def _assemble_pdf_lines(pages: list[list[_PdfLine]]) -> list[TextLine]:
    """Drop running headers, footers and page numbers; mark paragraph gaps and headings."""
    furniture = _running_furniture([[line.text for line in page] for page in pages])
    body_sizes = Counter(round(line.size) for page in pages for line in page)
    body_size = float(body_sizes.most_common(1)[0][0]) if body_sizes else 10.0
    heading_sizes = sorted(
        {round(line.size) for page in pages for line in page if line.size >= body_size * 1.15},
        reverse=True,
    )
    gaps = [
        previous.bottom - line.top
        for page in pages
        for previous, line in zip(page, page[1:], strict=False)
        if 0 <= previous.bottom - line.top < body_size * 3
    ]
    usual_gap = statistics.median(gaps) if gaps else body_size * 0.3
    lines: list[TextLine] = []
    bold: list[bool] = []
    for number, page in enumerate(pages, start=1):
        kept = [
            line
            for position, line in enumerate(page)
            if not _is_furniture(line.text, position, len(page), furniture)
        ]
        # Footnotes: small print below the text, which would otherwise run into whatever
        # recommendation continues on the next page.
        while kept and kept[-1].size < body_size * 0.9 and len(kept) > 1:
            kept.pop()
        previous: _PdfLine | None = None
        for line in kept:
            if line.size >= body_size * 1.15:
                heading = 1 + heading_sizes.index(round(line.size))
            else:
                heading = 0
            if previous is None:
                # A page break is not a paragraph break: text flows on from the previous page.
                para_start = heading > 0 or bool(lines and lines[-1].heading)
            else:
                gap = previous.bottom - line.top
                para_start = gap > usual_gap + body_size * 0.5 or gap < -body_size
                para_start = para_start or heading != (lines[-1].heading if lines else 0)
            text = line.text
            if line.joined and lines and not para_start:
                # Re-join a word PDFium split at a soft hyphen.
                merged = lines.pop()
                lines.append(
                    TextLine(
                        merged.text + text,
                        page=merged.page,
                        para_start=merged.para_start,
                        heading=merged.heading,
                    )
                )
                previous = line
                continue
            lines.append(TextLine(text, page=number, para_start=para_start, heading=heading))
            bold.append(line.bold)
            previous = line
    return _mark_bold_headings(lines, bold)


def _mark_bold_headings(lines: list[TextLine], bold: list[bool]) -> list[TextLine]:
    """Bold body-size lines standing alone are how most Word PDFs show sub-headings; bold
    paragraphs (recommendations printed in bold) are not headings."""
    marked: list[TextLine] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        alone = following is None or following.para_start or not bold[index + 1]
        if bold[index] and not line.heading and line.para_start and alone and index > 0:
            line = TextLine(
                line.text, page=line.page, para_start=True, heading=WEAK_HEADING, depth=line.depth
            )
        marked.append(line)
    return marked


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _running_furniture(pages: list[list[str]]) -> set[str]:
    """Texts repeated at the top or bottom of many pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_furniture_key(text) for text in page[:2] + page[-2:]})
    threshold = max(3, int(len(pages) * 0.4))
    return {key for key, count in counts.items() if count >= threshold}


def _is_furniture(text: str, position: int, count: int, furniture: set[str]) -> bool:
    at_edge = position < 2 or position >= count - 2
    if not at_edge:
        return False
    if _PAGE_NUMBER.match(text):
        return True
    # Running headers are short; a long line that recurs is body text (a repeated phrase).
    return len(text.split()) <= 14 and _furniture_key(text) in furniture
