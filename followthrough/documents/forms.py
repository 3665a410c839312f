"""Parsing and validation of import input only; the reading and the rules live elsewhere."""

from __future__ import annotations

from typing import Any

from django import forms

from .drafting import NUMBER_MAX, TITLE_MAX


def _within_limit(upload: Any) -> Any:
    """Refuse an oversized file before it is read into memory (the service checks again)."""
    from .services import import_max_bytes

    limit = import_max_bytes()
    if upload is not None and upload.size > limit:
        raise forms.ValidationError(
            f"{upload.name}: the file must be smaller than {limit // (1024 * 1024)}MB"
        )
    return upload


class ReportUploadForm(forms.Form):
    document = forms.FileField(
        label="Upload the report",
        help_text="A PDF, Word (.docx), web page (.html) or text (.txt) file",
        # An empty file reaches the reader, whose message names it like every other problem.
        allow_empty_file=True,
        error_messages={"required": "Select the report to upload"},
    )

    def clean_document(self) -> Any:
        return _within_limit(self.cleaned_data.get("document"))


class ActionPlanUploadForm(forms.Form):
    spreadsheet = forms.FileField(
        label="Upload the action plan",
        help_text="An Excel (.xlsx) or CSV file with the columns listed above",
        allow_empty_file=True,
        error_messages={"required": "Select the action plan to upload"},
    )

    def clean_spreadsheet(self) -> Any:
        return _within_limit(self.cleaned_data.get("spreadsheet"))


class DraftRecommendationForm(forms.Form):
    number = forms.CharField(
        label="Number",
        help_text="As printed in the report, for example 7, 4a or R12",
        max_length=NUMBER_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the recommendation number"},
    )
    title = forms.CharField(label="Title (optional)", max_length=TITLE_MAX, required=False)
    text = forms.CharField(
        label="Text of the recommendation",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the text of the recommendation"},
    )


class SplitForm(forms.Form):
    before_sentence = forms.TypedChoiceField(
        label="Where does the second recommendation start?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the second recommendation starts"},
    )
    number = forms.CharField(
        label="Number of the second recommendation",
        help_text="For example 8, or 7b",
        max_length=NUMBER_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the number of the second recommendation"},
    )
    title = forms.CharField(
        label="Title of the second recommendation (optional)",
        max_length=TITLE_MAX,
        required=False,
    )

    def __init__(self, *args: Any, sentences: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["before_sentence"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (position, f"Before “{sentence}”")
            for position, sentence in enumerate(sentences)
            if position > 0
        ]
