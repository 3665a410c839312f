"""The public site: published progress, facts about CSE, how to report a concern.

No login needed (`@login_not_required`); every read goes through `public.selectors`, which only
ever returns published material. Pages are cached for anonymous visitors (see caching.py).
"""

from __future__ import annotations

import contextlib
import json
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from followthrough.core.roles import TRACKER_READERS, Role
from followthrough.govuk.forms import GovukDateField, GovukDateInput
from followthrough.govuk.pagination import page_of
from followthrough.tracker.forms import ReviewFilterForm

from . import facts, opendata, selectors
from .caching import public_page

_HOME_BY_ROLE: dict[str, str] = {
    Role.ANALYST: "insights:home",
    Role.FRONTDOOR_PRACTITIONER: "frontdoor:queue",
    Role.FRONTDOOR_MANAGER: "frontdoor:queue",
    Role.LICENSING_OFFICER: "licensing:home",
}


def _staff_start_page(user: Any) -> str | None:
    if user.role in TRACKER_READERS:
        return reverse("tracker:dashboard")
    target = _HOME_BY_ROLE.get(user.role)
    if target:
        with contextlib.suppress(NoReverseMatch):  # that module is not installed yet
            return reverse(target)
    return None


def _front_door_form_url() -> str | None:
    try:
        return reverse("frontdoor:report-start")
    except NoReverseMatch:  # the front-door module is not installed yet
        return None


def _as_at_from(request: HttpRequest) -> tuple[date, bool]:
    """The `as_at` date in the query string (whole or in three boxes), else today."""
    field = GovukDateField(required=False)
    raw = GovukDateInput().value_from_datadict(request.GET, {}, "as_at")
    try:
        value = field.clean(raw)
    except Exception:  # noqa: BLE001 - a bad date in a link just means "today"
        value = None
    if value is None:
        return selectors.today(), False
    return value, True


@login_not_required
@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponseBase:
    """Staff go to their own starting page; residents (and anyone else) see the public home."""
    if request.user.is_authenticated:
        target = _staff_start_page(request.user)
        if target:
            return redirect(target)
    as_at = selectors.today()
    reviews = list(selectors.published_review_list()[:5])
    states = selectors.published_review_states(reviews=reviews, as_at=as_at)
    return render(
        request,
        "public/home.html",
        {
            "section": "home",
            "rows": [(r, states[r.pk]) for r in reviews],
            "as_at": as_at,
            "front_door": _front_door(),
        },
    )


@login_not_required
@require_safe
@public_page
def review_list(request: HttpRequest) -> HttpResponseBase:
    """Published reviews, 50 a page (12,000 at national scale), each with its headline as at
    today. `?page=N` is part of the address, so each page is cached on its own."""
    as_at = selectors.today()
    page = page_of(request, selectors.published_review_list())
    headlines = selectors.published_review_headlines(reviews=list(page), as_at=as_at)
    return render(
        request,
        "public/review_list.html",
        {
            "section": "progress",
            "page": page,
            "rows": [(r, headlines[r.pk]) for r in page],
            "as_at": as_at,
        },
    )


@login_not_required
@require_safe
@public_page
def review_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    review = selectors.published_review_get(slug)
    form = ReviewFilterForm(
        request.GET or None,
        partners=selectors.review_partners(review),
        themes=selectors.review_themes(review),
    )
    as_at = selectors.today()
    filters: dict[str, Any] = {}
    if form.is_valid():
        as_at = form.cleaned_data["as_at"] or as_at
        filters = {
            "confidence": form.cleaned_data["confidence"],
            "partner_id": getattr(form.cleaned_data["partner"], "pk", None),
            "theme_id": getattr(form.cleaned_data["theme"], "pk", None),
        }
    state = selectors.published_review_state(review=review, as_at=as_at)
    rows = selectors.published_recommendation_rows(review=review, state=state, **filters)
    recommendations = selectors.public_recommendations(
        review=review, state=state, recommendations=[row.recommendation for row in rows]
    )
    as_at_query = f"?as_at={as_at.isoformat()}" if as_at != selectors.today() else ""
    return render(
        request,
        "public/review_detail.html",
        {
            "section": "progress",
            "review": review,
            "form": form,
            "as_at": as_at,
            "as_at_query": as_at_query,
            "state": state,
            "recommendations": recommendations,
            "filtered": any(filters.values()),
        },
    )


@login_not_required
@require_safe
@public_page
def recommendation_detail(request: HttpRequest, slug: str, number: str) -> HttpResponseBase:
    review = selectors.published_review_get(slug)
    recommendation = selectors.published_recommendation_get(review, number)
    as_at, dated = _as_at_from(request)
    state = selectors.published_review_state(review=review, as_at=as_at)
    items = selectors.public_recommendations(
        review=review, state=state, recommendations=[recommendation]
    )
    return render(
        request,
        "public/recommendation_detail.html",
        {
            "section": "progress",
            "review": review,
            "recommendation": recommendation,
            "item": items[0],
            "as_at": as_at,
            "as_at_query": f"?as_at={as_at.isoformat()}" if dated else "",
        },
    )


@login_not_required
@require_safe
@public_page
def review_download_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    review = selectors.published_review_get(slug)
    as_at, _ = _as_at_from(request)
    response = HttpResponse(
        opendata.review_csv(review, as_at=as_at), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{review.slug}-as-at-{as_at.isoformat()}.csv"'
    )
    return response


@login_not_required
@require_safe
@public_page
def review_download_json(request: HttpRequest, slug: str) -> HttpResponseBase:
    review = selectors.published_review_get(slug)
    as_at, _ = _as_at_from(request)
    body = json.dumps(opendata.review_data(review, as_at=as_at), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="{review.slug}-as-at-{as_at.isoformat()}.json"'
    )
    return response


def _front_door() -> dict[str, Any]:
    product = settings.FOLLOWTHROUGH
    return {
        "name": product.get("FRONT_DOOR_NAME", "children's front door service"),
        "phone": product.get("FRONT_DOOR_PHONE", "01632 960 000"),
        "hours": product.get("FRONT_DOOR_HOURS", "Monday to Friday, 8:30am to 5pm"),
        "out_of_hours_phone": product.get("FRONT_DOOR_OUT_OF_HOURS_PHONE", ""),
        "form_url": _front_door_form_url(),
    }


@login_not_required
@require_safe
@public_page
def report_concern(request: HttpRequest) -> HttpResponseBase:
    return render(
        request,
        "public/report_concern.html",
        {"section": "report", "front_door": _front_door()},
    )


@login_not_required
@require_safe
@public_page
def facts_page(request: HttpRequest) -> HttpResponseBase:
    return render(
        request,
        "public/facts.html",
        {"section": "facts", "facts": facts.published_facts(), "front_door": _front_door()},
    )


@login_not_required
@require_safe
@public_page
def open_data(request: HttpRequest) -> HttpResponseBase:
    """Downloads for each published review, 50 a page, in the order of the progress list."""
    page = page_of(request, selectors.published_review_list())
    return render(request, "public/open_data.html", {"section": "open-data", "page": page})
