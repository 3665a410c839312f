"""How the API pages its lists.

Reviews: page numbers (`?page=N`, with a `count`). Recommendations, actions and updates, of
which there are hundreds of thousands to millions nationally: a cursor (`?cursor=…` from the `next` and
`previous` links), because page numbers need every row counted and, deep in the list, every
earlier row read and skipped; a cursor names the last row seen, so any page is one look-up in
an index on the list's order, however far in it is (docs/adr/0006-api-cursor-pagination.md).

The order is a unique key read straight from the model's own columns (for example review id,
position, id; or newest first: date descending, id descending): each row has one place in it,
rows added later never shift the pages a client is walking through, and the database reads the
next page from the start of an index range.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db.models import Model, Q, QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_KEY = 2**63 - 1
_MAX_CURSOR_LENGTH = 200  # a key of a few ids; anything longer is not one of ours
_LARGEST_BATCH = 5000  # rows read at a time while skipping rows a filter in Python leaves out
SCAN_BUDGET = 10_000  # rows one request may read looking for a page of filtered rows

Keep = Callable[[list[Any]], list[Any]]
KeyValue = int | date


def encode_cursor(key: Sequence[KeyValue], *, before: bool = False) -> str:
    """The opaque cursor for the rows after (or before) `key` (whole numbers and dates)."""
    values = [v.isoformat() if isinstance(v, date) else v for v in key]
    raw = json.dumps({"before" if before else "after": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _key_value(value: Any, *, is_date: bool) -> KeyValue | None:
    if is_date:
        if not isinstance(value, str) or len(value) != 10:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value if type(value) is int and 0 <= value <= MAX_KEY else None


def decode_cursor(
    cursor: str, *, length: int, dates: Sequence[bool] = ()
) -> tuple[tuple[KeyValue, ...], bool]:
    """(key, before) from a cursor made by `encode_cursor`, or ValidationError. `dates` says
    which places of the key hold a date (the others hold whole numbers)."""
    invalid = ValidationError({"cursor": ["Invalid cursor: follow the next or previous link."]})
    if not cursor.isascii() or len(cursor) > _MAX_CURSOR_LENGTH:
        raise invalid
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise invalid from None
    if not isinstance(data, dict) or len(data) != 1:
        raise invalid
    [(direction, raw_key)] = data.items()
    if direction not in ("after", "before") or not isinstance(raw_key, list):
        raise invalid
    if len(raw_key) != length:
        raise invalid
    dates = tuple(dates) or (False,) * length
    key = tuple(_key_value(v, is_date=d) for v, d in zip(raw_key, dates, strict=True))
    if any(v is None for v in key):
        raise invalid
    return key, direction == "before"  # type: ignore[return-value]  # no None left


def _beyond(ordering: Sequence[str], key: Sequence[KeyValue], *, before: bool) -> Q:
    """Rows strictly after `key` in `ordering` (before it, when `before`); a field named with
    a leading "-" runs high to low. The lexicographic comparison spelt out, led by a range on
    the first field so the database starts its index scan there rather than at the beginning."""
    fields = [f.lstrip("-") for f in ordering]

    def lookup(i: int, *, strict: bool) -> str:
        downwards = ordering[i].startswith("-") != before
        return f"{fields[i]}__{'lt' if downwards else 'gt'}{'' if strict else 'e'}"

    either = Q()
    for i in range(len(fields)):
        equal = {fields[j]: key[j] for j in range(i)}
        either |= Q(**equal, **{lookup(i, strict=True): key[i]})
    return Q(**{lookup(0, strict=False): key[0]}) & either


def _reversed(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


class KeysetPagination(BasePagination):
    """Cursor pagination on `ordering`: model fields (whole-number or, if named in
    `date_fields`, date columns; no nulls) that together are unique, with an index in that
    order ("-" for high to low, as in `order_by`). Answers `{next, previous, results}`."""

    ordering: tuple[str, ...] = ("id",)
    date_fields: frozenset[str] = frozenset()
    page_size = 50
    max_page_size = 200

    def __init__(self) -> None:
        self.request: Request | None = None
        self.next_url: str | None = None
        self.previous_url: str | None = None

    def _key(self, row: Model) -> tuple[KeyValue, ...]:
        return tuple(getattr(row, field.lstrip("-")) for field in self.ordering)

    def page(
        self,
        queryset: QuerySet[Any],
        request: Request,
        *,
        page_size: int | None,
        cursor: str | None,
        keep: Keep | None = None,
    ) -> list[Any]:
        """The page the cursor points at (the first page without one). `keep`, if given,
        filters each batch read in Python (for figures the database does not hold); batches
        grow until the page is full or the list ends, or `SCAN_BUDGET` rows have been read:
        then the page is shorter (even empty) and its links carry on from the last row read,
        so a filter that matches little never makes one request read the whole list."""
        self.request = request
        size = min(page_size or self.page_size, self.max_page_size)
        dates = [field.lstrip("-") in self.date_fields for field in self.ordering]
        key, before = (
            decode_cursor(cursor, length=len(self.ordering), dates=dates)
            if cursor
            else (None, False)
        )
        ordered = queryset.order_by(*(_reversed(f) if before else f for f in self.ordering))
        rows: list[Any] = []
        batch_size = size + 1
        position = key  # the last row read, in the direction of travel
        scanned = 0
        cut = False  # stopped by the budget, with more of the list unread
        while len(rows) <= size:
            batch_query = ordered
            if position is not None:
                batch_query = ordered.filter(_beyond(self.ordering, position, before=before))
            batch = list(batch_query[:batch_size])
            rows += keep(batch) if keep else batch
            if len(batch) < batch_size:
                break
            position = self._key(batch[-1])
            scanned += len(batch)
            if len(rows) <= size and scanned >= SCAN_BUDGET:
                cut = True
                break
            batch_size = min(batch_size * 4, _LARGEST_BATCH)
        full = len(rows) > size
        rows = rows[:size]
        if before:
            rows.reverse()
        url = request.build_absolute_uri()

        def link(at: Sequence[KeyValue], *, back: bool = False) -> str:
            return replace_query_param(url, "cursor", encode_cursor(at, before=back))

        self.next_url = self.previous_url = None
        first = self._key(rows[0]) if rows else None
        last = self._key(rows[-1]) if rows else None
        if not before:
            if full and last is not None:
                self.next_url = link(last)
            elif cut and position is not None:
                self.next_url = link(position)
            if key is not None:
                anchor = first if first is not None else position
                self.previous_url = link(anchor, back=True) if anchor is not None else None
        else:
            if full and first is not None:
                self.previous_url = link(first, back=True)
            elif cut and position is not None:
                self.previous_url = link(position, back=True)
            if last is not None:
                self.next_url = link(last)
            elif cut and position is not None:
                self.next_url = link(position)
            else:  # nothing before the cursor: the list starts again at its first page
                self.next_url = remove_query_param(url, "cursor")
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_url, "previous": self.previous_url, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The page before, or null on the first.",
                },
                "results": schema,
            },
        }


class RecommendationPagination(KeysetPagination):
    """Each review's recommendations together, in printed order; reviews in the order they
    were added. Index: `recommendation_list_order_idx`."""

    ordering = ("review_id", "position", "id")


class ActionPagination(KeysetPagination):
    """Each recommendation's actions together, in their order; recommendations in the order
    they were added. Index: `action_list_order_idx`."""

    ordering = ("recommendation_id", "position", "id")


class UpdatePagination(KeysetPagination):
    """Newest first: by the date an update took effect, then the order they were recorded.
    Index: `update_list_order_idx`."""

    ordering = ("-effective_date", "-id")
    date_fields = frozenset({"effective_date"})
