"""Parsing and validation of committee-cycle input only; the rules live in services.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from followthrough.govuk.forms import GovukDateField

from .models import Meeting, ReportSnapshot
from .rendering import FORMATS


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label="What will the committee consider?",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
    )
    meets_on = GovukDateField(label="Meeting date", help_text="For example 24 11 2016")
    papers_deadline = GovukDateField(
        label="Papers deadline", help_text="Partners' updates must be in by this date"
    )
    requests_from = GovukDateField(
        label="Send update requests from (optional)",
        help_text="Leave blank to send them 20 working days before the papers deadline",
        required=False,
    )
    committee = forms.CharField(
        label="Committee",
        max_length=200,
        help_text="As it should appear on the report's cover",
    )


class ReportRequestForm(forms.Form):
    as_at = GovukDateField(label="As at", help_text="For example 24 11 2016")
    format = forms.ChoiceField(
        label="Format",
        choices=[(key, f.label) for key, f in FORMATS.items()],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def clean_as_at(self) -> date:
        as_at: date = self.cleaned_data["as_at"]
        latest = timezone.localdate() + timedelta(days=5 * 366)
        if as_at > latest:
            raise forms.ValidationError(
                f"The date must be on or before {latest.day} {latest:%B %Y}"
            )
        return as_at


class SnapshotCompareForm(forms.Form):
    earlier = forms.ModelChoiceField(
        label="Earlier report", queryset=ReportSnapshot.objects.none(), empty_label=None
    )
    later = forms.ModelChoiceField(
        label="Later report", queryset=ReportSnapshot.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, snapshots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("earlier", "later"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = snapshots
            field.label_from_instance = _snapshot_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        earlier, later = data.get("earlier"), data.get("later")
        if earlier and later and earlier.pk == later.pk:
            self.add_error("later", "Choose two different reports to compare")
        return data


def _snapshot_label(snapshot: ReportSnapshot) -> str:
    meeting = snapshot.meeting
    return f"{meeting.get_kind_display()}, {snapshot.as_at.day} {snapshot.as_at:%B %Y}"


class FollowByEmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We will only use it to tell you when this recommendation moves on",
        max_length=254,
    )
