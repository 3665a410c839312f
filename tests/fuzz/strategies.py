"""Hypothesis strategies for untrusted files: random bytes and near-valid inputs.

Near-valid inputs are what real mistakes and real attacks look like: a proper header over rows
whose cells are sometimes wrong (wrong type, huge, unicode, blank, NUL bytes, line breaks,
spreadsheet formulas, duplicated keys), saved as CSV in various encodings or as XLSX, now and
then damaged at the byte level. Documents are generated the same way: recommendation-like text,
HTML, hand-built PDFs and Word files, and the sample reports, truncated or garbled.

No Django import: the values that must match the database (licence holders, courses, partners,
themes) are the constants below, and `tests/fuzz/world.py` creates exactly those.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from followthrough.documents.action_plan import COLUMNS as ACTION_PLAN_COLUMNS
from followthrough.insights.generate import COLUMNS as OFFENCE_COLUMNS
from followthrough.insights.generate import write_csv as write_offences_csv
from followthrough.licensing import importing as licensing

SAMPLES = Path(__file__).resolve().parents[1] / "documents" / "samples"

# What tests/fuzz/world.py puts in the database, so that near-valid rows can refer to it.
LICENCE_HOLDERS = ("D0001", "D0002", "D0003")
NEW_LICENCE_HOLDERS = ("D0004", "D0005", "d0001", "X-1")
COURSE = "CSE awareness for taxi drivers"
PARTNERS = ("Council", "West Mercia Police", "west-mercia-police", "Telford & Wrekin Council")
THEMES = ("Taxi licensing", "Work with schools", "taxi-licensing")
REVIEW_AGREED = date(2016, 5, 16)


@dataclass(frozen=True)
class Upload:
    """A file as an importer receives it: the name the person gave it, and its bytes."""

    name: str
    content: bytes


# ------------------------------------------------------------------------------------- cells

FORMULAS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","x")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "=1/0",
)
DAMAGED_DATES = (
    "2017-02-30",
    "2016-13-01",
    "0001-01-01",
    "9999-12-31",
    "31/12/1899",
    "1/1/1",
    "2016-5-6",
    "16/05/16",
    "2016-05-16T00:00:00",
    "２０１６-０５-１６",
    "2099-01-01",
)
TRICKY_TEXT = (
    "ß" * 31,  # "SS" * 31 when upper-cased: longer than the text itself
    "İstanbul",  # lower-cases to more characters
    "\u202etxt.exe",
    "a\u0301" * 5,
    "\u200b",
    "\ufeff",
    "😀" * 3,
    "Ǆ",
    "null",
    "None",
    "NaN",
    "-0",
    "1e308",
    "0x1F",
    "'; DROP TABLE licensing_licensee; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
)
HUGE = ("9" * 400, "-" + "9" * 40, str(2**63), str(2**64 + 1), "1" * 21)


@st.composite
def mutated_cell(draw: st.DrawFn) -> str:
    """One value a spreadsheet cell should not hold (or holds in an awkward way)."""
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return draw(st.sampled_from(("", " ", "   ", "\t", "\u00a0")))
    if kind == 1:
        return draw(st.sampled_from(FORMULAS))
    if kind == 2:
        return draw(st.sampled_from(DAMAGED_DATES))
    if kind == 3:
        return draw(st.sampled_from(TRICKY_TEXT))
    if kind == 4:
        return draw(st.sampled_from(HUGE))
    if kind == 5:
        length = draw(st.sampled_from((31, 41, 61, 81, 101, 121, 201, 301, 1000, 5000)))
        return draw(st.sampled_from("xé字")) * length
    if kind == 6:
        head, tail = draw(st.text(max_size=8)), draw(st.text(max_size=8))
        return head + "\x00" + tail
    if kind == 7:
        # A NUL past the first 8 KB, where a sniffer looking at the start does not see it.
        return "a" * 8300 + "\x00" + draw(st.text(max_size=4))
    if kind == 8:
        return draw(st.text(max_size=6)) + draw(st.sampled_from(("\n", "\r\n", "\r"))) + "x"
    if kind == 9:
        return draw(st.sampled_from(('"', '""', 'a"b', '"a', "a,b", ";", "\\")))
    if kind == 10:
        return str(draw(st.integers(-(10**30), 10**30)))
    return draw(st.text(max_size=40))


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about once in `n` draws. Hypothesis favours the ends of a range (0 and n - 1) and
    shrinks towards 0, so 0 is always the ordinary case and the rare one sits in between."""
    return draw(st.integers(0, n - 1)) == 1


