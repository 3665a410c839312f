from __future__ import annotations

import base64
import hashlib
import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.test import APIClient

from followthrough.api import pagination, views
from followthrough.api import selectors as api_selectors
from followthrough.api import services as api_services
from followthrough.api.models import ApiToken
from followthrough.api.pagination import encode_cursor
from followthrough.core.models import AuditEvent
from followthrough.tracker import services
from followthrough.tracker.models import ProgressUpdate, Recommendation, Review
from followthrough.tracker.selectors import reviews_state_as_at
from tests.public.builders import DRAFT_MARKER, EVIDENCE_MARKER, RESTRICTED_MARKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _token_client(user) -> APIClient:
    client = APIClient()
    key = api_services.api_token_issue(actor=api_services.COMMAND_LINE, user=user, rotate=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _post_update(client: APIClient, action_id: int, **body):
    payload = {
        "effective_date": "2020-06-01",
        "public_summary": "Posted through the API.",
        "owner_confidence": "on_track",
        **body,
    }
    return client.post(f"/api/v1/actions/{action_id}/updates/", payload, format="json")


def test_root_lists_the_version_1_resources(api):
    data = api.get("/api/v1/").json()
    assert data["version"] == "1"
    assert data["reviews"].endswith("/api/v1/reviews/")
    assert data["schema"].endswith("/api/v1/schema/")


def test_schema_is_openapi_3(api):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/actions/{id}/updates/" in schema["paths"]


def test_anonymous_callers_see_published_reviews_only_with_as_at_figures(api, reviews):
    data = api.get("/api/v1/reviews/?as_at=2020-03-01").json()
    assert data["count"] == 1
    [review] = data["results"]
    assert review["slug"] == "published-review"
    assert review["as_at"] == "2020-03-01"
    assert review["counts"]["on_track"] == 2
    assert review["headline"].startswith("2 recommendations: 0 complete, 2 on track")
    assert api.get("/api/v1/reviews/draft-review/").status_code == 404


def test_review_detail_figures_move_with_as_at(api, reviews):
    later = api.get("/api/v1/reviews/published-review/?as_at=2020-06-01").json()
    assert later["counts"]["complete"] == 1
    assert later["counts"]["no_update"] == 1


def test_recommendations_filter_by_review_confidence_partner_and_theme(api, reviews):
    base = "/api/v1/recommendations/"
    everything = api.get(base).json()
    assert [r["number"] for r in everything["results"]] == ["1", "2"]
    complete = api.get(base, {"confidence": "complete", "as_at": "2020-06-01"}).json()
    assert [r["number"] for r in complete["results"]] == ["1"]
    by_partner = api.get(base, {"partner": reviews.council.slug}).json()
    assert [r["number"] for r in by_partner["results"]] == ["2"]
    by_theme = api.get(base, {"theme": "taxi-licensing", "review": "published-review"}).json()
    assert [r["number"] for r in by_theme["results"]] == ["1"]
    assert api.get(base, {"review": "draft-review"}).json() == {
        "next": None,
        "previous": None,
        "results": [],
    }


def test_bad_query_parameters_are_refused_with_messages(api, reviews):
    response = api.get("/api/v1/recommendations/", {"confidence": "splendid"})
    assert response.status_code == 400
    assert "confidence" in response.json()
    assert api.get("/api/v1/reviews/", {"as_at": "9999-12-31"}).status_code == 400
    assert api.get("/api/v1/actions/", {"as_at": "yesterday"}).status_code == 400


def test_actions_show_status_and_target_date_as_at(api, reviews):
    url = f"/api/v1/actions/{reviews.action1.pk}/"
    before = api.get(url, {"as_at": "2020-02-15"}).json()
    assert before["status"] == "in_progress"
    assert before["target_date"] == "2020-06-30"
    after = api.get(url, {"as_at": "2020-06-01"}).json()
    assert after["status"] == "complete"
    assert after["target_date"] == "2020-09-30"
    assert after["baseline_target_date"] == "2020-06-30"
    listed = api.get("/api/v1/actions/", {"status": "complete", "as_at": "2020-06-01"}).json()
    assert [a["id"] for a in listed["results"]] == [reviews.action1.pk]
    assert api.get(f"/api/v1/actions/{reviews.draft_action.pk}/").status_code == 404


def test_lists_are_paginated(api, reviews):
    first = api.get("/api/v1/reviews/", {"page_size": 1}).json()
    assert first["count"] == 1
    assert len(first["results"]) == 1 and first["next"] is None
    assert api.get("/api/v1/reviews/", {"page": 99}).status_code == 404
    updates = api.get(f"/api/v1/actions/{reviews.action1.pk}/updates/", {"page_size": 1}).json()
    assert len(updates["results"]) == 1
    rest = _walk(api, updates["next"])
    assert [u["id"] for page in [updates["results"], *rest] for u in page] == list(
        reviews.action1.updates.order_by("-effective_date", "-id").values_list("pk", flat=True)
    )


def test_huge_ids_are_simply_not_found(api, reviews):
    assert api.get(f"/api/v1/actions/{2**70}/").status_code == 404
    assert api.get(f"/api/v1/updates/{2**70}/").status_code == 404


def test_restricted_detail_evidence_and_drafts_never_reach_anonymous_callers(api, reviews):
    urls = [
        "/api/v1/reviews/",
        "/api/v1/reviews/published-review/",
        "/api/v1/recommendations/",
        f"/api/v1/recommendations/{reviews.rec1.pk}/",
        "/api/v1/actions/",
        f"/api/v1/actions/{reviews.action1.pk}/",
        f"/api/v1/actions/{reviews.action1.pk}/updates/",
        "/api/v1/updates/",
        *[f"/api/v1/updates/{pk}/" for pk in ProgressUpdate.objects.values_list("pk", flat=True)],
    ]
    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "restricted_detail" not in body, url
        for marker in (RESTRICTED_MARKER, EVIDENCE_MARKER, DRAFT_MARKER):
            assert marker not in body, (url, marker)


def test_a_partner_token_shows_restricted_detail_only_for_their_own_actions(reviews):
    police = _token_client(reviews.police_lead)
    updates = police.get("/api/v1/updates/").json()["results"]
    assert all(RESTRICTED_MARKER in u["restricted_detail"] for u in updates)
    council = _token_client(reviews.council_lead)
    for update in council.get("/api/v1/updates/").json()["results"]:
        assert "restricted_detail" not in update


def test_a_partner_posts_an_update_to_their_own_action_through_the_service(reviews):
    client = _token_client(reviews.council_lead)
    audit_before = AuditEvent.objects.count()
    response = _post_update(
        client,
        reviews.action2.pk,
        restricted_detail="Only for us",
        status_to="in_progress",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["public_summary"] == "Posted through the API."
    assert data["restricted_detail"] == "Only for us"
    assert data["organisation"] == reviews.council.slug
    reviews.action2.refresh_from_db()
    assert reviews.action2.status == "in_progress"
    assert AuditEvent.objects.filter(verb="update.submit").count() == 3
    assert AuditEvent.objects.count() == audit_before + 1
    # The anonymous view of the same update has the public narrative only.
    public = APIClient().get(f"/api/v1/updates/{data['id']}/").json()
    assert public["public_summary"] == "Posted through the API."
    assert "restricted_detail" not in public


def test_posting_without_a_token_is_refused(api, reviews):
    response = _post_update(api, reviews.action2.pk)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_posting_with_a_bad_token_is_refused(reviews):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert _post_update(client, reviews.action2.pk).status_code == 401


def test_posting_to_another_partners_action_is_forbidden(reviews):
    client = _token_client(reviews.police_lead)
    response = _post_update(client, reviews.action2.pk)
    assert response.status_code == 403
    assert not ProgressUpdate.objects.filter(public_summary="Posted through the API.").exists()


def test_posting_to_an_action_the_partner_cannot_see_is_not_found(reviews):
    client = _token_client(reviews.police_lead)
    assert _post_update(client, reviews.draft_action.pk).status_code == 404
    assert _post_update(client, 987654).status_code == 404


def test_the_service_rules_come_back_as_400_with_messages(reviews):
    client = _token_client(reviews.council_lead)
    future = _post_update(client, reviews.action2.pk, effective_date="2999-01-01")
    assert future.status_code == 400
    assert "effective_date" in future.json()
    blank = _post_update(client, reviews.action2.pk, public_summary="   ")
    assert blank.status_code == 400
    assert "public_summary" in blank.json()
    skipping = _post_update(client, reviews.action2.pk, status_to="ready_for_assessment")
    assert skipping.status_code == 400
    assert "status_to" in skipping.json()


def test_a_stale_version_is_refused_rather_than_overwriting(reviews):
    client = _token_client(reviews.council_lead)
    version = client.get(f"/api/v1/actions/{reviews.action2.pk}/").json()["version"]
    assert _post_update(client, reviews.action2.pk, expected_version=version).status_code == 201
    stale = _post_update(
        client, reviews.action2.pk, expected_version=version, effective_date="2020-06-02"
    )
    assert stale.status_code == 400
    assert "Someone else changed this action" in stale.content.decode()


def test_anonymous_api_answers_are_cacheable_and_token_answers_private(api, reviews):
    public = api.get("/api/v1/reviews/")
    assert public["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in public["Vary"]
    assert api.get("/api/v1/reviews/", HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 304
    private = _token_client(reviews.police_lead).get("/api/v1/reviews/")
    assert "private" in private["Cache-Control"]


def test_issue_api_token_prints_a_working_token_once_and_keeps_only_its_digest(reviews, capsys):
    call_command("issue_api_token", "council.lead")
    key = capsys.readouterr().out.strip()
    stored = ApiToken.objects.get(user=reviews.council_lead)
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest() and key[:6] == stored.prefix
    assert not _stored_anywhere(key)
    works = APIClient()
    works.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert "private" in works.get("/api/v1/reviews/")["Cache-Control"]  # signed in by token
    with pytest.raises(CommandError, match="cannot be shown again: rotate"):
        call_command("issue_api_token", "council.lead")
    call_command("issue_api_token", "council.lead", "--rotate")
    rotated = capsys.readouterr().out.strip()
    assert rotated != key
    assert works.get("/api/v1/reviews/").status_code == 403  # the old token stops at once
    assert _post_update(works, reviews.action2.pk).status_code == 401
    assert AuditEvent.objects.filter(verb__startswith="api_token.").count() == 2
    call_command("issue_api_token", "council.lead", "--revoke")
    assert not ApiToken.objects.filter(user=reviews.council_lead).exists()


def _stored_anywhere(key: str) -> bool:
    """Whether the key appears in any text column of any table (it must not)."""
    from django.db import connection

    found = False
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            for column in columns:
                quoted_table = connection.ops.quote_name(table)
                quoted = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT 1 FROM {quoted_table} WHERE CAST({quoted} AS TEXT) LIKE %s",  # noqa: S608
                    [f"%{key}%"],
                )
                found = found or cursor.fetchone() is not None
    return found


def test_old_clear_text_tokens_are_carried_over_as_digests_and_their_table_dropped(reviews):
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("followthrough.api.migrations.0001_api_token_digests")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            ["0123456789abcdef0123456789abcdef01234567", "2026-01-01", reviews.police_lead.pk],
        )
    # What the migration uses of its schema editor (SQLite's cannot open inside a test's
    # transaction).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.carry_over_old_tokens(apps, editor)
    with connection.cursor() as cursor:
        assert "authtoken_token" not in connection.introspection.table_names(cursor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert "private" in client.get("/api/v1/reviews/")["Cache-Control"]


def test_issue_api_token_is_only_for_partner_leads(reviews):
    with pytest.raises(CommandError, match="only for active partner leads"):
        call_command("issue_api_token", "officer")
    with pytest.raises(CommandError, match="no user"):
        call_command("issue_api_token", "nobody")


def test_api_token_issue_service_refuses_people_who_may_not_issue(reviews):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api_services.api_token_issue(actor=reviews.council_lead, user=reviews.police_lead)
    key = api_services.api_token_issue(actor=reviews.officer, user=reviews.police_lead)
    assert ApiToken.objects.get(digest=ApiToken.digest_of(key)).user == reviews.police_lead


def test_update_dates_filter_the_update_list(api, reviews):
    data = api.get("/api/v1/updates/", {"since": "2020-03-01"}).json()
    assert [u["effective_date"] for u in data["results"]] == ["2020-04-06"]
    data = api.get("/api/v1/updates/", {"as_at": "2020-03-01"}).json()
    assert [u["effective_date"] for u in data["results"]] == ["2020-02-03"]


@pytest.fixture
def more_reviews(reviews):
    """Six synthetic reviews besides the builders' two (two partnerships, `generate_scale`),
    four of them published, with histories up to the end of June 2024."""
    if connection.vendor == "postgresql":
        # The generator rebuilds indexes, which PostgreSQL refuses while the builders' rows
        # still have foreign-key checks waiting for the end of the test's transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command(
        "generate_scale",
        "--partnerships",
        "2",
        "--until",
        "2024-06-28",
        "--reviews-per-partnership",
        "3",
        "--recommendations-per-review",
        "4",
        "--actions-per-recommendation",
        "2",
        "--updates-per-action",
        "3",
        verbosity=0,
    )
    published = Review.objects.filter(slug__regex=r"-review-0[12]$")
    published.update(visibility=Review.Visibility.PUBLISHED)
    return reviews


@pytest.mark.parametrize("as_at", ["2015-06-30", "2020-03-01", "2024-06-28", "2026-01-01"])
def test_review_list_json_is_what_the_full_as_at_state_gave(api, more_reviews, as_at):
    """The list takes its figures from the counts in SQL; the JSON must be what the full
    reconstruction of each review (which it used before) gives, page after page."""
    reviews = more_reviews
    for client, user in ((api, None), (_token_client(reviews.police_lead), reviews.police_lead)):
        visible = api_selectors.review_list_for_api(user or AnonymousUser())
        expected_reviews = list(visible.order_by("-agreed_on", "slug"))
        assert len(expected_reviews) >= 5
        states = reviews_state_as_at(reviews=expected_reviews, as_at=date.fromisoformat(as_at))
        request = Request(RequestFactory().get("/api/v1/reviews/"))
        expected = json.loads(
            json.dumps(
                [views._review_data(request, r, states[r.pk]) for r in expected_reviews],
                cls=DjangoJSONEncoder,
            )
        )
        got, url = [], f"/api/v1/reviews/?as_at={as_at}&page_size=2"
        while url:
            data = client.get(url).json()
            assert data["count"] == len(expected_reviews)
            got += data["results"]
            url = data["next"]
        assert got == expected


def _walk(client: APIClient, url: str, link: str = "next") -> list[dict]:
    """Every page from `url`, following `link`: the pages' results in the order visited."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        data = response.json()
        assert set(data) == {"next", "previous", "results"}  # no count: none is made
        pages.append(data["results"])
        url = data[link]
    return pages


def _visible_recommendations(user) -> list[Recommendation]:
    return list(
        api_selectors.recommendation_list_for_api(user).order_by("review_id", "position", "id")
    )


@pytest.mark.parametrize("page_size", [1, 3, 50])
def test_recommendations_page_by_cursor_through_every_one_once_in_printed_order(
    api, more_reviews, page_size
):
    expected = [r.pk for r in _visible_recommendations(AnonymousUser())]
    assert len(expected) >= 18  # the builders' 2 and at least four published reviews of 4
    forward = _walk(api, f"/api/v1/recommendations/?page_size={page_size}")
    assert [r["id"] for page in forward for r in page] == expected
    assert all(len(page) == page_size for page in forward[:-1])
    # From the last page back to the first, by `previous`.
    last = api.get(f"/api/v1/recommendations/?page_size={page_size}")
    while last.json()["next"]:
        last = api.get(last.json()["next"])
    backward = _walk(api, last.json()["previous"], link="previous") if len(forward) > 1 else []
    ids = [r["id"] for page in reversed(backward) for r in page] + [
        r["id"] for r in last.json()["results"]
    ]
    assert ids == expected


def test_actions_page_by_cursor_through_every_one_once(more_reviews):
    council = _token_client(more_reviews.council_lead)
    visible = api_selectors.action_list_for_api(more_reviews.council_lead)
    expected = list(visible.order_by("recommendation_id", "position", "id").values_list("pk"))
    pages = _walk(council, "/api/v1/actions/?page_size=4")
    assert [(a["id"],) for page in pages for a in page] == expected
    assert len(pages) == -(-len(expected) // 4)


@pytest.mark.parametrize("status", ["complete", "in_progress", "not_started"])
def test_filtering_on_as_at_figures_pages_by_cursor_through_every_match(api, more_reviews, status):
    as_at = date(2022, 3, 31)
    recommendations = _visible_recommendations(AnonymousUser())
    states = reviews_state_as_at(reviews=list({r.review for r in recommendations}), as_at=as_at)
    expected = [
        r.pk
        for r in recommendations
        if states[r.review_id].recommendations[r.pk].status.value == status
    ]
    pages = _walk(api, f"/api/v1/recommendations/?status={status}&as_at={as_at}&page_size=2")
    assert [r["id"] for page in pages for r in page] == expected
    assert all(r["status"] == status for page in pages for r in page)
    actions = api_selectors.action_list_for_api(AnonymousUser()).order_by(
        "recommendation_id", "position", "id"
    )
    expected_actions = [
        a.pk
        for a in actions.select_related("recommendation")
        if (state := views._action_state(states[a.recommendation.review_id], a))
        and state.status.value == status
    ]
    pages = _walk(api, f"/api/v1/actions/?status={status}&as_at={as_at}&page_size=3")
    assert [a["id"] for page in pages for a in page] == expected_actions


@pytest.mark.parametrize("budget", [1, 3])
def test_a_filter_that_matches_little_reads_a_bounded_number_of_rows_a_request(
    api, more_reviews, monkeypatch, budget
):
    """With the read budget spent, a page comes back short (or empty) with links that carry on
    from the last row read: walking still meets every match once, in both directions."""
    monkeypatch.setattr(pagination, "SCAN_BUDGET", budget)
    as_at = date(2022, 3, 31)
    recommendations = _visible_recommendations(AnonymousUser())
    states = reviews_state_as_at(reviews=list({r.review for r in recommendations}), as_at=as_at)
    expected = [
        r.pk
        for r in recommendations
        if states[r.review_id].recommendations[r.pk].status.value == "complete"
    ]
    url = f"/api/v1/recommendations/?status=complete&as_at={as_at}&page_size=2"
    pages = _walk(api, url)
    assert [r["id"] for page in pages for r in page] == expected
    if budget == 1:  # every batch of three read ends the request
        assert any(len(page) < 2 for page in pages[:-1])  # the budget cut some pages short
    last = api.get(url).json()
    while last["next"]:
        last = api.get(last["next"]).json()
    backward = _walk(api, last["previous"], link="previous") if last["previous"] else []
    ids = [r["id"] for page in reversed(backward) for r in page]
    assert ids + [r["id"] for r in last["results"]] == expected


def test_a_cursor_keeps_its_place_when_recommendations_are_added(api, more_reviews):
    before = len(_visible_recommendations(AnonymousUser()))
    first = api.get("/api/v1/recommendations/?page_size=5").json()
    seen = [r["id"] for r in first["results"]]
    # A new recommendation in the first review, which the first page has already passed.
    services.recommendation_create(
        actor=more_reviews.officer,
        review=Review.objects.get(slug="published-review"),
        number="3",
        text="Added while a client was paging.",
    )
    rest = _walk(api, first["next"])
    seen += [r["id"] for page in rest for r in page]
    # Each one once; the new one sorts before the cursor, so this walk does not meet it.
    assert len(seen) == len(set(seen)) == before


def test_a_bad_cursor_or_a_page_number_is_refused_with_a_message(api, more_reviews):
    for cursor in ("not-a-cursor", "eyJhZnRlciI6WzFdfQ", "eyJhZnRlciI6WzEsMiwiMyJdfQ", "é"):
        response = api.get("/api/v1/recommendations/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "cursor" in response.json()
    response = api.get("/api/v1/actions/", {"page": "2"})
    assert response.status_code == 400
    assert "cursor" in response.json()["page"][0]


def test_updates_page_by_cursor_newest_first_through_every_one_once(more_reviews):
    council = _token_client(more_reviews.council_lead)
    visible = api_selectors.update_list_for_api(more_reviews.council_lead)
    expected = list(visible.order_by("-effective_date", "-id").values_list("pk", flat=True))
    dates = list(visible.values_list("effective_date", flat=True))
    assert len(expected) >= 10 and len(set(dates)) < len(dates)  # ties on the date
    for page_size in (1, 3, 50):
        pages = _walk(council, f"/api/v1/updates/?page_size={page_size}")
        assert [u["id"] for page in pages for u in page] == expected
        last = council.get(f"/api/v1/updates/?page_size={page_size}").json()
        while last["next"]:
            last = council.get(last["next"]).json()
        backward = _walk(council, last["previous"], link="previous") if len(pages) > 1 else []
        ids = [u["id"] for page in reversed(backward) for u in page]
        assert ids + [u["id"] for u in last["results"]] == expected
    since = _walk(council, "/api/v1/updates/?since=2021-01-01&page_size=2")
    assert [u["id"] for page in since for u in page] == list(
        visible.filter(effective_date__gte=date(2021, 1, 1))
        .order_by("-effective_date", "-id")
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "key", [["2020-13-01", 5], ["2020-01-01", "5"], [20200101, 5], ["2020-01-01"], ["x" * 10, 1]]
)
def test_a_bad_update_cursor_is_refused_with_a_message(api, reviews, key):
    raw = json.dumps({"after": key}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = api.get("/api/v1/updates/", {"cursor": cursor})
    assert response.status_code == 400, key
    assert "cursor" in response.json()


def test_a_made_up_cursor_shows_nothing_the_caller_may_not_see(api, reviews):
    """Cursors say where to start, never what to show: the access funnel still decides."""
    draft = reviews.draft_action.recommendation
    cursor = encode_cursor((draft.review_id, 0, 0))
    pages = _walk(api, f"/api/v1/recommendations/?cursor={cursor}&page_size=1")
    shown = {r["review"] for page in pages for r in page}
    assert "draft-review" not in shown
    before = encode_cursor((draft.review_id + 1, 0, 0), before=True)
    pages = _walk(api, f"/api/v1/recommendations/?cursor={before}&page_size=1", link="previous")
    assert {r["review"] for page in pages for r in page} == {"published-review"}


def test_schema_describes_cursor_pages_for_recommendations_and_actions(api):
    schema = json.loads(api.get("/api/v1/schema/?format=json").content)
    for path in (
        "/api/v1/recommendations/",
        "/api/v1/actions/",
        "/api/v1/updates/",
        "/api/v1/actions/{id}/updates/",
    ):
        operation = schema["paths"][path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"cursor", "page_size"} <= names and "page" not in names, path
        envelope = operation["responses"]["200"]["content"]["application/json"]["schema"]
        body = schema["components"]["schemas"][envelope["$ref"].rsplit("/", 1)[1]]
        assert body["required"] == ["next", "previous", "results"], path
    reviews = schema["paths"]["/api/v1/reviews/"]["get"]
    assert "page" in {p["name"] for p in reviews["parameters"]}
