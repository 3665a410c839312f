"""The analytics store: offence records in DuckDB, their import and their aggregation.

Import is all-or-nothing and idempotent on `crime_ref`: the file is parsed straight into typed
columns (a value that does not parse is rejected with its line and column), every row is checked
in the same pass, and only when nothing is wrong are the new and changed records merged, inside
one transaction. Re-importing the same file changes nothing. Errors name the file, the row (as a
spreadsheet shows it: the header is row 1) and the column.

The store keeps no crime reference, only `ref_id`, its 128-bit MD5: enough to recognise the same
offence on re-import (collisions are negligible), and less to hold (data minimisation). It is
also far cheaper to store than ten million distinct strings.

Aggregation is one SQL query with GROUPING SETS: every profile table in a single scan.
No Django import: callers pass the database path.

DuckDB lets one process at a time open a database file. Web workers are separate processes, so
`connect` takes turns through an exclusive lock on a file beside the store (`….lock`): a
request waits while another has the store open (an import of ten million records holds it for
about six seconds) and gets `StoreBusy` if the wait runs out.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from .disclosure import FrequencyTable, table_from_counts
from .generate import COLUMNS
from .reference import (
    ETHNIC_GROUPS,
    OFFENCE_CODES,
    OFFENCE_GROUPS,
    RELATIONSHIPS,
    SUSPECT_AGE_BANDS,
    SUSPECT_SEXES,
    UNKNOWN_ETHNICITY,
    VICTIM_AGE_BANDS,
    VICTIM_SEXES,
)

MAX_ERRORS = 20


def _enum(values: Sequence[str]) -> str:
    return "ENUM (" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


# Fixed domains are ENUMs: one byte a value on disk and integer-speed grouping.
SCHEMA = f"""
CREATE TYPE IF NOT EXISTS offence_code_t AS {_enum(list(OFFENCE_CODES))};
CREATE TYPE IF NOT EXISTS sex_t AS {_enum(VICTIM_SEXES)};
CREATE TYPE IF NOT EXISTS relationship_t AS {_enum(RELATIONSHIPS)};
CREATE TYPE IF NOT EXISTS yn_t AS ENUM ('Y', 'N');
CREATE TABLE IF NOT EXISTS offence (
    ref_id UHUGEINT NOT NULL,
    recorded_date DATE,
    offence_code offence_code_t,
    cse_flag yn_t,
    online_flag yn_t,
    area VARCHAR,
    victim_age UTINYINT,
    victim_sex sex_t,
    victim_ethnicity VARCHAR,
    suspect_age UTINYINT,
    suspect_sex sex_t,
    suspect_ethnicity VARCHAR,
    relationship relationship_t,
    group_offending yn_t,
    outcome VARCHAR
);
CREATE TABLE IF NOT EXISTS release_record (
    release_id BIGINT NOT NULL,
    ref_id UHUGEINT NOT NULL,
    row_hash UBIGINT NOT NULL
);
"""


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        column = f", column {self.column}" if self.column else ""
        return f"{self.file}, {where}{column}: {self.message}"


class OffenceFileError(ValueError):
    """The file was not imported; `errors` says where and why (the first few problems)."""

    def __init__(self, errors: Sequence[RowError], total: int | None = None) -> None:
        self.errors = list(errors)
        self.total = total if total is not None else len(self.errors)
        more = f" (and {self.total - len(self.errors)} more)" if self.total > len(errors) else ""
        super().__init__("; ".join(str(e) for e in self.errors[:5]) + more)


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    added: int
    updated: int
    unchanged: int


class StoreBusy(RuntimeError):
    """The store stayed open in another process (an import, most likely) for longer than the
    caller would wait."""


LOCK_WAIT_SECONDS = 60.0


@contextmanager
def _turn(path: Path, wait: float) -> Iterator[None]:
    """Hold the store's lock file exclusively (waiting up to `wait` seconds for it)."""
    with path.with_name(path.name + ".lock").open("a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        "The offence records are in use (an import may be running): "
                        "try again in a minute."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def connect(
    path: str | Path, *, read_only: bool = False, wait: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the store, with its schema in place, held by this caller alone until
    the block ends (`wait`: seconds to wait for another holder; LOCK_WAIT_SECONDS if None).
    Not re-entrant: pass the connection on rather than connecting again inside the block."""
    memory = str(path) == ":memory:"
    path = Path(path)
    if not memory:
        path.parent.mkdir(parents=True, exist_ok=True)
    turn = (
        contextlib.nullcontext()
        if memory
        else _turn(path, LOCK_WAIT_SECONDS if wait is None else wait)
    )
    with turn:
        read_only = read_only and not memory and path.exists()
        con = duckdb.connect(":memory:" if memory else str(path), read_only=read_only)
        try:
            con.execute("SET enable_progress_bar = false")
            if not read_only:
                con.execute(SCHEMA)
            yield con
        finally:
            con.close()


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_sql_str(v) for v in values) + "]"


def _check_header(path: Path, name: str) -> list[str]:
    """The file's column names in its own order (any order is allowed), or OffenceFileError."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise OffenceFileError(
            [RowError(name, 0, "", "the file is not UTF-8 text: save it as CSV UTF-8")]
        ) from exc
    except csv.Error as exc:  # a header cell over the reader's size limit
        raise OffenceFileError(
            [RowError(name, 1, "", f"the header cannot be read ({exc})")]
        ) from exc
    if not header:
        raise OffenceFileError([RowError(name, 1, "", "the file is empty")])
    found = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in found]
    extra = [h for h in found if h not in COLUMNS]
    errors = [RowError(name, 1, c, "this column is missing from the header") for c in missing]
    errors += [RowError(name, 1, h, "this column is not in the offence schema") for h in extra]
    if errors:
        raise OffenceFileError(errors)
    return found


