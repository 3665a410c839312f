"""The taxi and private hire safeguarding register, and training for any audience.

Rules live in compliance.py (pure), writes in services.py. Every record that compliance depends
on is dated, so the register can be assessed as at any past date. A licence keeps its current
status as a column for cheap lists, and every change of it in LicenceStatusChange, which is what
as-at assessment reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .compliance import (
    LICENCE_TYPE_LABELS,
    STATUS_CHECK_LABELS,
    LicenceStatus,
    LicenceType,
    StatusCheckResult,
)

LICENCE_TYPE_CHOICES = [(t.value, LICENCE_TYPE_LABELS[t]) for t in LicenceType]
LICENCE_STATUS_CHOICES = [(s.value, s.label) for s in LicenceStatus]
STATUS_CHECK_CHOICES = [(r.value, STATUS_CHECK_LABELS[r]) for r in StatusCheckResult]


class Licensee(models.Model):
    """A person (or firm, for an operator) who holds or has applied for a licence."""

    reference = models.CharField(
        max_length=30, unique=True, help_text="The licensing service's own reference."
    )
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True, help_text="Reminders are sent here.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "reference"]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"


class Licence(models.Model):
    """One licence period. A renewal is a new Licence with the same number."""

    licensee = models.ForeignKey(Licensee, on_delete=models.PROTECT, related_name="licences")
    number = models.CharField(max_length=30)
    licence_type = models.CharField(max_length=30, choices=LICENCE_TYPE_CHOICES)
    issued_on = models.DateField()
    expires_on = models.DateField(help_text="The last day the licence is in force.")
    status = models.CharField(
        max_length=20, choices=LICENCE_STATUS_CHOICES, default=LicenceStatus.ACTIVE
    )
    conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["licensee", "-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="licence_period_unique"),
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("issued_on")),
                name="licence_expires_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="licence_expiry_idx")]

    def __str__(self) -> str:
        return f"Licence {self.number} ({self.get_licence_type_display()})"

    @property
    def is_driver_licence(self) -> bool:
        return LicenceType(self.licence_type).is_driver


class LicenceStatusChange(models.Model):
    """The status history of a licence, dated when it took effect."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="status_changes")
    effective_date = models.DateField()
    status_from = models.CharField(max_length=20, choices=LICENCE_STATUS_CHOICES, blank=True)
    status_to = models.CharField(max_length=20, choices=LICENCE_STATUS_CHOICES)
    reason = models.TextField(blank=True)
    decision = models.ForeignKey(
        "LicensingDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["licence", "effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.status_from or 'new'} → {self.status_to} on {self.effective_date}"


class DBSCheck(models.Model):
    """A DBS certificate seen by the council. We keep the decision, never the certificate text."""

    class Level(models.TextChoices):
        BASIC = "basic", "Basic"
        STANDARD = "standard", "Standard"
        ENHANCED = "enhanced", "Enhanced"

    class Outcome(models.TextChoices):
        NO_INFORMATION = "no_information", "No information disclosed"
        CONSIDERED_SUITABLE = "considered_suitable", "Information disclosed; considered suitable"
        REFERRED = "referred", "Information disclosed; referred for a decision"

    licensee = models.ForeignKey(Licensee, on_delete=models.PROTECT, related_name="dbs_checks")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.ENHANCED)
    children_barred_list = models.BooleanField("children's barred list checked", default=True)
    adults_barred_list = models.BooleanField("adults' barred list checked", default=True)
    issued_on = models.DateField()
    certificate_number_encrypted = models.TextField(blank=True)
    certificate_number_last4 = models.CharField(max_length=4, blank=True)
    outcome = models.CharField(
        max_length=30, choices=Outcome.choices, default=Outcome.NO_INFORMATION
    )
    update_service_subscribed_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["licensee", "-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licensee", "issued_on", "level"], name="dbs_check_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} DBS issued {self.issued_on}"

    @property
    def meets_standard(self) -> bool:
        return (
            self.level == self.Level.ENHANCED
            and self.children_barred_list
            and self.adults_barred_list
        )


