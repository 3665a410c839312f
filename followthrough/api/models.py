"""API tokens, kept as digests.

A partner lead's token is shown once, when it is issued; the database keeps only its SHA-256
digest (and its first characters, to tell tokens apart). A copy of the database, a backup or a
read-only leak therefore holds no working token. The token is 256 random bits, so a plain
SHA-256 is enough: there is nothing to guess that a slow password hash would protect.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The token's first characters.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"API token {self.prefix}… for {self.user}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
