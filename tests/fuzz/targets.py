"""What the fuzzers run and what they insist on, shared by the suite's smoke run and
`bench/fuzz_inputs.py`.

For every importer of untrusted files the property is the same: each input either imports or
is refused with the importer's own validation error, naming the file (and the row and column
where there is one); after a refusal nothing was written anywhere; after an import the stored
values fit their columns, and importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from hypothesis import strategies as st

from followthrough.core.models import AuditEvent, Organisation, User
from followthrough.core.roles import Role
from followthrough.documents import services as document_services
from followthrough.documents.action_plan import ImportFailed as ActionPlanFailed
from followthrough.documents.extraction import ExtractionError, extract_recommendations
from followthrough.insights import services as insights_services
from followthrough.insights import store
from followthrough.insights.generate import write_csv as write_offences_csv
from followthrough.insights.models import ImportBatch
from followthrough.licensing import importing
from followthrough.licensing import selectors as licensing_selectors
from followthrough.licensing import services as licensing_services
from followthrough.licensing.compliance import LicenceStatus, LicenceType, licence_expiry
from followthrough.licensing.models import Course, Licensee
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import Review, Theme

from . import strategies
from .strategies import Upload

IMPORTED = "imported"
REFUSED = "refused"
UNCHANGED = "unchanged"  # imported, but the database already held all of it


@dataclass
class World:
    """The people and records the near-valid inputs refer to (see strategies' constants)."""

    folder: Path
    officer: User
    licensing_officer: User
    analyst: User
    review: Review
    insights_db: Path


def build_world(folder: Path, insights_db: Path) -> World:
    """Create the world through the services, as the people would. Needs a database."""
    council = Organisation.objects.create(
        name="Telford & Wrekin Council",
        short_name="Council",
        slug="telford-wrekin-council",
        kind="council",
    )
    Organisation.objects.create(
        name="West Mercia Police", short_name="Police", slug="west-mercia-police", kind="police"
    )
    Theme.objects.create(name="Taxi licensing", slug="taxi-licensing")
    Theme.objects.create(name="Work with schools", slug="work-with-schools")
    officer = User.objects.create_user(username="fuzz.officer", role=Role.SCRUTINY_OFFICER)
    officer.organisations.set([council])
    licensing_officer = User.objects.create_user(
        username="fuzz.licensing", role=Role.LICENSING_OFFICER
    )
    analyst = User.objects.create_user(username="fuzz.analyst", role=Role.ANALYST)
    with transaction.atomic():
        review = tracker_services.review_create(
            actor=officer,
            slug="fuzz-review",
            title="CSE scrutiny review",
            made_by="Children and Young People Scrutiny Committee",
            agreed_on=strategies.REVIEW_AGREED,
        )
    licensing_services.course_create(
        actor=licensing_officer,
        name=strategies.COURSE,
        audience=Course.Audience.TAXI_DRIVERS,
        validity_months=36,
        counts_for_driver_condition=True,
    )
    issued = date(2015, 4, 1)
    licensing_services.register_import(
        actor=licensing_officer,
        source="world.csv",
        rows=[
            importing.RegisterRow(
                row=2 + index,
                licensee_reference=reference,
                name=f"Driver {reference[1:]}",
                date_of_birth=None,
                email="",
                licence_number=f"L{reference}",
                licence_type=LicenceType.PRIVATE_HIRE,
                issued_on=issued,
                expires_on=licence_expiry(issued, 36),
                status=LicenceStatus.ACTIVE,
                status_since=issued,
            )
            for index, reference in enumerate(strategies.LICENCE_HOLDERS)
        ],
    )
    licensing_services.dbs_check_record(
        actor=licensing_officer,
        licensee=Licensee.objects.get(reference=strategies.LICENCE_HOLDERS[0]),
        issued_on=date(2015, 3, 1),
    )
    # Records already in the store, so a refused file has something it must not disturb.
    seed = folder / "seed-offences.csv"
    write_offences_csv(40, 7, seed)
    with store.connect(insights_db) as con:
        store.import_offences(con, seed)
    return World(folder, officer, licensing_officer, analyst, review, insights_db)


# ------------------------------------------------------------------------------- observations


def _concrete_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]


def _row_counts() -> dict[str, int]:
    """Rows in every table of the project, in one query (this runs twice for every input)."""
    tables = sorted({m._meta.db_table for m in _concrete_models()})
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {table: int(count) for table, count in cursor.fetchall()}


def database_state(touched: Iterable[type[models.Model]]) -> dict[str, Any]:
    """Row counts of every table, and the full contents of the tables an importer writes."""
    state: dict[str, Any] = dict(_row_counts())
    for model in touched:
        rows = model._default_manager.order_by("pk").values_list()
        state[f"{model._meta.db_table} contents"] = hash(repr(tuple(rows)))
    return state