class DBSStatusCheck(models.Model):
    """A check of a certificate on the DBS Update Service."""

    licensee = models.ForeignKey(
        Licensee, on_delete=models.PROTECT, related_name="dbs_status_checks"
    )
    dbs_check = models.ForeignKey(DBSCheck, on_delete=models.PROTECT, related_name="status_checks")
    checked_on = models.DateField()
    result = models.CharField(max_length=20, choices=STATUS_CHECK_CHOICES)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["licensee", "-checked_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licensee", "checked_on"], name="dbs_status_check_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Status check on {self.checked_on}: {self.get_result_display()}"


class Course(models.Model):
    """A safeguarding or CSE awareness course, for one intended audience."""

    class Audience(models.TextChoices):
        TAXI_DRIVERS = "taxi_drivers", "Taxi and private hire drivers"
        OPERATORS = "operators", "Private hire operators and dispatch staff"
        SCHOOL_STAFF = "school_staff", "School staff"
        HOTEL_STAFF = "hotel_staff", "Hotel, fast-food and leisure staff"
        FRONTLINE_STAFF = "frontline_staff", "Frontline practitioners"
        ELECTED_MEMBERS = "elected_members", "Elected members"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    audience = models.CharField(max_length=30, choices=Audience.choices)
    provider = models.CharField(max_length=200, blank=True)
    validity_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="How long a completion counts. Blank: it never lapses."
    )
    counts_for_driver_condition = models.BooleanField(
        default=False,
        help_text="Completing it meets the driver safeguarding training condition.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    venue = models.CharField(max_length=200)
    trainer = models.CharField(max_length=200, blank=True)
    cancelled = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "held_on", "venue"], name="training_session_unique"
            )
        ]
        indexes = [models.Index(fields=["held_on"], name="training_session_date_idx")]

    def __str__(self) -> str:
        return f"{self.course} on {self.held_on} at {self.venue}"


