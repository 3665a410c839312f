"""The command-line contracts of DESIGN.md §5."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from followthrough.insights.generate import write_csv


@pytest.fixture(scope="module")
def offences(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "offences.csv"
    write_csv(1500, 42, path)
    return path


def run_tables(path, *args: str) -> dict:
    out = StringIO()
    call_command("insights_tables", str(path), *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.mark.parametrize("mode", ["suppress", "round"])
def test_insights_tables_prints_the_contract(offences, mode):
    result = run_tables(offences, "--mode", mode)
    assert set(result) == {"threshold", "mode", "tables"}
    assert result["threshold"] == 10 and result["mode"] == mode
    names = {t["name"] for t in result["tables"]}
    assert {"victim_age_band_by_sex", "suspect_age_band_by_sex"} <= names
    victims = next(t for t in result["tables"] if t["name"] == "victim_age_band_by_sex")
    assert victims["dimensions"] == ["victim_age_band", "victim_sex"]
    assert {c["victim_age_band"] for c in victims["cells"]} == {
        "0-9",
        "10-12",
        "13-15",
        "16-17",
        "Total",
    }
    for table in result["tables"]:
        assert any(all(c[d] == "Total" for d in table["dimensions"]) for c in table["cells"])
        for cell in table["cells"]:
            assert set(cell) == {*table["dimensions"], "value", "status"}
            if cell["status"] == "suppressed":
                assert cell["value"] is None
            else:
                assert cell["value"] >= 10
                if mode == "round":
                    assert cell["status"] == "rounded" and cell["value"] % 5 == 0
                else:
                    assert cell["status"] == "published"


def test_insights_tables_threshold_and_its_floor(offences):
    assert run_tables(offences, "--mode", "suppress", "--threshold", "20")["threshold"] == 20
    with pytest.raises(CommandError):
        run_tables(offences, "--mode", "suppress", "--threshold", "3")


def test_insights_tables_names_the_bad_row(tmp_path, offences):
    lines = offences.read_text().splitlines()
    parts = lines[3].split(",")
    parts[3] = "maybe"  # cse_flag
    lines[3] = ",".join(parts)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match="bad.csv, row 4, column cse_flag"):
        run_tables(bad, "--mode", "round")


def test_generate_offences_writes_the_file(tmp_path):
    out = tmp_path / "gen.csv"
    call_command(
        "generate_offences", "--rows", "250", "--seed", "9", "--out", str(out), stderr=StringIO()
    )
    assert len(out.read_text().splitlines()) == 251
