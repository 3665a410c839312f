"""Reads for imports: the access funnel for drafts, and the review as an action plan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from followthrough.core.models import Organisation
from followthrough.tracker.models import Action, Recommendation, Review, Theme
from followthrough.tracker.rules import OPEN_STATUSES, Status
from followthrough.tracker.selectors import review_get_for_user

from .action_plan import ExistingAction, ExistingRecommendation, Lookup
from .models import DocumentImport
from .permissions import can_import_to_review, can_work_on_import


def review_get_for_import(user: Any, slug: str) -> Review:
    """The review, if this person may load recommendations into it; Http404 otherwise."""
    review = review_get_for_user(user, slug)
    if not can_import_to_review(user, review):
        raise Http404("No such review")
    return review


def document_import_get_for_user(
    user: Any, pk: int, *, kind: str, draft_only: bool = True
) -> DocumentImport:
    """A person's own import of this kind; missing, someone else's or confirmed all 404."""
    document_import = (
        DocumentImport.objects.filter(pk=pk, kind=kind, owner_id=user.pk)
        .select_related("review")
        .first()
    )
    if document_import is None or not can_work_on_import(user, document_import):
        raise Http404("No such import")
    if draft_only and document_import.status != DocumentImport.Status.DRAFT:
        raise Http404("No such import")
    review_get_for_import(user, document_import.review.slug)
    return document_import


def document_import_list_for_user(user: Any, review: Review) -> QuerySet[DocumentImport]:
    """The person's unfinished drafts for the review, newest first."""
    return DocumentImport.objects.filter(
        owner_id=user.pk, review=review, status=DocumentImport.Status.DRAFT
    ).defer("paragraphs")


def review_recommendation_numbers(review: Review) -> set[str]:
    return set(Recommendation.objects.filter(review=review).values_list("number", flat=True))


def action_plan_lookup() -> Lookup:
    """Every name a spreadsheet may use for a partner or a theme."""
    return Lookup.build(
        partners=[
            (pk, (name, short_name, slug), name)
            for pk, name, short_name, slug in Organisation.objects.values_list(
                "pk", "name", "short_name", "slug"
            )
        ],
        themes=[
            (pk, (name, slug), name)
            for pk, name, slug in Theme.objects.values_list("pk", "name", "slug")
        ],
    )


def action_plan_existing(review: Review) -> dict[str, ExistingRecommendation]:
    """The review's recommendations and actions as the import compares them, by number."""
    themes: dict[int, set[int]] = defaultdict(set)
    for recommendation_id, theme_id in Recommendation.themes.through.objects.filter(
        recommendation__review=review
    ).values_list("recommendation_id", "theme_id"):
        themes[recommendation_id].add(theme_id)
    actions: dict[int, dict[str, ExistingAction]] = defaultdict(dict)
    for action in Action.objects.filter(recommendation__review=review).order_by("position", "id"):
        status = Status(action.status)
        actions[action.recommendation_id].setdefault(
            action.reference,
            ExistingAction(
                id=action.pk,
                reference=action.reference,
                description=action.description,
                owner_id=action.owner_id,
                start_date=action.start_date,
                target_date=action.target_date,
                success_measure=action.success_measure,
                open=status in OPEN_STATUSES,
                status_label=status.label,
            ),
        )
    return {
        recommendation.number: ExistingRecommendation(
            id=recommendation.pk,
            number=recommendation.number,
            title=recommendation.title,
            text=recommendation.text,
            lead_id=recommendation.lead_organisation_id,
            theme_ids=frozenset(themes[recommendation.pk]),
            actions=actions[recommendation.pk],
        )
        for recommendation in Recommendation.objects.filter(review=review)
    }


def action_plan_rows(review: Review) -> list[dict[str, Any]]:
    """The review as action-plan rows (action_plan.COLUMNS): one per action, and one for
    each recommendation that has no action yet."""
    recommendations = (
        Recommendation.objects.filter(review=review)
        .select_related("lead_organisation")
        .prefetch_related(
            "themes",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").order_by("position", "id"),
            ),
        )
        .order_by("position", "id")
    )
    rows: list[dict[str, Any]] = []
    for recommendation in recommendations:
        lead = recommendation.lead_organisation
        base = {
            "recommendation_number": recommendation.number,
            "recommendation_title": recommendation.title,
            "recommendation_text": recommendation.text,
            "lead_partner": lead.name if lead else "",
            "theme": "; ".join(sorted(theme.name for theme in recommendation.themes.all())),
        }
        actions = list(recommendation.actions.all())
        if not actions:
            rows.append(base)
        for action in actions:
            rows.append(
                {
                    **base,
                    "action_reference": action.reference,
                    "action_description": action.description,
                    "action_owner": action.owner.name,
                    "start_date": action.start_date,
                    "target_date": action.target_date,
                    "success_measure": action.success_measure,
                }
            )
    return rows
