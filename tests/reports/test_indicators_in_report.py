"""Register figures (licensing, front door, insights) reach the committee report as indicators."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from followthrough.reports.rendering import render_report
from followthrough.reports.selectors import report_content
from followthrough.tracker import services
from tests.tracker.factories import build_world

pytestmark = pytest.mark.django_db


def test_report_shows_each_indicator_as_at_its_date_in_html_and_word():
    world = build_world(agreed=date(2024, 1, 8))
    indicator = services.indicator_ensure(
        actor=world.officer,
        recommendation=world.recommendation,
        feed="licensing:trained",
        name="Licensed drivers with current CSE training",
        target=Decimal(100),
    )
    services.indicator_record_value(
        actor=world.officer, indicator=indicator, on=date(2024, 3, 31), value=Decimal("51")
    )
    services.indicator_record_value(
        actor=world.officer, indicator=indicator, on=date(2024, 9, 30), value=Decimal("82")
    )

    html = render_report(
        report_content(review=world.review, as_at=date(2024, 6, 1)), "html"
    ).decode()
    assert "Indicators for recommendation 1" in html
    assert (
        "Licensed drivers with current CSE training" in html and "51%" in html and "82%" not in html
    )

    docx = Document(
        io.BytesIO(
            render_report(report_content(review=world.review, as_at=date(2024, 10, 1)), "docx")
        )
    )
    cells = [cell.text for table in docx.tables for row in table.rows for cell in row.cells]
    assert "82%" in cells and "100%" in cells
