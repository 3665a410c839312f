from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    """Service and council names for the header, footer and page titles."""
    return {
        "service_name": settings.FOLLOWTHROUGH["SERVICE_NAME"],
        "council_name": settings.FOLLOWTHROUGH["COUNCIL_NAME"],
        "session_seconds": settings.SESSION_COOKIE_AGE,
    }
