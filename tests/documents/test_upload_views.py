"""Loading a published report through the web: upload, check, edit, merge, split, confirm."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from followthrough.core.models import AuditEvent
from followthrough.documents.models import DocumentImport
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import Recommendation

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "samples"
PDF = SAMPLES / "eastbrook-scrutiny-review.pdf"
DOCX = SAMPLES / "riverside-cabinet-response.docx"


def _upload(client, review, name: str, content: bytes):
    return client.post(
        f"/documents/reviews/{review.slug}/report/",
        {"document": SimpleUploadedFile(name, content)},
    )


def _draft(setting, path: Path = PDF) -> DocumentImport:
    response = _upload(
        setting.client(setting.officer), setting.review, path.name, path.read_bytes()
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DocumentImport.objects.get()


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _media_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ---------------------------------------------------------------------------------------------
# Who may


@pytest.mark.parametrize("who", ["partner_lead", "member", "assessor"])
def test_only_officers_and_admins_reach_the_import_pages(setting, who):
    client = setting.client(getattr(setting, who))
    slug = setting.review.slug
    for url in (
        f"/documents/reviews/{slug}/",
        f"/documents/reviews/{slug}/report/",
        f"/documents/reviews/{slug}/action-plan/",
        f"/documents/reviews/{slug}/action-plan.csv",
    ):
        assert client.get(url).status_code == 404, url
    assert _upload(client, setting.review, PDF.name, PDF.read_bytes()).status_code == 404
    assert DocumentImport.objects.count() == 0


def test_officers_and_admins_see_the_import_pages(setting):
    for user in (setting.officer, setting.admin):
        client = setting.client(user)
        page = client.get(f"/documents/reviews/{setting.review.slug}/")
        assert page.status_code == 200
        assert "Upload the report" in page.content.decode()
        upload = client.get(f"/documents/reviews/{setting.review.slug}/report/").content.decode()
        assert "Reading a long report can take up to a minute" in upload


def test_signed_out_visitors_are_sent_to_sign_in(setting, client):
    response = client.get(f"/documents/reviews/{setting.review.slug}/report/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_draft_is_its_uploaders_own(setting):
    draft = _draft(setting)
    others = setting.client(setting.other_officer)
    assert others.get(f"/documents/reports/{draft.pk}/").status_code == 404
    assert others.post(f"/documents/reports/{draft.pk}/confirm/").status_code == 404
    assert others.post(f"/documents/reports/{draft.pk}/discard/").status_code == 404
    assert (
        setting.client(setting.partner_lead).get(f"/documents/reports/{draft.pk}/").status_code
        == 404
    )
    assert setting.client(setting.officer).get("/documents/reports/999/").status_code == 404
    assert Recommendation.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Bad files


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"", "report.pdf: is empty"),
        ("report.docx", b"", "report.docx: is empty"),
        ("report.pdf", "ENCRYPTED", "report.pdf: is encrypted (password-protected)"),
        ("report.xls", b"Recommendation 1: do it.", "report.xls: unsupported file type '.xls'"),
        (
            "report.docx",
            b"%PDF-1.4\n%junk",
            "report.docx: the file's content is a PDF, which does not match its .docx extension",
        ),
        (
            "report.pdf",
            bytes(range(256)) * 40,
            "report.pdf: the file's content is binary data, which does not match its .pdf",
        ),
        ("report.pdf", b"%PDF-1.4\nnot really a pdf", "report.pdf: is damaged or not a valid PDF"),
        (
            "notes.txt",
            b"Minutes of the meeting. Nothing was agreed.",
            "notes.txt: no recommendations",
        ),
    ],
)
def test_bad_files_give_one_govuk_error_and_write_nothing(
    setting, settings, name, content, message
):
    if content == "ENCRYPTED":
        content = _encrypted_pdf()
    events = AuditEvent.objects.count()
    response = _upload(setting.client(setting.officer), setting.review, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error: " in page
    error = page.split('class="govuk-error-message">')[1].split("</p>")[0]
    assert message in error.replace("&#x27;", "'")
    assert "\n" not in error.strip() and "Traceback" not in page
    assert DocumentImport.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert _media_files(settings) == []


def test_a_file_over_the_size_limit_is_refused(setting, settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "IMPORT_MAX_BYTES": 1024 * 1024}
    response = _upload(
        setting.client(setting.officer), setting.review, "big.txt", b"x" * (1024 * 1024 + 1)
    )
    assert "big.txt: the file must be smaller than 1MB" in response.content.decode()
    assert DocumentImport.objects.count() == 0


def test_a_missing_file_asks_for_one(setting):
    client = setting.client(setting.officer)
    response = client.post(f"/documents/reviews/{setting.review.slug}/report/", {})
    assert "Select the report to upload" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# The draft


def test_upload_shows_each_recommendation_beside_its_source_page_and_paragraph(setting):
    client = setting.client(setting.officer)
    response = client.post(
        f"/documents/reviews/{setting.review.slug}/report/",
        {"document": SimpleUploadedFile(PDF.name, PDF.read_bytes())},
        follow=True,
    )
    draft = DocumentImport.objects.get()
    assert draft.original_name == PDF.name and draft.status == "draft"
    assert len(draft.items) == 6
    page = response.content.decode()
    assert "6 recommendations found in eastbrook-scrutiny-review.pdf" in page
    assert "In the report: page 4, paragraphs" in page
    assert "Eastbrook Council and Eastbrook Police should agree a single" in page
    assert Recommendation.objects.count() == 0  # nothing added until confirmed
    text = (
        setting.client(setting.officer).get(f"/documents/reports/{draft.pk}/text/").content.decode()
    )
    assert 'id="p-1"' in text and "Page 4, paragraph" in text


def test_the_draft_survives_a_reload_and_lists_on_the_start_page(setting):
    draft = _draft(setting)
    page = setting.client(setting.officer).get(f"/documents/reviews/{setting.review.slug}/")
    assert f"/documents/reports/{draft.pk}/" in page.content.decode()


def test_edit_changes_one_draft_recommendation(setting):
    draft = _draft(setting)
    client = setting.client(setting.officer)
    key = draft.items[0]["key"]
    form = client.get(f"/documents/reports/{draft.pk}/recommendations/{key}/edit/").content.decode()
    assert "Earlier help for children" in form
    response = client.post(
        f"/documents/reports/{draft.pk}/recommendations/{key}/edit/",
        {"number": "1A", "title": "Earlier help", "text": "Agree one front door."},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{key}")
    draft.refresh_from_db()
    assert draft.items[0] | {"page": 0} == draft.items[0] | {
        "number": "1A",
        "title": "Earlier help",
        "text": "Agree one front door.",
        "page": 0,
    }
    blank = client.post(
        f"/documents/reports/{draft.pk}/recommendations/{key}/edit/",
        {"number": "", "title": "", "text": ""},
    ).content.decode()
    assert (
        "Enter the recommendation number" in blank
        and "Enter the text of the recommendation" in blank
    )


def test_merge_and_split_reshape_the_draft(setting):
    draft = _draft(setting)
    client = setting.client(setting.officer)
    first, second = draft.items[0], draft.items[1]
    client.post(
        f"/documents/reports/{draft.pk}/recommendations/{first['key']}/merge/",
        {"next_key": second["key"]},
    )
    draft.refresh_from_db()
    assert len(draft.items) == 5
    merged = draft.items[0]
    assert merged["text"].startswith(first["text"]) and merged["text"].endswith(second["text"])
    # A stale merge (the pair is no longer adjacent) changes nothing and says why.
    stale = client.post(
        f"/documents/reports/{draft.pk}/recommendations/{first['key']}/merge/",
        {"next_key": second["key"]},
        follow=True,
    )
    assert "no longer next to each other" in stale.content.decode()
    # Split it back where the second recommendation's title started.
    split_url = f"/documents/reports/{draft.pk}/recommendations/{first['key']}/split/"
    page = client.get(split_url).content.decode()
    assert "Where does the second recommendation start?" in page
    from followthrough.documents.drafting import sentences

    parts = sentences(merged["text"])
    where = next(i for i, part in enumerate(parts) if second["title"].split()[0] in part)
    response = client.post(
        split_url, {"before_sentence": where, "number": "2", "title": second["title"]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [item["number"] for item in draft.items] == ["1", "2", "3", "4", "5", "6"]
    assert draft.items[1]["key"] == 7  # a new key, never a reused one
    assert draft.items[1]["first_paragraph"] is not None


def test_confirm_adds_only_included_recommendations_then_shows_the_review(setting):
    draft = _draft(setting)
    client = setting.client(setting.officer)
    excluded = draft.items[5]["key"]
    client.post(
        f"/documents/reports/{draft.pk}/recommendations/{excluded}/include/", {"included": "no"}
    )
    page = client.get(f"/documents/reports/{draft.pk}/").content.decode()
    assert "Add 5 recommendations to the review" in page
    response = client.post(f"/documents/reports/{draft.pk}/confirm/", follow=True)
    assert response.redirect_chain[-1][0] == f"/reviews/{setting.review.slug}/"
    assert "5 recommendations added from eastbrook-scrutiny-review.pdf" in response.content.decode()
    numbers = list(
        Recommendation.objects.filter(review=setting.review)
        .order_by("position")
        .values_list("number", flat=True)
    )
    assert numbers == ["1", "2", "3", "4", "5"]
    assert Recommendation.objects.get(number="3").title == "Listening to survivors"
    draft.refresh_from_db()
    assert draft.status == "confirmed" and draft.outcome == {"added": numbers, "excluded": 1}
    assert AuditEvent.objects.filter(verb="recommendation.create").count() == 5
    # A confirmed draft is finished: confirming again does nothing.
    assert client.post(f"/documents/reports/{draft.pk}/confirm/").status_code == 404
    assert Recommendation.objects.count() == 5


def test_confirm_writes_nothing_while_any_recommendation_needs_fixing(setting):
    tracker_services.recommendation_create(
        actor=setting.officer, review=setting.review, number="3", text="Typed in earlier."
    )
    draft = _draft(setting)
    client = setting.client(setting.officer)
    response = client.post(f"/documents/reports/{draft.pk}/confirm/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Recommendation 3 is already in this review: change its number or exclude it" in page
    assert f'href="#item-{draft.items[2]["key"]}"' in page
    assert Recommendation.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_discard_deletes_the_draft_and_its_file(setting, settings):
    draft = _draft(setting)
    assert len(_media_files(settings)) == 1
    client = setting.client(setting.officer)
    response = client.post(f"/documents/reports/{draft.pk}/discard/")
    assert response.status_code == 302
    assert DocumentImport.objects.count() == 0
    assert Recommendation.objects.count() == 0


def test_a_word_document_uploads_too(setting):
    draft = _draft(setting, DOCX)
    assert [item["number"] for item in draft.items] == ["2.1", "3", "4", "6", "7"]
    assert all(item["page"] is None and item["first_paragraph"] for item in draft.items)