def dates(start: date, end: date) -> st.SearchStrategy[str]:
    return st.dates(start, end).map(lambda d: d.isoformat())


def _shown(draw: st.DrawFn, day: date | None) -> str:
    """A date as people type it: ISO, or now and then the British way."""
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y") if one_in(draw, 4) else day.isoformat()


PAST = dates(date(2014, 1, 1), date(2019, 12, 31))


# ---------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableShape:
    """The columns an importer expects, and how to draw one consistent, valid record."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    record: st.SearchStrategy[dict[str, Any]]
    names: tuple[str, ...]  # file names, without the extension
    xlsx: bool = True


@st.composite
def header(draw: st.DrawFn, shape: TableShape) -> list[str]:
    if shape.optional and one_in(draw, 3):
        optional = draw(st.lists(st.sampled_from(shape.optional), unique=True))
    else:
        optional = list(shape.optional)
    columns = list(draw(st.permutations([*shape.required, *optional])))
    if not one_in(draw, 6) or not columns:
        return columns
    change = draw(st.integers(0, 3))
    if change == 0:
        columns.pop(draw(st.integers(0, len(columns) - 1)))  # a missing column
    elif change == 1:
        columns.append(draw(st.sampled_from(("notes", "", "Unnamed: 3", "=A1", "crime_ref "))))
    elif change == 2:
        columns.append(draw(st.sampled_from(columns)))  # a duplicated column
    else:
        index = draw(st.integers(0, len(columns) - 1))
        # How people retype headers: "Licence Number", "LICENCE-NUMBER".
        columns[index] = draw(
            st.sampled_from(
                (
                    columns[index].replace("_", " ").title(),
                    columns[index].upper().replace("_", "-"),
                    f" {columns[index]} ",
                )
            )
        )
    return columns


@st.composite
def rows(draw: st.DrawFn, shape: TableShape, columns: list[str]) -> list[list[Any]]:
    """Valid records, one in four with a cell or two mutated, now and then ragged or blank,
    and now and then the same record twice (a duplicated key)."""
    result: list[list[Any]] = []
    for _ in range(draw(st.integers(1, 5))):
        record = draw(shape.record)
        row = [record.get(column.strip().lower(), "") for column in columns]
        if row and one_in(draw, 4):
            for _ in range(draw(st.integers(1, 2))):
                row[draw(st.integers(0, len(row) - 1))] = draw(mutated_cell())
        if one_in(draw, 8):
            ragged = draw(st.integers(0, 2))
            if ragged == 0 and row:
                row = row[: draw(st.integers(0, len(row) - 1))]
            elif ragged == 1:
                row.append(draw(mutated_cell()))
            else:
                result.append([""] * len(row))  # a blank line in the middle
        result.append(row)
    if one_in(draw, 5):
        copy = list(draw(st.sampled_from(result)))
        if copy and draw(st.booleans()):
            copy[draw(st.integers(0, len(copy) - 1))] = draw(mutated_cell())
        result.append(copy)
    return result


def _csv_bytes(draw: st.DrawFn, lines: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    if one_in(draw, 15):
        # Written by hand, without quoting: commas and quotes inside cells break the columns.
        buffer.write("\n".join(",".join(str(value) for value in line) for line in lines))
    else:
        # "\r" alone is how old Mac programs end lines.
        terminator = draw(st.sampled_from(("\r\n", "\n", "\r")))
        writer = csv.writer(buffer, lineterminator=terminator)
        writer.writerows([[str(value) for value in line] for line in lines])
    text = buffer.getvalue()
    encoding = "utf-8"
    if one_in(draw, 8):
        encoding = draw(st.sampled_from(("utf-8-sig", "cp1252", "utf-16", "latin-1")))
    return text.encode(encoding, errors="replace")


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_value(draw: st.DrawFn, value: Any) -> Any:
    """Cells as Excel holds them: numbers as numbers and dates as dates, sometimes, and now
    and then a value of the wrong type."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL_XML.sub("", value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and draw(st.booleans()):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    if re.fullmatch(r"-?\d{1,15}", text) and draw(st.booleans()):
        return int(text)
    if one_in(draw, 12):
        return draw(
            st.sampled_from(
                (
                    1.5,
                    0.0,
                    -1,
                    True,
                    datetime(1900, 1, 1),
                    datetime(2016, 5, 16, 13, 30),
                    date(2017, 1, 1),
                    10**15,
                    float("inf"),
                )
            )
        )
    return text


