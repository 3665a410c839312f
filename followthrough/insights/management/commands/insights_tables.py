"""followthrough insights_tables CSV --mode suppress|round [--threshold 10]

Reads offence records, builds every profile table, protects them and prints the JSON contract
of DESIGN.md §5. Nothing is stored: the file is read into a private in-memory store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.insights import store
from followthrough.insights.disclosure import Settings, protect


class Command(BaseCommand):
    help = "Print disclosure-controlled profile tables of an offence records CSV as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path)
        parser.add_argument("--mode", choices=["suppress", "round"], required=True)
        parser.add_argument("--threshold", type=int, default=10)
        parser.add_argument("--p", type=int, default=5, help="protection width (default 5)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            disclosure = Settings(threshold=options["threshold"], p=options["p"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            with store.connect(":memory:") as con:
                store.import_offences(con, path)
                counts = store.profile_counts(con)
        except store.OffenceFileError as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
        release = protect(counts.tables, mode=options["mode"], settings=disclosure)
        self.stdout.write(json.dumps(release.as_contract(), indent=2))
        for note in (*release.footnotes, *release.flags):
            self.stderr.write(note)
