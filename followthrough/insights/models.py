"""Insights records kept in the main database: import batches and published releases.

Offence records themselves live in the analytics store (DuckDB, see store.py). A release holds
only protected figures: each cell as shown (published exactly, rounded, or suppressed with no
value), what that tells an attacker, and the range the audit deduced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportBatch(models.Model):
    """One upload of an offence records file: imported whole, or rejected whole."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Rejected"

    filename = models.CharField(max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()}, {self.imported_at:%d %b %Y})"


class Release(models.Model):
    """A published set of protected profile tables, audited with every earlier release."""

    class Mode(models.TextChoices):
        SUPPRESS = "suppress", "Suppression with secondary suppression"
        ROUND = "round", "10-5 rule (suppress under 10, round to 5)"

    title = models.CharField(max_length=200)
    mode = models.CharField(max_length=20, choices=Mode.choices)
    threshold = models.PositiveSmallIntegerField()
    p = models.PositiveSmallIntegerField("protection width")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    footnotes = models.JSONField(default=list, blank=True)
    audit_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=5), name="insights_release_t_min5"),
        ]

    def __str__(self) -> str:
        return self.title


class ReleaseTable(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    dimensions = models.JSONField()
    categories = models.JSONField()
    partial = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["release", "position"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="insights_table_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.release}: {self.title}"


class ReleaseCell(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        ROUNDED = "rounded", "Rounded"
        SUPPRESSED = "suppressed", "Suppressed"

    table = models.ForeignKey(ReleaseTable, on_delete=models.CASCADE, related_name="cells")
    key = models.CharField(max_length=300)  # labels joined by " | "; "Total" for a margin
    labels = models.JSONField()
    position = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    value = models.PositiveIntegerField(null=True, blank=True)
    rule = models.CharField(max_length=20, blank=True)
    known_lo = models.PositiveIntegerField(default=0)
    known_hi = models.PositiveIntegerField(null=True, blank=True)
    audit_lo = models.PositiveIntegerField(null=True, blank=True)
    audit_hi = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "key"], name="insights_cell_unique"),
            # A suppressed cell never has a value; a shown one always has.
            models.CheckConstraint(
                condition=(Q(status="suppressed") & Q(value__isnull=True))
                | (~Q(status="suppressed") & Q(value__isnull=False)),
                name="insights_cell_value_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table.name} {self.key}: {self.value if self.value is not None else '[c]'}"
