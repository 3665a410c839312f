"""Parsing and validation of licensing input only; the rules live in compliance.py and services.py."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from followthrough.govuk.forms import GovukDateField

from .compliance import LICENCE_TYPE_LABELS, STATE_LABELS, STATUS_CHECK_LABELS, LicenceType, State
from .models import (
    Course,
    DBSCheck,
    Licence,
    LicensingDecision,
    NR3SSearch,
    SelfReport,
)


class AsAtForm(forms.Form):
    as_at = GovukDateField(label="As at", required=False, help_text="For example 24 11 2016")


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label="Name, reference or licence number", required=False, max_length=100)
    state = forms.ChoiceField(
        label="Compliance",
        required=False,
        choices=[("", "All")] + [(s.value, STATE_LABELS[s]) for s in State],
    )


class LicenseeForm(forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=30,
        help_text="The licensing service's reference, for example D0412",
    )
    name = forms.CharField(label="Full name", max_length=200)
    date_of_birth = GovukDateField(label="Date of birth (optional)", required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Reminders about renewals, DBS checks and training are sent here.",
    )


class TrainingCompletionForm(forms.Form):
    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    completed_on = GovukDateField(label="Date completed", help_text="For example 24 11 2016")
    certificate_reference = forms.CharField(
        label="Certificate reference (optional)", required=False, max_length=60
    )

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = courses


class DBSCheckForm(forms.Form):
    issued_on = GovukDateField(label="Date the certificate was issued")
    level = forms.ChoiceField(
        label="Level of check",
        choices=DBSCheck.Level.choices,
        widget=forms.RadioSelect,
        initial=DBSCheck.Level.ENHANCED,
    )
    barred_lists = forms.MultipleChoiceField(
        label="Barred lists checked",
        choices=[("children", "Children's barred list"), ("adults", "Adults' barred list")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Drivers need both.",
    )
    certificate_number = forms.CharField(
        label="Certificate number (optional)",
        required=False,
        max_length=20,
        help_text="12 digits. It is stored encrypted; only the last 4 digits are shown.",
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=DBSCheck.Outcome.choices, widget=forms.RadioSelect
    )
    update_service_subscribed_on = GovukDateField(
        label="Date subscribed to the DBS Update Service (optional)",
        required=False,
        help_text="Drivers must subscribe within 30 days of the certificate being issued.",
    )


class StatusCheckForm(forms.Form):
    checked_on = GovukDateField(label="Date of the status check")
    result = forms.ChoiceField(
        label="Result",
        choices=[(k.value, v) for k, v in STATUS_CHECK_LABELS.items()],
        widget=forms.RadioSelect,
    )


class NR3SSearchForm(forms.Form):
    searched_on = GovukDateField(label="Date of the search")
    result = forms.ChoiceField(
        label="Result", choices=NR3SSearch.Result.choices, widget=forms.RadioSelect
    )
    search_reference = forms.CharField(
        label="Search reference (optional)", required=False, max_length=60
    )
    information_requested_on = GovukDateField(
        label="Date details were requested from the other authority",
        required=False,
        help_text="Needed when the search found a match. A match must not decide the application on its own.",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Decision", choices=LicensingDecision.Kind.choices, widget=forms.RadioSelect
    )
    licence = forms.ModelChoiceField(
        label="Licence (for a renewal, suspension, revocation or reinstatement)",
        queryset=Licence.objects.none(),
        required=False,
        empty_label="Not applicable (a new application)",
    )
    licence_type = forms.ChoiceField(
        label="Type of licence (for a new grant or refusal)",
        choices=[("", "Not applicable")] + [(t.value, LICENCE_TYPE_LABELS[t]) for t in LicenceType],
        required=False,
    )
    licence_number = forms.CharField(
        label="Licence number (for a new grant)", required=False, max_length=30
    )
    nr3s_search = forms.ModelChoiceField(
        label="NR3S search",
        queryset=NR3SSearch.objects.none(),
        required=False,
        empty_label="None recorded",
        help_text="Needed for a grant, renewal or refusal: search NR3S before deciding.",
    )
    decided_on = GovukDateField(label="Date of the decision")
    notified_on = GovukDateField(
        label="Date notice was given (optional)",
        required=False,
        help_text="The 21 days to appeal run from this date. Leave blank if it was the day of the decision.",
    )
    decision_maker = forms.ChoiceField(
        label="Who made the decision",
        choices=LicensingDecision.DecisionMaker.choices,
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
    safeguarding_basis = forms.BooleanField(
        label="Made wholly or partly on safeguarding or road-safety grounds",
        required=False,
        help_text="A refusal, suspension or revocation on these grounds is recorded for entry on NR3S and kept for 11 years.",
    )

    def __init__(self, *args: Any, licences: Any, searches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        licence, search = self.fields["licence"], self.fields["nr3s_search"]
        assert isinstance(licence, forms.ModelChoiceField)
        assert isinstance(search, forms.ModelChoiceField)
        licence.queryset = licences
        search.queryset = searches


class SelfReportForm(forms.Form):
    event = forms.ChoiceField(
        label="What happened", choices=SelfReport.Event.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label="Kind of offence", choices=SelfReport.Category.choices, widget=forms.RadioSelect
    )
    event_on = GovukDateField(label="Date of the arrest, charge or conviction")
    event_time = forms.TimeField(
        label="Time (optional)", required=False, help_text="For example 14:30"
    )
    reported_on = GovukDateField(label="Date the licence holder told us")
    reported_time = forms.TimeField(
        label="Time they told us (optional)", required=False, help_text="For example 09:15"
    )
    summary = forms.CharField(
        label="Summary (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tz = timezone.get_current_timezone()
        if data.get("event_on"):
            data["event_at"] = datetime.combine(
                data["event_on"], data.get("event_time") or time(0, 0), tz
            )
        if data.get("reported_on"):
            data["reported_at"] = datetime.combine(
                data["reported_on"], data.get("reported_time") or time(23, 59), tz
            )
        return data


class LicenceCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Why is the licence closing?",
        choices=[
            ("expired", "It ran out and was not renewed"),
            ("surrendered", "It was surrendered"),
        ],
        widget=forms.RadioSelect,
    )
    effective_date = GovukDateField(label="Date")
    reason = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CourseForm(forms.Form):
    name = forms.CharField(label="Course name", max_length=200)
    audience = forms.ChoiceField(
        label="Audience", choices=Course.Audience.choices, widget=forms.RadioSelect
    )
    provider = forms.CharField(label="Provider (optional)", required=False, max_length=200)
    validity_months = forms.IntegerField(
        label="Months a completion counts for (optional)",
        required=False,
        min_value=1,
        max_value=120,
        help_text="Leave blank if it never lapses.",
    )
    counts_for_driver_condition = forms.BooleanField(
        label="Completing this course meets the driver safeguarding training condition",
        required=False,
    )


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(
        label="Course", queryset=Course.objects.none(), empty_label="Select a course"
    )
    held_on = GovukDateField(label="Date")
    venue = forms.CharField(label="Venue", max_length=200)
    trainer = forms.CharField(label="Trainer (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Course.objects.order_by("name")


class AttendanceForm(forms.Form):
    licensee_reference = forms.CharField(
        label="Licence holder's reference (drivers and operators)",
        required=False,
        max_length=30,
        help_text="Leave blank for anyone else, and give their name below.",
    )
    attendee_name = forms.CharField(
        label="Name (if not a licence holder)", required=False, max_length=200
    )
    attendee_organisation = forms.CharField(
        label="Organisation (optional)", required=False, max_length=200
    )
    completed = forms.ChoiceField(
        label="Did they complete the course?",
        choices=[
            ("yes", "Yes, they completed it"),
            ("no", "No, they attended but did not complete it"),
            ("absent", "No, they did not attend"),
        ],
        widget=forms.RadioSelect,
    )
    certificate_reference = forms.CharField(
        label="Certificate reference (optional)", required=False, max_length=60
    )


class NR3SEnteredForm(forms.Form):
    register_reference = forms.CharField(label="NR3S reference", max_length=60)
    entered_on = GovukDateField(label="Date entered on NR3S")


class ImportForm(forms.Form):
    KINDS = [
        ("register", "Register (licence holders and licences)"),
        ("dbs", "DBS certificates and status checks"),
        ("training", "Training attendance"),
    ]
    kind = forms.ChoiceField(
        label="What does the file hold?", choices=KINDS, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="CSV or Excel file", help_text="A .csv (UTF-8) or .xlsx file, smaller than 5MB"
    )
