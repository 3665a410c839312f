from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from lxml import html as lxml_html

from followthrough.core.roles import Role
from followthrough.public import selectors
from followthrough.tracker import selectors as tracker_selectors
from followthrough.tracker import services
from followthrough.tracker.models import Review

from .builders import DRAFT_MARKER, EVIDENCE_MARKER, RESTRICTED_MARKER

pytestmark = pytest.mark.django_db

REVIEW_URL = "/progress/published-review/"


def _text(response) -> str:
    return response.content.decode()


def test_home_shows_the_public_home_to_anonymous_visitors(client, reviews):
    response = client.get("/")
    assert response.status_code == 200
    body = _text(response)
    assert "If a child is in immediate danger, call 999" in body
    assert "Exploitation scrutiny review" in body
    assert reverse("public:report-concern") in body
    assert reverse("public:facts") in body


@pytest.mark.parametrize(
    ("role", "target"),
    [(Role.SCRUTINY_OFFICER, "/dashboard/"), (Role.MEMBER, "/dashboard/")],
)
def test_home_sends_signed_in_staff_to_their_start_page(client, user_factory, role, target):
    client.force_login(user_factory(role))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_home_shows_the_public_home_to_staff_with_no_start_page(client, user_factory):
    # An analyst's start page belongs to a module that may not be installed yet.
    client.force_login(user_factory(Role.ANALYST))
    response = client.get("/")
    try:
        reverse("insights:home")
    except NoReverseMatch:
        assert response.status_code == 200
    else:
        assert response.status_code == 302


def test_review_list_shows_only_published_reviews(client, reviews):
    body = _text(client.get("/progress/"))
    assert "Exploitation scrutiny review" in body
    assert DRAFT_MARKER not in body


def test_draft_review_pages_and_downloads_are_not_found(client, reviews):
    for url in [
        "/progress/draft-review/",
        "/progress/draft-review/recommendations/1/",
        "/progress/draft-review/download.csv",
        "/progress/draft-review/download.json",
        "/progress/no-such-review/",
    ]:
        assert client.get(url).status_code == 404, url


def test_review_page_shows_headline_counts_claim_verdict_and_slip_reason(client, reviews):
    response = client.get(REVIEW_URL + "?as_at=2020-06-01")
    body = _text(response)
    assert "2 recommendations: 1 complete, 0 on track, 0 at risk, 0 overdue, 1 no update" in body
    assert 'data-count="complete">1<' in body
    assert "Every licence holder has now been checked." in body  # owner's latest claim
    assert "The panel saw the completed check log and agrees it is done." in body  # verdict
    assert "The licensing database was replaced in the spring." in body  # slip reason
    assert "Originally 30 June 2020" in body


def test_review_page_as_at_shows_what_was_true_then(client, reviews):
    body = _text(client.get(REVIEW_URL + "?as_at=2020-03-01"))
    assert "2 recommendations: 0 complete, 2 on track" in body
    assert "Checks have started on the first 200 drivers." in body
    assert "Every licence holder has now been checked." not in body  # not yet written
    assert "The panel saw the completed check log" not in body
    assert "Not yet assessed." in body


def test_review_page_as_at_in_three_boxes_works_like_the_web_form(client, reviews):
    body = _text(client.get(REVIEW_URL, {"as_at_0": "1", "as_at_1": "3", "as_at_2": "2020"}))
    assert "As at 1 March 2020." in body


def test_review_page_filters_by_status_partner_and_theme(client, reviews):
    by_status = _text(client.get(REVIEW_URL, {"as_at": "2020-06-01", "confidence": "complete"}))
    assert "1 matching recommendation " in by_status
    assert "Safeguarding conditions for taxi drivers" in by_status
    assert "Talks in every secondary school" not in by_status

    by_partner = _text(client.get(REVIEW_URL, {"partner": reviews.council.pk}))
    assert "Talks in every secondary school" in by_partner
    assert "Safeguarding conditions for taxi drivers" not in by_partner

    by_theme = _text(client.get(REVIEW_URL, {"theme": reviews.taxis.pk}))
    assert "Safeguarding conditions for taxi drivers" in by_theme
    assert "Talks in every secondary school" not in by_theme


def test_review_page_with_a_bad_date_explains_the_error(client, reviews):
    response = client.get(REVIEW_URL, {"as_at": "2020-02-31"})
    assert response.status_code == 200
    assert "Enter a real date" in _text(response)


def test_recommendation_page_shows_dated_history(client, reviews):
    body = _text(client.get(REVIEW_URL + "recommendations/1/"))
    assert "Recommendation 1: Safeguarding conditions for taxi drivers" in body
    for text in [
        "3 February 2020",
        "Checks have started on the first 200 drivers.",
        "2 March 2020",
        "From 30 June 2020 to 30 September 2020",
        "4 May 2020",
        "Signed off",
    ]:
        assert text in body, text
    assert client.get(REVIEW_URL + "recommendations/99/").status_code == 404


