"""The demo review's committee reports, read back from the files a clerk would open.

The demo takes a few seconds to load, so this module loads it once (inside a transaction that
is rolled back at the end) and writes each report once.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from docx import Document
from docx.oxml.ns import qn

from followthrough.reports.committee_report import SECTION_HEADINGS
from followthrough.reports.demo import load_demo
from followthrough.reports.models import Meeting, ReportSnapshot
from tests.reports.conftest import docx_text, pdf_text

# The marker also tells pytest-django to create the test database before the module fixture.
pytestmark = pytest.mark.django_db

SLUG = "cse-scrutiny-review"
INTERIM_HEADLINE = "38 recommendations: 17 complete, 21 on track, 0 at risk, 0 overdue"
END_OF_YEAR_HEADLINE = (
    "38 recommendations: 29 complete, 3 on track, 2 at risk, 2 overdue, 1 no update, "
    "1 closed – not implemented"
)


class _Sink(io.StringIO):
    pass


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-reports")
    files = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        load_demo()  # safe to run again
        for name, as_at, formats in (
            ("interim", "2016-11-24", ("docx", "pdf", "html")),
            ("end-of-year", "2017-05-25", ("docx",)),
        ):
            for format in formats:
                path = folder / f"{name}.{format}"
                call_command(
                    "report",
                    SLUG,
                    "--as-at",
                    as_at,
                    "--format",
                    format,
                    "--output",
                    str(path),
                    stdout=_Sink(),
                )
                files[name, format] = path.read_bytes()
        files["snapshots"] = ReportSnapshot.objects.filter(review__slug=SLUG).count()
        files["meetings"] = Meeting.objects.filter(review__slug=SLUG).count()
        transaction.set_rollback(True)
    return files


def _headings(content: bytes, level: int) -> list[str]:
    document = Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_demo_loader_adds_two_meetings_with_tabled_reports_once(demo_reports):
    assert demo_reports["meetings"] == 2
    assert demo_reports["snapshots"] == 2


def test_interim_word_report_says_17_complete_and_21_on_track(demo_reports):
    content = demo_reports["interim", "docx"]
    text = docx_text(content)
    assert INTERIM_HEADLINE in text
    assert "Report to the Children and Young People Scrutiny Committee" in text
    assert "Interim report to the meeting on 24 November 2016" in text
    assert "Position as at 24 November 2016" in text
    assert "Tabled report, frozen on" in text
    document = Document(io.BytesIO(content))
    counts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert counts["Complete"] == "17" and counts["On track"] == "21" and counts["Total"] == "38"


def test_word_report_has_real_headings_and_repeating_table_headers(demo_reports):
    content = demo_reports["interim", "docx"]
    assert _headings(content, 1) == list(SECTION_HEADINGS)
    recommendations = _headings(content, 2)
    assert len(recommendations) == 38
    assert recommendations[0].startswith("Recommendation 1: ")
    document = Document(io.BytesIO(content))
    assert document.tables
    for table in document.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
    # The chart is a picture with a text alternative.
    pictures = document.inline_shapes
    assert len(pictures) == 1
    alt = pictures[0]._inline.docPr.get("descr")
    assert alt.startswith("Bar chart of recommendations by status at each month end")
    assert "complete rose from 0 to 17" in alt


def test_interim_pdf_report_has_the_counts_and_every_section(demo_reports):
    content = demo_reports["interim", "pdf"]
    opening = pdf_text(content, slice(0, 6))
    assert "Interim report to the meeting on 24 November 2016" in opening
    assert INTERIM_HEADLINE in " ".join(opening.split())
    for heading in SECTION_HEADINGS:
        assert heading in opening
    assert "Page 1 of" in opening
    # Counts table: status, then the number of recommendations.
    assert "Complete 17" in opening and "On track 21" in opening and "Total 38" in opening
    assert "Recommendation 38" in pdf_text(content, slice(-2, None))


def test_interim_html_report_has_the_chart_and_its_data_table(demo_reports):
    html = demo_reports["interim", "html"].decode()
    assert INTERIM_HEADLINE in html
    assert 'src="data:image/png;base64,' in html
    assert 'alt="Bar chart of recommendations by status at each month end, described below"' in html
    assert (
        "<figcaption>Bar chart of recommendations by status at each month end from 31 May 2016"
        in html
    )
    assert "<caption>Recommendations by status at each month end</caption>" in html
    assert "restricted" not in html.lower()


def test_end_of_year_report_reflects_the_later_history(demo_reports):
    content = demo_reports["end-of-year", "docx"]
    text = " ".join(docx_text(content).split())
    assert END_OF_YEAR_HEADLINE in text
    assert "End-of-year report to the meeting on 25 May 2017" in text
    # What changed is measured against the interim report the committee saw.
    assert (
        "18 recommendations have changed status since the meeting on 24 November 2016 "
        "(interim report), 12 of them now complete." in text
    )
    document = Document(io.BytesIO(content))
    slippage = next(t for t in document.tables if t.rows[0].cells[0].text == "Action")
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in slippage.rows[1:]}
    assert rows["8.1"][1:5] == ["Licensing", "31 March 2017", "30 September 2017", "183 days later"]
    assert "Recruitment to the supporting post took longer than planned" in rows["8.1"][5]
    assert "Funding decision deferred to the new financial year" in rows["11.1"][5]


def test_end_of_year_report_lists_the_owner_who_did_not_update(demo_reports):
    document = Document(io.BytesIO(demo_reports["end-of-year", "docx"]))
    (table,) = [
        t for t in document.tables if t.rows[0].cells[0].text == "Partner" and len(t.columns) == 2
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows == [["Telford & Wrekin Council", "Action 36.1 (last update 10 January 2017)"]]
    text = docx_text(demo_reports["end-of-year", "docx"])
    assert (
        "Owners of open actions who sent no progress update between 3 April 2017 and 15 May 2017."
        in text
    )
