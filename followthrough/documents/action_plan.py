"""Action-plan spreadsheets (CSV and XLSX): the column mapping, reading, checking and planning.

Pure module (no Django). It turns a file into recommendations with their actions, or into every
problem it has, each naming the file, row and column; it then compares the file with what the
review already holds and lists the changes an import would make. Writing them (all or nothing)
is services.py's job. Row numbers are the spreadsheet's: the header is row 1.

The same columns are written by the export, so an exported plan imports without changes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# (column, when it is needed, what it holds) — shown on the upload page and in
# docs/import-format.md, so the two cannot disagree.
COLUMN_GUIDE: tuple[tuple[str, str, str], ...] = (
    (
        "recommendation_number",
        "Required",
        "The number as printed in the report, for example 7, 4a or R12. Rows with the same "
        "number belong to one recommendation.",
    ),
    (
        "recommendation_title",
        "Optional",
        "A short title. Up to 300 characters.",
    ),
    (
        "recommendation_text",
        "Required",
        "The full wording of the recommendation. On a recommendation's later rows it may be "
        "left blank.",
    ),
    (
        "lead_partner",
        "Optional",
        "The lead partner: its full name, short name or web name (for example "
        "West Mercia Police, Police or west-mercia-police).",
    ),
    (
        "theme",
        "Optional",
        "One or more themes already set up in Followthrough, separated by semicolons.",
    ),
    (
        "action_reference",
        "Optional",
        "The action's reference, for example 7.1. Left blank, actions are numbered 7.1, 7.2 "
        "and so on in the order of the rows. Up to 30 characters.",
    ),
    (
        "action_description",
        "Needed for an action",
        "What the partner will do. Leave every action column blank for a recommendation "
        "with no actions yet.",
    ),
    (
        "action_owner",
        "Optional",
        "The partner that owns the action, named as for lead_partner. Left blank, the lead "
        "partner owns it.",
    ),
    (
        "start_date",
        "Optional",
        "The date the action was agreed, as YYYY-MM-DD or DD/MM/YYYY. Left blank, the date "
        "the review was agreed. It cannot change once the action exists.",
    ),
    (
        "target_date",
        "Needed for an action",
        "The date the action should be done by, as YYYY-MM-DD or DD/MM/YYYY.",
    ),
    (
        "success_measure",
        "Optional",
        "How the partnership will know the action has worked.",
    ),
)
COLUMNS: tuple[str, ...] = tuple(column for column, _, _ in COLUMN_GUIDE)
RECOMMENDATION_COLUMNS = COLUMNS[:5]
ACTION_COLUMNS = COLUMNS[5:]
_REQUIRED = ("recommendation_number", "recommendation_text")

NUMBER_MAX = 20
TITLE_MAX = 300
REFERENCE_MAX = 30


# ---------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class Problem:
    """One thing to fix, where the person will find it in their spreadsheet."""

    source: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = self.source
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Nothing was written. `problems` says what to fix, by file, row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Table:
    source: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def read_table(source: str, content: bytes) -> Table:
    """Read the first sheet of an .xlsx file, or a .csv file, into rows keyed by header.

    The kind of file is judged by its content; a name that disagrees with it is refused.
    """
    suffix = source.lower().rsplit(".", 1)[-1] if "." in source else ""
    if suffix not in ("csv", "xlsx"):
        raise ImportFailed([Problem(source, 0, "", "The file must be a .csv or .xlsx file")])
    if not content.strip():
        raise ImportFailed([Problem(source, 0, "", "The file is empty")])
    kind = _sniff(content)
    if kind != suffix:
        described = {
            "xlsx": "an Excel .xlsx workbook",
            "csv": "text (CSV)",
            "zip": "a ZIP archive that is not an Excel workbook",
            "ole": "an old-style Excel .xls file: save it as .xlsx or .csv",
            "binary": "binary data, not a spreadsheet",
        }[kind]
        raise ImportFailed(
            [
                Problem(
                    source,
                    0,
                    "",
                    f"The file's content is {described}, which does not match its .{suffix} "
                    "extension",
                )
            ]
        )
    if kind == "xlsx":
        return _read_xlsx(source, content)
    return _read_csv(source, content)


def _sniff(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    sample = content[:8192]
    control = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f")
    if b"\x00" in sample or control > len(sample) // 20:
        return "binary"
    return "csv"


def header_key(value: Any) -> str:
    """`Recommendation number`, `recommendation_number ` and `RECOMMENDATION-NUMBER` match."""
    return re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())


def _read_csv(source: str, content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" (not "CSV UTF-8") is Windows-1252.
        text = content.decode("cp1252", errors="replace")
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFailed(
            [Problem(source, 0, "", f"The file cannot be read as CSV ({exc})")]
        ) from exc
    return _table(source, [[_unguarded(cell) for cell in cells] for cells in lines])


def _read_xlsx(source: str, content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or encrypted file
        raise ImportFailed(
            [Problem(source, 0, "", "The workbook cannot be opened: it may be damaged")]
        ) from exc
    try:
        sheet = book.worksheets[0]
        lines = [list(cells) for cells in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table(source, lines)


def _table(source: str, lines: list[list[Any]]) -> Table:
    if not lines or not any(_text(cell) for cell in lines[0]):
        raise ImportFailed([Problem(source, 1, "", "The first row must name the columns")])
    columns = [header_key(cell) for cell in lines[0]]
    rows = []
    # The sniffer sees only the first 8 KB; a NUL further on would reach PostgreSQL, which
    # refuses it (a server error), so it is refused here by row and column.
    nul: list[Problem] = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(_text(cell) for cell in cells):
            continue
        row = {col: cells[i] for i, col in enumerate(columns) if col and i < len(cells)}
        nul += [
            Problem(source, number, col, "Remove the NUL character from this cell")
            for col, value in row.items()
            if isinstance(value, str) and "\x00" in value
        ]
        rows.append((number, row))
    if nul:
        raise ImportFailed(nul)
    return Table(source, columns, rows)


# ---------------------------------------------------------------------------------------------
# Cells


class _CellError(ValueError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _CellError(f"Enter a real date as YYYY-MM-DD or DD/MM/YYYY, not '{text}'")


def partner_key(name: str) -> str:
    """How partner and theme names are compared: case, spacing and '&'/'and' do not matter."""
    text = name.lower().replace("&", " and ")
    return re.sub(r"[\W_]+", " ", text).strip()


def _same_text(first: str, second: str) -> bool:
    return re.sub(r"\s+", " ", first).strip() == re.sub(r"\s+", " ", second).strip()


# ---------------------------------------------------------------------------------------------
# Parsing


@dataclass
class ActionRow:
    row: int
    reference: str
    description: str
    owner: str  # as written; blank means the lead partner
    start_date: date | None
    target_date: date
    success_measure: str


@dataclass
class ActionPlanRecommendation:
    row: int  # the recommendation's first row
    number: str
    title: str
    text: str
    lead_partner: str
    themes: list[str]
    actions: list[ActionRow] = field(default_factory=list)


@dataclass
class ActionPlan:
    source: str
    columns: frozenset[str]
    recommendations: list[ActionPlanRecommendation]

    @property
    def action_count(self) -> int:
        return sum(len(item.actions) for item in self.recommendations)

    def has(self, column: str) -> bool:
        return column in self.columns


def parse_action_plan(table: Table) -> ActionPlan:
    """Check every row and return the plan, or raise `ImportFailed` listing every problem."""
    plan, problems = parse_action_plan_collecting(table)
    if problems:
        raise ImportFailed(problems)
    return plan


def parse_action_plan_collecting(table: Table) -> tuple[ActionPlan, list[Problem]]:
    """The rows that are sound, and the problems of those that are not.

    So that partners and themes can be checked on the sound rows too, and every problem in
    the file shown at once. A header that lacks the key columns still fails straight away.
    """
    source = table.source
    problems: list[Problem] = []
    present = frozenset(c for c in table.columns if c in COLUMNS)
    for column in _REQUIRED:
        if column not in present:
            problems.append(Problem(source, 1, column, f"Add a column headed {column}"))
    if "action_description" in present and "target_date" not in present:
        problems.append(
            Problem(source, 1, "target_date", "Add a column headed target_date for the actions")
        )
    seen_headers: dict[str, int] = {}
    for position, column in enumerate(table.columns):
        if column in COLUMNS and column in seen_headers:
            problems.append(
                Problem(source, 1, column, f"The column {column} appears more than once")
            )
        seen_headers.setdefault(column, position)
    if problems:
        raise ImportFailed(problems)
    if not table.rows:
        raise ImportFailed([Problem(source, 2, "", "The file has no rows under its header")])

    by_number: dict[str, ActionPlanRecommendation] = {}
    first_values: dict[tuple[str, str], tuple[int, str]] = {}
    references: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    for row, cells in table.rows:

        def cell(column: str, row: int = row, cells: dict[str, Any] = cells) -> str:
            return _text(cells.get(column))

        def problem(column: str, message: str, row: int = row) -> None:
            problems.append(Problem(source, row, column, message))

        number = cell("recommendation_number")
        if not number:
            problem("recommendation_number", "Enter the recommendation number")
            continue
        if len(number) > NUMBER_MAX:
            problem(
                "recommendation_number",
                f"The recommendation number must be {NUMBER_MAX} characters or fewer",
            )
            continue
        item = by_number.get(number)
        if item is None:
            title, text = cell("recommendation_title"), cell("recommendation_text")
            if not text:
                problem("recommendation_text", f"Enter the text of recommendation {number}")
            if len(title) > TITLE_MAX:
                problem(
                    "recommendation_title", f"The title must be {TITLE_MAX} characters or fewer"
                )
            item = ActionPlanRecommendation(
                row=row,
                number=number,
                title=title,
                text=text,
                lead_partner=cell("lead_partner"),
                themes=[part.strip() for part in cell("theme").split(";") if part.strip()],
            )
            by_number[number] = item
            for column in RECOMMENDATION_COLUMNS[1:]:
                first_values[(number, column)] = (row, cell(column))
        else:
            # A recommendation's details are given once; later rows may repeat them exactly.
            for column in RECOMMENDATION_COLUMNS[1:]:
                value = cell(column)
                first_row, first = first_values[(number, column)]
                if value and not _same_text(value, first):
                    problem(
                        column,
                        f"This differs from row {first_row} for recommendation {number}: "
                        "give its details once, or the same on every row",
                    )

        if not any(cell(column) for column in ACTION_COLUMNS):
            continue
        description = cell("action_description")
        if not description:
            problem(
                "action_description",
                "Enter what the action is, or leave the row's action columns blank",
            )
        reference = cell("action_reference")
        counters[number] = counters.get(number, 0) + 1
        if not reference:
            reference = f"{number}.{counters[number]}"
        if len(reference) > REFERENCE_MAX:
            problem(
                "action_reference",
                f"The action reference must be {REFERENCE_MAX} characters or fewer",
            )
        earlier = references.get((number, reference))
        if earlier is not None:
            problem(
                "action_reference",
                f"Action {reference} of recommendation {number} is already on row {earlier}",
            )
        references.setdefault((number, reference), row)
        start: date | None = None
        target: date | None = None
        try:
            start = _date(cells.get("start_date"))
        except _CellError as exc:
            problem("start_date", str(exc))
        try:
            target = _date(cells.get("target_date"))
        except _CellError as exc:
            problem("target_date", str(exc))
        else:
            if target is None:
                problem("target_date", "Enter the action's target date")
        if start and target and target < start:
            problem("target_date", "The target date must be on or after the start date")
        if not cell("action_owner") and not item.lead_partner:
            problem("action_owner", "Enter the partner that owns the action, or a lead_partner")
        if description and target is not None:
            item.actions.append(
                ActionRow(
                    row=row,
                    reference=reference,
                    description=description,
                    owner=cell("action_owner"),
                    start_date=start,
                    target_date=target,
                    success_measure=cell("success_measure"),
                )
            )
    return ActionPlan(source, present, list(by_number.values())), problems


# ---------------------------------------------------------------------------------------------
# Comparing with the review


@dataclass(frozen=True)
class ExistingAction:
    id: int
    reference: str
    description: str
    owner_id: int
    start_date: date
    target_date: date
    success_measure: str
    open: bool
    status_label: str


@dataclass(frozen=True)
class ExistingRecommendation:
    id: int
    number: str
    title: str
    text: str
    lead_id: int | None
    theme_ids: frozenset[int]
    actions: Mapping[str, ExistingAction]


@dataclass(frozen=True)
class Lookup:
    """Names a spreadsheet may use for partners and themes, keyed by `partner_key`.

    A key that names more than one (two partners with one short name) maps to None.
    """

    partners: Mapping[str, int | None]
    partner_labels: Mapping[int, str]
    themes: Mapping[str, int | None]
    theme_labels: Mapping[int, str]

    @staticmethod
    def build(
        partners: Iterable[tuple[int, Iterable[str], str]],
        themes: Iterable[tuple[int, Iterable[str], str]],
    ) -> Lookup:
        """From (id, names it goes by, label) for each partner and theme."""

        def index(
            entries: Iterable[tuple[int, Iterable[str], str]],
        ) -> tuple[dict[str, int | None], dict[int, str]]:
            keys: dict[str, int | None] = {}
            labels: dict[int, str] = {}
            for pk, names, label in entries:
                labels[pk] = label
                for key in {partner_key(name) for name in names if name}:
                    keys[key] = pk if keys.get(key, pk) == pk else None
            return keys, labels

        partner_keys, partner_labels = index(partners)
        theme_keys, theme_labels = index(themes)
        return Lookup(partner_keys, partner_labels, theme_keys, theme_labels)


@dataclass(frozen=True)
class Change:
    """One write the import will make, described for the preview page and the command line."""

    kind: str  # "add recommendation", "change recommendation", "add action", "change action"
    row: int
    number: str
    reference: str = ""
    #: field -> (before, after), as a person reads them
    fields: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: what the services need: values resolved to ids and dates
    values: Mapping[str, Any] = field(default_factory=dict)
    recommendation_id: int | None = None
    action_id: int | None = None

    @property
    def summary(self) -> str:
        what = f"recommendation {self.number}" if not self.reference else f"action {self.reference}"
        if self.kind.startswith("add"):
            return f"Add {what}"
        return f"Change {what}: " + ", ".join(name.replace("_", " ") for name in self.fields)


@dataclass
class ImportPlan:
    """What importing the file would do. `changes` is empty when the review already matches."""

    source: str
    changes: list[Change]
    recommendations: int
    actions: int

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def describe(self) -> str:
        if not self.changes:
            return (
                f"{self.source}: nothing to change: the review already matches its "
                f"{_plural(self.recommendations, 'recommendation')} and "
                f"{_plural(self.actions, 'action')}"
            )
        parts = [
            f"{_plural(count, noun)} {verb}"
            for kind, noun, verb in (
                ("add recommendation", "recommendation", "added"),
                ("change recommendation", "recommendation", "changed"),
                ("add action", "action", "added"),
                ("change action", "action", "changed"),
            )
            if (count := self.count(kind))
        ]
        return f"{self.source}: " + ", ".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def plan_import(
    plan: ActionPlan,
    *,
    existing: Mapping[str, ExistingRecommendation],
    lookup: Lookup,
    default_start: date,
    problems: Iterable[Problem] = (),
) -> ImportPlan:
    """The changes importing `plan` would make to a review holding `existing` (by number).

    Raises `ImportFailed` for partners or themes it cannot find, and for changes the tracker
    does not allow (a start date, or the target date of an action that is finished), together
    with any `problems` already found in the file, in row and column order.
    """
    source = plan.source
    problems = list(problems)
    changes: list[Change] = []

    def partner(name: str, row: int, column: str) -> int | None:
        pk = lookup.partners.get(partner_key(name))
        if pk is None:
            known = ", ".join(sorted(lookup.partner_labels.values())) or "none set up yet"
            reason = (
                "matches more than one partner: use its full name"
                if partner_key(name) in lookup.partners
                else f"is not a partner in Followthrough (partners: {known})"
            )
            problems.append(Problem(source, row, column, f"'{name}' {reason}"))
        return pk

    for item in plan.recommendations:
        lead_id = (
            partner(item.lead_partner, item.row, "lead_partner") if item.lead_partner else None
        )
        theme_ids: set[int] = set()
        for name in item.themes:
            pk = lookup.themes.get(partner_key(name))
            if pk is None:
                known = ", ".join(sorted(lookup.theme_labels.values())) or "none set up yet"
                problems.append(
                    Problem(source, item.row, "theme", f"'{name}' is not a theme (themes: {known})")
                )
            else:
                theme_ids.add(pk)
        current = existing.get(item.number)
        wanted: dict[str, Any] = {"text": item.text}
        if plan.has("recommendation_title"):
            wanted["title"] = item.title
        if plan.has("lead_partner"):
            wanted["lead_id"] = lead_id
        if plan.has("theme"):
            wanted["theme_ids"] = frozenset(theme_ids)
        if current is None:
            changes.append(
                Change(
                    "add recommendation",
                    item.row,
                    item.number,
                    values={"title": "", "lead_id": None, "theme_ids": frozenset(), **wanted},
                )
            )
        else:
            shown: dict[str, tuple[str, str]] = {}
            values: dict[str, Any] = {}
            if not _same_text(current.text, item.text):
                shown["text"] = (current.text, item.text)
                values["text"] = item.text
            if "title" in wanted and not _same_text(current.title, item.title):
                shown["title"] = (current.title, item.title)
                values["title"] = item.title
            if "lead_id" in wanted and current.lead_id != lead_id:
                shown["lead_partner"] = (
                    lookup.partner_labels.get(current.lead_id or 0, ""),
                    lookup.partner_labels.get(lead_id or 0, ""),
                )
                values["lead_id"] = lead_id
            if "theme_ids" in wanted and current.theme_ids != wanted["theme_ids"]:
                shown["theme"] = (
                    "; ".join(sorted(lookup.theme_labels.get(t, "") for t in current.theme_ids)),
                    "; ".join(sorted(lookup.theme_labels.get(t, "") for t in theme_ids)),
                )
                values["theme_ids"] = wanted["theme_ids"]
            if shown:
                changes.append(
                    Change(
                        "change recommendation",
                        item.row,
                        item.number,
                        fields=shown,
                        values=values,
                        recommendation_id=current.id,
                    )
                )

        for action in item.actions:
            owner_id = (
                partner(action.owner, action.row, "action_owner") if action.owner else lead_id
            )
            measure = action.success_measure
            before = current.actions.get(action.reference) if current else None
            if before is None:
                start = action.start_date or default_start
                if action.target_date < start:
                    problems.append(
                        Problem(
                            source,
                            action.row,
                            "target_date",
                            f"The target date must be on or after the start date "
                            f"({start:%d/%m/%Y})",
                        )
                    )
                changes.append(
                    Change(
                        "add action",
                        action.row,
                        item.number,
                        action.reference,
                        values={
                            "description": action.description,
                            "owner_id": owner_id,
                            "start_date": start,
                            "target_date": action.target_date,
                            "success_measure": measure if plan.has("success_measure") else "",
                        },
                    )
                )
                continue
            shown = {}
            values = {}
            if not _same_text(before.description, action.description):
                shown["description"] = (before.description, action.description)
                values["description"] = action.description
            if owner_id is not None and owner_id != before.owner_id:
                shown["owner"] = (
                    lookup.partner_labels.get(before.owner_id, ""),
                    lookup.partner_labels.get(owner_id, ""),
                )
                values["owner_id"] = owner_id
            if plan.has("success_measure") and not _same_text(before.success_measure, measure):
                shown["success_measure"] = (before.success_measure, measure)
                values["success_measure"] = measure
            if action.start_date is not None and action.start_date != before.start_date:
                problems.append(
                    Problem(
                        source,
                        action.row,
                        "start_date",
                        f"Action {action.reference} started on {before.start_date:%d/%m/%Y}: "
                        "a start date cannot be changed by import",
                    )
                )
            if action.target_date != before.target_date:
                if not before.open:
                    problems.append(
                        Problem(
                            source,
                            action.row,
                            "target_date",
                            f"Action {action.reference} is {before.status_label.lower()}, so "
                            f"its target date ({before.target_date:%d/%m/%Y}) cannot change",
                        )
                    )
                elif action.target_date < before.start_date:
                    problems.append(
                        Problem(
                            source,
                            action.row,
                            "target_date",
                            f"The target date must be on or after the start date "
                            f"({before.start_date:%d/%m/%Y})",
                        )
                    )
                shown["target_date"] = (
                    before.target_date.isoformat(),
                    action.target_date.isoformat(),
                )
                values["target_date"] = action.target_date
            if shown:
                changes.append(
                    Change(
                        "change action",
                        action.row,
                        item.number,
                        action.reference,
                        fields=shown,
                        values=values,
                        action_id=before.id,
                    )
                )
    if problems:
        order = {column: position for position, column in enumerate(COLUMNS)}
        problems.sort(key=lambda problem: (problem.row, order.get(problem.column, -1)))
        raise ImportFailed(problems)
    return ImportPlan(
        source=source,
        changes=changes,
        recommendations=len(plan.recommendations),
        actions=plan.action_count,
    )


# ---------------------------------------------------------------------------------------------
# Writing (the export)

# Excel treats a cell starting with these as a formula; openpyxl would write it as one.
_FORMULA_START = ("=",)
# In a CSV file Excel (and LibreOffice) also run a cell starting with +, - or @ (and a tab or
# carriage return hides one), so the export writes such text behind an apostrophe (OWASP's
# advice against CSV injection) and the import takes the apostrophe off again: the file still
# round-trips.
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _guarded(text: str) -> str:
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_CSV_FORMULA_START) else cell


# Characters XML 1.0 (and so .xlsx) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The plan as UTF-8 CSV with a byte-order mark, which Excel needs to show it correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_guarded(_text(row.get(column))) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: Iterable[Mapping[str, Any]], *, sheet_title: str = "Action plan") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row.get(column)
            if isinstance(value, str):
                value = _ILLEGAL_XML.sub("", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text that looks like a formula stays text
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ProgressCallback = Callable[[int, int], None]
