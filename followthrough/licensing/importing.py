"""Reading the existing register, DBS records and training attendance from CSV or XLSX.

Pure module (no Django): it turns a file into typed rows or a list of problems, each naming the
file, row and column. Writing (all or nothing, idempotent) is services.py's job. Row numbers are
the spreadsheet's: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from .compliance import (
    LICENCE_TYPE_LABELS,
    STATUS_CHECK_LABELS,
    LicenceStatus,
    LicenceType,
    StatusCheckResult,
    licence_expiry,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    source: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Nothing was written. `problems` says what to fix, by file, row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Table:
    source: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def read_table(source: str, content: bytes) -> Table:
    """Read the first sheet of an .xlsx file, or a UTF-8 .csv file, into rows keyed by header."""
    name = source.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(source, content)
    if name.endswith(".csv"):
        return _read_csv(source, content)
    raise ImportFailed([Problem(source, 0, "", "The file must be a .csv or .xlsx file")])


def _header(cells: list[Any]) -> list[str]:
    return [str(c or "").strip().lower().replace(" ", "_") for c in cells]


def _read_csv(source: str, content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([Problem(source, 1, "", "The file must be saved as UTF-8 CSV")]) from exc
    # newline="" lets the reader take "\r" line ends (old Mac exports) and breaks in quotes.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = list(reader)
    except csv.Error as exc:  # a cell over the reader's size limit, a stray quote
        raise ImportFailed(
            [Problem(source, reader.line_num, "", f"The file cannot be read as CSV ({exc})")]
        ) from exc
    if not lines:
        raise ImportFailed([Problem(source, 1, "", "The file is empty")])
    columns = _header(lines[0])
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(
            (number, {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns)})
        )
    return Table(source, columns, rows)


def _read_xlsx(source: str, content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFailed([Problem(source, 1, "", "The spreadsheet cannot be opened")]) from exc
    try:
        sheet = book.worksheets[0]
        lines = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not lines:
        raise ImportFailed([Problem(source, 1, "", "The spreadsheet is empty")])
    columns = _header(list(lines[0]))
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        rows.append(
            (number, {col: (cells[i] if i < len(cells) else None) for i, col in enumerate(columns)})
        )
    return Table(source, columns, rows)


# ---------------------------------------------------------------------------------------------
# Cell parsing


class _CellError(ValueError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text_up_to(limit: int, *, reference: bool = False) -> Callable[[Any], str]:
    """Text that fits its column (`limit` characters, as in models.py) and holds no NUL
    character, which PostgreSQL cannot store. A reference is stored in capitals, which can
    be longer ("ß" becomes "SS"), so that is what is measured."""

    def parse(value: Any) -> str:
        text = _text(value)
        if "\x00" in text:
            raise _CellError("Remove the NUL character from this cell")
        if len(text.upper() if reference else text) > limit:
            raise _CellError(f"Enter {limit} characters or fewer")
        return text

    return parse


_REFERENCE = _text_up_to(30, reference=True)
_NAME = _text_up_to(200)


def _date(value: Any) -> date | None:
    day = _any_date(value)
    # Far-off years are typing slips (9999-12-31), and the expiry and reminder arithmetic
    # cannot go past the year 9999.
    if day is not None and not 1900 <= day.year <= 2100:
        raise _CellError(f"Enter a date between 1900 and 2100, not '{_text(value)}'")
    return day


def _any_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _CellError(f"Enter a real date as YYYY-MM-DD or DD/MM/YYYY, not '{text}'")


def _yes_no(value: Any, default: bool) -> bool:
    text = _text(value).lower()
    if not text:
        return default
    if text in {"y", "yes", "true", "1"}:
        return True
    if text in {"n", "no", "false", "0"}:
        return False
    raise _CellError(f"Enter Y or N, not '{_text(value)}'")


def _choice(value: Any, options: dict[str, str], what: str) -> str:
    """Match a code or its label, ignoring case, spaces and hyphens."""
    text = _text(value)

    def norm(s: str) -> str:
        return re.sub(r"[\s_\-]+", " ", s.strip().lower())

    wanted = norm(text)
    for code, label in options.items():
        if wanted in (norm(code), norm(label)):
            return code
    allowed = ", ".join(options)
    raise _CellError(f"Enter a {what}: one of {allowed}, not '{text}'")


LICENCE_TYPE_OPTIONS = {t.value: LICENCE_TYPE_LABELS[t] for t in LicenceType}
LICENCE_STATUS_OPTIONS = {s.value: s.label for s in LicenceStatus}
STATUS_CHECK_OPTIONS = {r.value: STATUS_CHECK_LABELS[r] for r in StatusCheckResult}
DBS_LEVEL_OPTIONS = {"basic": "Basic", "standard": "Standard", "enhanced": "Enhanced"}
BARRED_LIST_OPTIONS = {
    "both": "Children's and adults'",
    "children": "Children's only",
    "adults": "Adults' only",
    "none": "None",
}
DBS_RECORD_OPTIONS = {
    "certificate": "DBS certificate",
    "status_check": "Update Service status check",
}
DBS_OUTCOME_OPTIONS = {
    "no_information": "No information disclosed",
    "considered_suitable": "Information disclosed; considered suitable",
    "referred": "Information disclosed; referred for a decision",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CERTIFICATE = re.compile(r"^\d{12}$")


@dataclass
class _RowReader:
    table: Table
    row: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def get(self, column: str, parse: Callable[[Any], T], *, required: bool = False) -> T | None:
        raw = self.values.get(column)
        if required and not _text(raw) and not isinstance(raw, date):
            self.problems.append(Problem(self.table.source, self.row, column, "This is required"))
            return None
        try:
            return parse(raw)
        except _CellError as exc:
            self.problems.append(Problem(self.table.source, self.row, column, str(exc)))
            return None

    def fail(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.table.source, self.row, column, message))


def _check_columns(table: Table, required: list[str], optional: list[str]) -> list[Problem]:
    problems = [
        Problem(table.source, 1, column, "This column is missing")
        for column in required
        if column not in table.columns
    ]
    known = set(required) | set(optional)
    problems += [
        Problem(table.source, 1, column, "This column is not recognised")
        for column in table.columns
        if column and column not in known
    ]
    if not table.rows and not problems:
        problems.append(Problem(table.source, 2, "", "There are no rows to import"))
    return problems


# ---------------------------------------------------------------------------------------------
# The register: licence holders and their licences


@dataclass(frozen=True)
class RegisterRow:
    row: int
    licensee_reference: str
    name: str
    date_of_birth: date | None
    email: str
    licence_number: str
    licence_type: LicenceType
    issued_on: date
    expires_on: date
    status: LicenceStatus
    status_since: date


REGISTER_REQUIRED = [
    "licensee_reference",
    "name",
    "licence_number",
    "licence_type",
    "issued_on",
    "status",
]
REGISTER_OPTIONAL = ["date_of_birth", "email", "expires_on", "status_since"]


def parse_register(
    table: Table, *, driver_months: int = 36, operator_months: int = 60
) -> list[RegisterRow]:
    """One row per licence period. Expiry defaults to 3 years (driver) or 5 (operator)."""
    problems = _check_columns(table, REGISTER_REQUIRED, REGISTER_OPTIONAL)
    if problems:
        raise ImportFailed(problems)
    rows: list[RegisterRow] = []
    names: dict[str, dict[str, tuple[int, Any]]] = {}
    holders: dict[str, tuple[int, str]] = {}
    seen: dict[tuple[str, date], int] = {}
    for number, values in table.rows:
        r = _RowReader(table, number, values)
        reference = r.get("licensee_reference", _REFERENCE, required=True) or ""
        name = r.get("name", _NAME, required=True) or ""
        dob = r.get("date_of_birth", _date)
        email = r.get("email", _text_up_to(254)) or ""
        if email and not _EMAIL.match(email):
            r.fail("email", f"Enter an email address like name@example.com, not '{email}'")
        licence_number = r.get("licence_number", _text_up_to(30), required=True) or ""
        licence_type = r.get(
            "licence_type",
            lambda v: _choice(v, LICENCE_TYPE_OPTIONS, "licence type"),
            required=True,
        )
        issued = r.get("issued_on", _date, required=True)
        expires = r.get("expires_on", _date)
        status = r.get(
            "status", lambda v: _choice(v, LICENCE_STATUS_OPTIONS, "licence status"), required=True
        )
        since = r.get("status_since", _date)
        if dob and dob > date.today():
            r.fail("date_of_birth", "The date of birth must be in the past")
        if issued and licence_type and not expires:
            months = operator_months if licence_type == LicenceType.OPERATOR else driver_months
            expires = licence_expiry(issued, months)
        if issued and expires and expires < issued:
            r.fail("expires_on", "The expiry date must be on or after the issue date")
        if issued and since and since < issued:
            r.fail("status_since", "The status cannot start before the licence was issued")
        # One holder, one set of details: otherwise the last row would silently win, and
        # every re-import would change the holder back. References are matched ignoring case,
        # as the register matches them (D0001 and d0001 are one holder).
        if reference:
            given = names.setdefault(reference.upper(), {})
            for column, value, what in (
                ("name", name, "name"),
                ("date_of_birth", dob, "date of birth"),
                ("email", email, "email address"),
            ):
                if not value:
                    continue
                first_row, first_value = given.setdefault(column, (number, value))
                if first_value != value:
                    r.fail(column, f"Row {first_row} gives a different {what} for {reference}")
        if licence_number and reference:
            first = holders.setdefault(licence_number, (number, reference))
            if first[1].upper() != reference.upper():
                r.fail(
                    "licence_number",
                    f"Row {first[0]} gives licence {licence_number} to {first[1]}",
                )
        if licence_number and issued:
            earlier = seen.setdefault((licence_number, issued), number)
            if earlier != number:
                r.fail("licence_number", f"Row {earlier} already has this licence and issue date")
        if r.problems:
            problems += r.problems
            continue
        assert issued and expires and licence_type and status
        rows.append(
            RegisterRow(
                row=number,
                licensee_reference=reference,
                name=name,
                date_of_birth=dob,
                email=email,
                licence_number=licence_number,
                licence_type=LicenceType(licence_type),
                issued_on=issued,
                expires_on=expires,
                status=LicenceStatus(status),
                status_since=since or issued,
            )
        )
    if problems:
        raise ImportFailed(problems)
    return rows


# ---------------------------------------------------------------------------------------------
# DBS certificates and Update Service status checks


@dataclass(frozen=True)
class DBSRow:
    row: int
    licensee_reference: str
    record: str  # "certificate" or "status_check"
    on: date
    level: str = "enhanced"
    children_barred_list: bool = True
    adults_barred_list: bool = True
    certificate_number: str = ""
    outcome: str = "no_information"
    update_service_subscribed_on: date | None = None
    result: StatusCheckResult | None = None


DBS_REQUIRED = ["licensee_reference", "record", "date"]
DBS_OPTIONAL = [
    "level",
    "barred_lists",
    "certificate_number",
    "outcome",
    "update_service_subscribed_on",
    "result",
]


def parse_dbs(table: Table) -> list[DBSRow]:
    """One row per certificate or status check, for example from the council's DBS log."""
    problems = _check_columns(table, DBS_REQUIRED, DBS_OPTIONAL)
    if problems:
        raise ImportFailed(problems)
    rows: list[DBSRow] = []
    seen: dict[tuple[str, str, date, str], int] = {}
    for number, values in table.rows:
        r = _RowReader(table, number, values)
        reference = r.get("licensee_reference", _REFERENCE, required=True) or ""
        record = r.get("record", lambda v: _choice(v, DBS_RECORD_OPTIONS, "record"), required=True)
        on = r.get("date", _date, required=True)
        if on and on > date.today():
            r.fail("date", "The date must be today or in the past")
        if record == "certificate":
            level = r.get(
                "level",
                lambda v: _choice(v, DBS_LEVEL_OPTIONS, "DBS level") if _text(v) else "enhanced",
            )
            lists = r.get(
                "barred_lists",
                lambda v: (
                    _choice(v, BARRED_LIST_OPTIONS, "barred lists value") if _text(v) else "both"
                ),
            )
            certificate = r.get("certificate_number", _text) or ""
            certificate = certificate.replace(" ", "").replace("-", "")
            if certificate and not _CERTIFICATE.match(certificate):
                r.fail("certificate_number", "A DBS certificate number is 12 digits")
            outcome = r.get(
                "outcome",
                lambda v: (
                    _choice(v, DBS_OUTCOME_OPTIONS, "outcome") if _text(v) else "no_information"
                ),
            )
            subscribed = r.get("update_service_subscribed_on", _date)
            if subscribed and on and subscribed < on:
                r.fail(
                    "update_service_subscribed_on",
                    "The subscription cannot start before the certificate was issued",
                )
            if r.problems:
                problems += r.problems
                continue
            assert on and level and lists and outcome
            key = (reference, "certificate", on, level)
            parsed = DBSRow(
                row=number,
                licensee_reference=reference,
                record="certificate",
                on=on,
                level=level,
                children_barred_list=lists in ("both", "children"),
                adults_barred_list=lists in ("both", "adults"),
                certificate_number=certificate,
                outcome=outcome,
                update_service_subscribed_on=subscribed,
            )
        else:
            result = r.get(
                "result",
                lambda v: _choice(v, STATUS_CHECK_OPTIONS, "status check result"),
                required=True,
            )
            if r.problems:
                problems += r.problems
                continue
            assert on and result and record
            key = (reference, "status_check", on, "")
            parsed = DBSRow(
                row=number,
                licensee_reference=reference,
                record="status_check",
                on=on,
                result=StatusCheckResult(result),
            )
        earlier = seen.setdefault(key, number)
        if earlier != number:
            problems.append(
                Problem(table.source, number, "date", f"Row {earlier} already records this")
            )
            continue
        rows.append(parsed)
    if problems:
        raise ImportFailed(problems)
    return rows


