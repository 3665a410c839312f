"""Tracker pages. Thin: funnel → form → service → redirect or re-render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from followthrough.core.audit import audit_record
from followthrough.govuk.errors import add_service_errors
from followthrough.govuk.pagination import page_of

from . import forms, permissions, selectors, services
from .models import Review
from .rules import Actor, Status, allowed_transitions


def _require_reader(request: HttpRequest) -> None:
    if not permissions.is_tracker_reader(request.user):
        raise Http404


def dashboard(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    as_at = selectors.today()
    context = selectors.dashboard_for_user(request.user, as_at=as_at)
    context["as_at"] = as_at
    context["can_manage"] = permissions.can_manage_reviews(request.user)
    return render(request, "tracker/dashboard.html", context)


def review_list(request: HttpRequest) -> HttpResponse:
    """The reviews a person can see, 50 a page (an officer sees every review in the country:
    20,000 at national scale), each with its headline counts as at today."""
    _require_reader(request)
    as_at = selectors.today()
    # Newest first, as the model orders them; the id makes the order total, so no review
    # falls between two pages or shows on both.
    reviews = selectors.review_list_for_user(request.user).order_by("-agreed_on", "title", "id")
    page = page_of(request, reviews)
    states = selectors.reviews_counts_as_at(reviews=list(page), as_at=as_at)
    return render(
        request,
        "tracker/review_list.html",
        {
            "page": page,
            "rows": [(r, states[r.pk]) for r in page],
            "as_at": as_at,
            "can_manage": permissions.can_manage_reviews(request.user),
        },
    )


def review_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reader(request)
    review = selectors.review_get_for_user(request.user, slug)
    form = forms.ReviewFilterForm(
        request.GET or None,
        partners=selectors.review_partners(review),
        themes=selectors.review_themes(review),
    )
    filters: dict[str, Any] = {}
    as_at = selectors.today()
    if form.is_valid():
        as_at = form.cleaned_data["as_at"] or as_at
        filters = {
            "confidence": form.cleaned_data["confidence"],
            "partner_id": getattr(form.cleaned_data["partner"], "pk", None),
            "theme_id": getattr(form.cleaned_data["theme"], "pk", None),
        }
    state = selectors.review_state_as_at(review=review, as_at=as_at)
    rows = selectors.recommendation_rows(review=review, state=state, **filters)
    return render(
        request,
        "tracker/review_detail.html",
        {
            "review": review,
            "form": form,
            "as_at": as_at,
            "state": state,
            "rows": rows,
            "filtered": any(filters.values()),
            "can_manage": permissions.can_manage_reviews(request.user),
        },
    )


def _as_at_param(request: HttpRequest) -> date:
    """`?as_at=YYYY-MM-DD` on links between pages; today when absent or not a date."""
    try:
        return date.fromisoformat(request.GET.get("as_at", ""))
    except ValueError:
        return selectors.today()


def recommendation_detail(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    _require_reader(request)
    recommendation = selectors.recommendation_get_by_number_for_user(request.user, slug, number)
    review = recommendation.review
    as_at = _as_at_param(request)
    record = selectors.recommendation_record_as_at(recommendation=recommendation, as_at=as_at)
    rec_state = record.state
    action_states = {a.action_id: a for a in rec_state.actions}
    actions = [
        {
            "action": action,
            "state": action_states.get(action.pk),
            "history": record.histories[action.pk],
            "can_view_restricted": permissions.can_view_restricted(request.user, action),
        }
        for action in record.actions
    ]
    indicators = selectors.indicator_readings_as_at(
        recommendation_ids=[recommendation.pk], as_at=as_at
    )
    return render(
        request,
        "tracker/recommendation_detail.html",
        {
            "review": review,
            "recommendation": recommendation,
            "state": rec_state,
            "actions": actions,
            "indicators": indicators.get(recommendation.pk, []),
            "as_at": as_at,
            "can_manage": permissions.can_manage_reviews(request.user),
        },
    )


def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    _require_reader(request)
    action = selectors.action_get_for_user(request.user, action_id)
    review = action.recommendation.review
    state = selectors.review_state_as_at(review=review, as_at=selectors.today())
    action_state = next(
        (
            a
            for a in state.recommendations[action.recommendation_id].actions
            if a.action_id == action.pk
        ),
        None,
    )
    user = request.user
    return render(
        request,
        "tracker/action_detail.html",
        {
            "action": action,
            "review": review,
            "recommendation": action.recommendation,
            "state": action_state,
            "history": selectors.action_history(action=action),
            "latest_assessment": selectors.latest_assessment(action),
            "can_view_restricted": permissions.can_view_restricted(user, action),
            "can_post_update": permissions.can_post_update(user, action),
            "can_assess": permissions.can_assess(user, action),
            "can_change_target_date": permissions.can_change_target_date(user, action),
            "can_close": permissions.can_close_action(user, action),
        },
    )


def _action_form_page(
    request: HttpRequest,
    action_id: int,
    *,
    allowed: Any,
    form_class: Any,
    template: str,
    perform: Any,
    success: str,
    form_kwargs: Any = None,
    initial: Any = None,
) -> HttpResponse:
    """The shared shape of every action form: funnel, permission, form, service, redirect."""
    action = selectors.action_get_for_user(request.user, action_id)
    if not allowed(request.user, action):
        raise Http404
    extra = form_kwargs(action) if form_kwargs else {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **extra)
        if form.is_valid():
            try:
                perform(request, action, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect("tracker:action-detail", action_id=action.pk)
    else:
        form = form_class(
            initial={"version": action.version, **(initial(action) if initial else {})}, **extra
        )
    return render(
        request, template, {"form": form, "action": action, "review": action.recommendation.review}
    )


@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    def perform(request: HttpRequest, action: Any, data: dict[str, Any]) -> None:
        evidence = []
        upload = data.get("evidence_file")
        if data.get("evidence_description") or data.get("evidence_url") or upload:
            evidence.append(
                services.EvidenceInput(
                    description=data.get("evidence_description", ""),
                    url=data.get("evidence_url", ""),
                    filename=upload.name if upload else "",
                    content=upload.read() if upload else b"",
                )
            )
        services.update_submit(
            actor=request.user,
            action=action,
            effective_date=data["effective_date"],
            public_summary=data["public_summary"],
            restricted_detail=data["restricted_detail"],
            owner_confidence=data["owner_confidence"],
            status_to=data["status_to"],
            evidence=evidence,
            expected_version=data["version"],
        )

    return _action_form_page(
        request,
        action_id,
        allowed=permissions.can_post_update,
        form_class=forms.UpdateForm,
        template="tracker/action_update.html",
        perform=perform,
        success="Your update has been recorded",
        form_kwargs=lambda action: {
            "allowed_statuses": allowed_transitions(Status(action.status), Actor.OWNER)
        },
        initial=lambda action: {"effective_date": selectors.today(), "status_to": ""},
    )


@require_http_methods(["GET", "POST"])
def action_assess(request: HttpRequest, action_id: int) -> HttpResponse:
    def perform(request: HttpRequest, action: Any, data: dict[str, Any]) -> None:
        services.action_assess(
            actor=request.user,
            action=action,
            decision=data["decision"],
            rationale=data["rationale"],
            decided_on=data["decided_on"],
            expected_version=data["version"],
        )

    return _action_form_page(
        request,
        action_id,
        allowed=permissions.can_assess,
        form_class=forms.AssessForm,
        template="tracker/action_assess.html",
        perform=perform,
        success="Your decision has been recorded",
        initial=lambda action: {"decided_on": selectors.today()},
    )


@require_http_methods(["GET", "POST"])
def action_target_date(request: HttpRequest, action_id: int) -> HttpResponse:
    def perform(request: HttpRequest, action: Any, data: dict[str, Any]) -> None:
        services.action_change_target_date(
            actor=request.user,
            action=action,
            new_date=data["new_date"],
            reason=data["reason"],
            effective_date=data["effective_date"],
            expected_version=data["version"],
        )

    return _action_form_page(
        request,
        action_id,
        allowed=permissions.can_change_target_date,
        form_class=forms.TargetDateForm,
        template="tracker/action_target_date.html",
        perform=perform,
        success="The target date has been changed",
        initial=lambda action: {"effective_date": selectors.today()},
    )


@require_http_methods(["GET", "POST"])
def action_close(request: HttpRequest, action_id: int) -> HttpResponse:
    def perform(request: HttpRequest, action: Any, data: dict[str, Any]) -> None:
        services.action_close(
            actor=request.user,
            action=action,
            reason=data["reason"],
            effective_date=data["effective_date"],
            expected_version=data["version"],
        )

    return _action_form_page(
        request,
        action_id,
        allowed=permissions.can_close_action,
        form_class=forms.CloseForm,
        template="tracker/action_close.html",
        perform=perform,
        success="The action has been closed as not implemented",
        initial=lambda action: {"effective_date": selectors.today()},
    )


def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = selectors.evidence_get_for_user(request.user, evidence_id)
    # Downloads of restricted evidence are recorded, like any view of restricted material.
    with transaction.atomic():
        audit_record(
            actor=request.user, verb="evidence.download", obj=evidence, summary=evidence.description
        )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or (evidence.file.name or "evidence").rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------
# Setting up reviews (scrutiny officers)


@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The review has been created")
            return redirect("tracker:review-detail", slug=review.slug)
    return render(request, "tracker/review_form.html", {"form": form})


@require_http_methods(["POST"])
def review_visibility(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, slug)
    if not permissions.can_publish_review(request.user, review):
        raise Http404
    visibility = request.POST.get("visibility", "")
    if visibility not in Review.Visibility.values:
        raise Http404
    services.review_set_visibility(actor=request.user, review=review, visibility=visibility)
    messages.success(
        request,
        "The review is now published" if visibility == "published" else "The review is now a draft",
    )
    return redirect("tracker:review-detail", slug=review.slug)


@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, slug)
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    form = forms.RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.recommendation_create(
                actor=request.user,
                review=review,
                number=data["number"],
                title=data["title"],
                text=data["text"],
                lead_organisation=data["lead_organisation"],
                themes=list(data["themes"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Recommendation {recommendation.number} has been added")
            return redirect(
                "tracker:recommendation-detail", slug=review.slug, number=recommendation.number
            )
    return render(request, "tracker/recommendation_form.html", {"form": form, "review": review})


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, slug)
    recommendation = selectors.recommendation_get_for_user(request.user, review, number)
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    form = forms.ActionForm(request.POST or None, initial={"start_date": review.agreed_on})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                actor=request.user, recommendation=recommendation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Action {action.reference} has been added")
            return redirect(reverse("tracker:action-detail", kwargs={"action_id": action.pk}))
    return render(
        request,
        "tracker/action_form.html",
        {"form": form, "review": review, "recommendation": recommendation},
    )
