"""Reads for the API: what a caller may see, and the as-at figures for it.

Anyone sees published reviews (through `public.selectors`); a signed-in or token-holding tracker
user also sees what the tracker's own access funnel lets them see, and nothing more. Restricted
detail is only ever read for a caller the tracker allows to see it (`can_view_restricted`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from followthrough.public import selectors as public_selectors
from followthrough.tracker import selectors as tracker_selectors
from followthrough.tracker.models import Action, ProgressUpdate, Recommendation, Review
from followthrough.tracker.permissions import can_view_restricted, is_tracker_reader
from followthrough.tracker.selectors import ReviewCounts, ReviewState

# Dates outside this range are refused (the as-at arithmetic adds days to them).
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def today() -> date:
    return tracker_selectors.today()


def review_list_for_api(user: Any) -> QuerySet[Review]:
    """Published reviews, plus those the tracker lets this signed-in person read."""
    published = public_selectors.published_review_list()
    if is_tracker_reader(user):
        allowed = tracker_selectors.review_list_for_user(user)
        return Review.objects.filter(
            Q(pk__in=published.values("pk")) | Q(pk__in=allowed.values("pk"))
        )
    return published


def review_get_for_api(user: Any, slug: str) -> Review:
    review = review_list_for_api(user).filter(slug=slug).first()
    if review is None:
        raise Http404("No such review")
    return review


def recommendation_list_for_api(user: Any) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(review__in=review_list_for_api(user).values("pk"))


def action_list_for_api(user: Any) -> QuerySet[Action]:
    return Action.objects.filter(recommendation__review__in=review_list_for_api(user).values("pk"))


def update_list_for_api(user: Any) -> QuerySet[ProgressUpdate]:
    """Updates the caller may see. Restricted detail is not even loaded for anonymous callers."""
    queryset = ProgressUpdate.objects.filter(
        action__recommendation__review__in=review_list_for_api(user).values("pk")
    ).select_related("organisation", "action__recommendation__review")
    if not is_tracker_reader(user):
        queryset = queryset.defer("restricted_detail")
    return queryset


def restricted_detail_for(user: Any, update: ProgressUpdate) -> str | None:
    """The update's restricted detail if the caller may see it, else None (field left out)."""
    if not is_tracker_reader(user) or not can_view_restricted(user, update.action):
        return None
    return update.restricted_detail


def states_for(reviews: list[Review], *, as_at: date) -> dict[int, ReviewState]:
    """As-at figures for reviews the caller may see (the tracker's reconstruction)."""
    return tracker_selectors.reviews_state_as_at(reviews=reviews, as_at=as_at)


def counts_for(reviews: list[Review], *, as_at: date) -> dict[int, ReviewCounts]:
    """Each review's recommendations counted by confidence as at the date: the same figures as
    `states_for(...)[id].counts`, worked out in the database (for lists of reviews)."""
    return tracker_selectors.reviews_counts_as_at(reviews=reviews, as_at=as_at)
