"""GOV.UK Design System markup for Django forms.

Every form rendered through `GovukFormRenderer` gets the official field markup (form group,
label, hint, error message, input classes, aria-describedby) from `govuk/field.html`, whatever
form class it is. Widgets that need more than classes (radios, checkboxes, date input) are drawn
by that template from the bound field's sub-widgets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

_INPUT_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "url": "govuk-input",
    "number": "govuk-input govuk-input--width-5",
    "password": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}
CHOICE_WIDGETS = {"radioselect", "checkboxselectmultiple"}


class GovukBoundField(BoundField):
    @property
    def govuk_kind(self) -> str:
        widget_type = self.widget_type
        if widget_type == "radioselect":
            return "radios"
        if widget_type == "checkboxselectmultiple":
            return "checkboxes"
        if widget_type == "checkbox":
            return "checkbox"
        if widget_type == "govukdate":
            return "date"
        return "input"

    @property
    def error_anchor(self) -> str:
        if self.govuk_kind in {"radios", "checkboxes", "date"}:
            return f"{self.auto_id}_0"
        return self.auto_id

    @property
    def hint_id(self) -> str:
        # Django's own id for help text, which it already puts in aria-describedby.
        return f"{self.auto_id}_helptext"

    @property
    def error_id(self) -> str:
        # Django's own id for the error message, which it already puts in aria-describedby.
        return f"{self.auto_id}_error"

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget_type = self.widget_type
        base = _INPUT_CLASSES.get(widget_type)
        if base:
            classes = [str(attrs.get("class", "")), base]
            if self.errors:
                classes.append(_ERROR_CLASSES[base.split()[0]])
            attrs["class"] = " ".join(c for c in classes if c).strip()
        described = [str(attrs.get("aria-describedby", ""))]
        if self.help_text and self.hint_id not in described[0]:
            described.append(self.hint_id)
        if self.errors and self.error_id not in described[0]:
            described.append(self.error_id)
        described_by = " ".join(d for d in described if d)
        if described_by:
            attrs["aria-describedby"] = described_by
        return attrs


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
    bound_field_class = GovukBoundField


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: three boxes for day, month and year."""

    template_name = "govuk/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        day, month, year = super().value_from_datadict(data, files, name)
        if not (day or month or year):
            # Links may carry the date whole (?as_at=2016-11-24) rather than in three boxes.
            whole = data.get(name)
            return whole.strip() if isinstance(whole, str) and whole.strip() else None
        return f"{(year or '').strip()}-{(month or '').strip()}-{(day or '').strip()}"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for sub, label in zip(
            context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True
        ):
            sub["govuk_label"] = label
        return context


class GovukDateField(forms.DateField):
    widget = GovukDateInput
    default_error_messages = {"invalid": "Enter a real date, for example 24 11 2016"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)
