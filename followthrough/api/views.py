"""The JSON API, version 1. Thin: parse → selector (or access funnel) → service → respond.

Reads are open (published material, public fields); a partner's token adds what the tracker lets
that partner see, and lets them post updates to their own actions through the same service as
the website, so permissions, validation and the audit record are identical.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404, QueryDict
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from followthrough.public.caching import public_page
from followthrough.tracker import selectors as tracker_selectors
from followthrough.tracker import services
from followthrough.tracker.models import Action, ProgressUpdate, Recommendation, Review
from followthrough.tracker.selectors import ActionState, ReviewCounts, ReviewState

from . import selectors
from . import serializers as s
from .authentication import ApiTokenAuthentication
from .pagination import (
    ActionPagination,
    Keep,
    KeysetPagination,
    RecommendationPagination,
    UpdatePagination,
)

NOT_FOUND = OpenApiResponse(s.ErrorSerializer, description="No such object (or not yours).")
BAD_REQUEST = OpenApiResponse(description="Invalid query parameters or body, with messages.")


PAGE_KEYS = ("page", "page_size")
CURSOR_KEYS = ("cursor", "page_size")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _parse(serializer_class: type[Serializer], data: Any) -> dict[str, Any]:
    """Validate query parameters or a body. A query string is read as a plain dict, so an
    empty parameter (`?status=`) is refused rather than silently ignored."""
    if isinstance(data, QueryDict):
        data = {key: data[key] for key in data}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _id(pk: str) -> int:
    """A path id, or 404 (JSON) for anything that is not one."""
    if not pk.isascii() or not pk.isdigit() or int(pk) > s.MAX_ID:
        raise NotFound
    return int(pk)


def _by_id(queryset: QuerySet[Any], pk: str) -> Any:
    obj = queryset.filter(pk=_id(pk)).first()
    if obj is None:
        raise NotFound
    return obj


def _abs(request: Request, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))


class ApiView(APIView):
    renderer_classes = [JSONRenderer]
    pagination_class: type[BasePagination] = Pagination

    def paginate(self, request: Request, items: Any) -> tuple[Pagination, list[Any]]:
        _parse(s.PageQuery, {k: v for k, v in request.query_params.items() if k in PAGE_KEYS})
        paginator = Pagination()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator, list(page or [])

    def paginate_by_cursor(
        self, request: Request, queryset: QuerySet[Any], *, keep: Keep | None = None
    ) -> tuple[KeysetPagination, list[Any]]:
        """The page of `queryset` the cursor points at, in the view's keyset order. A page
        number is refused rather than ignored, so a client counting pages cannot loop for ever
        on the first one."""
        if "page" in request.query_params:
            raise ValidationError({"page": ["This list is paged by cursor: follow `next`."]})
        query = _parse(
            s.CursorQuery, {k: v for k, v in request.query_params.items() if k in CURSOR_KEYS}
        )
        paginator = self.pagination_class()
        if not isinstance(paginator, KeysetPagination):
            raise TypeError(f"{type(self).__name__} needs a KeysetPagination")
        page = paginator.page(
            queryset,
            request,
            page_size=query.get("page_size"),
            cursor=query.get("cursor"),
            keep=keep,
        )
        return paginator, page


# ---------------------------------------------------------------------------------------------
# Representations


def _review_data(
    request: Request, review: Review, state: ReviewCounts | ReviewState
) -> dict[str, Any]:
    counts = state.counts
    published = review.visibility == Review.Visibility.PUBLISHED
    return {
        "slug": review.slug,
        "title": review.title,
        "kind": review.kind,
        "made_by": review.made_by,
        "agreed_on": review.agreed_on,
        "summary": review.summary,
        "source_url": review.source_url,
        "illustrative": review.illustrative,
        "published": published,
        "as_at": state.as_at,
        "headline": state.headline,
        "recommendations_total": state.total,
        "counts": {c.value: counts[c] for c in counts},
        "url": _abs(request, "api:review-detail", slug=review.slug),
        "web_url": _abs(request, "public:review-detail", slug=review.slug) if published else "",
    }


def _recommendation_data(
    request: Request, rec: Recommendation, state: ReviewState
) -> dict[str, Any]:
    rec_state = state.recommendations[rec.pk]
    return {
        "id": rec.pk,
        "review": rec.review.slug,
        "number": rec.number,
        "title": rec.title,
        "text": rec.text,
        "themes": [t.slug for t in rec.themes.all()],
        "lead_partner": rec.lead_organisation.slug if rec.lead_organisation else None,
        "partners": [p.slug for p in rec.partners.all()],
        "response": rec.response,
        "response_reason": rec.response_reason,
        "baseline_target_date": rec.baseline_target_date,
        "as_at": state.as_at,
        "status": rec_state.status.value,
        "confidence": rec_state.confidence.value,
        "url": _abs(request, "api:recommendation-detail", pk=rec.pk),
    }


def _action_state(state: ReviewState, action: Action) -> ActionState | None:
    rec_state = state.recommendations.get(action.recommendation_id)
    if rec_state is None:
        return None
    return next((a for a in rec_state.actions if a.action_id == action.pk), None)


def _action_data(request: Request, action: Action, state: ReviewState) -> dict[str, Any]:
    action_state = _action_state(state, action)
    return {
        "id": action.pk,
        "recommendation": action.recommendation_id,
        "review": action.recommendation.review.slug,
        "reference": action.reference,
        "description": action.description,
        "owner": action.owner.slug,
        "success_measure": action.success_measure,
        "as_at": state.as_at,
        "started": action_state is not None,
        "status": action_state.status.value if action_state else None,
        "confidence": action_state.confidence.value if action_state else None,
        "baseline_target_date": action.baseline_target_date,
        "target_date": action_state.target_date if action_state else None,
        "last_update_on": action_state.last_update_on if action_state else None,
        "owner_confidence": action_state.owner_confidence.value
        if action_state and action_state.owner_confidence
        else None,
        "version": action.version,
        "url": _abs(request, "api:action-detail", pk=action.pk),
    }


def _update_data(request: Request, update: ProgressUpdate) -> dict[str, Any]:
    data = {
        "id": update.pk,
        "action": update.action_id,
        "review": update.action.recommendation.review.slug,
        "effective_date": update.effective_date,
        "organisation": update.organisation.slug,
        "public_summary": update.public_summary,
        "status_to": update.status_to,
        "owner_confidence": update.owner_confidence,
        "url": _abs(request, "api:update-detail", pk=update.pk),
    }
    restricted = selectors.restricted_detail_for(request.user, update)
    if restricted is not None:
        data["restricted_detail"] = restricted
    return data


def _states(reviews: list[Review], as_at: date) -> dict[int, ReviewState]:
    return selectors.states_for(reviews, as_at=as_at)


def _add_states(states: dict[int, ReviewState], reviews: dict[int, Review], as_at: date) -> None:
    """Add the as-at state of each of `reviews` (by id) that `states` does not hold yet."""
    missing = [review for pk, review in reviews.items() if pk not in states]
    if missing:
        states.update(_states(missing, as_at))


# ---------------------------------------------------------------------------------------------
# Endpoints


class RootView(ApiView):
    @extend_schema(summary="Links to the version 1 resources", responses=s.RootSerializer)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": "1",
                "reviews": _abs(request, "api:review-list"),
                "recommendations": _abs(request, "api:recommendation-list"),
                "actions": _abs(request, "api:action-list"),
                "updates": _abs(request, "api:update-list"),
                "schema": _abs(request, "api:schema"),
            }
        )


class ReviewListView(ApiView):
    @extend_schema(
        summary="Published reviews with their progress as at a date",
        parameters=[s.AsAtQuery, s.PageQuery],
        responses={200: s.ReviewSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        query = _parse(s.AsAtQuery, request.query_params)
        as_at = query.get("as_at") or selectors.today()
        # The slug makes the order total, so the database pages it (no review on two pages).
        reviews = selectors.review_list_for_api(request.user).order_by("-agreed_on", "slug")
        paginator, page = self.paginate(request, reviews)
        counts = selectors.counts_for(page, as_at=as_at)  # headline figures only, in SQL
        return paginator.get_paginated_response(
            [_review_data(request, r, counts[r.pk]) for r in page]
        )


class ReviewDetailView(ApiView):
    @extend_schema(
        summary="One review with its progress as at a date",
        parameters=[s.AsAtQuery],
        responses={200: s.ReviewSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        query = _parse(s.AsAtQuery, request.query_params)
        as_at = query.get("as_at") or selectors.today()
        if not SLUG.fullmatch(slug):
            raise NotFound
        review = selectors.review_get_for_api(request.user, slug)
        counts = selectors.counts_for([review], as_at=as_at)[review.pk]
        return Response(_review_data(request, review, counts))


def _recommendations(user: Any) -> QuerySet[Recommendation]:
    return selectors.recommendation_list_for_api(user).select_related("review", "lead_organisation")


class RecommendationListView(ApiView):
    pagination_class = RecommendationPagination

    @extend_schema(
        summary="Recommendations with their status as at a date, filterable",
        description=(
            "Each review's recommendations together, in printed order. Paged by cursor: "
            "follow `next` (null on the last page)."
        ),
        parameters=[s.RecommendationQuery, s.CursorQuery],
        responses={200: s.RecommendationSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        query = _parse(s.RecommendationQuery, request.query_params)
        as_at = query.get("as_at") or selectors.today()
        queryset = _recommendations(request.user)
        if query.get("review"):
            queryset = queryset.filter(review__slug=query["review"])
        if query.get("partner"):
            partner = query["partner"]
            queryset = queryset.filter(
                Q(partners__slug=partner)
                | Q(lead_organisation__slug=partner)
                | Q(actions__owner__slug=partner)
            ).distinct()
        if query.get("theme"):
            queryset = queryset.filter(themes__slug=query["theme"])
        states: dict[int, ReviewState] = {}
        keep: Keep | None = None
        if query.get("confidence") or query.get("status"):
            # Filtering on as-at figures: worked out for each batch read, until a page is full.
            def keep(batch: list[Recommendation]) -> list[Recommendation]:
                _add_states(states, {r.review_id: r.review for r in batch}, as_at)
                return [
                    r
                    for r in batch
                    if (
                        not query.get("confidence")
                        or states[r.review_id].recommendations[r.pk].confidence
                        == query["confidence"]
                    )
                    and (
                        not query.get("status")
                        or states[r.review_id].recommendations[r.pk].status == query["status"]
                    )
                ]

        paginator, page = self.paginate_by_cursor(request, queryset, keep=keep)
        prefetch_related_objects(page, "themes", "partners")
        _add_states(states, {r.review_id: r.review for r in page}, as_at)
        return paginator.get_paginated_response(
            [_recommendation_data(request, r, states[r.review_id]) for r in page]
        )


class RecommendationDetailView(ApiView):
    @extend_schema(
        summary="One recommendation with its status as at a date",
        parameters=[s.AsAtQuery],
        responses={200: s.RecommendationSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: str) -> Response:
        query = _parse(s.AsAtQuery, request.query_params)
        as_at = query.get("as_at") or selectors.today()
        rec = _by_id(_recommendations(request.user).prefetch_related("themes", "partners"), pk)
        return Response(
            _recommendation_data(request, rec, _states([rec.review], as_at)[rec.review_id])
        )


def _actions(user: Any) -> QuerySet[Action]:
    return selectors.action_list_for_api(user).select_related("recommendation__review", "owner")


class ActionListView(ApiView):
    pagination_class = ActionPagination

    @extend_schema(
        summary="Actions with their status and target date as at a date, filterable",
        description=(
            "Each recommendation's actions together, in their order. Paged by cursor: follow "
            "`next` (null on the last page)."
        ),
        parameters=[s.ActionQuery, s.CursorQuery],
        responses={200: s.ActionSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        query = _parse(s.ActionQuery, request.query_params)
        as_at = query.get("as_at") or selectors.today()
        queryset = _actions(request.user)
        if query.get("review"):
            queryset = queryset.filter(recommendation__review__slug=query["review"])
        if query.get("recommendation"):
            queryset = queryset.filter(recommendation_id=query["recommendation"])
        if query.get("owner"):
            queryset = queryset.filter(owner__slug=query["owner"])
        states: dict[int, ReviewState] = {}
        keep: Keep | None = None
        if query.get("confidence") or query.get("status"):
            # Filtering on as-at figures: worked out for each batch read, until a page is full.
            def keep(batch: list[Action]) -> list[Action]:
                reviews = {a.recommendation.review_id: a.recommendation.review for a in batch}
                _add_states(states, reviews, as_at)
                kept = []
                for action in batch:
                    action_state = _action_state(states[action.recommendation.review_id], action)
                    if action_state is None:
                        continue
                    if query.get("confidence") and action_state.confidence != query["confidence"]:
                        continue
                    if query.get("status") and action_state.status != query["status"]:
                        continue
                    kept.append(action)
                return kept

        paginator, page = self.paginate_by_cursor(request, queryset, keep=keep)
        reviews = {a.recommendation.review_id: a.recommendation.review for a in page}
        _add_states(states, reviews, as_at)
        return paginator.get_paginated_response(
            [_action_data(request, a, states[a.recommendation.review_id]) for a in page]
        )


class ActionDetailView(ApiView):
    @extend_schema(
        summary="One action with its status and target date as at a date",
        parameters=[s.AsAtQuery],
        responses={200: s.ActionSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: str) -> Response:
        query = _parse(s.AsAtQuery, request.query_params)
        as_at = query.get("as_at") or selectors.today()
        action = _by_id(_actions(request.user), pk)
        review = action.recommendation.review
        return Response(_action_data(request, action, _states([review], as_at)[review.pk]))


def _updates(user: Any) -> QuerySet[ProgressUpdate]:
    return selectors.update_list_for_api(user).order_by("-effective_date", "-id")


class UpdateListView(ApiView):
    pagination_class = UpdatePagination

    @extend_schema(
        summary="Progress updates (public narrative), newest first, filterable",
        description=(
            "Newest first (by the date each took effect, then the order recorded). Paged by "
            "cursor: follow `next` (null on the last page)."
        ),
        parameters=[s.UpdateQuery, s.CursorQuery],
        responses={200: s.UpdateSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        query = _parse(s.UpdateQuery, request.query_params)
        queryset = _updates(request.user)
        if query.get("review"):
            queryset = queryset.filter(action__recommendation__review__slug=query["review"])
        if query.get("action"):
            queryset = queryset.filter(action_id=query["action"])
        if query.get("since"):
            queryset = queryset.filter(effective_date__gte=query["since"])
        if query.get("as_at"):
            queryset = queryset.filter(effective_date__lte=query["as_at"])
        paginator, page = self.paginate_by_cursor(request, queryset)
        return paginator.get_paginated_response([_update_data(request, u) for u in page])


class UpdateDetailView(ApiView):
    @extend_schema(
        summary="One progress update",
        responses={200: s.UpdateSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: str) -> Response:
        return Response(_update_data(request, _by_id(_updates(request.user), pk)))


class ActionUpdatesView(ApiView):
    """GET: an action's updates. POST: a partner posts an update to their own action."""

    # Token first, so a caller with no credentials is told how to authenticate (401).
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    pagination_class = UpdatePagination

    @extend_schema(
        summary="An action's progress updates, newest first",
        description="Paged by cursor like every list of updates: follow `next`.",
        parameters=[s.CursorQuery],
        responses={200: s.UpdateSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: str) -> Response:
        action = _by_id(_actions(request.user), pk)
        paginator, page = self.paginate_by_cursor(
            request, _updates(request.user).filter(action=action)
        )
        return paginator.get_paginated_response([_update_data(request, u) for u in page])

    @extend_schema(
        summary="Post a progress update to your own action (partner token)",
        description=(
            "Needs `Authorization: Token <key>` for a partner lead. The update goes through the "
            "same service as the website: the same permission check, validation and audit record. "
            "An action you cannot see answers 404; one you can see but may not update answers 403."
        ),
        request=s.UpdateCreateSerializer,
        responses={
            201: s.UpdateSerializer,
            400: BAD_REQUEST,
            401: OpenApiResponse(s.ErrorSerializer, description="No or invalid token."),
            403: OpenApiResponse(s.ErrorSerializer, description="Not allowed to update it."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: str) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request, message="Send your API token to post updates.")
        try:
            action = tracker_selectors.action_get_for_user(request.user, _id(pk))
        except Http404 as exc:
            raise NotFound from exc
        data = _parse(s.UpdateCreateSerializer, request.data)
        try:
            update = services.update_submit(
                actor=request.user,
                action=action,
                effective_date=data["effective_date"],
                public_summary=data["public_summary"],
                owner_confidence=data["owner_confidence"],
                restricted_detail=data.get("restricted_detail", ""),
                status_to=data.get("status_to", ""),
                expected_version=data.get("expected_version"),
            )
        except DjangoValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            return Response(messages, status=status.HTTP_400_BAD_REQUEST)
        update = _updates(request.user).get(pk=update.pk)
        return Response(_update_data(request, update), status=status.HTTP_201_CREATED)


def _open(view: Any, *, cached: bool = True) -> Any:
    """Reachable without signing in (the middleware denies by default); GETs are cached for
    anonymous callers exactly like the public pages."""
    return login_not_required(public_page(view) if cached else view)


def as_view(cls: type[APIView]) -> Any:
    return _open(cls.as_view())


# The schema negotiates its format (YAML or JSON) on Accept, so it is not body-cached.
schema_view = _open(SpectacularAPIView.as_view(), cached=False)
