"""The `followthrough` console script: Django's management commands with our settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["followthrough", *(sys.argv[1:] if argv is None else argv)])
    return 0
