"""Long lists a page at a time, the GOV.UK way (the pagination component).

`page_of(request, queryset)` reads `?page=N` and returns Django's `Page` (the database counts
the rows and fetches only that page); `{% govuk_pagination page %}` (templatetags/govuk.py)
renders `govuk/_pagination.html` for it, keeping the rest of the query string (filters) in
every link. A page number that is not a whole number or is past the last page is "not found",
like any other address that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest, QueryDict

PER_PAGE = 50
_MAX_DIGITS = 9  # no list has a billion pages; longer numbers are junk


def page_numbers(current: int, last: int) -> list[int | None]:
    """The page links to show, in order: the first and last pages, the current page and one
    either side of it; None where pages are skipped (shown as an ellipsis). Skipping a single
    page would save nothing, so that page is shown instead."""
    wanted = sorted({n for n in (1, current - 1, current, current + 1, last) if 1 <= n <= last})
    numbers: list[int | None] = []
    previous = 0
    for number in wanted:
        if number - previous == 2:
            numbers.append(number - 1)
        elif number - previous > 2:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def page_of(request: HttpRequest, object_list: Any, *, per_page: int = PER_PAGE) -> Page:
    """The page of `object_list` (an ordered queryset) that `?page=N` asks for; page 1 when
    none is given. Http404 for anything that is not a page of this list."""
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= _MAX_DIGITS):
        raise Http404("No such page")
    try:
        return Paginator(object_list, per_page).page(int(raw))
    except InvalidPage as exc:
        raise Http404("No such page") from exc


def page_href(path: str, query: QueryDict, number: int) -> str:
    """A link to page `number` of the list at `path` that keeps every other parameter
    (filters, as at). Page 1 is the list's own address, without `page`."""
    params = query.copy()
    params.pop("page", None)
    if number > 1:
        params["page"] = str(number)
    encoded = params.urlencode()
    return f"{path}?{encoded}" if encoded else path


def pagination_context(
    page: Page, *, path: str, query: QueryDict, label: str = ""
) -> dict[str, Any]:
    """What `govuk/_pagination.html` needs, shaped like the component's own options
    (previous, next, items, landmarkLabel). Empty for a list that fits on one page."""
    last = page.paginator.num_pages
    if last <= 1:
        return {}
    current = page.number
    return {
        "landmark_label": label or "Pagination",
        "previous": {"href": page_href(path, query, current - 1)} if page.has_previous() else None,
        "next": {"href": page_href(path, query, current + 1)} if page.has_next() else None,
        "items": [
            {"ellipsis": True}
            if number is None
            else {
                "number": number,
                "href": page_href(path, query, number),
                "current": number == current,
            }
            for number in page_numbers(current, last)
        ],
    }