def test_restricted_detail_and_evidence_never_appear_on_public_pages(client, reviews):
    urls = [
        "/",
        "/progress/",
        REVIEW_URL,
        REVIEW_URL + "?as_at=2020-06-01",
        REVIEW_URL + "recommendations/1/",
        REVIEW_URL + "recommendations/1/?as_at=2020-04-30",
        REVIEW_URL + "download.csv",
        REVIEW_URL + "download.json",
        REVIEW_URL + "download.json?as_at=2020-06-01",
        "/facts-about-child-sexual-exploitation/",
        "/report-a-concern/",
        "/open-data/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _text(response)
        for marker in (RESTRICTED_MARKER, EVIDENCE_MARKER, "evidence-marker-2b81", DRAFT_MARKER):
            assert marker not in body, (url, marker)


def test_csv_download_has_one_row_per_action_with_public_progress(client, reviews):
    response = client.get(REVIEW_URL + "download.csv?as_at=2020-06-01")
    assert response["Content-Type"].startswith("text/csv")
    assert "published-review-as-at-2020-06-01.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_text(response))))
    assert [r["action_reference"] for r in rows] == ["1.1", "2.1"]
    first = rows[0]
    assert first["action_confidence"] == "complete"
    assert first["target_date"] == "2020-09-30"
    assert first["baseline_target_date"] == "2020-06-30"
    assert "licensing database was replaced" in first["target_date_changes"]
    assert first["latest_public_summary"] == "Every licence holder has now been checked."
    assert first["assessor_decision"] == "signed_off"


def test_csv_download_neutralises_spreadsheet_formulas(client, reviews):
    services.update_submit(
        actor=reviews.council_lead,
        action=reviews.action2,
        effective_date=date(2020, 2, 3),
        public_summary='=HYPERLINK("http://example.org")',
        owner_confidence="on_track",
    )
    rows = list(csv.DictReader(io.StringIO(_text(client.get(REVIEW_URL + "download.csv")))))
    assert rows[1]["latest_public_summary"].startswith("'=")


def test_json_download_matches_the_page_figures(client, reviews):
    data = json.loads(_text(client.get(REVIEW_URL + "download.json?as_at=2020-03-01")))
    assert data["review"]["as_at"] == "2020-03-01"
    assert data["review"]["counts"]["on_track"] == 2
    action = data["recommendations"][0]["actions"][0]
    assert (
        action["owner_claim"]["public_summary"] == "Checks have started on the first 200 drivers."
    )
    assert action["assessor_verdict"] is None
    assert [e["kind"] for e in action["history"]] == ["update"]  # the slip came a day later


def test_public_pages_are_cacheable_and_answer_conditional_requests(client, reviews):
    response = client.get(REVIEW_URL)
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]
    assert response["ETag"] and response["Last-Modified"]
    assert not response.cookies
    again = client.get(REVIEW_URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    later = client.get(REVIEW_URL, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert later.status_code == 304


def test_public_page_changes_as_soon_as_progress_is_recorded(client, reviews):
    first = client.get(REVIEW_URL)
    services.update_submit(
        actor=reviews.council_lead,
        action=reviews.action2,
        effective_date=date(2020, 2, 3),
        public_summary="Bookings are open for the spring term.",
        owner_confidence="on_track",
    )
    second = client.get(REVIEW_URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Bookings are open for the spring term." in _text(second)


def test_signed_in_people_get_private_pages(client, reviews):
    client.force_login(reviews.officer)
    response = client.get(REVIEW_URL)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_report_a_concern_gives_999_101_and_the_front_door_number(client, settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "FRONT_DOOR_PHONE": "01632 960 123"}
    body = _text(client.get("/report-a-concern/"))
    assert "call 999" in body
    assert "101" in body
    assert "01632 960 123" in body
    try:
        form_url = reverse("frontdoor:report-start")
    except NoReverseMatch:
        assert "tell us about your concern online" not in body
    else:
        assert form_url in body


def test_facts_page_never_shows_figures_that_were_not_published(client):
    body = _text(client.get("/facts-about-child-sexual-exploitation/"))
    assert "Facts about child sexual exploitation" in body


def test_public_pages_link_to_the_accessibility_statement(client, reviews):
    for url in ["/", "/progress/", REVIEW_URL, "/report-a-concern/"]:
        assert 'href="/accessibility/"' in _text(client.get(url)), url
    assert client.get("/accessibility/").status_code == 200


def test_public_pages_refuse_writes(client, reviews):
    assert client.post(REVIEW_URL).status_code == 405


def _cards(response) -> list[tuple[str, str]]:
    """Each review on a list page, as (its link, the headline under it), in page order."""
    root = lxml_html.fromstring(response.content)
    return [
        (
            card.xpath(".//h2//a/@href")[0],
            " ".join(card.xpath(".//p[contains(@class, 'govuk-body')]")[0].text_content().split()),
        )
        for card in root.xpath("//div[@class='govuk-summary-card']")
    ]


def _publish_reviews(count: int, *, agreed_on: date, title: str) -> list[Review]:
    return Review.objects.bulk_create(
        Review(
            slug=f"listed-review-{n:03d}",
            title=title,
            made_by="Children's Scrutiny Committee",
            agreed_on=agreed_on,
            visibility=Review.Visibility.PUBLISHED,
        )
        for n in range(count)
    )


def test_review_list_shows_fifty_reviews_a_page_newest_first(client, reviews):
    # 60 more published reviews, all agreed on one day with one title: only their ids order
    # them, so a review could fall between two pages if the order were not total.
    _publish_reviews(60, agreed_on=date(2021, 3, 1), title="Same title")
    first = client.get("/progress/")
    second = client.get("/progress/?page=2")
    assert first.status_code == second.status_code == 200
    first_links = [link for link, _headline in _cards(first)]
    second_links = [link for link, _headline in _cards(second)]
    assert len(first_links) == 50
    assert len(second_links) == 11
    listed = Review.objects.filter(slug__startswith="listed-review-").order_by("id")
    expected = [f"/progress/{r.slug}/" for r in listed]
    assert first_links + second_links == [*expected, REVIEW_URL]  # the 2020 review last
    assert "Showing <strong>1</strong> to <strong>50</strong> of <strong>61</strong>" in (
        _text(first)
    )
    assert "Progress on recommendations (page 2 of 2)" in _text(second)


def test_review_list_links_to_its_other_pages(client, reviews):
    _publish_reviews(120, agreed_on=date(2021, 3, 1), title="Same title")  # 121: three pages
    root = lxml_html.fromstring(client.get("/progress/?page=2").content)
    [nav] = root.xpath("//nav[contains(@class, 'govuk-pagination')]")
    assert nav.xpath(".//a[@rel='prev']/@href") == ["/progress/"]
    assert nav.xpath(".//a[@rel='next']/@href") == ["/progress/?page=3"]
    assert nav.xpath(".//li//a/@aria-label") == ["Page 1", "Page 2", "Page 3"]
    assert nav.xpath(".//a[@aria-current='page']/@href") == ["/progress/?page=2"]


def test_review_list_fits_on_one_page_without_page_links(client, reviews):
    response = client.get("/progress/")
    assert "govuk-pagination" not in _text(response)
    assert "Showing" not in _text(response)


@pytest.mark.parametrize("page", ["0", "3", "-1", "two", "1.5", "9" * 30])
def test_review_list_page_that_does_not_exist_is_not_found(client, reviews, page):
    _publish_reviews(60, agreed_on=date(2021, 3, 1), title="Same title")  # two pages
    response = client.get(f"/progress/?page={page}")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")  # never kept as a public copy


def test_review_list_pages_are_cached_one_by_one(client, reviews):
    _publish_reviews(60, agreed_on=date(2021, 3, 1), title="Same title")
    first = client.get("/progress/")
    second = client.get("/progress/?page=2")
    assert first["Cache-Control"] == second["Cache-Control"] == "public, max-age=60"
    assert first["ETag"] != second["ETag"]
    assert client.get("/progress/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/progress/?page=2", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert _cards(client.get("/progress/?page=2")) == _cards(second)  # the kept copy


@pytest.mark.parametrize("today", [date(2019, 3, 31), date(2022, 9, 30), date(2024, 6, 28)])
def test_review_list_headlines_are_the_figures_of_the_full_as_at_state(client, monkeypatch, today):
    """The list takes its headlines from counts worked out in the database; they must be the
    ones the full as-at reconstruction of each review gives (what the page showed before)."""
    call_command(
        "generate_scale",
        "--partnerships",
        "2",
        "--reviews-per-partnership",
        "4",
        "--recommendations-per-review",
        "5",
        "--actions-per-recommendation",
        "3",
        "--updates-per-action",
        "6",
        "--until",
        "2024-06-28",
        verbosity=0,
        stdout=io.StringIO(),
    )
    monkeypatch.setattr(tracker_selectors, "today", lambda: today)
    published = list(selectors.published_review_list())
    assert 2 <= len(published) < Review.objects.count()  # some drafts, left out
    states = selectors.published_review_states(reviews=published, as_at=today)
    expected = {f"/progress/{r.slug}/": states[r.pk].headline for r in published}
    shown = dict(_cards(client.get("/progress/")))
    assert shown == expected
    assert len(set(shown.values())) > 1  # the reviews' figures differ: a real comparison


def test_open_data_lists_downloads_fifty_reviews_a_page(client, reviews):
    _publish_reviews(60, agreed_on=date(2021, 3, 1), title="Same title")
    first = lxml_html.fromstring(client.get("/open-data/").content)
    second = lxml_html.fromstring(client.get("/open-data/?page=2").content)
    csv_links = [
        href
        for root in (first, second)
        for href in root.xpath("//main//a/@href")
        if href.endswith(".csv")
    ]
    listed = Review.objects.filter(slug__startswith="listed-review-").order_by("id")
    assert len(csv_links) == 61
    expected = [f"/progress/{r.slug}/download.csv" for r in listed]
    assert csv_links == [*expected, f"{REVIEW_URL}download.csv"]  # the 2020 review last
    assert "Open data and API (page 2 of 2)" in second.findtext(".//title")
    assert second.xpath("//nav[contains(@class, 'govuk-pagination')]//a[@rel='prev']/@href") == [
        "/open-data/"
    ]
    assert client.get("/open-data/?page=3").status_code == 404
