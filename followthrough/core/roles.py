"""Roles (DESIGN.md §4). A user holds one role; partner leads are scoped to organisations."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    SCRUTINY_OFFICER = "scrutiny_officer", "Scrutiny officer"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    ASSESSOR = "assessor", "Independent assessor"
    MEMBER = "member", "Committee member"
    ANALYST = "analyst", "Analyst"
    FRONTDOOR_PRACTITIONER = "frontdoor_practitioner", "Front-door practitioner"
    FRONTDOOR_MANAGER = "frontdoor_manager", "Front-door manager"
    LICENSING_OFFICER = "licensing_officer", "Licensing officer"


# Roles that may read the tracker's internal (not yet published) material.
TRACKER_READERS = frozenset(
    {Role.ADMIN, Role.SCRUTINY_OFFICER, Role.PARTNER_LEAD, Role.ASSESSOR, Role.MEMBER}
)
# Roles that see every review, not only those their organisation takes part in.
TRACKER_ALL_REVIEWS = frozenset({Role.ADMIN, Role.SCRUTINY_OFFICER, Role.ASSESSOR, Role.MEMBER})
