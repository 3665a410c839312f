from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from followthrough.demo import tracker_demo
from followthrough.tracker.models import Action, ProgressUpdate, Review

from .factories import build_world, post_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    review, _ = tracker_demo.load()
    return review


def _client(username: str) -> Client:
    from followthrough.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _status(slug: str, as_at: str) -> dict:
    out = StringIO()
    call_command("review_status", slug, "--as-at", as_at, stdout=out)
    return json.loads(out.getvalue())


def test_demo_review_page_as_at_interim_says_17_complete_21_on_track(demo):
    body = _client("councillor").get(f"/reviews/{demo.slug}/?as_at=2016-11-24").content.decode()
    assert "38 recommendations: 17 complete, 21 on track, 0 at risk, 0 overdue" in body
    # The same answer through the GOV.UK date boxes.
    body = (
        _client("councillor")
        .get(f"/reviews/{demo.slug}/", {"as_at_0": "24", "as_at_1": "11", "as_at_2": "2016"})
        .content.decode()
    )
    assert "17 complete, 21 on track" in body


def test_review_status_command_contract_at_both_meetings(demo):
    assert _status("cse-scrutiny-review", "2016-11-24") == {
        "review": "cse-scrutiny-review",
        "as_at": "2016-11-24",
        "recommendations": 38,
        "complete": 17,
        "on_track": 21,
        "at_risk": 0,
        "overdue": 0,
        "no_update": 0,
        "closed_not_implemented": 0,
    }
    end = _status("cse-scrutiny-review", "2017-05-25")
    assert end["recommendations"] == 38
    assert end["complete"] > 17  # more signed off over the year
    assert end["overdue"] and end["at_risk"] and end["closed_not_implemented"]
    assert sum(v for k, v in end.items() if k not in ("review", "as_at", "recommendations")) == 38