def _xlsx_bytes(draw: st.DrawFn, lines: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if one_in(draw, 20):
        book.create_sheet("Second", 0)  # the records are not on the first sheet
        sheet = book.worksheets[1]
    for number, line in enumerate(lines):
        sheet.append(line if number == 0 else [_xlsx_value(draw, value) for value in line])
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(content: bytes) -> bytes:
    """The same archive with fixed timestamps: openpyxl stamps the time of saving, which would
    make the same example differ from run to run (and hypothesis refuses that)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2017-05-25T00:00:00Z", data)
            archive.writestr(_zip_entry(info.filename), data)
    return buffer.getvalue()


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=(2017, 5, 25, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


@st.composite
def damaged(draw: st.DrawFn, content: bytes, *, one_in_n: int = 8) -> bytes:
    """The same bytes, usually untouched, sometimes truncated, overwritten or spliced."""
    if not content or not one_in(draw, one_in_n):
        return content
    how = draw(st.integers(0, 6))
    position = draw(st.integers(0, len(content) - 1))
    if how == 0:
        return content[:position]
    if how <= 2:
        junk = draw(st.binary(min_size=1, max_size=16))
        return content[:position] + junk + content[position + len(junk) :]
    if how == 3:
        return content[:position] + draw(st.binary(max_size=16)) + content[position:]
    if how == 4:
        end = draw(st.integers(position, min(len(content), position + 4096)))
        return content[:position] + content[end:]
    if how == 5:
        return content[:position] + b"\x00" + content[position:]
    return content + content[position:]


@st.composite
def table_upload(draw: st.DrawFn, shape: TableShape) -> Upload:
    """A near-valid CSV or XLSX file for `shape`, or now and then random bytes."""
    base = draw(st.sampled_from(shape.names))
    if one_in(draw, 20):
        suffix = draw(st.sampled_from((".csv", ".xlsx", ".CSV", ".txt", "")))
        return Upload(base + suffix, draw(st.binary(max_size=600)))
    columns = draw(header(shape))
    lines: list[list[Any]] = [list(columns), *draw(rows(shape, columns))]
    if one_in(draw, 30):
        lines = lines[1:]  # no header
    if shape.xlsx and one_in(draw, 3):
        content = _xlsx_bytes(draw, lines)
        suffix = ".xlsx" if not one_in(draw, 8) else draw(st.sampled_from((".XLSX", ".csv")))
    else:
        content = _csv_bytes(draw, lines)
        suffix = ".csv" if not one_in(draw, 8) else draw(st.sampled_from((".CSV", ".xlsx")))
    return Upload(base + suffix, draw(damaged(content)))


# --------------------------------------------------------------------------- offence records


@cache
def _offence_rows() -> tuple[dict[str, str], ...]:
    """Valid records from the synthetic generator (each row consistent: an offence code that
    fits the victim's age, and so on)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "valid.csv"
        write_offences_csv(60, 20160516, path)
        with path.open(newline="", encoding="utf-8") as handle:
            return tuple(csv.DictReader(handle))


@st.composite
def _offence_record(draw: st.DrawFn) -> dict[str, Any]:
    record = dict(draw(st.sampled_from(_offence_rows())))
    # A small pool of references, so files repeat, update and duplicate each other's records.
    record["crime_ref"] = f"FZ{draw(st.integers(0, 40)):05d}"
    return record


OFFENCES = TableShape(
    required=OFFENCE_COLUMNS,
    optional=(),
    record=_offence_record(),
    names=("offences", "offences 2017", "Offences_Q1"),
    xlsx=False,
)


def offence_upload() -> st.SearchStrategy[Upload]:
    return table_upload(OFFENCES)


# -------------------------------------------------------------------------------- licensing

_TYPES = tuple(licensing.LICENCE_TYPE_OPTIONS) + tuple(licensing.LICENCE_TYPE_OPTIONS.values())
_STATUSES = tuple(licensing.LICENCE_STATUS_OPTIONS) + ("Active", "ACTIVE")
_REFERENCES = st.sampled_from(LICENCE_HOLDERS + NEW_LICENCE_HOLDERS)


@st.composite
def _register_record(draw: st.DrawFn) -> dict[str, Any]:
    issued = draw(st.dates(date(2014, 1, 1), date(2019, 12, 31)))
    reference = draw(_REFERENCES)
    return {
        "licensee_reference": reference,
        # One name per holder, or the file contradicts itself; now and then a second spelling.
        "name": f"Driver {reference}" if not one_in(draw, 10) else "Zoë O'Brien",
        "licence_number": f"L{reference.upper()}" if not one_in(draw, 6) else "OP-9",
        "licence_type": draw(st.sampled_from(_TYPES)),
        "issued_on": _shown(draw, issued),
        "status": draw(st.sampled_from(_STATUSES)),
        "date_of_birth": _shown(
            draw, draw(st.none() | st.dates(date(1940, 1, 1), date(2000, 1, 1)))
        ),
        "email": draw(st.sampled_from(("", "driver@example.com", "a.b@example.gov.uk"))),
        "expires_on": _shown(draw, draw(st.none() | st.just(issued + timedelta(days=3 * 365)))),
        "status_since": _shown(
            draw, draw(st.none() | st.dates(issued, issued + timedelta(days=400)))
        ),
    }


REGISTER = TableShape(
    required=tuple(licensing.REGISTER_REQUIRED),
    optional=tuple(licensing.REGISTER_OPTIONAL),
    record=_register_record(),
    names=("register", "licensing register", "Register-2017"),
)


@st.composite
def _dbs_record(draw: st.DrawFn) -> dict[str, Any]:
    on = draw(st.dates(date(2014, 1, 1), date(2019, 12, 31)))
    reference = draw(st.sampled_from(LICENCE_HOLDERS)) if not one_in(draw, 8) else "D0009"
    if draw(st.booleans()):
        return {
            "licensee_reference": reference,
            "record": draw(st.sampled_from(("certificate", "DBS certificate"))),
            "date": _shown(draw, on),
            "level": draw(st.sampled_from(("", *licensing.DBS_LEVEL_OPTIONS, "Enhanced"))),
            "barred_lists": draw(st.sampled_from(("", *licensing.BARRED_LIST_OPTIONS))),
            "certificate_number": draw(st.sampled_from(("", "001234567890", "0012 3456 7890"))),
            "outcome": draw(st.sampled_from(("", *licensing.DBS_OUTCOME_OPTIONS))),
            "update_service_subscribed_on": _shown(
                draw, draw(st.none() | st.dates(on, on + timedelta(days=60)))
            ),
        }
    return {
        "licensee_reference": reference,
        "record": draw(st.sampled_from(("status_check", "Update Service status check"))),
        "date": _shown(draw, on),
        "result": draw(st.sampled_from(tuple(licensing.STATUS_CHECK_OPTIONS))),
    }


DBS = TableShape(
    required=tuple(licensing.DBS_REQUIRED),
    optional=tuple(licensing.DBS_OPTIONAL),
    record=_dbs_record(),
    names=("dbs", "DBS log", "dbs-checks"),
)


@st.composite
def _training_record(draw: st.DrawFn) -> dict[str, Any]:
    held = draw(st.none() | st.dates(date(2014, 1, 1), date(2019, 12, 31)))
    completed = held if held and draw(st.booleans()) else None
    if held is None:
        completed = draw(st.dates(date(2014, 1, 1), date(2019, 12, 31)))
    reference = draw(st.sampled_from(("", *LICENCE_HOLDERS)))
    return {
        "course": COURSE
        if not one_in(draw, 10)
        else draw(st.sampled_from((COURSE.upper(), "No such course"))),
        "session_date": _shown(draw, held),
        "venue": draw(st.sampled_from(("Civic Centre", "civic centre", "Room 2"))) if held else "",
        "trainer": draw(st.sampled_from(("", "J. Smith"))),
        "licensee_reference": reference,
        "attendee_name": "" if reference else draw(st.sampled_from(("Pat Jones", "Sam Lee"))),
        "attendee_organisation": ""
        if reference
        else draw(st.sampled_from(("", "School", "Hotel"))),
        "attended": draw(st.sampled_from(("", "Y", "yes", "1")))
        if completed
        else draw(st.sampled_from(("", "Y", "N"))),
        "completed_on": _shown(draw, completed),
        "certificate_reference": draw(st.sampled_from(("", "C-1", "C-2"))),
    }


TRAINING = TableShape(
    required=tuple(licensing.TRAINING_REQUIRED),
    optional=tuple(licensing.TRAINING_OPTIONAL),
    record=_training_record(),
    names=("training", "attendance", "Training 2017"),
)


# ------------------------------------------------------------------------------ action plans


@st.composite
def _action_plan_record(draw: st.DrawFn) -> dict[str, Any]:
    number = draw(st.sampled_from(("1", "2", "3a", "R4")))
    start = draw(st.none() | st.dates(REVIEW_AGREED, date(2016, 12, 31)))
    record = {
        "recommendation_number": number,
        # The same details on every row of a recommendation, as an exported plan has them.
        "recommendation_title": {"1": "Specialist posts", "2": "", "3a": "Training", "R4": ""}[
            number
        ],
        "recommendation_text": f"Recommendation {number}: fund a specialist CSE worker",
        "lead_partner": {
            "1": "Council",
            "2": "West Mercia Police",
            "3a": "",
            "R4": "west-mercia-police",
        }[number],
        "theme": {
            "1": "Taxi licensing",
            "2": "",
            "3a": "Taxi licensing; Work with schools",
            "R4": "",
        }[number],
    }
    if one_in(draw, 4):
        return record  # a recommendation with no actions yet
    return record | {
        "action_reference": draw(st.sampled_from(("", f"{number}.1", f"{number}.2"))),
        "action_description": draw(st.sampled_from(("Recruit the worker", "Train the team"))),
        "action_owner": draw(st.sampled_from(("", *PARTNERS)))
        if record["lead_partner"]
        else "Council",
        "start_date": _shown(draw, start),
        "target_date": _shown(draw, draw(st.dates(date(2017, 1, 1), date(2018, 12, 31)))),
        "success_measure": draw(st.sampled_from(("", "Post filled", "90% trained"))),
    }


ACTION_PLAN = TableShape(
    required=("recommendation_number", "recommendation_text"),
    optional=tuple(
        c for c in ACTION_PLAN_COLUMNS if c not in ("recommendation_number", "recommendation_text")
    ),
    record=_action_plan_record(),
    names=("action plan", "plan", "Action-Plan_v2"),
)


# ---------------------------------------------------------------------------------- documents

_PROSE = (
    "the council should review its safeguarding training for taxi drivers and publish the "
    "results partners must share information about children at risk of exploitation"
)
_WORDS = _PROSE.split()


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
    text = " ".join(words).capitalize() + draw(st.sampled_from((".", "", ";", ":")))
    if draw(st.integers(0, 5)) == 0:
        text += " " + draw(st.text(max_size=20))
    return text


@st.composite
def report_line(draw: st.DrawFn) -> str:
    """A line as reports print them: numbered recommendations, resolutions, furniture."""
    n = draw(st.integers(0, 120))
    text = draw(sentence())
    template = draw(
        st.sampled_from(
            (
                "Recommendation {n}",
                "Recommendation {n}: {s}",
                "RECOMMENDATION {n} – {s}",
                "{n}. {s}",
                "{n}) {s}",
                "{n}.{m} {s}",
                "R{n} {s}",
                "({a}) {s}",
                "{a}. {s}",
                "{r}. {s}",
                "• {s}",
                "- {s}",
                "RESOLVED: {s}",
                "RESOLVED",
                "That {s}",
                "Conclusion {n}",
                "Recommendations",
                "Summary of recommendations",
                "Page {n} of {m}",
                "{n}",
                "{s}",
                "{s}",
                "{s}",
            )
        )
    )
    return template.format(
        n=n,
        m=draw(st.integers(0, 99)),
        s=text,
        a=draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz")),
        r=draw(st.sampled_from(("i", "ii", "iv", "IX", "xlii"))),
    )


@st.composite
def report_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(report_line(), st.just(""), st.text(max_size=30)), max_size=40))
    separator = draw(st.sampled_from(("\n", "\r\n", "\r")))
    text = ""
    for line in lines:
        text += line + draw(st.sampled_from((separator,) * 8 + ("\f", separator * 2)))
    return text


