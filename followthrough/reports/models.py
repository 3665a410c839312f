"""The committee cycle: meetings, update requests and reminders, notifications, followers, and
frozen report snapshots. Writes live in services.py; reads in selectors.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from followthrough.core.models import Organisation
from followthrough.tracker.models import Action, Recommendation, Review


class Meeting(models.Model):
    """A committee meeting that considers a review's progress."""

    class Kind(models.TextChoices):
        INTERIM = "interim", "Interim report"
        END_OF_YEAR = "end_of_year", "End-of-year report"
        AD_HOC = "ad_hoc", "Ad hoc report"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    committee = models.CharField(max_length=200)
    meets_on = models.DateField("meeting date")
    papers_deadline = models.DateField(help_text="Updates must be in by this date.")
    requests_from = models.DateField(
        "update requests from",
        help_text="Update requests go out on this date; updates from it onwards count.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "meets_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "meets_on"], name="meeting_review_date_unique"
            ),
            models.CheckConstraint(
                condition=Q(papers_deadline__lte=models.F("meets_on")),
                name="meeting_deadline_before_meeting",
            ),
            models.CheckConstraint(
                condition=Q(requests_from__lte=models.F("papers_deadline")),
                name="meeting_requests_before_deadline",
            ),
        ]
        indexes = [models.Index(fields=["requests_from", "meets_on"], name="meeting_window_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} meeting on {self.meets_on:%d %b %Y}"


class UpdateRequest(models.Model):
    """One request to a partner for updates on its open actions before a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="update_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    actions = models.ManyToManyField(Action, related_name="+")
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True, help_text="Email addresses, one a line.")

    class Meta:
        ordering = ["meeting", "organisation__name"]
        constraints = [
            # Never ask the same partner twice for the same meeting.
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="update_request_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Update request to {self.organisation} for {self.meeting}"


class Reminder(models.Model):
    """A chaser (before the papers deadline) or an escalation (after it) about a request."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        ESCALATION = "escalation", "Escalation to the scrutiny officer"

    request = models.ForeignKey(UpdateRequest, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True, help_text="Email addresses, one a line.")

    class Meta:
        ordering = ["request", "sent_at"]
        constraints = [
            # The same reminder is never sent twice, however often the command runs.
            models.UniqueConstraint(fields=["request", "kind"], name="reminder_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.request}"


class Notification(models.Model):
    """An in-app message to a signed-in person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_idx")]

    def __str__(self) -> str:
        return self.subject


class Subscription(models.Model):
    """Someone following a recommendation's status changes: a signed-in person, or a member of
    the public by email (published reviews only, once they have confirmed the address)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    email = models.EmailField(blank=True)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Throttles confirmation emails, so the public form cannot be used to flood an inbox.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "user"],
                condition=Q(user__isnull=False),
                name="subscription_user_unique",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "email"],
                condition=Q(user__isnull=True),
                name="subscription_email_unique",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="subscription_has_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"Following {self.recommendation}"


class FollowerMark(models.Model):
    """How far follower notifications have got through the status history (a high-water mark),
    so each status change is announced once however often the command runs."""

    name = models.CharField(max_length=40, unique=True)
    last_status_change_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_status_change_id}"


class ReportSnapshot(models.Model):
    """A committee report frozen for a meeting: the as-at figures as JSON, with their hash.

    There is no service that changes one: a tabled report never changes afterwards.
    """

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="report_snapshots")
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="snapshot")
    as_at = models.DateField()
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["review", "as_at"]

    def __str__(self) -> str:
        return f"Report as at {self.as_at:%d %b %Y} ({self.content_hash[:12]})"
