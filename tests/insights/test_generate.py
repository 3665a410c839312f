"""The synthetic generator reproduces the published national picture."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from followthrough.insights.generate import COLUMNS, write_csv
from followthrough.insights.reference import KNOWN_TO_VICTIM, OFFENCE_CODES, PUBLISHED

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "insights"


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict[str, str]]:
    path = tmp_path_factory.mktemp("gen") / "offences.csv"
    write_csv(40_000, 2024, path)
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def share(rows, predicate) -> float:
    return sum(1 for r in rows if predicate(r)) / len(rows)


def test_columns_follow_the_schema(records):
    assert tuple(records[0].keys()) == COLUMNS
    assert len({r["crime_ref"] for r in records}) == len(records)


def test_victims_are_mostly_girls_and_most_often_aged_13_to_15(records):
    sexed = [r for r in records if r["victim_sex"]]
    assert share(sexed, lambda r: r["victim_sex"] == "F") == pytest.approx(
        PUBLISHED["share_victims_female"], abs=0.03
    )
    aged = [int(r["victim_age"]) for r in records if r["victim_age"]]
    bands = {"0-9": 0, "10-12": 0, "13-15": 0, "16-17": 0}
    for age in aged:
        band = "0-9" if age <= 9 else "10-12" if age <= 12 else "13-15" if age <= 15 else "16-17"
        bands[band] += 1
    assert max(bands, key=bands.__getitem__) == "13-15"
    girls = [int(r["victim_age"]) for r in records if r["victim_sex"] == "F" and r["victim_age"]]
    boys = [int(r["victim_age"]) for r in records if r["victim_sex"] == "M" and r["victim_age"]]
    assert sum(boys) / len(boys) < sum(girls) / len(girls)  # boys are younger


def test_over_half_of_suspects_of_known_age_are_children(records):
    known = [int(r["suspect_age"]) for r in records if r["suspect_age"]]
    assert sum(1 for a in known if a < 18) / len(known) > 0.5


def test_suspects_are_mostly_male_but_not_all(records):
    male = share(records, lambda r: r["suspect_sex"] == "M")
    assert male == pytest.approx(PUBLISHED["share_perpetrators_male"], abs=0.03)
    assert share(records, lambda r: r["suspect_sex"] == "F") > 0.05


def test_most_suspects_are_known_to_the_victim(records):
    recorded = [r for r in records if r["relationship"] != "unknown"]
    assert share(recorded, lambda r: r["relationship"] in KNOWN_TO_VICTIM) > 0.5
    assert share(recorded, lambda r: r["relationship"] == "stranger") < 0.2


def test_group_offending_is_a_small_minority(records):
    assert share(records, lambda r: r["group_offending"] == "Y") == pytest.approx(
        PUBLISHED["share_group_based_csae"], abs=0.015
    )


def test_offence_mix_and_contact_share_match_published_figures(records):
    images = share(records, lambda r: r["offence_code"] == "86")
    assert images == pytest.approx(PUBLISHED["share_indecent_imagery_of_children"], abs=0.02)
    rape = share(records, lambda r: r["offence_code"].startswith("19"))
    assert rape == pytest.approx(PUBLISHED["share_rape_of_a_child"], abs=0.02)
    contact = share(records, lambda r: r["online_flag"] == "N")
    assert contact == pytest.approx(PUBLISHED["share_contact_abuse"], abs=0.03)


def test_where_ethnicity_is_recorded_suspects_are_mostly_white(records):
    recorded = [r for r in records if r["suspect_ethnicity"]]
    assert len(recorded) / len(records) < 0.4  # mostly not recorded
    assert share(recorded, lambda r: r["suspect_ethnicity"] == "White") > 0.75


def test_offence_codes_fit_the_victims_age(records):
    for r in records:
        if r["victim_age"]:
            code = OFFENCE_CODES[r["offence_code"]]
            assert code.min_age <= int(r["victim_age"]) <= code.max_age, r


def test_same_seed_same_file(tmp_path):
    write_csv(500, 5, tmp_path / "a.csv")
    write_csv(500, 5, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_calibration_targets_are_the_published_figures():
    # CI always lays ../shared beside the clone: a missing copy must fail, not skip silently.
    assert SHARED.exists(), f"{SHARED} is missing"
    with (SHARED / "published_csae_figures.csv").open(newline="") as handle:
        published = {r["measure"]: float(r["value"]) for r in csv.DictReader(handle)}
    for measure in (
        "share_victims_female",
        "share_perpetrators_male",
        "share_contact_abuse",
        "share_indecent_imagery_of_children",
        "share_rape_of_a_child",
    ):
        assert PUBLISHED[measure] == published[measure]
