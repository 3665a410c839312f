"""Parsing and validation of the analyst's input."""

from __future__ import annotations

from typing import Any

from django import forms

from followthrough.govuk.forms import GovukDateField

MODE_CHOICES = [
    ("round", "10-5 rule: figures under 10 not shown, the rest rounded to the nearest 5"),
    ("suppress", "Suppression: figures under the threshold, and any that reveal them, not shown"),
]


class OffenceUploadForm(forms.Form):
    file = forms.FileField(
        label="Offence records file (CSV)",
        help_text="One row per offence, with the columns of the offence records schema.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        return upload


class ProfileForm(forms.Form):
    mode = forms.ChoiceField(
        label="Protection", choices=MODE_CHOICES, widget=forms.RadioSelect, initial="round"
    )
    threshold = forms.IntegerField(
        label="Threshold",
        min_value=5,
        max_value=100,
        initial=10,
        help_text="Counts under this are never shown. It cannot be lower than 5.",
        error_messages={"min_value": "Threshold must be 5 or more"},
    )
    start = GovukDateField(label="Recorded on or after", required=False)
    end = GovukDateField(label="Recorded on or before", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data


class PublishForm(forms.Form):
    title = forms.CharField(
        label="Release title",
        max_length=200,
        help_text="For example: Offence profile, April 2023 to March 2024",
    )
    mode = forms.ChoiceField(choices=MODE_CHOICES, widget=forms.HiddenInput)
    threshold = forms.IntegerField(min_value=5, max_value=100, widget=forms.HiddenInput)
    start = forms.DateField(required=False, widget=forms.HiddenInput)
    end = forms.DateField(required=False, widget=forms.HiddenInput)
