"""`followthrough import_action_plan REVIEW_SLUG PATH [--dry-run] [--user USERNAME]`.

Imports recommendations and actions from a CSV or XLSX action plan (docs/import-format.md):
all or nothing, and idempotent. Problems are printed one a line (file, row, column) and the
command exits 2, writing nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from followthrough.core.models import User
from followthrough.core.roles import Role
from followthrough.documents import services
from followthrough.documents.action_plan import ImportFailed
from followthrough.tracker.models import Review


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most every tenth of a second."""

    WIDTH = 30

    def __init__(self, stream: OutputWrapper, label: str) -> None:
        self.stream = stream
        self.label = label
        self._drawn_at = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        percent = 100 * done // total if total else 100
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} changes ({percent}%)", ending="")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import recommendations and actions for a review from a CSV or XLSX action plan "
        "(columns in docs/import-format.md). All or nothing; importing the same file again "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("review", help="the review's slug, for example cse-scrutiny-review")
        parser.add_argument("path", type=Path, help="the action plan (.csv or .xlsx)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and list the changes, writing nothing",
        )
        parser.add_argument(
            "--user",
            help="the scrutiny officer or administrator the changes are recorded against "
            "(default: the first administrator)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        review = Review.objects.filter(slug=options["review"]).first()
        if review is None:
            raise CommandError(f"{options['review']}: no such review", returncode=2)
        actor = _actor(options.get("user"))
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"{path}: cannot be read ({error.strerror})", returncode=2
            ) from error
        bar = ProgressBar(self.stderr, "Importing")
        try:
            if options["dry_run"]:
                plan = services.action_plan_check(
                    actor=actor, review=review, source=path.name, content=content
                )
            else:
                plan = services.action_plan_import(
                    actor=actor, review=review, source=path.name, content=content, progress=bar
                )
        except ImportFailed as failed:
            bar.close()
            count = len(failed.problems)
            if count == 1:
                raise CommandError(
                    f"{failed.problems[0]} (nothing was imported)", returncode=2
                ) from failed
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{count} problem{'' if count == 1 else 's'} in {path.name}: nothing was imported",
                returncode=2,
            ) from failed
        bar.close()
        if options["dry_run"]:
            for change in plan.changes:
                self.stdout.write(f"row {change.row}: {change.summary}")
            self.stdout.write(f"Dry run, nothing written. {plan.describe()}")
        else:
            self.stdout.write(plan.describe())


def _actor(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or user.role not in (Role.ADMIN, Role.SCRUTINY_OFFICER):
            raise CommandError(
                f"{username}: not an active scrutiny officer or administrator", returncode=2
            )
        return user
    user = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError(
            "No administrator to record the import against: pass --user USERNAME", returncode=2
        )
    return user
