"""Template helpers for GOV.UK markup. Presentation only: no permission decisions here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.core.paginator import Page
from django.utils.html import format_html

from followthrough.govuk.pagination import pagination_context

register = template.Library()

_TAG_COLOURS = {
    "complete": "green",
    "signed_off": "green",
    "on_track": "blue",
    "in_progress": "blue",
    "ready_for_assessment": "turquoise",
    "at_risk": "yellow",
    "overdue": "red",
    "returned": "orange",
    "no_update": "grey",
    "not_started": "grey",
    "closed_not_implemented": "purple",
}


@register.simple_tag
def govuk_tag(value: Any, label: str | None = None) -> str:
    """<strong class="govuk-tag govuk-tag--COLOUR">Label</strong> for a status or confidence."""
    key = str(getattr(value, "value", value))
    text = label or getattr(value, "label", None) or key.replace("_", " ").capitalize()
    colour = _TAG_COLOURS.get(key)
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.filter
def govuk_date(value: date | None) -> str:
    """GOV.UK date style: 24 November 2016."""
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


@register.inclusion_tag("govuk/_pagination.html", takes_context=True)
def govuk_pagination(context: template.Context, page: Page, label: str = "") -> dict[str, Any]:
    """The GOV.UK pagination component for a `Page` (from `govuk.pagination.page_of`): links
    to the previous and next pages and to page numbers, keeping the query string's other
    parameters. Nothing for a list that fits on one page. `label` names the navigation
    landmark when a page has more than one."""
    request = context["request"]
    return {
        "pagination": pagination_context(page, path=request.path, query=request.GET, label=label)
    }


@register.simple_tag
def govuk_page_of(page: Page | None) -> str:
    """For a page title after page 1: " (page 2 of 7)", so each page of a list has its own."""
    if page is None or page.number <= 1:
        return ""
    return f" (page {page.number} of {page.paginator.num_pages})"
