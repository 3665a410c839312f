"""Importing an action plan through the web: check, preview, confirm; export in the same format."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from followthrough.core.models import AuditEvent
from followthrough.documents.action_plan import COLUMNS
from followthrough.documents.models import DocumentImport
from followthrough.tracker.models import Action, Recommendation

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
PLAN = (
    HEADER
    + "\n1,Specialist posts,Fund a specialist CSE worker,Council,,1.1,Recruit the worker,,,2017-03-31,\n"
    + "2,,Train taxi drivers,West Mercia Police,Taxi licensing,2.1,Run the course,Police,,2017-01-31,\n"
).encode()


def _upload(client, setting, content: bytes, name: str = "plan.csv", **extra):
    return client.post(
        f"/documents/reviews/{setting.review.slug}/action-plan/",
        {"spreadsheet": SimpleUploadedFile(name, content)},
        **extra,
    )


def test_upload_page_documents_every_column(setting):
    page = (
        setting.client(setting.officer)
        .get(f"/documents/reviews/{setting.review.slug}/action-plan/")
        .content.decode()
    )
    for column in COLUMNS:
        assert f"<code>{column}</code>" in page
    assert "nothing is imported" in page


def test_upload_preview_then_confirm_imports_the_plan(setting):
    client = setting.client(setting.officer)
    response = _upload(client, setting, PLAN)
    draft = DocumentImport.objects.get()
    assert response["Location"] == f"/documents/action-plans/{draft.pk}/"
    assert Recommendation.objects.count() == 0  # nothing until confirmed
    preview = client.get(response["Location"]).content.decode()
    assert "Add recommendation 1" in preview and "Add action 2.1" in preview
    assert "Recommendations to add" in preview
    done = client.post(response["Location"], follow=True)
    assert done.redirect_chain[-1][0] == f"/reviews/{setting.review.slug}/"
    assert "plan.csv: 2 recommendations added, 2 actions added" in done.content.decode()
    assert Action.objects.get(reference="2.1").owner == setting.police
    draft.refresh_from_db()
    assert draft.status == "confirmed"
    assert client.post(response["Location"]).status_code == 404  # finished


def test_uploading_the_same_plan_again_says_nothing_to_change_and_leaves_no_trace(setting):
    client = setting.client(setting.officer)
    client.post(_upload(client, setting, PLAN)["Location"])
    drafts, events = DocumentImport.objects.count(), AuditEvent.objects.count()
    again = _upload(client, setting, PLAN, follow=True).content.decode()
    assert "Nothing to change" in again and "already matches" in again
    assert (DocumentImport.objects.count(), AuditEvent.objects.count()) == (drafts, events)


def test_a_plan_with_problems_lists_each_by_file_row_and_column_and_writes_nothing(
    setting, settings
):
    bad = (HEADER + "\n1,,,,,,,,,,\n2,,Text,Nobody,,,Do it,,,31/02/2017,\n").encode()
    events = AuditEvent.objects.count()
    page = _upload(setting.client(setting.officer), setting, bad).content.decode()
    assert "There is a problem" in page
    assert "The file has 3 problems: nothing was imported" in page
    assert "plan.csv, row 2, column recommendation_text: Enter the text of recommendation 1" in page
    assert "plan.csv, row 3, column target_date: Enter a real date" in page
    assert "plan.csv, row 3, column lead_partner: &#x27;Nobody&#x27; is not a partner" in page
    assert DocumentImport.objects.count() == 0 and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.csv", b"", "plan.csv: The file is empty"),
        ("plan.docx", b"PK\x03\x04", "plan.docx: The file must be a .csv or .xlsx file"),
        (
            "plan.xlsx",
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
            "binary data, not a spreadsheet",
        ),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gives_one_error(setting, name, content, message):
    page = _upload(setting.client(setting.officer), setting, content, name=name).content.decode()
    error = page.split('class="govuk-error-message">')[1].split("</p>")[0]
    assert message in error
    assert DocumentImport.objects.count() == 0


def test_preview_shows_before_and_after_for_a_changed_target_date(setting):
    client = setting.client(setting.officer)
    client.post(_upload(client, setting, PLAN)["Location"])
    changed = PLAN.replace(b"2017-03-31", b"2017-09-30")
    preview = client.get(_upload(client, setting, changed)["Location"]).content.decode()
    assert "Change action 1.1: target date" in preview
    assert "2017-03-31" in preview and "2017-09-30" in preview


def test_another_officer_cannot_open_or_confirm_my_import(setting):
    response = _upload(setting.client(setting.officer), setting, PLAN)
    other = setting.client(setting.other_officer)
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"]).status_code == 404
    assert Recommendation.objects.count() == 0


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_downloads_the_plan_in_the_import_format(setting, file_format):
    client = setting.client(setting.officer)
    client.post(_upload(client, setting, PLAN)["Location"])
    response = client.get(f"/documents/reviews/{setting.review.slug}/action-plan.{file_format}")
    assert response.status_code == 200
    assert f'filename="cse-review-action-plan.{file_format}"' in response["Content-Disposition"]
    if file_format == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        lines = [",".join(str(c or "") for c in row) for row in sheet.iter_rows(values_only=True)]
    assert lines[0] == HEADER
    assert lines[1].startswith(
        "1,Specialist posts,Fund a specialist CSE worker,Telford & Wrekin Council"
    )
    assert (
        client.get(f"/documents/reviews/{setting.review.slug}/action-plan.pdf").status_code == 404
    )
    # And uploading the download changes nothing.
    again = _upload(client, setting, response.content, name=f"export.{file_format}", follow=True)
    assert "Nothing to change" in again.content.decode()


def test_preview_and_confirm_show_problems_when_the_review_changed_since_the_upload(setting):
    from followthrough.tracker import services as tracker_services

    client = setting.client(setting.officer)
    client.post(_upload(client, setting, PLAN)["Location"])
    preview_url = _upload(client, setting, PLAN.replace(b"2017-03-31", b"2017-09-30"))["Location"]
    tracker_services.action_close(
        actor=setting.officer,
        action=Action.objects.get(reference="1.1"),
        reason="Superseded",
        effective_date=date(2016, 6, 1),
    )
    events = AuditEvent.objects.count()
    for response in (client.get(preview_url), client.post(preview_url)):
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page and "<title>Error: " in page
        assert "plan.csv, row 2, column target_date: Action 1.1 is closed" in page
        assert "Import these changes" not in page
    assert AuditEvent.objects.count() == events
    assert Action.objects.get(reference="1.1").target_date == date(2017, 3, 31)
