"""`followthrough extract_recommendations PATH`: print a report's recommendations as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.documents.extraction import ExtractionError, extract_recommendations


class Command(BaseCommand):
    help = (
        "Print the recommendations in a report (.txt, .html, .pdf or .docx) as JSON: "
        '{"recommendations": [{"number", "title", "text", "page"}]}.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the report file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = extract_recommendations(options["path"])
        except ExtractionError as error:
            # Exit 2 with one line: the contract scripts and the upload view rely on.
            raise CommandError(str(error), returncode=2) from error
        payload = {"recommendations": [item.as_dict() for item in found]}
        text = json.dumps(payload, ensure_ascii=False, indent=2)
        try:
            text.encode(getattr(self.stdout, "encoding", None) or "utf-8")
        except (UnicodeEncodeError, LookupError):
            # A terminal that cannot show curly quotes still gets valid JSON, as \u escapes.
            text = json.dumps(payload, indent=2)
        self.stdout.write(text)
