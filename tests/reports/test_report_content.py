"""What a committee report says, worked out from the as-at history of a small review."""

from __future__ import annotations

from datetime import date

from followthrough.reports import selectors
from followthrough.reports.rendering import render_report
from followthrough.tracker import services as tracker_services
from tests.reports.conftest import docx_text, pdf_text
from tests.reports.factories import INTERIM, RESTRICTED


def _interim(cycle):
    return selectors.report_data_build(review=cycle.review, as_at=INTERIM, meeting=cycle.interim)


def test_report_counts_come_from_the_as_at_history(cycle):
    data = _interim(cycle)
    assert data["headline"] == "3 recommendations: 1 complete, 2 on track, 0 at risk, 0 overdue"
    counts = {c["key"]: c["count"] for c in data["counts"]}
    assert counts["complete"] == 1 and counts["on_track"] == 2
    # Before anything was signed off, nothing was complete.
    early = selectors.report_data_build(review=cycle.review, as_at=date(2020, 2, 5))
    assert early["headline"].startswith("3 recommendations: 0 complete, 3 on track")


def test_report_counts_actions_by_partner(cycle):
    partners = {p["partner"]: p for p in _interim(cycle)["partners"]}
    assert partners["Northam Council"]["counts"]["complete"] == 1
    assert partners["Northam Council"]["counts"]["on_track"] == 1
    assert partners["Northam Police"]["total"] == 1


def test_report_lists_owners_with_no_update_in_the_request_window(cycle):
    no_update = _interim(cycle)["no_update"]
    assert (no_update["from"], no_update["to"]) == ("2020-02-24", "2020-03-16")
    owners = {o["owner"]: o["actions"] for o in no_update["owners"]}
    # The council updated on 2 March; police (22 January) and health (27 January) did not.
    assert set(owners) == {"Northam Police", "Northam Health"}
    assert owners["Northam Police"] == [
        {"reference": "2.2", "number": "2", "last_update_on": "2020-01-22"}
    ]


def test_report_shows_slippage_against_the_baseline_with_reasons(cycle):
    (row,) = _interim(cycle)["slippage"]
    assert row["reference"] == "2.2"
    assert (row["baseline"], row["current"]) == ("2020-04-30", "2020-09-30")
    assert row["revisions"][0]["reason"] == "Recruitment of the vetting officer was delayed."
    # Before the change took effect there was no slippage to report.
    early = selectors.report_data_build(review=cycle.review, as_at=date(2020, 2, 19))
    assert early["slippage"] == []


def test_report_gives_the_owners_claim_and_the_assessors_verdict(cycle):
    rec = _interim(cycle)["recommendations"][0]
    (action,) = rec["actions"]
    assert action["claim"]["text"].startswith("Says it is ready for assessment")
    assert action["verdict"]["decision_label"] == "Signed off"
    assert action["verdict"]["rationale"] == "Post filled and chairing the multi-agency meeting."
    assert action["latest_update"]["summary"] == "Coordinator in post; job description attached."


def test_report_says_what_changed_since_the_previous_meeting(cycle):
    later = selectors.report_data_build(
        review=cycle.review, as_at=cycle.later.meets_on, meeting=cycle.later
    )
    changes = later["changes"]
    assert changes["since"] == "the meeting on 26 March 2020 (interim report)"
    assert changes["rows"] == [
        {"number": "2", "title": "Train taxi drivers", "before": "On track", "after": "Overdue"},
        {
            "number": "3",
            "title": "Commission sexual health outreach",
            "before": "On track",
            "after": "No update",
        },
    ]
    assert changes["summary"].startswith("2 recommendations have changed status since the meeting")


def test_report_never_contains_restricted_detail_in_any_format(cycle):
    content = selectors.ReportContent(_interim(cycle), None)
    assert RESTRICTED not in str(content.data)
    html = render_report(content, "html").decode()
    assert "Coordinator in post" in html
    assert RESTRICTED not in html
    assert RESTRICTED not in docx_text(render_report(content, "docx"))


def test_report_pdf_has_every_section_and_the_headline(cycle):
    text = pdf_text(render_report(selectors.ReportContent(_interim(cycle), None), "pdf"))
    for heading in (
        "Summary",
        "Progress over time",
        "What changed since the last meeting",
        "Target-date slippage",
        "No update received",
        "Recommendations",
    ):
        assert heading in text
    assert "3 recommendations: 1 complete, 2 on track" in text
    assert "Northam Police" in text and "Page 1 of" in text
    assert RESTRICTED not in text


def test_report_draft_reflects_data_entered_later_for_an_earlier_date(cycle):
    action = cycle.actions["outreach"]
    tracker_services.action_change_target_date(
        actor=cycle.officer,
        action=action,
        new_date=date(2020, 3, 20),
        reason="Brought forward to meet the commissioning round.",
        effective_date=date(2020, 3, 1),
    )
    data = _interim(cycle)
    assert data["headline"] == "3 recommendations: 1 complete, 1 on track, 0 at risk, 1 overdue"