# The CSV reader parses every column straight into its stored type (an ISO date, a small integer,
# an ENUM of the allowed codes); a value that does not parse is rejected with its line and column.
CSV_TYPES = {
    "crime_ref": "VARCHAR",
    "recorded_date": "DATE",
    "offence_code": "offence_code_t",
    "cse_flag": "yn_t",
    "online_flag": "yn_t",
    "area": "VARCHAR",
    "victim_age": "UTINYINT",
    "victim_sex": "sex_t",
    "victim_ethnicity": "VARCHAR",
    "suspect_age": "UTINYINT",
    "suspect_sex": "sex_t",
    "suspect_ethnicity": "VARCHAR",
    "relationship": "relationship_t",
    "group_offending": "yn_t",
    "outcome": "VARCHAR",
}
MESSAGES = {
    "crime_ref": "enter a crime reference",
    "recorded_date": "enter a real date as YYYY-MM-DD, for example 2023-04-01",
    "offence_code": "enter a Home Office sexual offence code, for example 19D, 20A or 86",
    "cse_flag": "enter Y or N",
    "online_flag": "enter Y or N",
    "group_offending": "enter Y or N",
    "victim_age": "enter the victim's age at the offence, a whole number from 0 to 17, or leave blank",
    "victim_sex": "enter F, M or X, or leave blank",
    "suspect_age": (
        "enter the suspect's age, a whole number from 10 (the age of criminal responsibility) "
        "to 110, or leave blank"
    ),
    "suspect_sex": "enter F, M or X, or leave blank",
    "relationship": "enter one of: " + ", ".join(RELATIONSHIPS) + " (blank means unknown)",
    "area": "longer than 80 characters",
    "victim_ethnicity": "longer than 60 characters",
    "suspect_ethnicity": "longer than 60 characters",
    "outcome": "longer than 100 characters",
}


