"""Who may load recommendations into a review: can_<verb>_<entity>(user, obj) -> bool.

Loading a report or an action plan sets up a review, which is the scrutiny officers' job
(and administrators'); everyone else gets "not found", as for any page they may not use.
"""

from __future__ import annotations

from typing import Any

from followthrough.tracker.models import Review
from followthrough.tracker.permissions import can_manage_reviews

from .models import DocumentImport


def can_import_to_review(user: Any, review: Review) -> bool:
    return can_manage_reviews(user)


def can_work_on_import(user: Any, document_import: DocumentImport) -> bool:
    """A draft is its uploader's own until confirmed: another officer cannot edit it."""
    return can_manage_reviews(user) and document_import.owner_id == user.pk
