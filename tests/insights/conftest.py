from __future__ import annotations

import pytest

from followthrough.insights.generate import write_csv


@pytest.fixture
def insights_db(settings, tmp_path):
    """A private analytics store for the test."""
    path = tmp_path / "insights.duckdb"
    settings.FOLLOWTHROUGH_INSIGHTS_DB = str(path)
    return path


@pytest.fixture(scope="session")
def offences_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("offences") / "offences.csv"
    write_csv(1200, 7, path)
    return path
