"""HTTP caching for public pages and open data, so a busy page is cheap to serve.

For anonymous visitors a page is identified by (newest audit record, today's date, full path):
every write appends to the audit chain and figures also move with the date (an action becomes
overdue overnight), so the pair says when a page can have changed. That gives
  * `ETag` and `Last-Modified`, so a browser or proxy revalidates for the cost of one query
    (304 Not Modified);
  * `Cache-Control: public, max-age=60`, so repeat visits within a minute cost nothing;
  * a short server-side copy of the rendered body, so a burst of visitors renders it once.
Signed-in people see the same pages with their own navigation, so theirs are `private` and
never stored; nor are answers to API callers who send a token. Every response says
`Vary: Cookie, Authorization`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, time
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from . import selectors

MAX_AGE = 60
# Signed-in people and API token holders get their own answers.
VARY = ["Cookie", "Authorization"]
_BODY_PREFIX = "public-page:"


def _validators(request: HttpRequest, vary_extra: str = "") -> tuple[str, datetime]:
    freshness = selectors.public_freshness()
    today = selectors.today()
    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    changed = max(filter(None, [freshness.changed_at, start_of_day]))
    key = f"{freshness.marker}|{today.isoformat()}|{request.get_full_path()}|{vary_extra}"
    return hashlib.sha256(key.encode()).hexdigest()[:32], changed


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a public GET view with conditional GET, cache headers and a short body cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        personal = request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META
        if personal or request.method not in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, max_age=0)
            patch_vary_headers(response, VARY)
            return response

        etag_value, changed = _validators(request)
        etag = quote_etag(etag_value)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(changed.timestamp())
        )
        if not_modified is not None:
            return _finish(not_modified, etag, changed)

        stored = cache.get(_BODY_PREFIX + etag_value)
        if stored is not None:
            content, headers = stored
            fresh: HttpResponseBase = HttpResponse(content, headers=headers)
        else:
            fresh = view(request, *args, **kwargs)
            render = getattr(fresh, "render", None)
            if render is not None and not getattr(fresh, "is_rendered", True):
                render()  # API (and template) responses render lazily
            if fresh.status_code != 200 or fresh.cookies:
                # Errors, redirects and anything that sets a cookie are not shared.
                patch_cache_control(fresh, private=True, max_age=0)
                patch_vary_headers(fresh, VARY)
                return fresh
            if isinstance(fresh, HttpResponse):
                keep = {
                    k: v
                    for k, v in fresh.headers.items()
                    if k.lower() in ("content-type", "content-disposition")
                }
                cache.set(_BODY_PREFIX + etag_value, (fresh.content, keep), MAX_AGE)
        return _finish(fresh, etag, changed)

    return wrapped


def _finish(response: HttpResponseBase, etag: str, changed: datetime) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(int(changed.timestamp()))
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, VARY)
    return response
