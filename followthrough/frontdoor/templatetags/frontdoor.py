"""Presentation helpers for front-door pages: urgency and risk-band tags, London times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.html import format_html

from followthrough.frontdoor import clocks, references, screening

register = template.Library()

_URGENCY = {
    "red": ("govuk-tag--red", "Overdue"),
    "amber": ("govuk-tag--yellow", "Due soon"),
    "green": ("govuk-tag--green", "On time"),
}
_BAND = {
    "high": ("govuk-tag--red", "High risk"),
    "medium": ("govuk-tag--orange", "Medium risk"),
    "low": ("govuk-tag--blue", "Low risk"),
}


@register.simple_tag
def urgency_tag(urgency: Any) -> str:
    if not urgency:
        return ""
    css, text = _URGENCY[str(getattr(urgency, "value", urgency))]
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, text)


@register.simple_tag
def band_tag(band: Any) -> str:
    if not band:
        return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', "Not screened")
    css, text = _BAND[str(band)]
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, text)


@register.filter
def london(value: datetime | None) -> str:
    """'Friday 27 November 2026, 5:30pm' in London time."""
    if not value:
        return ""
    local = clocks.local_time(value)
    hour = local.hour % 12 or 12
    minute = f":{local.minute:02d}" if local.minute else ""
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    elif local.hour == 0 and local.minute == 0:
        clock = "midnight"
    else:
        clock = f"{hour}{minute}{suffix}"
    return f"{local:%A} {local.day} {local:%B %Y}, {clock}"


@register.filter
def reference(value: str) -> str:
    return references.display(value or "")


@register.simple_tag
def indicator_text(version: str, code: str) -> str:
    try:
        indicator = screening.tool(version).indicator(code)
    except KeyError:
        return code
    return f"{indicator.text} ({indicator.domain}, {indicator.weight.value})"