def _rules(today: date) -> list[tuple[str, str, str]]:
    """Checks on parsed values: (column, SQL that is TRUE when the value is wrong, message)."""
    mins = "[" + ", ".join(str(c.min_age) for c in OFFENCE_CODES.values()) + "]"
    maxs = "[" + ", ".join(str(c.max_age) for c in OFFENCE_CODES.values()) + "]"
    code = "enum_code(offence_code) + 1"
    required = "{c} IS NULL"
    # A string's byte length is stored with it; its length in characters means reading it.
    # Only a value over the limit in bytes can be over it in characters, so test bytes first.
    too_long = "(strlen({c}) > {n} AND length({c}) > {n})"
    return [
        ("crime_ref", "ref_id IS NULL", MESSAGES["crime_ref"]),
        ("recorded_date", required.format(c="recorded_date"), MESSAGES["recorded_date"]),
        (
            "recorded_date",
            f"recorded_date > DATE '{today.isoformat()}'",
            "the date is in the future",
        ),
        ("offence_code", required.format(c="offence_code"), MESSAGES["offence_code"]),
        ("cse_flag", required.format(c="cse_flag"), MESSAGES["cse_flag"]),
        ("online_flag", required.format(c="online_flag"), MESSAGES["online_flag"]),
        ("area", too_long.format(c="area", n=80), MESSAGES["area"]),
        ("victim_age", "victim_age > 17", MESSAGES["victim_age"]),
        (
            "victim_age",
            f"victim_age < {mins}[{code}] OR victim_age > {maxs}[{code}]",
            "the offence code is for victims of another age (see the offence title)",
        ),
        (
            "victim_ethnicity",
            too_long.format(c="victim_ethnicity", n=60),
            MESSAGES["victim_ethnicity"],
        ),
        ("suspect_age", "suspect_age < 10 OR suspect_age > 110", MESSAGES["suspect_age"]),
        (
            "suspect_ethnicity",
            too_long.format(c="suspect_ethnicity", n=60),
            MESSAGES["suspect_ethnicity"],
        ),
        ("group_offending", required.format(c="group_offending"), MESSAGES["group_offending"]),
        ("outcome", too_long.format(c="outcome", n=100), MESSAGES["outcome"]),
    ]


# A record version: the hash of every stored field. Computed when needed (re-imports, releases),
# not stored, so the first import of a large file stays as cheap as reading it.
# DuckDB does not promise that `hash()` gives the same value in a later release; a test pins it
# (test_stored_identities_and_record_versions_are_computed_as_when_they_were_stored).
ROW_HASH = (
    "hash(ref_id, recorded_date, offence_code, cse_flag, online_flag, area, victim_age, "
    "victim_sex, victim_ethnicity, suspect_age, suspect_sex, suspect_ethnicity, relationship, "
    "group_offending, outcome)"
)


def import_offences(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    name: str | None = None,
    today: date | None = None,
) -> ImportSummary:
    """Validate and merge one CSV file of offence records; all or nothing."""
    path = Path(path)
    name = name or path.name
    today = today or date.today()
    header = _check_header(path, name)
    con.execute("BEGIN TRANSACTION")
    try:
        summary = _import(con, path, name, today, header)
    except BaseException:
        con.execute("ROLLBACK")
        # Put back here: a failed statement leaves the transaction refusing even SET.
        con.execute("SET preserve_insertion_order = true")
        raise
    con.execute("COMMIT")
    return summary


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:  # type: ignore[type-arg]
    row = con.execute(sql).fetchone()
    assert row is not None
    return row


def _read_csv(path: Path, header: list[str]) -> str:
    # The columns in the file's own order: given in the schema's order, a file with its
    # columns in another order would be read into the wrong fields. Both passes (the check,
    # and the one that numbers the rows of a bad file) read with the same options: read
    # without storing rejects, a row the first pass took can make the second fail outright.
    types = "{" + ", ".join(f"'{c}': '{CSV_TYPES[c]}'" for c in header) + "}"
    return (
        f"read_csv({_sql_str(str(path))}, header = true, columns = {types}, "
        "delim = ',', quote = '\"', escape = '\"', store_rejects = true, "
        "rejects_table = 'offence_rejects', rejects_scan = 'offence_reject_scans')"
    )


