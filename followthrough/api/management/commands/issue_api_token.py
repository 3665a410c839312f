from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from followthrough.api import services
from followthrough.core.models import User


class Command(BaseCommand):
    help = (
        "Issue, rotate or revoke the API token a partner lead uses to post progress updates to "
        "their own actions (Authorization: Token <key>). The token is printed once: only its "
        "digest is kept, so a lost token is rotated, not shown again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--rotate", action="store_true", help="Replace the token; the old one stops working."
        )
        group.add_argument("--revoke", action="store_true", help="Stop the token working.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']!r}.")
        if options["revoke"]:
            if services.api_token_revoke(actor=services.COMMAND_LINE, user=user):
                self.stdout.write(f"The API token for {user.username} has been revoked.")
            else:
                self.stdout.write(f"{user.username} had no API token.")
            return
        try:
            key = services.api_token_issue(
                actor=services.COMMAND_LINE, user=user, rotate=options["rotate"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
