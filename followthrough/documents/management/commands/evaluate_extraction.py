"""`followthrough evaluate_extraction DIR`: precision, recall and F1 against expected JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.documents.extraction import ExtractionError, extract_recommendations
from followthrough.documents.extraction.evaluation import (
    Score,
    evaluation_pairs,
    load_expected,
    score,
)


class Command(BaseCommand):
    help = (
        "Run the extractor on every NAME.txt|html|pdf|docx in DIR that has NAME.expected.json "
        "beside it, and print precision, recall and F1 per file and overall."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="folder of documents and expectations")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        verbose = options["verbosity"] >= 2
        if not directory.is_dir():
            raise CommandError(f"{directory}: no such directory", returncode=2)
        pairs = evaluation_pairs(directory)
        if not pairs:
            raise CommandError(
                f"{directory}: no NAME.expected.json with a document beside it", returncode=2
            )
        overall = Score()
        for document, expected_path in pairs:
            try:
                expected = load_expected(expected_path)
            except ExtractionError as error:
                raise CommandError(str(error), returncode=2) from error
            try:
                found = extract_recommendations(document)
                problem = ""
            except ExtractionError as error:
                # One unreadable document scores zero; it must not hide the others' results.
                found, problem = [], f"  ({error})"
            result = score(found, expected)
            overall.add(result)
            self.stdout.write(
                f"{document.name}: precision {result.precision:.3f} recall {result.recall:.3f} "
                f"F1 {result.f1:.3f} (expected {len(expected)}, found {len(found)}, "
                f"matched {result.true_positives}){problem}"
            )
            if verbose:
                for item in result.missed:
                    self.stdout.write(f"  missed {item.number}: {item.text[:100]}")
                for extra in result.unexpected:
                    self.stdout.write(f"  unexpected {extra.number}: {extra.text[:100]}")
        self.stdout.write(
            f"overall: precision {overall.precision:.3f} recall {overall.recall:.3f} "
            f"F1 {overall.f1:.3f} ({len(pairs)} files, {overall.true_positives} matched, "
            f"{overall.false_positives} unexpected, {overall.false_negatives} missed)"
        )