@st.composite
def text_document(draw: st.DrawFn) -> Upload:
    text = draw(report_text())
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16")))
    return Upload("report.txt", text.encode(encoding, errors="replace"))


_HTML_BLOCKS = ("p", "div", "h1", "h2", "h3", "li", "td", "pre", "blockquote", "section")


@st.composite
def html_element(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 9 if depth < 3 else 2))
    if kind <= 2:
        tag = draw(st.sampled_from(_HTML_BLOCKS))
        return f"<{tag}>{_escape(draw(report_line()))}</{tag}>"
    if kind == 3:
        tag = draw(st.sampled_from(("ol", "ul")))
        attributes = draw(
            st.sampled_from(
                (
                    "",
                    ' type="a"',
                    ' type="I"',
                    ' start="3"',
                    ' start="x"',
                    ' start="-5"',
                    ' start="99999999999999999999"',
                    ' type="i" start="99999999999"',
                    ' type="1" start=""',
                )
            )
        )
        items = draw(
            st.lists(st.one_of(report_line().map(_escape), html_element(depth + 1)), max_size=5)
        )
        value = draw(st.sampled_from(("", ' value="7"', ' value="seven"', ' value="-1"')))
        return (
            f"<{tag}{attributes}>"
            + "".join(f"<li{value}>{item}</li>" for item in items)
            + f"</{tag}>"
        )
    if kind == 4:
        headers = draw(
            st.lists(
                st.sampled_from(
                    (
                        "Recommendation",
                        "No.",
                        "Response",
                        "Lead",
                        "#",
                        "",
                        "Recommendation 1",
                        "Ref",
                    )
                ),
                max_size=4,
            )
        )
        body = draw(st.lists(st.lists(report_line().map(_escape), max_size=4), max_size=4))
        rows = ["".join(f"<th>{h}</th>" for h in headers)] + [
            "".join(f"<td>{c}</td>" for c in row) for row in body
        ]
        wrapper = draw(st.sampled_from(("{}", "<tbody>{}</tbody>", "<thead>{}</thead>")))
        return "<table>" + wrapper.format("".join(f"<tr>{row}</tr>" for row in rows)) + "</table>"
    if kind == 5:
        return draw(
            st.sampled_from(
                (
                    "<br>",
                    "<hr>",
                    "<!-- comment -->",
                    "<script>var a = '1. x';</script>",
                    "<?pi x?>",
                    "<![CDATA[1. x]]>",
                    "&nbsp;",
                    "&#0;",
                    "&#xD800;",
                    "&bogus;",
                )
            )
        )
    if kind == 6:
        return draw(st.text(max_size=30))
    inner = "".join(draw(st.lists(html_element(depth + 1), max_size=4)))
    tag = draw(
        st.sampled_from(
            ("div", "section", "main", "article", "nav", "span", "b", "td", "tr", "table", "li")
        )
    )
    return f"<{tag}>{inner}</{tag}>" if draw(st.integers(0, 5)) else f"<{tag}>{inner}"  # unclosed


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def html_document(draw: st.DrawFn) -> Upload:
    body = "".join(draw(st.lists(html_element(), max_size=12)))
    charset = draw(
        st.sampled_from(
            ("", "utf-8", "windows-1252", "utf-99", "x-bogus", "utf-16", "ascii", "\u00e9")
        )
    )
    head = f'<meta charset="{charset}">' if charset else ""
    prefix = draw(
        st.sampled_from(("", "<!DOCTYPE html>", '<?xml version="1.0" encoding="utf-8"?>', "\ufeff"))
    )
    text = f"{prefix}<html><head>{head}<title>Report</title></head><body>{body}</body></html>"
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "cp1252", "utf-16")))
    return Upload(
        draw(st.sampled_from(("report.html", "report.htm"))),
        text.encode(encoding, errors="replace"),
    )


