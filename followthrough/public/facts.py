"""The facts page's figures, taken only from published, disclosure-controlled insights releases.

Nothing here counts offence records or holds a figure of its own: it reads what the insights
module has already protected, audited and published, and lays it out for residents.
"""

from __future__ import annotations

import importlib
from typing import Any


def published_facts() -> list[Any]:
    """Published releases, newest first; empty until the insights module publishes one."""
    try:
        insights_selectors = importlib.import_module("followthrough.insights.selectors")
    except ImportError:  # the insights module has no published releases yet
        return []
    release_list = getattr(insights_selectors, "published_release_list", None)
    if release_list is None:
        return []
    return list(release_list())
