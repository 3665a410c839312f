from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from followthrough.demo import tracker_demo


class Command(BaseCommand):
    help = "Load the demo partnership, users, CSE scrutiny review and each module's demo (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        review, created = tracker_demo.load()
        if created:
            self.stdout.write(f"Loaded the demo review '{review.slug}'.")
        else:
            self.stdout.write(
                f"The demo review '{review.slug}' is already loaded; nothing changed."
            )

        # Each module's own demo, after the tracker's: they attach figures to its recommendations.
        # Each is idempotent, so a second run adds nothing.
        from followthrough.frontdoor.demo import load_demo as load_frontdoor_demo
        from followthrough.insights.demo import load_demo as load_insights_demo
        from followthrough.licensing.demo import load_demo as load_licensing_demo
        from followthrough.reports.demo import load_demo as load_committee_cycle

        licensing = load_licensing_demo()
        self.stdout.write(
            f"Licensing: {licensing.drivers} licence holders, {licensing.values} indicator values."
        )
        added = load_frontdoor_demo()
        self.stdout.write(
            f"Front door: {added} fictional contacts added; figures on recommendation 16."
        )
        release = load_insights_demo()
        self.stdout.write(f"Insights: synthetic offence records and published release {release}.")
        # Last: the tabled reports freeze what the other modules have recorded.
        load_committee_cycle()
        self.stdout.write(
            "Committee cycle: interim and end-of-year meetings with their tabled reports."
        )
