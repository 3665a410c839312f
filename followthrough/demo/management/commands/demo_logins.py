from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from followthrough.core.models import User
from followthrough.demo.tracker_demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        present = set(User.objects.filter(username__in=USERS).values_list("username", flat=True))
        if not present:
            self.stdout.write("No demo users: run `followthrough load_demo` first.")
            return
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, (role, orgs, *_rest) in USERS.items():
            if username in present:
                where = f" ({', '.join(orgs)})" if orgs else ""
                self.stdout.write(f"  {username:<20} {role.label}{where}")