def _pdf_string(text: str) -> bytes:
    raw = text.encode("latin-1", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def build_pdf(pages: list[list[tuple[str, int, bool]]]) -> bytes:
    """A PDF with one text line per (text, font size, bold), uncompressed, with a real xref."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        stream = b"BT\n"
        y = 800
        for text, size, bold in lines:
            y -= max(size, 1) + 6
            font = b"/F2" if bold else b"/F1"
            stream += b"%s %d Tf 1 0 0 1 72 %d Tm %s Tj\n" % (font, size, y, _pdf_string(text))
        stream += b"ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % content
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


@st.composite
def pdf_document(draw: st.DrawFn) -> Upload:
    if one_in(draw, 4):
        seed = draw(st.sampled_from(_sample_files(".pdf")))
    else:
        size = st.sampled_from((10, 10, 10, 14, 18, 6, 0, 300))
        line = st.tuples(report_line(), size, st.booleans())
        seed = build_pdf(draw(st.lists(st.lists(line, max_size=20), min_size=1, max_size=4)))
    if one_in(draw, 4):
        trick = draw(st.integers(0, 2))
        if trick == 0:
            seed = seed.replace(b"trailer\n<< ", b"trailer\n<< /Encrypt 99 0 R ", 1)
        elif trick == 1:
            seed = b"   \n" + seed  # whitespace before the signature
        else:
            seed = b"%PDF-1.7\n" + draw(st.binary(max_size=400))
    name = "report.pdf" if not one_in(draw, 5) else "Report.PDF"
    return Upload(name, draw(damaged(seed, one_in_n=3)))


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def _xml_text(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text).replace("\ufffe", "").replace("\uffff", "")
    text = re.sub(r"[\ud800-\udfff]", "", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


_ODD_VALUES = st.sampled_from(
    ("0", "1", "2", "8", "9", "-1", "x", "", "99999999999999999999", "1.5")
)


@st.composite
def docx_paragraph(draw: st.DrawFn) -> str:
    properties = ""
    style = draw(st.sampled_from(("", "Heading1", "Heading2", "Title", "ListParagraph", "Bogus")))
    if style:
        properties += f'<w:pStyle w:val="{style}"/>'
    if draw(st.booleans()):
        num_id = draw(st.one_of(st.sampled_from(("1", "2", "0")), _ODD_VALUES))
        level = draw(st.one_of(st.sampled_from(("0", "1")), _ODD_VALUES))
        properties += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    bold = "<w:rPr><w:b/></w:rPr>" if draw(st.booleans()) else ""
    text = _xml_text(draw(report_line()))
    breaks = "<w:br/>" if draw(st.integers(0, 5)) == 0 else ""
    return f'<w:p><w:pPr>{properties}</w:pPr><w:r>{bold}<w:t xml:space="preserve">{text}</w:t>{breaks}</w:r></w:p>'


@st.composite
def docx_block(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 5 if depth < 2 else 3))
    if kind <= 3:
        return draw(docx_paragraph())
    if kind == 4:
        header = draw(
            st.lists(
                st.sampled_from(("Recommendation", "No.", "Response", "")), min_size=1, max_size=3
            )
        )
        rows = ["".join(f"<w:tc><w:p><w:r><w:t>{h}</w:t></w:r></w:p></w:tc>" for h in header)] + [
            "".join(f"<w:tc>{draw(docx_block(depth + 1))}</w:tc>" for _ in header)
            for _ in range(draw(st.integers(0, 3)))
        ]
        return "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"
    inner = "".join(draw(st.lists(docx_block(depth + 1), max_size=3)))
    return f"<w:sdt><w:sdtContent>{inner}</w:sdtContent></w:sdt>"


@st.composite
def docx_numbering(draw: st.DrawFn) -> str:
    levels = ""
    for level in range(draw(st.integers(0, 3))):
        ilvl = draw(st.one_of(st.just(str(level)), _ODD_VALUES))
        number_format = draw(
            st.sampled_from(
                (
                    "decimal",
                    "lowerLetter",
                    "upperRoman",
                    "lowerRoman",
                    "bullet",
                    "none",
                    "bogus",
                    "",
                )
            )
        )
        text = draw(
            st.sampled_from(("%1.", "%1.%2", "(%2)", "%9", "%0", "%", "", "Recommendation %1"))
        )
        start = draw(st.one_of(st.sampled_from(("1", "0")), _ODD_VALUES))
        levels += (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{_W_NS}">'
        f'<w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num></w:numbering>'
    )


_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{_W_NS}">'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:basedOn w:val="Heading1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    "</w:styles>"
)


def build_docx(body: str, numbering: str) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W_NS}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _PACKAGE_RELS),
            ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
            ("word/document.xml", document),
            ("word/numbering.xml", numbering),
            ("word/styles.xml", _STYLES),
        ):
            archive.writestr(_zip_entry(name), text)
    return buffer.getvalue()


@st.composite
def _rezipped(draw: st.DrawFn, seed: bytes) -> bytes:
    """A Word file with one part garbled, missing or replaced: damage inside a sound ZIP."""
    source = zipfile.ZipFile(io.BytesIO(seed))
    names = source.namelist()
    target = draw(st.sampled_from(names))
    how = draw(st.integers(0, 3))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            data = source.read(name)
            if name == target:
                if how == 0:
                    continue  # the part is missing
                if how == 1:
                    data = data[: draw(st.integers(0, len(data)))]
                elif how == 2:
                    data = re.sub(
                        rb'w:val="[^"]*"',
                        lambda _: b'w:val="' + draw(_ODD_VALUES).encode() + b'"',
                        data,
                        count=draw(st.integers(1, 20)),
                    )
                else:
                    data = draw(st.binary(max_size=200))
            archive.writestr(_zip_entry(name), data)
    return buffer.getvalue()


@st.composite
def docx_document(draw: st.DrawFn) -> Upload:
    if one_in(draw, 4):
        seed = draw(st.sampled_from(_sample_files(".docx")))
    else:
        body = "".join(draw(st.lists(docx_block(), max_size=12)))
        seed = build_docx(body, draw(docx_numbering()))
    if one_in(draw, 3):
        seed = draw(_rezipped(seed))
    name = "report.docx" if not one_in(draw, 5) else "Report.DOCX"
    return Upload(name, draw(damaged(seed, one_in_n=4)))


@cache
def _sample_files(suffix: str) -> tuple[bytes, ...]:
    return tuple(path.read_bytes() for path in sorted(SAMPLES.glob(f"*{suffix}")))


@st.composite
def misnamed_document(draw: st.DrawFn) -> Upload:
    """Content that does not match its name, random bytes, and unsupported names."""
    kind = draw(st.integers(0, 2))
    name = draw(
        st.sampled_from(
            (
                "report.txt",
                "report.pdf",
                "report.docx",
                "report.html",
                "report.doc",
                "report",
                "report.xlsx",
                "café report.txt",
            )
        )
    )
    if kind == 0:
        return Upload(name, draw(st.binary(max_size=800)))
    if kind == 1:
        every = (
            _sample_files(".pdf")
            + _sample_files(".docx")
            + _sample_files(".txt")
            + _sample_files(".html")
        )
        return Upload(name, draw(st.sampled_from(every)))
    return Upload(
        name,
        draw(
            st.sampled_from(
                (
                    b"",
                    b" \n\t",
                    b"\xff\xfe",
                    b"\x00" * 10,
                    b"PK\x05\x06" + b"\x00" * 18,
                    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50,
                )
            )
        ),
    )


def document_upload() -> st.SearchStrategy[Upload]:
    return st.one_of(
        text_document(), html_document(), pdf_document(), docx_document(), misnamed_document()
    )