def _import(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, today: date, header: list[str]
) -> ImportSummary:
    rules = _rules(today)
    # One bit per check (used to say which checks a row fails); any_bad for the quick count.
    bits = " | ".join(
        f"(CASE WHEN coalesce({cond}, false) THEN {1 << i} ELSE 0 END)"
        for i, (_, cond, _) in enumerate(rules)
    )
    any_bad = " OR ".join(f"coalesce({cond}, false)" for _, cond, _ in rules)
    # Order does not matter on the good path; rows are numbered on the (rare) bad path.
    con.execute("SET preserve_insertion_order = false")
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TABLE offence_import AS
            SELECT md5_number(crime_ref) AS ref_id, {", ".join(COLUMNS[1:])}
            FROM {_read_csv(path, header)}
            """  # noqa: S608 - built from our own constants and a quoted path
        )
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise OffenceFileError(
            [RowError(name, 0, "", f"the file could not be read as CSV ({first})")]
        ) from exc
    finally:
        with contextlib.suppress(duckdb.TransactionException):  # restored after the rollback
            con.execute("SET preserve_insertion_order = true")
    errors = _rejected(con, name)
    n_rows, n_bad, n_refs, n_distinct = _one(
        con,
        f"SELECT count(*), count(*) FILTER (WHERE {any_bad}), count(ref_id), "  # noqa: S608
        "count(DISTINCT ref_id) FROM offence_import",
    )
    total = len(errors)
    if not errors and (n_bad or n_distinct != n_refs):
        errors, total = _numbered_problems(con, path, header, name, rules, bits)
    if errors:
        raise OffenceFileError(errors[: MAX_ERRORS * 2], total=max(total, len(errors)))
    if n_rows == 0:
        raise OffenceFileError([RowError(name, 2, "", "the file has no offence records")])
    if record_count(con) == 0:
        con.execute("DROP TABLE offence; ALTER TABLE offence_import RENAME TO offence")
        return ImportSummary(rows=n_rows, added=n_rows, updated=0, unchanged=0)
    # Identical records (same hash of every field) are left alone: re-importing changes nothing.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE offence_changed AS "  # noqa: S608 - our own constants
        f"SELECT i.* EXCLUDE (h) FROM (SELECT *, {ROW_HASH} AS h FROM offence_import) i "
        f"ANTI JOIN (SELECT ref_id, {ROW_HASH} AS h FROM offence) o "
        "ON o.ref_id = i.ref_id AND o.h = i.h"
    )
    added, updated = _one(
        con,
        """
        SELECT count(*) FILTER (WHERE o.ref_id IS NULL),
               count(*) FILTER (WHERE o.ref_id IS NOT NULL)
        FROM offence_changed c LEFT JOIN offence o ON o.ref_id = c.ref_id
        """,
    )
    if added or updated:
        con.execute(
            "DELETE FROM offence WHERE ref_id IN (SELECT ref_id FROM offence_changed); "
            "INSERT INTO offence SELECT * FROM offence_changed"
        )
    con.execute("DROP TABLE offence_changed; DROP TABLE offence_import")
    return ImportSummary(
        rows=n_rows, added=int(added), updated=int(updated), unchanged=n_rows - added - updated
    )


def _rejected(con: duckdb.DuckDBPyConnection, name: str) -> list[RowError]:
    """Values the reader could not parse, by line (the header is line 1) and column."""
    rows = con.execute(
        "SELECT line, column_name, error_type FROM offence_rejects ORDER BY line, column_idx "
        "LIMIT ?",
        [MAX_ERRORS],
    ).fetchall()
    errors = []
    for line, column, kind in rows:
        if str(kind) == "CAST" and column in MESSAGES:
            errors.append(RowError(name, int(line), str(column), MESSAGES[column]))
        else:
            message = f"this row does not have the {len(COLUMNS)} columns of the schema"
            errors.append(RowError(name, int(line), "", message))
    return errors


def _numbered_problems(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    header: list[str],
    name: str,
    rules: list[tuple[str, str, str]],
    bits: str,
) -> tuple[list[RowError], int]:
    """Read the file again in order to say on which rows the problems are."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE offence_numbered AS
        SELECT crime_ref, ({bits})::UINTEGER AS problems FROM (
            SELECT md5_number(crime_ref) AS ref_id, * FROM {_read_csv(path, header)}
        )
        """  # noqa: S608 - built from our own constants and a quoted path
    )
    first_id, total = _one(
        con, "SELECT min(rowid), count(*) FILTER (WHERE problems <> 0) FROM offence_numbered"
    )
    errors: list[RowError] = []
    for row, mask in con.execute(
        "SELECT rowid - ? + 2, problems FROM offence_numbered WHERE problems <> 0 "
        "ORDER BY rowid LIMIT ?",
        [first_id, MAX_ERRORS],
    ).fetchall():
        for i, (column, _, message) in enumerate(rules):
            if int(mask) & (1 << i):
                errors.append(RowError(name, int(row), column, message))
    for ref, rows in con.execute(
        "SELECT crime_ref, list(rowid - ? + 2 ORDER BY rowid) FROM offence_numbered "
        "WHERE crime_ref IS NOT NULL GROUP BY crime_ref "
        "HAVING count(*) > 1 ORDER BY min(rowid) LIMIT ?",
        [first_id, MAX_ERRORS],
    ).fetchall():
        total += 1
        errors.append(
            RowError(
                name,
                int(rows[1]),
                "crime_ref",
                f"crime reference {ref} is also on row {rows[0]}: list each offence once",
            )
        )
    con.execute("DROP TABLE offence_numbered")
    return errors, int(total)


# --- profile tables ---------------------------------------------------------------------------

Label = tuple[str, ...] | None  # None: the record is outside the table (a partial table)


def _victim_band(age: int | None) -> str | None:
    if age is None:
        return None
    return next(b for b in VICTIM_AGE_BANDS if int(b.split("-")[0]) <= age <= int(b.split("-")[1]))


def _suspect_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for band in SUSPECT_AGE_BANDS[:-1]:
        lo, _, hi = band.rstrip("+").partition("-")
        if age >= int(lo) and (not hi or age <= int(hi)):
            return band
    return "unknown"


def ethnic_group(value: str | None) -> str:
    """Broad ethnic group (ONS 5+1) from whatever the record says; blank is Unknown."""
    text = (value or "").strip().lower()
    if text in UNKNOWN_ETHNICITY:
        return "Unknown"
    for group in ETHNIC_GROUPS[:-2]:
        if text.startswith(group.lower()):
            return group
    return "Other"


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    dimensions: tuple[str, ...]
    columns: tuple[str, ...]  # stored columns grouped in SQL (few distinct values each)
    label: Callable[..., Label]  # stored values -> category labels
    categories: tuple[tuple[str, ...] | None, ...]  # None: the labels found in the data
    partial: bool = False  # some records fall outside (unknown victim age or sex)


def _victim_label(age: int | None, sex: str | None) -> Label:
    band = _victim_band(age)
    return None if band is None or sex is None else (band, sex)


PROFILE_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "victim_age_band_by_sex",
        "Victims by age and sex",
        ("victim_age_band", "victim_sex"),
        ("victim_age", "victim_sex"),
        _victim_label,
        (VICTIM_AGE_BANDS, VICTIM_SEXES),
        partial=True,
    ),
    TableSpec(
        "suspect_age_band_by_sex",
        "Suspects by age and sex",
        ("suspect_age_band", "suspect_sex"),
        ("suspect_age", "suspect_sex"),
        lambda age, sex: (_suspect_band(age), sex or "unknown"),
        (SUSPECT_AGE_BANDS, SUSPECT_SEXES),
    ),
    TableSpec(
        "relationship",
        "Relationship of the suspect to the victim",
        ("relationship",),
        ("relationship",),
        lambda rel: (rel or "unknown",),
        (RELATIONSHIPS,),
    ),
    TableSpec(
        "suspect_ethnicity",
        "Suspects by ethnic group",
        ("suspect_ethnicity",),
        ("suspect_ethnicity",),
        lambda eth: (ethnic_group(eth),),
        (ETHNIC_GROUPS,),
    ),
    TableSpec(
        "online_contact",
        "Online and contact offences",
        ("online_contact",),
        ("online_flag",),
        lambda online: ("online" if online == "Y" else "contact",),
        (("contact", "online"),),
    ),
    TableSpec(
        "cse_flagged",
        "Offences flagged as child sexual exploitation",
        ("cse_flag",),
        ("cse_flag",),
        lambda flag: (flag or "N",),
        (("Y", "N"),),
    ),
    TableSpec(
        "offence_group",
        "Offences by group",
        ("offence_group",),
        ("offence_code",),
        lambda code: (OFFENCE_CODES[code].group,),
        (OFFENCE_GROUPS,),
    ),
    TableSpec(
        "trend_by_quarter",
        "Offences recorded by quarter",
        ("quarter",),
        ("recorded_date",),
        lambda day: (_quarter(day),),
        (None,),
    ),
    TableSpec(
        "outcome", "Outcomes", ("outcome",), ("outcome",), lambda o: (o or "Not recorded",), (None,)
    ),
)
SPECS = {s.name: s for s in PROFILE_TABLES}


@dataclass
class ProfileCounts:
    """True counts of every profile table for one population (never shown outside the
    analyst's view): the whole population, and each segment's when asked for."""

    tables: list[FrequencyTable]
    population: int
    by_segment: dict[int, list[FrequencyTable]] = field(default_factory=dict)


def _period_clause(start: date | None, end: date | None) -> str:
    parts = []
    if start:
        parts.append(f"recorded_date >= DATE '{start.isoformat()}'")
    if end:
        parts.append(f"recorded_date <= DATE '{end.isoformat()}'")
    return ("WHERE " + " AND ".join(parts)) if parts else ""


def aggregation_sql(spec: TableSpec, start: date | None = None, end: date | None = None) -> str:
    """One small GROUP BY on stored low-cardinality columns; banding happens on the result."""
    cols = ", ".join(spec.columns)
    return f"SELECT {cols}, count(*) FROM offence {_period_clause(start, end)} GROUP BY {cols}"  # noqa: S608


def tables_from_groups(
    groups: Mapping[str, Sequence[tuple[Any, ...]]],
) -> list[FrequencyTable]:
    """Profile tables from each spec's grouped rows (stored values..., count)."""
    tables = []
    for spec in PROFILE_TABLES:
        counts: dict[tuple[str, ...], int] = {}
        for row in groups.get(spec.name, ()):
            key = spec.label(*row[:-1])
            if key is not None:
                counts[key] = counts.get(key, 0) + int(row[-1])
        categories = []
        for d, fixed in enumerate(spec.categories):
            seen = sorted({k[d] for k in counts})
            cats = tuple(fixed) + tuple(c for c in seen if c not in fixed) if fixed else tuple(seen)
            categories.append(cats or ("none",))
        tables.append(
            table_from_counts(spec.name, spec.dimensions, counts, categories, partial=spec.partial)
        )
    return tables


def profile_counts(
    con: duckdb.DuckDBPyConnection, *, start: date | None = None, end: date | None = None
) -> ProfileCounts:
    """The true profile tables of the records recorded between `start` and `end`."""
    groups = {
        spec.name: con.execute(aggregation_sql(spec, start, end)).fetchall()
        for spec in PROFILE_TABLES
    }
    population = sum(int(row[-1]) for row in groups["cse_flagged"])
    return ProfileCounts(tables=tables_from_groups(groups), population=population)


def record_count(con: duckdb.DuckDBPyConnection) -> int:
    return int(_one(con, "SELECT count(*) FROM offence")[0])


def date_range(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    row = _one(con, "SELECT min(recorded_date), max(recorded_date) FROM offence")
    return row[0], row[1]


# --- releases: which records each release covered (for the differencing audit) ----------------


@dataclass
class Segments:
    """The population split by which releases covered each record version.

    Segment ids are small integers; `current` are the segments of the records now selected,
    `releases` those of each earlier release (by id). A record whose fields changed after a
    release is a different version, so revisions never make the audit's equations inconsistent.
    """

    current: frozenset[int]
    releases: dict[int, frozenset[int]]
    truth: dict[int, list[FrequencyTable]]


def segment_profiles(
    con: duckdb.DuckDBPyConnection,
    earlier: Sequence[int],
    *,
    start: date | None = None,
    end: date | None = None,
) -> Segments:
    """Split the selected records (and every earlier release's) into segments, with the true
    profile tables of each segment of the current selection."""
    if not earlier:
        counts = profile_counts(con, start=start, end=end)
        return Segments(frozenset({0}), {}, {0: counts.tables})
    ids = ", ".join(str(int(i)) for i in earlier)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE record_signature AS
        SELECT ref_id, row_hash, list_sort(list(release_id)) AS signature FROM (
            SELECT ref_id, row_hash, release_id FROM release_record WHERE release_id IN ({ids})
            UNION ALL
            SELECT ref_id, {ROW_HASH}, 0 FROM offence {_period_clause(start, end)}
        ) GROUP BY ref_id, row_hash
        """  # noqa: S608 - integers and dates only
    )
    signatures = [
        tuple(row[0])
        for row in con.execute(
            "SELECT DISTINCT signature FROM record_signature ORDER BY signature"
        ).fetchall()
    ]
    number = {sig: i + 1 for i, sig in enumerate(signatures)}
    groups: dict[int, dict[str, list[tuple[Any, ...]]]] = {}
    for spec in PROFILE_TABLES:
        cols = ", ".join(f"o.{c}" for c in spec.columns)
        rows = con.execute(
            f"""
            SELECT s.signature, {cols}, count(*)
            FROM (SELECT *, {ROW_HASH} AS row_hash FROM offence) o
            JOIN record_signature s ON s.ref_id = o.ref_id AND s.row_hash = o.row_hash
            WHERE list_contains(s.signature, 0) GROUP BY ALL
            """  # noqa: S608 - our own column names
        ).fetchall()
        for row in rows:
            seg = number[tuple(row[0])]
            groups.setdefault(seg, {}).setdefault(spec.name, []).append(tuple(row[1:]))
    con.execute("DROP TABLE record_signature")
    return Segments(
        current=frozenset(number[s] for s in signatures if 0 in s),
        releases={r: frozenset(number[s] for s in signatures if r in s) for r in earlier},
        truth={seg: tables_from_groups(g) for seg, g in groups.items()},
    )


def release_records_add(
    con: duckdb.DuckDBPyConnection,
    release_id: int,
    *,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Log which record versions a release covered."""
    period = _period_clause(start, end)  # dates only
    con.execute(
        f"INSERT INTO release_record SELECT ?, ref_id, {ROW_HASH} FROM offence " + period,  # noqa: S608 - dates only
        [int(release_id)],
    )
    row = con.execute(
        "SELECT count(*) FROM release_record WHERE release_id = ?", [int(release_id)]
    ).fetchone()
    return int(row[0]) if row else 0
