"""A tabled report is frozen: it never changes afterwards, and two can be compared."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from followthrough.core.models import AuditEvent
from followthrough.reports import selectors, services
from followthrough.reports.models import ReportSnapshot
from followthrough.tracker import services as tracker_services
from tests.reports.conftest import docx_text
from tests.reports.factories import INTERIM


def _pull_outreach_forward(cycle):
    tracker_services.action_change_target_date(
        actor=cycle.officer,
        action=cycle.actions["outreach"],
        new_date=date(2020, 3, 20),
        reason="Brought forward.",
        effective_date=date(2020, 3, 1),
    )


def test_freezing_stores_the_figures_with_their_hash_and_an_audit_record(cycle):
    snapshot = services.report_freeze(actor=cycle.officer, meeting=cycle.interim)
    assert snapshot.as_at == INTERIM
    assert (
        snapshot.data["headline"]
        == "3 recommendations: 1 complete, 2 on track, 0 at risk, 0 overdue"
    )
    assert selectors.snapshot_is_intact(snapshot)
    assert AuditEvent.objects.filter(verb="report.freeze", object_id=str(snapshot.pk)).exists()
    assert services.report_freeze(actor=cycle.officer, meeting=cycle.interim) == snapshot
    assert ReportSnapshot.objects.count() == 1


def test_a_tabled_report_does_not_change_when_the_record_does(cycle, tmp_path):
    snapshot = services.report_freeze(actor=cycle.officer, meeting=cycle.interim)
    _pull_outreach_forward(cycle)
    content = selectors.report_content(review=cycle.review, as_at=INTERIM)
    assert content.snapshot == snapshot
    assert content.data["headline"].startswith("3 recommendations: 1 complete, 2 on track")
    # The record now says otherwise, which a draft would show.
    live = selectors.report_data_build(review=cycle.review, as_at=INTERIM)
    assert live["headline"].endswith("1 overdue")
    output = tmp_path / "interim.docx"
    call_command(
        "report",
        "small-review",
        "--as-at",
        "2020-03-26",
        "--format",
        "docx",
        "--output",
        str(output),
        stdout=_Sink(),
    )
    text = docx_text(output.read_bytes())
    assert "3 recommendations: 1 complete, 2 on track, 0 at risk, 0 overdue" in text
    assert f"Reference {snapshot.content_hash[:12]}" in text


def test_tampering_with_a_tabled_report_is_detected(cycle):
    snapshot = services.report_freeze(actor=cycle.officer, meeting=cycle.interim)
    data = dict(snapshot.data, headline="3 recommendations: 3 complete")
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(data=data)
    snapshot.refresh_from_db()
    assert not selectors.snapshot_is_intact(snapshot)


def test_only_officers_table_reports_and_not_before_the_papers_deadline(cycle):
    with pytest.raises(PermissionDenied):
        services.report_freeze(actor=cycle.member, meeting=cycle.interim)
    with pytest.raises(ValidationError, match="papers deadline, 16 March 2020"):
        services.report_freeze(actor=cycle.officer, meeting=cycle.interim, today=date(2020, 3, 15))


def test_two_tabled_reports_compare_recommendation_by_recommendation(cycle):
    interim = services.report_freeze(actor=cycle.officer, meeting=cycle.interim)
    later = services.report_freeze(actor=cycle.officer, meeting=cycle.later)
    differences = {d.number: d for d in selectors.snapshot_compare(earlier=interim, later=later)}
    assert set(differences) == {"2", "3"}
    assert differences["2"].changes[0] == "Status: On track → Overdue"
    assert differences["3"].changes == ["Status: On track → No update"]


def test_the_later_report_compares_with_the_earlier_tabled_one_not_the_record(cycle):
    services.report_freeze(actor=cycle.officer, meeting=cycle.interim)
    _pull_outreach_forward(cycle)  # the record for March changes after the interim was tabled
    later = services.report_freeze(actor=cycle.officer, meeting=cycle.later)
    rows = {row["number"]: row for row in later.data["changes"]["rows"]}
    assert rows["3"]["before"] == "On track"  # what the committee was told in March
    assert rows["3"]["after"] == "Overdue"


def test_meeting_dates_are_checked(cycle):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=cycle.officer,
            review=cycle.review,
            kind="ad_hoc",
            meets_on=date(2020, 9, 1),
            papers_deadline=date(2020, 9, 10),
        )
    assert "papers_deadline" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=cycle.officer,
            review=cycle.review,
            kind="ad_hoc",
            meets_on=INTERIM,
            papers_deadline=date(2020, 3, 20),
        )
    assert "meets_on" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=cycle.member,
            review=cycle.review,
            kind="ad_hoc",
            meets_on=date(2020, 9, 1),
            papers_deadline=date(2020, 8, 20),
        )
    meeting = services.meeting_create(
        actor=cycle.officer,
        review=cycle.review,
        kind="ad_hoc",
        meets_on=date(2020, 9, 1),
        papers_deadline=date(2020, 8, 20),
    )
    assert meeting.requests_from == date(2020, 7, 23)  # 20 working days before the deadline
    assert meeting.committee == "Children's Scrutiny Committee"


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def test_report_command_writes_a_draft_before_the_papers_deadline(cycle, tmp_path):
    from io import StringIO

    from followthrough.reports.models import Meeting

    future = services.meeting_create(
        actor=cycle.officer,
        review=cycle.review,
        kind=Meeting.Kind.AD_HOC,
        meets_on=date(2099, 1, 15),
        papers_deadline=date(2099, 1, 5),
    )
    output, errors = StringIO(), StringIO()
    call_command(
        "report",
        "small-review",
        "--as-at",
        "2099-01-15",
        "--format",
        "html",
        "--output",
        str(tmp_path / "r.html"),
        stdout=output,
        stderr=errors,
    )
    assert "Writing a draft instead" in errors.getvalue()
    assert "Wrote the draft HTML report" in output.getvalue()
    assert not ReportSnapshot.objects.filter(meeting=future).exists()


def test_report_command_explains_bad_input(cycle, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No review with slug 'nope'"):
        call_command(
            "report",
            "nope",
            "--as-at",
            "2020-03-26",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(
            "report",
            "small-review",
            "--as-at",
            "26/03/2020",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x"),
        )
