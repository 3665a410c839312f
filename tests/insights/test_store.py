"""The analytics store (DuckDB): validation, all-or-nothing, idempotence, aggregation."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from followthrough.insights import store
from followthrough.insights.generate import COLUMNS, write_csv

GOOD = {
    "crime_ref": "CR1",
    "recorded_date": "2023-04-01",
    "offence_code": "19D",
    "cse_flag": "Y",
    "online_flag": "N",
    "area": "North",
    "victim_age": "14",
    "victim_sex": "F",
    "victim_ethnicity": "White",
    "suspect_age": "16",
    "suspect_sex": "M",
    "suspect_ethnicity": "",
    "relationship": "friend or acquaintance",
    "group_offending": "N",
    "outcome": "Under investigation",
}


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def rows_like(n: int, **changes: str) -> list[dict[str, str]]:
    return [{**GOOD, "crime_ref": f"CR{i}", **changes} for i in range(n)]


@pytest.fixture
def con(tmp_path):
    with store.connect(tmp_path / "insights.duckdb") as connection:
        yield connection


def test_import_adds_records_and_reimport_changes_nothing(con, tmp_path):
    path = write_rows(tmp_path / "offences.csv", rows_like(3))
    first = store.import_offences(con, path)
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    again = store.import_offences(con, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert store.record_count(con) == 3


def test_import_updates_a_changed_record_by_crime_ref(con, tmp_path):
    store.import_offences(con, write_rows(tmp_path / "a.csv", rows_like(2)))
    changed = rows_like(2)
    changed[1]["outcome"] = "Charged or summonsed"
    changed.append({**GOOD, "crime_ref": "CR9"})
    summary = store.import_offences(con, write_rows(tmp_path / "b.csv", changed))
    assert (summary.added, summary.updated, summary.unchanged) == (1, 1, 1)
    assert store.record_count(con) == 3
    outcome = con.execute(
        "SELECT outcome FROM offence WHERE ref_id = md5_number('CR1')"
    ).fetchone()[0]
    assert outcome == "Charged or summonsed"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("recorded_date", "01/04/2023", "YYYY-MM-DD"),
        ("offence_code", "999", "Home Office"),
        ("cse_flag", "maybe", "Y or N"),
        ("victim_age", "19", "0 to 17"),
        ("victim_age", "10", "another age"),  # 19D is rape of a child under 16, aged 13-15
        ("victim_sex", "female", "F, M or X"),
        ("suspect_age", "seven", "from 10"),
        ("relationship", "neighbour", "enter one of"),
        ("crime_ref", "", "crime reference"),
        ("area", "N" * 81, "longer than 80"),
        ("area", "é" * 81, "longer than 80"),  # characters, not bytes, are counted
        ("outcome", "x" * 101, "longer than 100"),
    ],
)
def test_a_bad_value_is_reported_by_file_row_and_column_and_nothing_is_imported(
    con, tmp_path, column, value, message
):
    rows = rows_like(4)
    rows[2][column] = value
    with pytest.raises(store.OffenceFileError) as caught:
        store.import_offences(con, write_rows(tmp_path / "offences.csv", rows))
    error = caught.value.errors[0]
    assert (error.file, error.row, error.column) == ("offences.csv", 4, column)
    assert message in error.message
    assert "offences.csv, row 4, column " + column in str(caught.value)
    assert store.record_count(con) == 0


def test_a_value_at_the_limit_in_characters_is_accepted_whatever_its_bytes(con, tmp_path):
    rows = rows_like(2, area="é" * 80, suspect_ethnicity="Ø" * 60)  # 160 and 120 bytes
    assert store.import_offences(con, write_rows(tmp_path / "long.csv", rows)).added == 2


def test_a_duplicate_crime_ref_in_one_file_is_refused(con, tmp_path):
    rows = rows_like(3)
    rows[2]["crime_ref"] = "CR0"
    with pytest.raises(store.OffenceFileError) as caught:
        store.import_offences(con, write_rows(tmp_path / "dup.csv", rows))
    assert caught.value.errors[0].row == 4
    assert "also on row 2" in caught.value.errors[0].message


def test_a_missing_column_is_named(con, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("crime_ref,recorded_date\nCR1,2023-01-01\n")
    with pytest.raises(store.OffenceFileError) as caught:
        store.import_offences(con, path)
    assert {e.column for e in caught.value.errors} >= {"offence_code", "outcome"}
    assert caught.value.errors[0].row == 1


def test_a_failed_import_leaves_earlier_records_untouched(con, tmp_path):
    store.import_offences(con, write_rows(tmp_path / "a.csv", rows_like(2)))
    bad = rows_like(5)
    bad[4]["group_offending"] = "?"
    with pytest.raises(store.OffenceFileError):
        store.import_offences(con, write_rows(tmp_path / "b.csv", bad))
    assert store.record_count(con) == 2


# Found by fuzzing (tests/fuzz): a crash, or records imported into the wrong fields.


def test_columns_in_another_order_are_read_by_their_names(con, tmp_path):
    order = [
        "outcome",
        "online_flag",
        "cse_flag",
        *[c for c in COLUMNS if c not in ("outcome", "online_flag", "cse_flag", "area")],
        "area",
    ]
    path = tmp_path / "reordered.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=order)
        writer.writeheader()
        writer.writerows(rows_like(2))
    store.import_offences(con, path)
    stored = con.execute(
        "SELECT DISTINCT cse_flag, online_flag, area, outcome FROM offence"
    ).fetchall()
    assert stored == [("Y", "N", "North", "Under investigation")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("\ufeffcrime_ref".encode("utf-16"), "not UTF-8"),
        (b"crime_ref,recorded_date\nCR\xff1,2023-01-01\n", "not UTF-8"),
        (b"x" * 200_000, "header cannot be read"),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_with_one_clear_error(
    con, tmp_path, content, message
):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(store.OffenceFileError) as caught:
        store.import_offences(con, path)
    assert message in str(caught.value)
    assert store.record_count(con) == 0


def test_a_file_the_csv_reader_gives_up_on_is_refused_and_the_store_still_works(con, tmp_path):
    store.import_offences(con, write_rows(tmp_path / "a.csv", rows_like(2)))
    path = tmp_path / "quote.csv"
    path.write_text(",".join(COLUMNS) + '\n"CR9,2023-04-01,19D\n')  # a quote never closed
    with pytest.raises(store.OffenceFileError) as caught:
        store.import_offences(con, path)
    assert str(caught.value).startswith("quote.csv, the file: the file could not be read as CSV")
    assert store.record_count(con) == 2
    store.import_offences(con, write_rows(tmp_path / "b.csv", rows_like(3)))
    assert store.record_count(con) == 3


def test_a_duplicate_is_reported_even_when_a_row_has_a_trailing_comma(con, tmp_path):
    path = tmp_path / "trailing.csv"
    rows = [",".join(row.values()) for row in rows_like(1)]
    path.write_text(",".join(COLUMNS) + "\n" + rows[0] + ",\n" + rows[0] + "\n")
    with pytest.raises(store.OffenceFileError) as caught:
        store.import_offences(con, path)
    assert str(caught.value) == (
        "trailing.csv, row 3, column crime_ref: crime reference CR0 is also on row 2: "
        "list each offence once"
    )


def test_profile_tables_count_every_record_with_bands(con, tmp_path):
    rows = rows_like(3)
    rows[1].update(victim_age="9", offence_code="19E", suspect_age="", suspect_sex="")
    rows[2].update(victim_age="", victim_sex="")  # unknown victim: outside the victim table
    store.import_offences(con, write_rows(tmp_path / "a.csv", rows))
    counts = store.profile_counts(con)
    tables = {t.name: t for t in counts.tables}
    victims = tables["victim_age_band_by_sex"]
    assert victims.value(("13-15", "F")) == 1
    assert victims.value(("0-9", "F")) == 1
    assert victims.value(("Total", "Total")) == 2
    suspects = tables["suspect_age_band_by_sex"]
    assert suspects.value(("unknown", "unknown")) == 1
    assert suspects.value(("Total", "Total")) == 3
    assert tables["trend_by_quarter"].shape.categories == (("2023-Q2",),)
    assert counts.population == 3


def test_generated_file_imports_cleanly(con, tmp_path):
    path = tmp_path / "gen.csv"
    write_csv(3000, 11, path)
    summary = store.import_offences(con, path)
    assert summary.added == 3000


def test_stored_identities_and_record_versions_are_computed_as_when_they_were_stored(con, tmp_path):
    """`ref_id` (MD5) and the record-version hash in `release_record` are kept on disk and
    compared with values computed later. MD5 never changes; DuckDB's `hash()` may change in a
    new DuckDB release, and then every record of an earlier release would look like another
    record, and the differencing audit would stop seeing what earlier releases published. If
    this fails after upgrading DuckDB, the stored `release_record.row_hash` values must be
    recomputed (or the store rebuilt) before the upgrade ships."""
    store.import_offences(con, write_rows(tmp_path / "one.csv", [GOOD]))
    ref_id, row_hash = con.execute(f"SELECT ref_id, {store.ROW_HASH} FROM offence").fetchone()  # noqa: S608 - our own constant
    assert ref_id == 247908367271656099441122685552478705767
    assert row_hash == 504397968027052640


def test_connections_take_turns_and_a_long_wait_says_the_store_is_busy(tmp_path):
    path = tmp_path / "turns.duckdb"
    with (
        store.connect(path),
        pytest.raises(store.StoreBusy, match="in use"),
        store.connect(path, wait=0.1),
    ):
        pass
    with store.connect(path, wait=0.1) as con:  # free again
        assert store.record_count(con) == 0


def test_another_process_holding_the_store_is_waited_for_not_an_error(tmp_path):
    """DuckDB refuses a second process outright ("Could not set lock on file"); web workers
    are separate processes, so connect waits for its turn instead."""
    import subprocess
    import sys
    import time

    path = tmp_path / "shared.duckdb"
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from followthrough.insights import store\n"
            f"with store.connect({str(path)!r}):\n"
            "    print('holding', flush=True)\n"
            "    time.sleep(1.0)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with store.connect(path, wait=30) as con:
            assert time.monotonic() - started > 0.5  # waited for the holder's second
            assert store.record_count(con) == 0
    finally:
        holder.wait(timeout=30)
