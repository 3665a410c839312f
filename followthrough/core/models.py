from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Role


class Organisation(models.Model):
    """A partner in the safeguarding partnership."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        POLICE = "police", "Police"
        PCC = "pcc", "Police and crime commissioner"
        HEALTH = "health", "Health commissioner (ICB)"
        SAFEGUARDING_PARTNERSHIP = "safeguarding_partnership", "Safeguarding partnership"
        LICENSING = "licensing", "Licensing authority"
        SCHOOL = "school", "School"
        VOLUNTARY = "voluntary", "Voluntary sector"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    role = models.CharField(max_length=40, choices=Role.choices, default=Role.MEMBER)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="users")

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles


class AuditEvent(models.Model):
    """One append-only, hash-chained record of a change or of a view of personal data.

    Each record's hash covers its own content and the previous record's hash, so an edit,
    deletion or reordering anywhere breaks the chain from that point (see core.audit).
    """

    at = models.DateTimeField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    actor_label = models.CharField(max_length=200)
    verb = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.verb} {self.object_type}:{self.object_id} by {self.actor_label}"
