"""Pages cost the same number of SQL queries however much data there is.

Synthetic partnerships (`generate_scale`, the benchmark generator) are loaded small, every page
is opened and its queries counted; then the data is doubled, and again with reviews twice the
size (twice the recommendations, more actions each, more updates each). A page whose count moved
would be doing work per row, which at national scale (bench/README.md) means thousands of
queries. Also checks the national roll-up agrees with adding up every review's own figures.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followthrough.core.models import User
from followthrough.tracker import selectors
from followthrough.tracker.models import Action, ProgressUpdate, Recommendation, Review

from .factories import build_world
from .test_as_at import START, _apply, operation

pytestmark = pytest.mark.django_db

SMALL = ["--reviews-per-partnership", "2", "--recommendations-per-review", "3"]
SMALL += ["--actions-per-recommendation", "2", "--updates-per-action", "3"]
LARGER = ["--reviews-per-partnership", "2", "--recommendations-per-review", "6"]
LARGER += ["--actions-per-recommendation", "4", "--updates-per-action", "6"]
UNTIL = date(2024, 6, 28)
MOST_QUERIES = 15  # the national-scale target for any page (bench/README.md)
_TRANSACTION = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def _generate(*shape: str) -> None:
    call_command(
        "generate_scale",
        "--partnerships",
        "1",
        "--until",
        UNTIL.isoformat(),
        *shape,
        verbosity=0,
        stdout=StringIO(),
    )
    Review.objects.update(visibility=Review.Visibility.PUBLISHED)


def _pages(partnership: int) -> dict[str, tuple[str, str]]:
    """Each page, as (who opens it, address), for one synthetic partnership's first review."""
    prefix = f"scale-{partnership:04d}"
    review = Review.objects.get(slug=f"{prefix}-review-01")
    recommendation = Recommendation.objects.filter(review=review).order_by("position").last()
    assert recommendation is not None
    action = Action.objects.filter(recommendation=recommendation).order_by("position").last()
    assert action is not None
    return {
        "dashboard (officer)": (f"{prefix}-officer", "/dashboard/"),
        "dashboard (partner lead)": (f"{prefix}-police.lead", "/dashboard/"),
        "review list (officer)": (f"{prefix}-officer", "/reviews/"),
        "review list (partner lead)": (f"{prefix}-police.lead", "/reviews/"),
        "review page": (f"{prefix}-officer", f"/reviews/{review.slug}/"),
        "review page as at": (f"{prefix}-officer", f"/reviews/{review.slug}/?as_at=2022-03-31"),
        "recommendation page": (
            f"{prefix}-officer",
            f"/reviews/{review.slug}/recommendations/{recommendation.number}/",
        ),
        "action page": (f"{prefix}-officer", f"/actions/{action.pk}/"),
        "public review page": ("", f"/progress/{review.slug}/"),
        "public progress list": ("", "/progress/"),  # page 1
        "API review list": ("", "/api/v1/reviews/"),
        "API recommendation list": ("", f"/api/v1/recommendations/?review={review.slug}"),
        "API action list": ("", f"/api/v1/actions/?review={review.slug}"),
        "API recommendation list (all)": ("", "/api/v1/recommendations/?page_size=2"),
        "API action list (all)": ("", "/api/v1/actions/?page_size=2"),
        "API update list (all)": ("", "/api/v1/updates/?page_size=2"),
        "API update list (one review)": ("", f"/api/v1/updates/?review={review.slug}"),
    }


def _count_queries(pages: dict[str, tuple[str, str]]) -> dict[str, int]:
    counts = {}
    for name, (username, url) in pages.items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        client.get(url)  # warm: first-use lookups (content types, sessions) are not per page
        cache.clear()  # public pages keep a rendered copy; count the work of making one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        # SQLite logs BEGIN and COMMIT as statements (PostgreSQL does not): count real work.
        counts[name] = sum(1 for q in queries if not _TRANSACTION.match(q["sql"]))
    return counts


@pytest.fixture
def frozen_today(monkeypatch) -> Callable[[], date]:
    """Pages work 'as at today': pin today to the end of the generated histories."""

    def pinned() -> date:
        return UNTIL

    monkeypatch.setattr(selectors, "today", pinned)
    return pinned


def test_page_query_counts_stay_the_same_when_the_data_doubles(frozen_today):
    _generate(*SMALL)
    first = _count_queries(_pages(1))
    assert max(first.values()) < MOST_QUERIES, first

    _generate(*SMALL)  # a second partnership just like the first: twice the data
    assert Review.objects.count() == 4
    assert _count_queries(_pages(1)) == first
    assert _count_queries(_pages(2)) == first


def test_page_query_counts_do_not_grow_with_the_size_of_a_review(frozen_today):
    _generate(*SMALL)
    _generate(*LARGER)  # twice the recommendations, twice the actions and updates on each
    small, large = _count_queries(_pages(1)), _count_queries(_pages(2))
    assert Action.objects.filter(recommendation__review__slug="scale-0002-review-01").count() == (
        4 * Action.objects.filter(recommendation__review__slug="scale-0001-review-01").count()
    )
    assert large == small


def test_national_rollup_agrees_with_adding_up_each_review():
    _generate(*SMALL)
    _generate(*LARGER)
    reviews = list(Review.objects.all())
    assert ProgressUpdate.objects.count() > 200
    for as_at in (date(2015, 6, 30), date(2019, 3, 31), UNTIL, UNTIL + timedelta(days=400)):
        states = selectors.reviews_state_as_at(reviews=reviews, as_at=as_at)
        expected: Counter = Counter()
        for review in reviews:
            if review.agreed_on <= as_at:
                expected.update(states[review.pk].counts)
        rollup = selectors.national_rollup_as_at(as_at=as_at)
        assert rollup.counts == {c: expected[c] for c in rollup.counts}, as_at
        assert rollup.reviews == sum(1 for r in reviews if r.agreed_on <= as_at)
        headlines = selectors.reviews_counts_as_at(reviews=reviews, as_at=as_at)
        assert {pk: h.counts for pk, h in headlines.items()} == {
            pk: s.counts for pk, s in states.items()
        }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_counts_agree_with_the_history_after_any_run_of_real_updates(operations):
    """Headline counts and the roll-up read an action's own columns when nothing was recorded
    after the date: written through the services, they still agree with the history."""
    with transaction.atomic():
        world = build_world(agreed=START, target=START + timedelta(days=200))
        actions = [world.police_action, world.council_action]
        on = START
        probes = {START - timedelta(days=1)}
        for gap, index, kind, confidence, offset in operations:
            on += timedelta(days=gap)
            probes |= {on - timedelta(days=1), on, on + timedelta(days=1)}
            with contextlib.suppress(ValidationError, PermissionDenied):
                _apply(world, actions[index], kind, confidence, offset, on)
        probes |= {on + timedelta(days=60), on + timedelta(days=400)}
        for probe in sorted(probes):
            history = selectors.review_state_as_at(review=world.review, as_at=probe).counts
            counts = selectors.reviews_counts_as_at(reviews=[world.review], as_at=probe)
            assert counts[world.review.pk].counts == history, f"as at {probe}"
            rollup = selectors.national_rollup_as_at(as_at=probe)
            expected = history if world.review.agreed_on <= probe else dict.fromkeys(history, 0)
            assert rollup.counts == expected, f"as at {probe}"
        transaction.set_rollback(True)
