"""Front-door records: contacts (concerns about a child), CSE screenings, decisions, assessments
and legal holds. Narratives and personal details are encrypted at rest (encryption.py).

Screenings and decisions are append-only: a new one supersedes, nothing is edited. Writes happen
only in services.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .encryption import EncryptedJSONField, EncryptedTextField
from .screening import Band


class Channel(models.TextChoices):
    PUBLIC_WEB = "public_web", "Online form"
    PHONE = "phone", "Phone"
    PROFESSIONAL = "professional", "Professional referral"
    POLICE = "police", "Police notification"
    HEALTH = "health", "Health"
    SCHOOL = "school", "School"


class ReporterKind(models.TextChoices):
    MEMBER_OF_PUBLIC = "member_of_public", "Member of the public, family member or friend"
    PROFESSIONAL = "professional", "Professional who works with children"
    YOUNG_PERSON = "young_person", "The child or young person themselves"


class Consent(models.TextChoices):
    OBTAINED = "obtained", "The family know and agree"
    REFUSED = "refused", "The family know but do not agree"
    NOT_SOUGHT_RISK = "not_sought_risk", "Not told: telling them could put the child at risk"
    NOT_SOUGHT = "not_sought", "Not told, or not known"


class LawfulBasis(models.TextChoices):
    # What the council relies on for every contact, whatever the family think: consent is not
    # needed where seeking it could put the child at risk.
    SAFEGUARDING = (
        "public_task_safeguarding",
        "UK GDPR Article 6(1)(e) public task; Article 9(2)(g) with Data Protection Act 2018 "
        "Schedule 1 paragraph 18, safeguarding of children and individuals at risk",
    )


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMATION_AND_ADVICE = "information_and_advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED_ASSESSMENT = "child_in_need_assessment", "Child in need assessment (section 17)"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion (possible section 47)"
    POLICE_REFERRAL = "police_referral", "Referral to the police"


# Both lead to a child and family assessment, which must conclude within 45 working days of the
# referral: a section 17 assessment directly, and a section 47 enquiry through one.
OPENS_ASSESSMENT = frozenset({Outcome.CHILD_IN_NEED_ASSESSMENT, Outcome.STRATEGY_DISCUSSION})

BAND_CHOICES = [(b.value, b.label) for b in Band]


class AppendOnly(models.Model):
    """Refuses to save over an existing row: corrections are new rows."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError(f"{type(self).__name__} records are never changed once made")
        super().save(*args, **kwargs)


class Contact(models.Model):
    """One concern about a child, from receipt to decision."""

    reference = models.CharField(max_length=12, unique=True)
    idempotency_key = models.UUIDField(unique=True)
    received_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    immediate_danger = models.BooleanField(default=False)

    child_name = EncryptedTextField()
    child_age = EncryptedJSONField(help_text="Age in years, or null if not known")
    child_age_estimated = models.BooleanField(default=False)
    child_school = EncryptedTextField()
    child_area = EncryptedTextField()

    what_happened = EncryptedTextField()
    when_happened = EncryptedTextField()
    signs = EncryptedJSONField(default=list, help_text="Codes from signs.SIGNS")

    reporter_kind = models.CharField(max_length=20, choices=ReporterKind.choices)
    reporter_anonymous = models.BooleanField(default=False)
    reporter_name = EncryptedTextField()
    reporter_email = EncryptedTextField()
    reporter_phone = EncryptedTextField()
    reporter_organisation = EncryptedTextField()
    reporter_role = EncryptedTextField()

    consent = models.CharField(max_length=20, choices=Consent.choices)
    lawful_basis = models.CharField(
        max_length=40, choices=LawfulBasis.choices, default=LawfulBasis.SAFEGUARDING
    )

    decision_due_at = models.DateTimeField(db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frontdoor_contacts",
    )

    class Meta:
        ordering = ["decision_due_at", "id"]

    def __str__(self) -> str:
        return f"Contact {self.reference}"

    @property
    def decided_on_time(self) -> bool | None:
        if self.decided_at is None:
            return None
        return self.decided_at <= self.decision_due_at


class Screening(AppendOnly):
    """One use of the CSE screening tool on a contact. The latest one stands."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="screenings")
    tool_version = models.CharField(max_length=20)
    indicators = EncryptedJSONField(default=list, help_text="Codes of the indicators present")
    child_age = EncryptedJSONField()
    calculated_band = models.CharField(max_length=10, choices=BAND_CHOICES)
    override_band = models.CharField(max_length=10, choices=BAND_CHOICES, blank=True)
    override_reason = EncryptedTextField()
    band = models.CharField(max_length=10, choices=BAND_CHOICES)
    young_child_rule_applied = models.BooleanField(default=False)
    disclosure = models.BooleanField(default=False)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField()

    class Meta:
        ordering = ["contact", "screened_at", "id"]

    def __str__(self) -> str:
        return f"Screening of {self.contact}: {self.band}"


class Decision(AppendOnly):
    """What happens next, with the rationale. The latest one stands; none is ever edited."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=40, choices=Outcome.choices)
    rationale = EncryptedTextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["contact", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.contact}"


class Assessment(models.Model):
    """A child and family assessment opened by a decision: due 45 working days from referral."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="assessments")
    opened_by = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="assessment")
    started_at = models.DateTimeField(help_text="The point of referral: the contact's receipt")
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    overrun_reason = EncryptedTextField()

    class Meta:
        ordering = ["contact", "started_at", "id"]

    def __str__(self) -> str:
        return f"Assessment on {self.contact}"


class LegalHold(models.Model):
    """Stops disposal (litigation, an inquiry, a subject access request) until lifted."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=300, help_text="Do not include names")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contact", "placed_at", "id"]

    def __str__(self) -> str:
        return f"Legal hold on {self.contact}"