def _difference(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [
        f"{key}: {before.get(key)} -> {after.get(key)}"
        for key in after
        if before.get(key) != after.get(key)
    ]


def stored_values_problems(touched: Iterable[type[models.Model]]) -> list[str]:
    """Text the database holds but should not: longer than its column, or with NUL bytes
    (SQLite stores both; PostgreSQL refuses them, so an import that works here fails there)."""
    problems = []
    for model in touched:
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for values in model._default_manager.values_list("pk", *(f.attname for f in fields)):
            pk, texts = values[0], values[1:]
            for field, text in zip(fields, texts, strict=True):
                if not isinstance(text, str):
                    continue
                if field.max_length and len(text) > field.max_length:
                    problems.append(
                        f"{model.__name__} {pk} {field.name}: {len(text)} > {field.max_length} characters"
                    )
                if "\x00" in text:
                    problems.append(f"{model.__name__} {pk} {field.name}: holds a NUL byte")
    return problems


def _assert_nothing_written(
    before: dict[str, Any], touched: Iterable[type[models.Model]], what: str
) -> None:
    after = database_state(touched)
    changed = _difference(before, after)
    assert not changed, f"{what} was refused but wrote: {changed}"


def _assert_names_file(messages: Iterable[str], name: str) -> None:
    messages = list(messages)
    assert messages, "refused without saying why"
    for message in messages:
        assert message.startswith(name), f"problem does not name the file {name!r}: {message!r}"


# ------------------------------------------------------------------------------------ targets


class TooSlow(AssertionError):
    """An input kept the importer busy past the limit: a hang is a denial of service."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the importer after `seconds` (main thread only; checked between bytecodes,
    so a loop in Python stops on time and a call into C stops when it returns)."""

    def expired(signum: int, frame: Any) -> None:
        raise TooSlow(f"still busy after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy[Upload]
    check: Callable[[World, Upload], str]
    needs_db: bool = True

    def run(self, world: World, upload: Upload, *, seconds: float = 20) -> str:
        """Check one input: its outcome (IMPORTED, UNCHANGED or REFUSED), or AssertionError."""
        with time_limit(seconds):
            return self.check(world, upload)


def check_document(world: World, upload: Upload) -> str:
    """The reader returns recommendations or raises ExtractionError with one line naming the
    file; `extract_recommendations` prints JSON, or exits 2 with that same line."""
    folder = world.folder / "documents"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    path = folder / upload.name
    path.write_bytes(upload.content)
    message = ""
    try:
        found = extract_recommendations(path)
    except ExtractionError as error:
        message = str(error)
        assert message.startswith(str(path)), f"message does not name the file: {message!r}"
        assert "\n" not in message and "\r" not in message, f"message is not one line: {message!r}"
    else:
        for item in found:
            assert item.number.strip() and item.text.strip(), f"empty recommendation {item!r}"
        json.dumps([item.as_dict() for item in found])
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("extract_recommendations", str(path), stdout=out, stderr=err)
    except CommandError as error:
        assert message, f"the command failed where the reader did not: {error}"
        assert error.returncode == 2, f"exit {error.returncode}, not 2"
        assert str(error) == message
        return REFUSED
    assert not message, "the command succeeded where the reader refused the file"
    printed = json.loads(out.getvalue())["recommendations"]
    assert len(printed) == len(found)
    return IMPORTED


def _duckdb_state(path: Path) -> tuple[Any, ...]:
    with store.connect(path, read_only=True) as con:
        tables = con.execute(
            "SELECT list(table_name ORDER BY table_name) FROM information_schema.tables"
        ).fetchone()
        records = con.execute(
            "SELECT count(*), coalesce(bit_xor(hash(o)), 0) FROM offence o"
        ).fetchone()
    return (tables, records)


def check_offences(world: World, upload: Upload) -> str:
    """A refused file is recorded as a rejected batch and leaves the store exactly as it was;
    an imported one imports again with nothing added or updated."""
    path = world.folder / "offences-upload.csv"
    path.write_bytes(upload.content)
    store_before = _duckdb_state(world.insights_db)
    db_before = database_state([])
    batch = insights_services.offence_import(actor=world.analyst, path=path, filename=upload.name)
    expected = dict(db_before)
    for model in (ImportBatch, AuditEvent):
        expected[model._meta.db_table] += 1
    changed = _difference(expected, database_state([]))
    assert not changed, f"unexpected writes: {changed}"
    if batch.status == ImportBatch.Status.REJECTED:
        assert _duckdb_state(world.insights_db) == store_before, "a rejected file changed the store"
        _assert_names_file([e for e in batch.errors if not e.startswith("…")], upload.name)
        return REFUSED
    assert batch.rows > 0
    mismatches = _offences_not_as_in_file(world.insights_db, upload)
    assert not mismatches, f"stored records differ from the file: {mismatches[:3]}"
    again = insights_services.offence_import(actor=world.analyst, path=path, filename=upload.name)
    assert again.status == ImportBatch.Status.IMPORTED and (again.added, again.updated) == (0, 0), (
        f"importing the same file again: {again.added} added, {again.updated} updated, {again.errors}"
    )
    return IMPORTED


# Text and code fields: what the file says must be what the store holds, field by field.
_COMPARED = (
    "cse_flag",
    "online_flag",
    "group_offending",
    "victim_sex",
    "suspect_sex",
    "area",
    "outcome",
)


def _offences_not_as_in_file(insights_db: Path, upload: Upload) -> list[str]:
    """Records whose stored fields differ from the imported file, read by its header names
    (a file may give its columns in any order)."""
    text = upload.content.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = [name.strip().lower() for name in records[0]]
    mismatches = []
    with store.connect(insights_db, read_only=True) as con:
        for line in records[1:]:
            if not any(cell.strip() for cell in line):
                continue
            given = dict(zip(header, line, strict=False))
            row = con.execute(
                f"SELECT {', '.join(_COMPARED)} FROM offence WHERE ref_id = md5_number(?)",  # noqa: S608
                [given["crime_ref"]],
            ).fetchone()
            stored = {
                c: "" if v is None else str(v) for c, v in zip(_COMPARED, row or (), strict=False)
            }
            wanted = {c: given.get(c, "") for c in _COMPARED}
            if stored != wanted:
                mismatches.append(f"{given['crime_ref']}: file {wanted}, store {stored}")
    return mismatches


LICENSING_MODELS: tuple[type[models.Model], ...] = tuple(
    apps.get_model("licensing", name)
    for name in (
        "Licensee",
        "Licence",
        "LicenceStatusChange",
        "DBSCheck",
        "DBSStatusCheck",
        "Course",
        "TrainingSession",
        "Attendance",
    )
) + (AuditEvent,)


def _licensing_import(world: World, kind: str, upload: Upload) -> licensing_services.ImportResult:
    """What `followthrough licensing_import KIND PATH` and the upload page do."""
    table = importing.read_table(upload.name, upload.content)
    actor = world.licensing_officer
    if kind == "register":
        policy = licensing_selectors.compliance_policy()
        rows = importing.parse_register(
            table,
            driver_months=policy.driver_licence_months,
            operator_months=policy.operator_licence_months,
        )
        return licensing_services.register_import(actor=actor, source=upload.name, rows=rows)
    if kind == "dbs":
        return licensing_services.dbs_import(
            actor=actor, source=upload.name, rows=importing.parse_dbs(table)
        )
    return licensing_services.training_import(
        actor=actor, source=upload.name, rows=importing.parse_training(table)
    )


def check_licensing(kind: str) -> Callable[[World, Upload], str]:
    def check(world: World, upload: Upload) -> str:
        before = database_state(LICENSING_MODELS)
        try:
            result = _licensing_import(world, kind, upload)
        except importing.ImportFailed as failed:
            _assert_names_file([str(p) for p in failed.problems], f"{upload.name}, row ")
            _assert_nothing_written(before, LICENSING_MODELS, upload.name)
            return REFUSED
        misfits = stored_values_problems(LICENSING_MODELS)
        assert not misfits, f"imported values that do not fit: {misfits[:5]}"
        between = database_state(LICENSING_MODELS)
        again = _licensing_import(world, kind, upload)
        assert not again.changed, f"importing the same file again: {again.describe()}"
        assert not _difference(between, database_state(LICENSING_MODELS))
        return IMPORTED if result.changed else UNCHANGED

    return check


ACTION_PLAN_MODELS: tuple[type[models.Model], ...] = tuple(
    apps.get_model("tracker", name)
    for name in ("Recommendation", "Action", "StatusChange", "TargetDateChange", "ProgressUpdate")
) + (
    apps.get_model("tracker", "Recommendation").themes.through,
    apps.get_model("tracker", "Recommendation").partners.through,
    AuditEvent,
)


def check_action_plan(world: World, upload: Upload) -> str:
    before = database_state(ACTION_PLAN_MODELS)
    try:
        plan = document_services.action_plan_import(
            actor=world.officer, review=world.review, source=upload.name, content=upload.content
        )
    except ActionPlanFailed as failed:
        _assert_names_file([str(p) for p in failed.problems], upload.name)
        _assert_nothing_written(before, ACTION_PLAN_MODELS, upload.name)
        return REFUSED
    misfits = stored_values_problems(ACTION_PLAN_MODELS)
    assert not misfits, f"imported values that do not fit: {misfits[:5]}"
    between = database_state(ACTION_PLAN_MODELS)
    again = document_services.action_plan_import(
        actor=world.officer, review=world.review, source=upload.name, content=upload.content
    )
    assert not again.changes, f"importing the same file again: {again.describe()}"
    assert not _difference(between, database_state(ACTION_PLAN_MODELS))
    return IMPORTED if plan.changes else UNCHANGED


TARGETS: tuple[Target, ...] = (
    Target("document reader", strategies.document_upload(), check_document, needs_db=False),
    Target("offence records", strategies.offence_upload(), check_offences),
    Target(
        "licensing register",
        strategies.table_upload(strategies.REGISTER),
        check_licensing("register"),
    ),
    Target("licensing DBS", strategies.table_upload(strategies.DBS), check_licensing("dbs")),
    Target(
        "licensing training",
        strategies.table_upload(strategies.TRAINING),
        check_licensing("training"),
    ),
    Target("action plan", strategies.table_upload(strategies.ACTION_PLAN), check_action_plan),
)
