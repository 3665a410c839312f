from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from followthrough.public import selectors

pytestmark = pytest.mark.django_db


def test_published_review_list_leaves_out_drafts(reviews):
    assert list(selectors.published_review_list()) == [reviews.review]


def test_published_review_get_treats_a_draft_as_missing(reviews):
    assert selectors.published_review_get("published-review") == reviews.review
    with pytest.raises(Http404):
        selectors.published_review_get("draft-review")


def test_published_recommendation_get_refuses_a_draft_reviews_recommendation(reviews):
    with pytest.raises(Http404):
        selectors.published_recommendation_get(reviews.draft, "1")


def test_published_review_state_refuses_a_draft(reviews):
    with pytest.raises(Http404):
        selectors.published_review_state(review=reviews.draft, as_at=date(2021, 2, 1))


def test_public_history_is_dated_newest_first_and_stops_at_the_date(reviews):
    history = selectors.public_history(action_ids=[reviews.action1.pk], as_at=date(2020, 4, 30))
    entries = history[reviews.action1.pk]
    assert [(e.on, e.kind) for e in entries] == [
        (date(2020, 4, 6), "update"),
        (date(2020, 3, 2), "target_date"),
        (date(2020, 2, 3), "update"),
    ]
    assert not hasattr(entries[0], "restricted_detail")


def test_public_recommendations_give_claim_verdict_and_slip(reviews):
    state = selectors.published_review_state(review=reviews.review, as_at=date(2020, 6, 1))
    [item] = selectors.public_recommendations(
        review=reviews.review, state=state, recommendations=[reviews.rec1]
    )
    [action] = item.actions
    assert action.latest_claim.status_to == "ready_for_assessment"
    assert action.latest_verdict.decision == "signed_off"
    assert action.target_slipped
    assert [c.new_date for c in action.target_changes] == [date(2020, 9, 30)]


def test_freshness_moves_with_every_recorded_change(reviews):
    before = selectors.public_freshness().marker
    from followthrough.tracker import services

    services.update_submit(
        actor=reviews.council_lead,
        action=reviews.action2,
        effective_date=date(2020, 2, 3),
        public_summary="Started.",
        owner_confidence="on_track",
    )
    assert selectors.public_freshness().marker != before


@pytest.mark.parametrize("as_at", [date(2020, 1, 5), date(2020, 4, 30), date(2021, 2, 1)])
def test_published_review_headlines_are_the_full_states_counts_for_published_reviews(
    reviews, as_at
):
    both = [reviews.review, reviews.draft]
    headlines = selectors.published_review_headlines(reviews=both, as_at=as_at)
    assert set(headlines) == {reviews.review.pk}  # the draft is left out
    [state] = selectors.published_review_states(reviews=both, as_at=as_at).values()
    assert headlines[reviews.review.pk].counts == state.counts
    assert headlines[reviews.review.pk].headline == state.headline
