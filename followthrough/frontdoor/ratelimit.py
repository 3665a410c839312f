"""A fixed-window rate limit on Django's cache, for the public form (no account, no captcha).

Counts per client address and per session; the address is hashed before it becomes a cache key.
Behind a proxy, REMOTE_ADDR is the proxy: configure the proxy to set it (for example with
gunicorn's --forwarded-allow-ips) rather than trusting X-Forwarded-For here.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def hit(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request; True while the identity is within `limit` for the current window."""
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
    key = f"frontdoor:rate:{scope}:{digest}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def allow(
    request: HttpRequest, scope: str, *, per_address: int, per_session: int, window_seconds: int
) -> bool:
    """Both counters are always counted, so a blocked client stays blocked for the window."""
    by_address = hit(
        f"{scope}:ip", client_address(request), limit=per_address, window_seconds=window_seconds
    )
    session_key = request.session.session_key or ""
    by_session = (
        hit(f"{scope}:session", session_key, limit=per_session, window_seconds=window_seconds)
        if session_key
        else True
    )
    return by_address and by_session
