"""`followthrough generate_scale --partnerships N [--reviews-per-partnership 50 ...] [--seed S]`.

Fills the database with synthetic partnerships for benchmarks (bench/README.md): each one a
council area with five partners, their leads, an officer, an assessor and its reviews, with full
dated histories (tracker/scale.py). 400 partnerships of the default shape is national scale:
20,000 reviews, 800,000 recommendations, 2.4 million actions, 19.2 million updates.

This is benchmark data, written in bulk for speed: PostgreSQL's COPY (psycopg 3), or
bulk_create on other databases. It deliberately bypasses the services, so it writes no audit
records. It continues after partnerships already generated, one transaction per partnership,
and takes its ids from the current maximum: run it on a database nobody else is writing to.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from followthrough.core.models import Organisation, User
from followthrough.tracker import scale
from followthrough.tracker.models import (
    Action,
    Assessment,
    ProgressUpdate,
    Recommendation,
    Review,
    StatusChange,
    TargetDateChange,
    Theme,
)
from followthrough.tracker.selectors import today

MODELS: dict[str, type[models.Model]] = {
    "organisation": Organisation,
    "user": User,
    "user_organisations": User.organisations.through,
    "review": Review,
    "recommendation": Recommendation,
    "recommendation_themes": Recommendation.themes.through,
    "recommendation_partners": Recommendation.partners.through,
    "action": Action,
    "update": ProgressUpdate,
    "assessment": Assessment,
    "status_change": StatusChange,
    "target_change": TargetDateChange,
}


# Tables big enough that building their indexes after the load pays.
_INDEXED_TABLES = (
    "recommendation",
    "recommendation_themes",
    "recommendation_partners",
    "action",
    "update",
    "assessment",
    "status_change",
    "target_change",
)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate synthetic partnerships, reviews and full action histories for benchmarks "
        "(COPY on PostgreSQL). 400 partnerships is national scale."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnerships", type=_positive, required=True)
        parser.add_argument("--reviews-per-partnership", type=_positive, default=50)
        parser.add_argument("--recommendations-per-review", type=_positive, default=40)
        parser.add_argument("--actions-per-recommendation", type=_positive, default=3)
        parser.add_argument("--updates-per-action", type=_positive, default=8)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until", help="histories end on this date, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            until = date.fromisoformat(options["until"]) if options["until"] else today()
        except ValueError as exc:
            raise CommandError(f"--until must be YYYY-MM-DD, not {options['until']!r}") from exc
        shape = scale.ScaleShape(
            reviews_per_partnership=options["reviews_per_partnership"],
            recommendations_per_review=options["recommendations_per_review"],
            actions_per_recommendation=options["actions_per_recommendation"],
            updates_per_action=options["updates_per_action"],
        )
        started = time.perf_counter()
        theme_ids = _themes()
        # Carry on after partnerships generated before, with ids after the current maximum.
        first = (
            Organisation.objects.filter(
                slug__startswith=scale.SLUG_PREFIX, slug__endswith="-council"
            ).count()
            + 1
        )
        next_ids = {
            table: (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
            for table, model in MODELS.items()
        }
        written = dict.fromkeys(scale.TABLE_ORDER, 0)
        postgres = connection.vendor == "postgresql"
        count = options["partnerships"]
        with _finish_when_killed(), _fast_load() if postgres else contextlib.nullcontext():
            for done, number in enumerate(range(first, first + count), start=1):
                rows = scale.partnership_rows(
                    number,
                    shape=shape,
                    seed=options["seed"],
                    until=until,
                    theme_ids=theme_ids,
                    next_ids=next_ids,
                )
                with transaction.atomic():
                    for table, table_rows in scale.iter_tables(rows):
                        write = _copy if postgres else _bulk_create
                        write(MODELS[table], scale.COLUMNS[table], table_rows)
                        written[table] += len(table_rows)
                    if postgres:
                        _reset_sequences()
                if options["verbosity"] and (done == count or done % max(count // 20, 1) == 0):
                    elapsed = time.perf_counter() - started
                    total = sum(written.values())
                    self.stderr.write(
                        f"{done}/{count} partnerships, {total:,} rows, {elapsed:.0f} s "
                        f"({total / max(elapsed, 1e-9):,.0f} rows/s)"
                    )
        loaded = time.perf_counter() - started
        if postgres:
            _vacuum_analyze()
        self.stdout.write(
            json.dumps(
                {
                    "partnerships": count,
                    "first_partnership": first,
                    "rows": written,
                    "load_seconds": round(loaded, 1),
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
        )


@contextlib.contextmanager
def _finish_when_killed() -> Iterator[None]:
    """Stopped with `kill`, still run the clean-up (rebuilding the indexes dropped for the
    load) rather than dying on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _themes() -> list[int]:
    ids = []
    for name, slug in scale.THEMES:
        theme, _ = Theme.objects.get_or_create(slug=slug, defaults={"name": name})
        ids.append(theme.pk)
    return ids


def _column_names(model: type[models.Model], columns: tuple[str, ...]) -> list[str]:
    by_attname = {f.attname: f.column or f.attname for f in model._meta.concrete_fields}
    return [by_attname[c] for c in columns]


# COPY's text format: backslash escapes, \\N for NULL.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)  # numbers, True/False, ISO dates and times


def _copy(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in _column_names(model, columns))
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:  # psycopg 3
        for start in range(0, len(rows), 10_000):
            chunk = rows[start : start + 10_000]
            copy.write("".join("\t".join(map(_text, row)) + "\n" for row in chunk))


@contextlib.contextmanager
def _fast_load() -> Iterator[None]:
    """Load as a bulk import would: the big tables' secondary indexes are dropped first and
    built once at the end (far quicker than maintaining them row by row), and, when the
    connection may, foreign-key triggers are skipped (every row's parent is written first,
    by construction). The indexes are rebuilt even if generation fails part way."""
    tables = [MODELS[t]._meta.db_table for t in _INDEXED_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
            "WHERE c.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary",
            [tables],
        )
        indexes = cursor.fetchall()
        for _table, _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SELECT current_setting('is_superuser')")
        superuser = cursor.fetchone()[0] == "on"
        if superuser:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if superuser:
                cursor.execute("SET session_replication_role = DEFAULT")
            for _table, definition, _name in indexes:
                cursor.execute(definition)


def _bulk_create(
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    model._default_manager.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
    )


def _reset_sequences() -> None:
    """Point each id sequence past the rows just copied in, so ordinary inserts carry on."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(MODELS.values()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _vacuum_analyze() -> None:
    """Fresh statistics for the planner, and a visibility map for index-only scans (what
    autovacuum would do soon after a real bulk load)."""
    quote = connection.ops.quote_name
    # VACUUM cannot run in a transaction (a test's, say): then statistics alone.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in MODELS.values():
            cursor.execute(f"{command} {quote(model._meta.db_table)}")