def test_review_status_command_rejects_bad_input(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No review"):
        _status("no-such-review", "2016-11-24")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _status("cse-scrutiny-review", "24/11/2016")


def test_load_demo_is_idempotent(demo):
    counts = (Review.objects.count(), Action.objects.count(), ProgressUpdate.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (
        Review.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
    ) == counts


def test_demo_end_of_year_shows_slippage_with_reasons(demo):
    slipped = Action.objects.filter(recommendation__review=demo).exclude(
        target_date=models_baseline()
    )
    assert slipped.exists()
    action = slipped.first()
    body = _client("officer").get(f"/actions/{action.pk}/").content.decode()
    assert "Target date changed" in body and "Reason:" in body


def models_baseline():
    from django.db.models import F

    return F("baseline_target_date")


def test_review_page_filters_by_status_partner_and_theme(demo):
    client = _client("officer")
    body = client.get(
        f"/reviews/{demo.slug}/", {"as_at": "2016-11-24", "confidence": "complete"}
    ).content.decode()
    assert "17 matching recommendations" in body
    theme = demo.recommendations.get(number="5").themes.get()
    body = client.get(
        f"/reviews/{demo.slug}/", {"as_at": "2016-11-24", "theme": theme.pk}
    ).content.decode()
    assert "Safeguarding conditions on licences" in body
    assert "Specialist CSE social workers" not in body


def test_update_form_posts_an_update_and_shows_errors_in_summary(db):
    world = build_world()
    client = Client()
    client.force_login(world.police_lead)
    url = f"/actions/{world.police_action.pk}/update/"
    response = client.post(url, {"version": world.police_action.version})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "govuk-error-summary" in body
    assert body.count("govuk-form-group--error") >= 2
    response = client.post(
        url,
        {
            "version": world.police_action.version,
            "effective_date_0": "1",
            "effective_date_1": "2",
            "effective_date_2": "2024",
            "status_to": "in_progress",
            "owner_confidence": "on_track",
            "public_summary": "Started.",
        },
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=world.police_action.pk).status == "in_progress"


def test_update_form_keeps_input_when_someone_else_saved_first(db):
    world = build_world()
    client = Client()
    client.force_login(world.police_lead)
    stale_version = world.police_action.version
    post_update(world.police_action, world.police_lead, date(2024, 2, 1))
    response = client.post(
        f"/actions/{world.police_action.pk}/update/",
        {
            "version": stale_version,
            "effective_date_0": "2",
            "effective_date_1": "2",
            "effective_date_2": "2024",
            "status_to": "",
            "owner_confidence": "on_track",
            "public_summary": "My carefully written paragraph",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this action" in body
    assert "My carefully written paragraph" in body  # their input is kept


def test_evidence_download_is_an_attachment(db):
    from followthrough.tracker import services

    world = build_world()
    post_update(
        world.police_action,
        world.police_lead,
        date(2024, 2, 1),
        evidence=[
            services.EvidenceInput(description="Plan", filename="plan.csv", content=b"a,b\n1,2\n")
        ],
    )
    client = Client()
    client.force_login(world.officer)
    evidence = world.police_action.updates.get().evidence.get()
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="plan.csv"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
    from followthrough.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="evidence.download", actor=world.officer).exists()


def test_recommendation_page_shows_indicator_value_as_at_the_date(db):
    from decimal import Decimal

    from followthrough.tracker import services

    world = build_world()
    indicator = services.indicator_ensure(
        actor=world.officer,
        recommendation=world.recommendation,
        feed="test",
        name="Drivers trained",
        target=Decimal(90),
    )
    services.indicator_record_value(
        actor=world.officer, indicator=indicator, on=date(2024, 3, 31), value=Decimal("40.5")
    )
    services.indicator_record_value(
        actor=world.officer, indicator=indicator, on=date(2024, 6, 30), value=Decimal("75")
    )
    client = Client()
    client.force_login(world.member)
    url = f"/reviews/{world.review.slug}/recommendations/1/"
    body = client.get(url, {"as_at": "2024-05-01"}).content.decode()
    assert "Drivers trained" in body and "40.5%" in body and "75%" not in body
    body = client.get(url, {"as_at": "2024-07-01"}).content.decode()
    assert "75%" in body


def _more_reviews(count: int, *, start: date = date(2010, 1, 1)) -> None:
    """`count` more reviews, one a day from `start` (so the newest is listed first)."""
    Review.objects.bulk_create(
        Review(
            slug=f"extra-{n:03d}",
            title=f"Extra review {n:03d}",
            made_by="Scrutiny Committee",
            agreed_on=date.fromordinal(start.toordinal() + n),
        )
        for n in range(count)
    )


def test_review_list_shows_50_a_page_with_govuk_pagination(db):
    world = build_world(agreed=date(2024, 1, 8))
    _more_reviews(119)  # 120 reviews in all: pages of 50, 50 and 20
    client = _client("officer")
    first = client.get("/reviews/").content.decode()
    assert first.count('href="/reviews/extra-') + first.count('href="/reviews/test-review/"') == 50
    assert "/reviews/test-review/" in first  # the newest review is first
    assert "Showing <strong>1</strong> to <strong>50</strong> of <strong>120</strong> reviews" in (
        first
    )
    assert 'class="govuk-pagination"' in first
    assert 'href="/reviews/?page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'aria-label="Page 1" aria-current="page"' in first

    last = client.get("/reviews/?page=3").content.decode()
    assert "Showing <strong>101</strong> to <strong>120</strong> of <strong>120</strong>" in last
    assert 'href="/reviews/?page=2" rel="prev"' in last
    assert 'rel="next"' not in last
    assert "Extra review 000" in last  # the oldest is last
    # Every review on exactly one page.
    pages = [client.get(f"/reviews/?page={n}").content.decode() for n in (1, 2, 3)]
    for review in Review.objects.all():
        assert sum(f'href="/reviews/{review.slug}/"' in page for page in pages) == 1, review.slug
    assert world.review.slug == "test-review"


def test_review_list_pages_that_do_not_exist_are_not_found(db):
    build_world()
    _more_reviews(60)
    client = _client("officer")
    for page in ("0", "3", "x", "-1"):
        assert client.get(f"/reviews/?page={page}").status_code == 404, page
    assert client.get("/reviews/?page=2").status_code == 200


def test_review_list_fits_on_one_page_without_pagination(db):
    build_world()
    body = _client("police.lead").get("/reviews/").content.decode()
    assert "Showing <strong>1</strong> to <strong>1</strong> of <strong>1</strong> review<" in body
    assert "govuk-pagination" not in body


def test_review_list_headlines_are_as_at_today_for_each_review_on_the_page(db):
    world = build_world(agreed=date(2024, 1, 8))
    _more_reviews(60, start=date(2000, 1, 1))  # older: the world's review is on page 1
    client = _client("officer")
    body = client.get("/reviews/").content.decode()
    assert "1 recommendation: 0 complete" in body
    assert body.count("0 recommendations: 0 complete") == 49
    assert world.review.title in body
