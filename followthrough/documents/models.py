"""Imports in progress: an uploaded report or action plan and the draft read from it.

The draft lives here, server-side, between the clerk's steps (upload, check, edit, confirm),
so the journey works without JavaScript and survives a reload or a lost connection.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DocumentImport(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", "Published report"
        ACTION_PLAN = "action_plan", "Action plan spreadsheet"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONFIRMED = "confirmed", "Confirmed"

    review = models.ForeignKey(
        "tracker.Review", on_delete=models.CASCADE, related_name="document_imports"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_imports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # A random name on disk; the name the clerk gave the file is kept for messages only.
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    #: The draft recommendations (drafting.DraftRecommendation.as_json), in document order.
    items = models.JSONField(default=list, blank=True)
    #: Keys handed out so far: a split never reuses one, so old links cannot hit the wrong item.
    last_key = models.PositiveIntegerField(default=0)
    #: The document's text as read (provenance.SourceParagraph.as_dict), for checking against.
    paragraphs = models.JSONField(default=list, blank=True)
    #: What confirming wrote, for the record.
    outcome = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "review", "status"], name="document_import_owner_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} for {self.review_id}"
