"""Paging long lists: the GOV.UK pagination component's markup, which page numbers it shows,
and how `?page=N` is read. No database: Django's Paginator pages a plain list the same way."""

from __future__ import annotations

import pytest
from django.http import Http404, QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from lxml import html as lxml_html

from followthrough.govuk.pagination import page_href, page_numbers, page_of, pagination_context

from .test_markup import fixture, shape


def _render(pagination: dict) -> str:
    template = Template('{% include "govuk/_pagination.html" %}')
    return template.render(Context({"pagination": pagination}))


@pytest.mark.parametrize(
    "name",
    ["default", "first page", "last page", "with many pages", "with custom navigation landmark"],
)
def test_pagination_matches_the_fixture(name):
    spec = fixture("pagination", name)
    options = spec["options"]
    ours = _render(
        {
            "landmark_label": options.get("landmarkLabel", ""),
            "previous": options.get("previous"),
            "next": options.get("next"),
            "items": options["items"],
        }
    )
    assert shape(ours) == shape(spec["html"])


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (2, 3, [1, 2, 3]),
        (1, 5, [1, 2, None, 5]),
        (3, 5, [1, 2, 3, 4, 5]),  # a gap of one page shows that page, not an ellipsis
        (10, 40, [1, None, 9, 10, 11, None, 40]),
        (40, 40, [1, None, 39, 40]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_page_numbers_show_first_last_and_either_side_of_the_current_page(current, last, expected):
    assert page_numbers(current, last) == expected


def test_page_links_keep_the_other_parameters():
    query = QueryDict("as_at=2020-03-31&confidence=overdue&page=3")
    assert (
        page_href("/reviews/", query, 4) == "/reviews/?as_at=2020-03-31&confidence=overdue&page=4"
    )
    assert page_href("/reviews/", query, 1) == "/reviews/?as_at=2020-03-31&confidence=overdue"
    assert page_href("/reviews/", QueryDict("page=2"), 1) == "/reviews/"


def _page(url: str, rows: int = 120):
    return page_of(RequestFactory().get(url), list(range(rows)), per_page=50)


def test_page_of_reads_the_page_number():
    assert list(_page("/reviews/")) == list(range(50))
    assert list(_page("/reviews/?page=3")) == list(range(100, 120))
    assert _page("/reviews/", rows=0).number == 1  # an empty list still has its first page


@pytest.mark.parametrize("page", ["0", "4", "-1", "two", "1.5", "", "١", "9" * 30])
def test_a_page_that_does_not_exist_is_not_found(page):
    with pytest.raises(Http404):
        _page(f"/reviews/?page={page}")


def test_the_component_links_pages_with_accessible_labels():
    request = RequestFactory().get("/reviews/?as_at=2020-03-31&page=2")
    page = page_of(request, list(range(120)), per_page=50)
    markup = Template("{% load govuk %}{% govuk_pagination page %}").render(
        Context({"request": request, "page": page})
    )
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    [nav] = root.xpath("//nav")
    assert nav.get("aria-label") == "Pagination"
    links = {a.text_content().split()[0]: a for a in nav.xpath(".//a")}
    assert links["Previous"].get("href") == "/reviews/?as_at=2020-03-31"
    assert links["Next"].get("href") == "/reviews/?as_at=2020-03-31&page=3"
    assert links["2"].get("aria-current") == "page"
    assert [a.get("aria-label") for a in nav.xpath(".//li/a")] == ["Page 1", "Page 2", "Page 3"]


def test_a_list_that_fits_on_one_page_has_no_pagination():
    request = RequestFactory().get("/reviews/")
    page = page_of(request, list(range(50)), per_page=50)
    assert pagination_context(page, path="/reviews/", query=request.GET) == {}
    markup = Template("{% load govuk %}{% govuk_pagination page %}").render(
        Context({"request": request, "page": page})
    )
    assert "govuk-pagination" not in markup