# ---------------------------------------------------------------------------------------------
# Training attendance, for any audience


@dataclass(frozen=True)
class TrainingRow:
    row: int
    course: str
    session_date: date | None
    venue: str
    trainer: str
    licensee_reference: str
    attendee_name: str
    attendee_organisation: str
    attended: bool
    completed_on: date | None
    certificate_reference: str

    @property
    def person_key(self) -> tuple[str, str, str]:
        if self.licensee_reference:
            return ("licensee", self.licensee_reference, "")
        return ("person", self.attendee_name, self.attendee_organisation)


TRAINING_REQUIRED = ["course"]
TRAINING_OPTIONAL = [
    "session_date",
    "venue",
    "trainer",
    "licensee_reference",
    "attendee_name",
    "attendee_organisation",
    "attended",
    "completed_on",
    "certificate_reference",
]


def parse_training(table: Table) -> list[TrainingRow]:
    """One row per person per session; a licence holder by reference, anyone else by name."""
    problems = _check_columns(table, TRAINING_REQUIRED, TRAINING_OPTIONAL)
    if problems:
        raise ImportFailed(problems)
    rows: list[TrainingRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, values in table.rows:
        r = _RowReader(table, number, values)
        course = r.get("course", _NAME, required=True) or ""
        held = r.get("session_date", _date)
        venue = r.get("venue", _NAME) or ""
        trainer = r.get("trainer", _NAME) or ""
        reference = r.get("licensee_reference", _REFERENCE) or ""
        name = r.get("attendee_name", _NAME) or ""
        organisation = r.get("attendee_organisation", _NAME) or ""
        attended = r.get("attended", lambda v: _yes_no(v, True))
        completed = r.get("completed_on", _date)
        certificate = r.get("certificate_reference", _text_up_to(60)) or ""
        if not reference and not name:
            r.fail("attendee_name", "Give a licensee_reference or the attendee's name")
        if held and not venue:
            r.fail("venue", "Give the venue of the session")
        if held is None and completed is None:
            r.fail("completed_on", "Give the session date or the date the course was completed")
        if held and held > date.today():
            r.fail("session_date", "Only record sessions that have taken place")
        if completed and completed > date.today():
            r.fail("completed_on", "The date must be today or in the past")
        if held and completed and completed < held:
            r.fail("completed_on", "The course cannot be completed before the session")
        if attended is False and completed:
            r.fail("completed_on", "Someone who did not attend cannot have completed the course")
        if r.problems:
            problems += r.problems
            continue
        assert attended is not None
        parsed = TrainingRow(
            row=number,
            course=course,
            session_date=held,
            venue=venue,
            trainer=trainer,
            licensee_reference=reference,
            attendee_name=name,
            attendee_organisation=organisation,
            attended=attended,
            completed_on=completed,
            certificate_reference=certificate,
        )
        # Compared as services.training_import compares them (ignoring case), so two rows it
        # would write to one attendance are reported here rather than written in turn.
        person = (reference.upper(),) if reference else (name.lower(), organisation.lower())
        key = (
            (course.lower(), held, venue.lower(), *person)
            if held
            else (course.lower(), completed, *person)
        )
        earlier = seen.setdefault(key, number)
        if earlier != number:
            problems.append(
                Problem(
                    table.source,
                    number,
                    "",
                    f"Row {earlier} already records this person at this session",
                )
            )
            continue
        rows.append(parsed)
    if problems:
        raise ImportFailed(problems)
    return rows
