"""Parsing and validation of front-door input only; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from . import screening
from .models import Consent, Outcome, ReporterKind
from .signs import SIGNS

YES_NO = [("yes", "Yes"), ("no", "No")]


class TelInput(forms.TextInput):
    input_type = "tel"


# ---------------------------------------------------------------------------------------------
# The public concern form: one question (or one close group of questions) per page


class DangerForm(forms.Form):
    immediate_danger = forms.ChoiceField(
        label="Is a child in immediate danger right now?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if a child is in immediate danger right now"},
    )


class ChildForm(forms.Form):
    child_name = forms.CharField(
        label="Their name (if you know it)",
        help_text="Include any nicknames or other names they use",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    child_age = forms.IntegerField(
        label="How old are they?",
        help_text="If you are not sure, give your best guess. Leave this empty if you have no idea.",
        required=False,
        min_value=0,
        max_value=17,
        error_messages={
            "invalid": "Enter their age as a number, for example 14",
            "min_value": "Age must be 0 or more",
            "max_value": "This form is for children under 18. For an adult, call 101 or 999 in an emergency",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    child_age_estimated = forms.BooleanField(label="This is my best guess", required=False)
    child_school = forms.CharField(
        label="Their school or college (if you know it)", required=False, max_length=200
    )
    child_area = forms.CharField(
        label="Where do they live or spend time?",
        help_text="For example, a town, estate, street or postcode",
        required=False,
        max_length=200,
    )


class WhatHappenedForm(forms.Form):
    what_happened = forms.CharField(
        label="What has happened, or what are you worried about?",
        help_text="Tell us what you saw or heard, who was involved and anything that was said. Include car registrations, places and online usernames if you know them.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Tell us what has happened or what you are worried about"},
    )
    when_happened = forms.CharField(
        label="When did this happen? (optional)",
        help_text="For example, last night, or every weekend since March",
        required=False,
        max_length=300,
    )


class SignsForm(forms.Form):
    signs = forms.MultipleChoiceField(
        label="Have you noticed any of these signs?",
        help_text="Select all that apply. It is fine to select none.",
        choices=[(code, label) for code, label, _ in SIGNS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class WhoForm(forms.Form):
    reporter_kind = forms.ChoiceField(
        label="Which of these describes you?",
        choices=ReporterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which of these describes you"},
    )


class AnonymousForm(forms.Form):
    give_details = forms.ChoiceField(
        label="Do you want to give us your name and contact details?",
        help_text="You can stay anonymous. If you tell us who you are we can contact you to find out more, which can help the child.",
        choices=[("yes", "Yes, give my details"), ("no", "No, stay anonymous")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you want to give your details"},
    )


class DetailsForm(forms.Form):
    reporter_name = forms.CharField(
        label="Your full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    reporter_phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        widget=TelInput(
            attrs={"autocomplete": "tel", "class": "govuk-input govuk-input--width-20"}
        ),
    )
    reporter_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    reporter_organisation = forms.CharField(
        label="Organisation you work for (if you are reporting as a professional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    reporter_role = forms.CharField(
        label="Your job title (if you are reporting as a professional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    def __init__(self, *args: Any, professional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.professional = professional
        if professional:
            self.fields["reporter_organisation"].label = "Organisation you work for"
            self.fields["reporter_organisation"].required = True
            self.fields["reporter_organisation"].error_messages["required"] = (
                "Enter the organisation you work for"
            )
            self.fields["reporter_role"].label = "Your job title"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("reporter_phone") and not data.get("reporter_email") and not self.errors:
            self.add_error("reporter_phone", "Enter a phone number or an email address")
        return data


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label="Does the child or their family know you are telling us?",
        help_text="We do not need their permission to keep a child safe, and we will not tell them who you are.",
        choices=[
            (Consent.OBTAINED, "Yes, and they agree"),
            (Consent.REFUSED, "Yes, but they do not agree"),
            (Consent.NOT_SOUGHT_RISK, "No, because telling them could put the child at risk"),
            (Consent.NOT_SOUGHT, "No, or I do not know"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child or their family know"},
    )


class CheckForm(forms.Form):
    """The send button. Carries the key made when the form was started, and a honeypot."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    # Hidden from people by CSS; bots that fill every field fill this one too.
    website = forms.CharField(required=False, label="Leave this empty")


