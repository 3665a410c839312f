"""The facts page shows only what the insights module has protected, audited and published."""

from __future__ import annotations

import re

import pytest

from followthrough.core.roles import Role

insights_services = pytest.importorskip("followthrough.insights.services")
insights_generate = pytest.importorskip("followthrough.insights.generate")
insights_selectors = pytest.importorskip("followthrough.insights.selectors")

pytestmark = pytest.mark.django_db

FACTS_URL = "/facts-about-child-sexual-exploitation/"


@pytest.fixture
def published_release(settings, tmp_path, user_factory):
    settings.FOLLOWTHROUGH_INSIGHTS_DB = str(tmp_path / "insights.duckdb")
    csv_path = tmp_path / "offences.csv"
    insights_generate.write_csv(1200, 7, csv_path)
    analyst = user_factory(Role.ANALYST)
    insights_services.offence_import(actor=analyst, path=csv_path, filename="offences.csv")
    return insights_services.release_publish(
        actor=analyst, title="Police-recorded offences 2019 to 2023", mode="round"
    )


def test_facts_page_without_a_release_says_nothing_is_published_yet(client):
    body = client.get(FACTS_URL).content.decode()
    assert "No figures have been published yet." in body


def test_facts_page_shows_only_what_the_published_release_holds(client, published_release):
    # One release for all the checks: publishing runs the disclosure audit, which takes a while.
    body = client.get(FACTS_URL).content.decode()
    assert "No figures have been published yet." not in body
    assert "Police-recorded offences 2019 to 2023" in body  # the source names the release
    assert "Are abusers usually strangers?" in body

    # Plain statements carry the release's own (protected) figures.
    figures = {
        v.name: v for v in insights_selectors.indicator_values(release_id=published_release.pk)
    }
    known = figures["share_suspects_known_to_victim"]
    if known.value is not None:
        assert f"In {round(100 * known.value)}% of offences, the suspect was known" in body
    recorded = figures["offences_recorded"]
    assert f"{int(recorded.value):,} sexual offences against children were recorded" in body

    # Tables: round mode (10-5 rule) shows nothing under 10 and only multiples of 5.
    cells = re.findall(r'govuk-table__cell--numeric">([^<]*)<', body)
    assert cells
    for cell in cells:
        if cell == "[c]" or cell.endswith("%"):
            continue
        number = int(cell.replace(",", ""))
        assert number == 0 or (number >= 10 and number % 5 == 0), cell

    # Every table has a chart with a text alternative.
    assert body.count('<figure class="ft-chart"') == published_release.tables.count()
    assert "Bar chart of relationship of the suspect to the victim" in body
