"""A short, deterministic fuzz run of every importer of untrusted files (issue 9).

Each input must import, or be refused with the importer's own error naming the file, with
nothing written; `bench/fuzz_inputs.py --minutes N` runs the same properties for longer.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from .targets import IMPORTED, REFUSED, TARGETS, Target, World, build_world

pytestmark = pytest.mark.django_db

# Enough for every importer to both import and refuse files, in about 15 seconds in all (SQLite or PostgreSQL).
EXAMPLES = {"document reader": 120, "offence records": 40}
DEFAULT_EXAMPLES = 60


@pytest.fixture
def world(tmp_path, settings) -> World:
    insights_db = tmp_path / "fuzz-insights.duckdb"
    settings.FOLLOWTHROUGH_INSIGHTS_DB = str(insights_db)
    return build_world(tmp_path, insights_db)


@pytest.mark.parametrize("target", TARGETS, ids=[t.name.replace(" ", "-") for t in TARGETS])
def test_importer_refuses_fuzzed_files_cleanly_and_writes_nothing(world: World, target: Target):
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES.get(target.name, DEFAULT_EXAMPLES),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(target.strategy)
    def run(upload):
        outcomes[target.run(world, upload)] += 1

    run()
    # The run is only worth having if inputs get past the first check and into the database.
    assert outcomes[REFUSED] and outcomes[IMPORTED], outcomes
