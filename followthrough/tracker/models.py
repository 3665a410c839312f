"""Tracker models (DESIGN.md §3). Rules live in rules.py, writes in services.py.

Action keeps its *current* status, target date and latest claim as denormalised columns so lists
are cheap; every one of them is also in the dated history (StatusChange, TargetDateChange,
ProgressUpdate), which is what as-at reconstruction reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from followthrough.core.models import Organisation

from .rules import OwnerConfidence, Status

STATUS_CHOICES = [(s.value, s.label) for s in Status]
OWNER_CONFIDENCE_CHOICES = [
    (OwnerConfidence.ON_TRACK.value, "On track"),
    (OwnerConfidence.AT_RISK.value, "At risk"),
]


class Theme(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    class Kind(models.TextChoices):
        SCRUTINY_REVIEW = "scrutiny_review", "Scrutiny review"
        INDEPENDENT_INQUIRY = "independent_inquiry", "Independent inquiry"
        PRACTICE_REVIEW = "practice_review", "Child safeguarding practice review"
        INSPECTION = "inspection", "Inspection"
        AUDIT = "audit", "Audit"

    class Visibility(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.SCRUTINY_REVIEW)
    made_by = models.CharField("body that made it", max_length=200)
    agreed_on = models.DateField("date agreed or published")
    summary = models.TextField(blank=True)
    source_url = models.URLField(blank=True)
    source_document = models.FileField(upload_to="reviews/", blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.DRAFT
    )
    update_interval_days = models.PositiveIntegerField(
        default=92, help_text="An open action with no update for longer than this has 'no update'."
    )
    illustrative = models.BooleanField(
        default=False, help_text="Demo material: wording is illustrative, not the real report's."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-agreed_on", "title"]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    class Response(models.TextChoices):
        PENDING = "", "Awaiting response"
        ACCEPTED = "accepted", "Accepted"
        PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    number = models.CharField(max_length=20, help_text='As printed, for example "7", "4a", "R12".')
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partners = models.ManyToManyField(Organisation, blank=True, related_name="recommendations")
    response = models.CharField(max_length=30, choices=Response.choices, blank=True, default="")
    response_reason = models.TextField(blank=True)
    baseline_target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review", "position", "id"]
        indexes = [
            # The API's list in this order, paged by cursor: any page is one index range.
            models.Index(fields=["review", "position", "id"], name="recommendation_list_order_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class Action(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="actions"
    )
    reference = models.CharField(max_length=30, help_text='For example "7.1".')
    position = models.PositiveIntegerField(default=0)
    description = models.TextField()
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="actions")
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    success_measure = models.TextField(blank=True)
    start_date = models.DateField(
        help_text="The date the action was agreed; its history starts here."
    )
    baseline_target_date = models.DateField()
    # Current values, kept in step with the history by services.py only.
    target_date = models.DateField()
    status = models.CharField(max_length=30, choices=STATUS_CHOICES, default=Status.NOT_STARTED)
    owner_confidence = models.CharField(
        max_length=20, choices=OWNER_CONFIDENCE_CHOICES, blank=True, default=""
    )
    last_update_on = models.DateField(null=True, blank=True)
    # The latest effective date anywhere in the action's history: new entries may not go before it.
    last_entry_on = models.DateField(null=True, blank=True)
    # Optimistic locking: every write bumps it; a write based on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["recommendation", "position", "id"]
        indexes = [
            # The API's list in this order, paged by cursor: any page is one index range.
            models.Index(fields=["recommendation", "position", "id"], name="action_list_order_idx"),
            models.Index(fields=["owner", "status", "target_date"], name="action_owner_idx"),
            models.Index(fields=["status", "target_date"], name="action_status_idx"),
            # Overdue lists (dashboard): open actions in target-date order, read from the
            # start and stopped after a page, rather than sorting every open action.
            models.Index(
                fields=["target_date", "id"],
                name="action_open_target_idx",
                condition=models.Q(
                    status__in=[Status.NOT_STARTED, Status.IN_PROGRESS, Status.READY_FOR_ASSESSMENT]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.reference}"


class ProgressUpdate(models.Model):
    """A dated progress update. Immutable once submitted: there is no edit service."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    effective_date = models.DateField()
    public_summary = models.TextField()
    restricted_detail = models.TextField(blank=True)
    status_to = models.CharField(max_length=30, choices=STATUS_CHOICES, blank=True, default="")
    owner_confidence = models.CharField(max_length=20, choices=OWNER_CONFIDENCE_CHOICES)

    class Meta:
        ordering = ["action", "effective_date", "id"]
        # Each action's latest update on or before a date (as-at figures) is one probe of this
        # index, or an ordered read of it for every action; the claim is in it too.
        indexes = [
            models.Index(
                fields=["action", "-effective_date", "-id", "owner_confidence"],
                name="update_action_latest_idx",
            ),
            # The API's list of updates, newest first, paged by cursor (api/pagination.py).
            models.Index(fields=["-effective_date", "-id"], name="update_list_order_idx"),
        ]

    def __str__(self) -> str:
        return f"Update on {self.effective_date:%d %b %Y} to {self.action}"


class Evidence(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    description = models.CharField(max_length=300)
    url = models.URLField(blank=True)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Assessment(models.Model):
    class Decision(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    rationale = models.TextField()
    decided_on = models.DateField()
    recorded_at = models.DateTimeField()
    claim = models.ForeignKey(
        ProgressUpdate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The owner's update that claimed the action was ready.",
    )

    class Meta:
        ordering = ["action", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.decided_on:%d %b %Y}"


class StatusChange(models.Model):
    """The status history: one row per change, dated when it took effect."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="status_changes")
    effective_date = models.DateField()
    recorded_at = models.DateTimeField()
    status_from = models.CharField(max_length=30, choices=STATUS_CHOICES)
    status_to = models.CharField(max_length=30, choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    update = models.ForeignKey(
        ProgressUpdate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["action", "effective_date", "id"]
        indexes = [
            models.Index(
                fields=["action", "-effective_date", "-id", "status_to"],
                name="status_action_latest_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.status_from} → {self.status_to} on {self.effective_date}"


class TargetDateChange(models.Model):
    """A revision of an action's target date. The baseline on the action never changes."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="target_changes")
    previous_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField()
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "effective_date", "id"]
        indexes = [
            models.Index(
                fields=["action", "-effective_date", "-id", "new_date"],
                name="target_action_latest_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.previous_date} → {self.new_date}"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "up", "Higher is better"
        LOWER_IS_BETTER = "down", "Lower is better"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="indicators"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, default="%", blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    direction = models.CharField(
        max_length=4, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    feed = models.CharField(
        max_length=80,
        blank=True,
        help_text="Key of the feed that supplies values; blank for manual.",
    )

    class Meta:
        ordering = ["recommendation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "feed"],
                condition=~models.Q(feed=""),
                name="indicator_feed_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "on"], name="indicator_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value} on {self.on}"
