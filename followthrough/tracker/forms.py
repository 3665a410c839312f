"""Parsing and validation of tracker input only; the rules live in rules.py and services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from followthrough.core.models import Organisation
from followthrough.govuk.forms import GovukDateField

from .models import Assessment, Theme
from .rules import CONFIDENCE_LABELS, REPORT_ORDER, Status


class VersionedForm(forms.Form):
    """Carries the action's version so a stale form is refused rather than overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class UpdateForm(VersionedForm):
    effective_date = GovukDateField(
        label="Date of this update",
        help_text="The date the progress happened, for example 24 11 2016",
    )
    status_to = forms.ChoiceField(
        label="Does the action's status change?", widget=forms.RadioSelect
    )
    owner_confidence = forms.ChoiceField(
        label="Will the action be delivered by its target date?",
        choices=[("on_track", "Yes, it is on track"), ("at_risk", "No, it is at risk")],
        widget=forms.RadioSelect,
    )
    public_summary = forms.CharField(
        label="Summary of progress",
        help_text="This may be published. Do not include names or other personal information.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    restricted_detail = forms.CharField(
        label="Restricted detail (optional)",
        help_text="Seen only by your organisation, scrutiny officers and the assessor. Never published.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=8000,
    )
    evidence_description = forms.CharField(
        label="Evidence description (optional)", required=False, max_length=300
    )
    evidence_url = forms.URLField(
        label="Link to evidence (optional)", required=False, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label="Upload a file (optional)",
        help_text="PDF, Word, Excel, CSV, text, PNG or JPEG, smaller than 10MB",
        required=False,
    )

    def __init__(self, *args: Any, allowed_statuses: list[Status], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status_to"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [("", "No, the status stays the same")] + [
            (s.value, f"Yes, mark it {s.label.lower()}") for s in allowed_statuses
        ]
        self.fields["status_to"].required = False
        self.fields["status_to"].initial = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("evidence_url") or data.get("evidence_file")) and not data.get(
            "evidence_description"
        ):
            self.add_error("evidence_description", "Describe the evidence you are providing")
        return data


class AssessForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (Assessment.Decision.SIGNED_OFF, "Sign off: the action is complete"),
            (Assessment.Decision.RETURNED, "Return it to the owner"),
        ],
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label="Reasons",
        help_text="Published beside the owner's claim.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    decided_on = GovukDateField(label="Date of decision")


class TargetDateForm(VersionedForm):
    new_date = GovukDateField(label="New target date")
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Reported to the committee with the original (baseline) date.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    effective_date = GovukDateField(label="Date the change was agreed")


class CloseForm(VersionedForm):
    reason = forms.CharField(
        label="Why will this action not be implemented?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    effective_date = GovukDateField(label="Date of the decision")


class ReviewFilterForm(forms.Form):
    as_at = GovukDateField(label="As at", required=False)
    confidence = forms.ChoiceField(label="Status", required=False)
    partner = forms.ModelChoiceField(
        label="Partner",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="All partners",
    )
    theme = forms.ModelChoiceField(
        label="Theme", queryset=Theme.objects.none(), required=False, empty_label="All themes"
    )

    def __init__(self, *args: Any, partners: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        confidence, partner, theme = (self.fields[n] for n in ("confidence", "partner", "theme"))
        assert isinstance(confidence, forms.ChoiceField)
        assert isinstance(partner, forms.ModelChoiceField)
        assert isinstance(theme, forms.ModelChoiceField)
        confidence.choices = [("", "All statuses")] + [
            (c.value, CONFIDENCE_LABELS[c]) for c in REPORT_ORDER
        ]
        partner.queryset = partners
        theme.queryset = themes


class ReviewForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300)
    slug = forms.SlugField(
        label="Short name for web addresses", help_text="Lower-case letters, numbers and hyphens"
    )
    made_by = forms.CharField(label="Body that made the recommendations", max_length=200)
    agreed_on = GovukDateField(label="Date agreed or published")
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    update_interval_days = forms.IntegerField(
        label="Days between updates",
        min_value=7,
        max_value=366,
        initial=92,
        help_text="An open action with no update for longer than this shows as 'no update'.",
    )


class RecommendationForm(forms.Form):
    number = forms.CharField(
        label="Number as printed", max_length=20, help_text='For example "7" or "4a"'
    )
    title = forms.CharField(label="Title (optional)", max_length=300, required=False)
    text = forms.CharField(label="Full text", widget=forms.Textarea(attrs={"rows": 6}))
    lead_organisation = forms.ModelChoiceField(
        label="Lead partner", queryset=Organisation.objects.all(), empty_label="Select a partner"
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What will be done", widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=Organisation.objects.all(), empty_label="Select a partner"
    )
    success_measure = forms.CharField(
        label="How will we know it is done?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    start_date = GovukDateField(label="Start date")
    target_date = GovukDateField(label="Target date")
