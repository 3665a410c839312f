"""What the API says and accepts. Output serializers describe the JSON (and the OpenAPI schema);
input serializers only parse: the rules live in the tracker's services."""

from __future__ import annotations

from datetime import date
from typing import Any

from rest_framework import serializers

from followthrough.tracker.models import Review
from followthrough.tracker.rules import REPORT_ORDER, Status

from .selectors import EARLIEST, LATEST

CONFIDENCE_CHOICES = [c.value for c in REPORT_ORDER]
STATUS_CHOICES = [s.value for s in Status]
MAX_ID = 2**63 - 1


class AsAtDateField(serializers.DateField):
    def to_internal_value(self, value: Any) -> date:
        parsed = super().to_internal_value(value)
        if not EARLIEST <= parsed <= LATEST:
            raise serializers.ValidationError(
                f"Enter a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."
            )
        return parsed


# ---------------------------------------------------------------------------------------------
# Query parameters


class AsAtQuery(serializers.Serializer):
    as_at = AsAtDateField(
        required=False,
        help_text="Figures as they stood at the end of this date (YYYY-MM-DD). Default: today.",
    )


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, help_text="Page number.")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=200, help_text="Results per page (up to 200)."
    )


class CursorQuery(serializers.Serializer):
    cursor = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Where the page starts: take it from the `next` or `previous` link.",
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=200, help_text="Results per page (up to 200)."
    )


class RecommendationQuery(AsAtQuery):
    review = serializers.SlugField(required=False, help_text="Only this review (its slug).")
    confidence = serializers.ChoiceField(
        choices=CONFIDENCE_CHOICES, required=False, help_text="Delivery confidence as at the date."
    )
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES, required=False, help_text="Rolled-up status as at the date."
    )
    partner = serializers.SlugField(
        required=False, help_text="Only recommendations this partner leads, shares or acts on."
    )
    theme = serializers.SlugField(required=False, help_text="Only this theme (its slug).")


class ActionQuery(AsAtQuery):
    review = serializers.SlugField(required=False, help_text="Only this review (its slug).")
    recommendation = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Only this recommendation (id)."
    )
    owner = serializers.SlugField(required=False, help_text="Only actions this partner owns.")
    confidence = serializers.ChoiceField(
        choices=CONFIDENCE_CHOICES, required=False, help_text="Delivery confidence as at the date."
    )
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES, required=False, help_text="Status as at the date."
    )


class UpdateQuery(serializers.Serializer):
    review = serializers.SlugField(required=False, help_text="Only this review (its slug).")
    action = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Only this action (id)."
    )
    since = AsAtDateField(required=False, help_text="Only updates effective on or after this date.")
    as_at = AsAtDateField(
        required=False, help_text="Only updates effective on or before this date (YYYY-MM-DD)."
    )


# ---------------------------------------------------------------------------------------------
# Output


class CountsSerializer(serializers.Serializer):
    complete = serializers.IntegerField()
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    overdue = serializers.IntegerField()
    no_update = serializers.IntegerField()
    closed_not_implemented = serializers.IntegerField()


class ReviewSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Review.Kind.values)
    made_by = serializers.CharField()
    agreed_on = serializers.DateField()
    summary = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(allow_blank=True)
    illustrative = serializers.BooleanField(help_text="Demo material with illustrative wording.")
    published = serializers.BooleanField()
    as_at = serializers.DateField()
    headline = serializers.CharField(help_text='For example "38 recommendations: 17 complete, …".')
    recommendations_total = serializers.IntegerField()
    counts = CountsSerializer(help_text="Recommendations by delivery confidence as at the date.")
    url = serializers.CharField(help_text="This review in the API.")
    web_url = serializers.CharField(allow_blank=True, help_text="The public page, if published.")


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    review = serializers.CharField(help_text="The review's slug.")
    number = serializers.CharField(help_text="As printed in the report.")
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    lead_partner = serializers.CharField(allow_null=True)
    partners = serializers.ListField(child=serializers.CharField())
    response = serializers.CharField(allow_blank=True)
    response_reason = serializers.CharField(allow_blank=True)
    baseline_target_date = serializers.DateField(allow_null=True)
    as_at = serializers.DateField()
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    confidence = serializers.ChoiceField(choices=CONFIDENCE_CHOICES)
    url = serializers.CharField()


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recommendation = serializers.IntegerField(help_text="The recommendation's id.")
    review = serializers.CharField(help_text="The review's slug.")
    reference = serializers.CharField()
    description = serializers.CharField()
    owner = serializers.CharField(help_text="The partner that owns the action.")
    success_measure = serializers.CharField(allow_blank=True)
    as_at = serializers.DateField()
    started = serializers.BooleanField(help_text="Whether the action had been agreed by as_at.")
    status = serializers.ChoiceField(choices=STATUS_CHOICES, allow_null=True)
    confidence = serializers.ChoiceField(choices=CONFIDENCE_CHOICES, allow_null=True)
    baseline_target_date = serializers.DateField()
    target_date = serializers.DateField(allow_null=True)
    last_update_on = serializers.DateField(allow_null=True)
    owner_confidence = serializers.CharField(allow_null=True, help_text="The owner's latest claim.")
    version = serializers.IntegerField(help_text="Send as expected_version when posting an update.")
    url = serializers.CharField()


class UpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.IntegerField(help_text="The action's id.")
    review = serializers.CharField(help_text="The review's slug.")
    effective_date = serializers.DateField()
    organisation = serializers.CharField()
    public_summary = serializers.CharField()
    status_to = serializers.CharField(allow_blank=True, help_text="The status the update claimed.")
    owner_confidence = serializers.CharField()
    restricted_detail = serializers.CharField(
        required=False,
        help_text="Only for callers allowed to see it (the owning partner, officers, assessors).",
    )
    url = serializers.CharField()


class RootSerializer(serializers.Serializer):
    version = serializers.CharField()
    reviews = serializers.CharField()
    recommendations = serializers.CharField()
    actions = serializers.CharField()
    updates = serializers.CharField()
    schema = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# ---------------------------------------------------------------------------------------------
# Input


class UpdateCreateSerializer(serializers.Serializer):
    effective_date = AsAtDateField(help_text="The date the progress happened (YYYY-MM-DD).")
    public_summary = serializers.CharField(
        max_length=4000, help_text="May be published. No names or other personal information."
    )
    owner_confidence = serializers.ChoiceField(
        choices=["on_track", "at_risk"], help_text="Will the action be delivered by its target?"
    )
    restricted_detail = serializers.CharField(
        max_length=8000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Never published: seen by your organisation, officers and the assessor.",
    )
    status_to = serializers.ChoiceField(
        choices=["", Status.IN_PROGRESS.value, Status.READY_FOR_ASSESSMENT.value],
        required=False,
        allow_blank=True,
        default="",
        help_text="Move the action on (blank: the status stays the same).",
    )
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The action's version you based this on; a stale one is refused.",
    )
