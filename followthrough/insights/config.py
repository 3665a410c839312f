"""Where the analytics store lives (settings are read here only)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def insights_db_path() -> Path:
    """The DuckDB file: FOLLOWTHROUGH_INSIGHTS_DB if set (tests point it at a temporary
    directory), else FOLLOWTHROUGH["INSIGHTS_DB"], else var/insights.duckdb."""
    explicit = getattr(settings, "FOLLOWTHROUGH_INSIGHTS_DB", None)
    if explicit:
        return Path(explicit)
    configured = getattr(settings, "FOLLOWTHROUGH", {}).get("INSIGHTS_DB")
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "insights.duckdb"
