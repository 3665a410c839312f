"""followthrough generate_offences --rows N --seed S --out FILE

Writes synthetic offence records (no real data) calibrated to published national figures.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.insights.generate import write_csv


class Command(BaseCommand):
    help = "Write a synthetic offence records CSV calibrated to published national figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rows"] < 1:
            raise CommandError("--rows must be at least 1")
        started = time.perf_counter()
        write_csv(options["rows"], options["seed"], options["out"])
        self.stderr.write(
            f"Wrote {options['rows']:,} synthetic offence records to {options['out']} "
            f"in {time.perf_counter() - started:.1f}s"
        )