class Attendance(models.Model):
    """One person at one session (or a course completed elsewhere, with no session).

    A licence holder is linked to their register entry; anyone else (school or hotel staff) is
    recorded by name and organisation.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attendances")
    session = models.ForeignKey(
        TrainingSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    licensee = models.ForeignKey(
        Licensee, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )
    attendee_name = models.CharField(max_length=200, blank=True)
    attendee_organisation = models.CharField(max_length=200, blank=True)
    attended = models.BooleanField(default=True)
    completed_on = models.DateField(
        null=True, blank=True, help_text="Blank when the person did not complete the course."
    )
    certificate_reference = models.CharField(max_length=60, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "licensee"],
                condition=models.Q(licensee__isnull=False, session__isnull=False),
                name="attendance_licensee_unique",
            ),
            models.UniqueConstraint(
                fields=["session", "attendee_name", "attendee_organisation"],
                condition=models.Q(licensee__isnull=True, session__isnull=False),
                name="attendance_person_unique",
            ),
            models.UniqueConstraint(
                fields=["course", "licensee", "completed_on"],
                condition=models.Q(licensee__isnull=False, session__isnull=True),
                name="attendance_external_unique",
            ),
        ]
        indexes = [models.Index(fields=["completed_on"], name="attendance_completed_idx")]

    def __str__(self) -> str:
        who = self.licensee.name if self.licensee else self.attendee_name
        return f"{who}: {self.course}"

    @property
    def person(self) -> str:
        return self.licensee.name if self.licensee else self.attendee_name


class NR3SSearch(models.Model):
    """A search of the National Register of Refusals and Revocations, made before a decision."""

    class Result(models.TextChoices):
        NO_MATCH = "no_match", "No match"
        MATCH = "match", "Match found"

    licensee = models.ForeignKey(Licensee, on_delete=models.PROTECT, related_name="nr3s_searches")
    searched_on = models.DateField()
    result = models.CharField(max_length=20, choices=Result.choices)
    search_reference = models.CharField(max_length=60, blank=True)
    information_requested_on = models.DateField(
        null=True,
        blank=True,
        help_text="When a match was found: the date the details were requested from the other authority.",
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["licensee", "-searched_on", "id"]

    def __str__(self) -> str:
        return f"NR3S search on {self.searched_on}: {self.get_result_display()}"


class LicensingDecision(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", "Grant"
        RENEW = "renew", "Renew"
        REFUSE = "refuse", "Refuse"
        SUSPEND = "suspend", "Suspend"
        REVOKE = "revoke", "Revoke"
        REINSTATE = "reinstate", "Reinstate"

    class DecisionMaker(models.TextChoices):
        OFFICER = "officer", "Licensing officer (delegated powers)"
        SUB_COMMITTEE = "sub_committee", "Licensing sub-committee"

    licensee = models.ForeignKey(Licensee, on_delete=models.PROTECT, related_name="decisions")
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    licence_type = models.CharField(max_length=30, choices=LICENCE_TYPE_CHOICES, blank=True)
    decided_on = models.DateField()
    notified_on = models.DateField()
    decision_maker = models.CharField(max_length=20, choices=DecisionMaker.choices)
    reasons = models.TextField()
    safeguarding_basis = models.BooleanField(
        default=False,
        help_text="Made wholly or partly on safeguarding or road-safety grounds.",
    )
    appeal_deadline = models.DateField()
    nr3s_search = models.OneToOneField(
        NR3SSearch, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["licensee", "-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.decided_on}"


class NR3SEntry(models.Model):
    """A safeguarding refusal, suspension or revocation to be entered on NR3S, kept 11 years."""

    decision = models.OneToOneField(
        LicensingDecision, on_delete=models.PROTECT, related_name="nr3s_entry"
    )
    recorded_on = models.DateField(help_text="The day the entry was first made.")
    keep_until = models.DateField()
    register_reference = models.CharField(max_length=60, blank=True)
    entered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_on", "id"]
        verbose_name_plural = "NR3S entries"

    def __str__(self) -> str:
        return f"NR3S entry for {self.decision}"


class SelfReport(models.Model):
    """A licensee's report of their own arrest, charge or conviction (due within 48 hours)."""

    class Event(models.TextChoices):
        ARREST = "arrest", "Arrest and release"
        CHARGE = "charge", "Charge"
        CONVICTION = "conviction", "Conviction"
        CAUTION = "caution", "Caution (local condition)"

    class Category(models.TextChoices):
        SEXUAL = "sexual", "Sexual offence"
        DISHONESTY = "dishonesty", "Dishonesty"
        VIOLENCE = "violence", "Violence"
        MOTORING = "motoring", "Motoring offence"
        OTHER = "other", "Other"

    licensee = models.ForeignKey(Licensee, on_delete=models.PROTECT, related_name="self_reports")
    event = models.CharField(max_length=20, choices=Event.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    event_at = models.DateTimeField()
    reported_at = models.DateTimeField()
    summary = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["licensee", "-event_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_event_display()} on {self.event_at:%Y-%m-%d}"


class Reminder(models.Model):
    """A reminder sent before something falls due. One row per reminder, so none is sent twice."""

    class Subject(models.TextChoices):
        LICENCE = "licence", "Licence renewal"
        DBS_STATUS_CHECK = "dbs_status_check", "DBS status check"
        TRAINING = "training", "Safeguarding training refresher"

    class Recipient(models.TextChoices):
        LICENSEE = "licensee", "Licence holder"
        OFFICERS = "officers", "Licensing officers"

    licensee = models.ForeignKey(Licensee, on_delete=models.PROTECT, related_name="reminders")
    subject = models.CharField(max_length=30, choices=Subject.choices)
    due_on = models.DateField()
    days_before = models.PositiveIntegerField()
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    sent_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licensee", "subject", "due_on", "days_before", "recipient"],
                name="reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} reminder, due {self.due_on}"