# ---------------------------------------------------------------------------------------------
# Practitioner forms


class AccessReasonForm(forms.Form):
    REASONS = [
        ("Triage: screening and decision", "Triage: screening and decision"),
        ("Assigned to me: continuing work", "Assigned to me: continuing work"),
        ("Management oversight", "Management oversight"),
        ("other", "Another reason"),
    ]
    reason = forms.ChoiceField(
        label="Why are you opening this record?",
        choices=REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are opening this record"},
    )
    other_reason = forms.CharField(
        label="If another reason, what is it?", required=False, max_length=250
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "other" and not data.get("other_reason", "").strip():
            self.add_error("other_reason", "Give the reason you are opening this record")
        return data

    @property
    def reason_text(self) -> str:
        data = self.cleaned_data
        return data["other_reason"].strip() if data["reason"] == "other" else data["reason"]


class QueueSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a contact by reference",
        help_text="The 10-character reference given to the person who reported it",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-10"}),
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="Assign to")

    def __init__(self, *args: Any, staff: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {str(u.pk): u for u in staff}
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Nobody (unassigned)")] + [(str(u.pk), str(u)) for u in staff]
        field.required = False

    def clean_assignee(self) -> Any:
        value = self.cleaned_data.get("assignee") or ""
        return self.staff.get(value)


class ScreeningForm(forms.Form):
    """One checkbox group per domain of the screening tool, then the age and any override."""

    child_age = forms.IntegerField(
        label="Child's age",
        help_text="For a child aged 13 or under, any one high-risk indicator makes this high risk",
        required=False,
        min_value=0,
        max_value=17,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    override_band = forms.ChoiceField(
        label="Does your professional judgement change the calculated band?",
        help_text="Leave as it is unless you have a reason to change it",
        choices=[("", "No, use the calculated band")]
        + [(b.value, f"Yes, make it {b.label.lower()}") for b in screening.Band],
        widget=forms.RadioSelect,
        required=False,
    )
    override_reason = forms.CharField(
        label="Reason for changing the band",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, tool: screening.ScreeningTool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        indicator_fields = {}
        for number, domain in enumerate(tool.domains, start=1):
            indicator_fields[f"domain_{number}"] = forms.MultipleChoiceField(
                label=domain,
                choices=[(i.code, f"{i.text} ({i.weight.value})") for i in tool.in_domain(domain)],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        # Indicators first, in the tool's order, then the age and override.
        self.fields = {**indicator_fields, **self.fields}

    @property
    def indicators(self) -> list[str]:
        codes: list[str] = []
        for name, value in self.cleaned_data.items():
            if name.startswith("domain_"):
                codes.extend(value)
        return codes

    @classmethod
    def initial_for(cls, tool: screening.ScreeningTool, codes: list[str]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for number, domain in enumerate(tool.domains, start=1):
            initial[f"domain_{number}"] = [
                i.code for i in tool.in_domain(domain) if i.code in codes
            ]
        return initial


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happens next?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happens next"},
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        help_text="Record what you considered, including the screening and any information from partners",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Give the reasons for the decision"},
    )


class AssessmentCompleteForm(forms.Form):
    overrun_reason = forms.CharField(
        label="Reason the assessment took longer than 45 working days",
        help_text="Needed only if the assessment is past its due date",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the legal hold",
        help_text="For example, a subject access request, court proceedings or an inquiry. Do not include names.",
        max_length=300,
        error_messages={"required": "Give the reason for the hold"},
    )
