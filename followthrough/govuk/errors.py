"""Carry a service's ValidationError onto the form the person filled in."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach each message to its field when the form has it, otherwise to the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else str(item))
    else:
        for message in error.messages:
            form.add_error(None, message)
