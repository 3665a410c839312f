"""followthrough licensing_import register|dbs|training PATH

Reads a CSV (UTF-8) or XLSX file. Every row is checked first; if any has a problem, nothing is
written and each problem is printed with its file, row and column. Importing the same file again
changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.licensing import selectors, services
from followthrough.licensing.importing import (
    ImportFailed,
    parse_dbs,
    parse_register,
    parse_training,
    read_table,
)


class Command(BaseCommand):
    help = "Import the licensing register, DBS log or training attendance (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["register", "dbs", "training"])
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = "licensing_import"
        try:
            table = read_table(path.name, path.read_bytes())
            if options["kind"] == "register":
                policy = selectors.compliance_policy()
                rows = parse_register(
                    table,
                    driver_months=policy.driver_licence_months,
                    operator_months=policy.operator_licence_months,
                )
                result = services.register_import(actor=actor, source=path.name, rows=rows)
            elif options["kind"] == "dbs":
                result = services.dbs_import(actor=actor, source=path.name, rows=parse_dbs(table))
            else:
                result = services.training_import(
                    actor=actor, source=path.name, rows=parse_training(table)
                )
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {path.name}: nothing was imported"
            ) from exc
        self.stdout.write(result.describe())
