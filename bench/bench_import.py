"""Time importing a 3,800-row action plan (issue 4: under 10 seconds on SQLite).

    .venv/bin/python bench/bench_import.py [--runs 3] [--rows 3800] [--format csv|xlsx]

Sets up its own SQLite database in a temporary folder with five partners and a scrutiny
officer, generates an action plan (one row per action, four actions to a recommendation), and
imports it into a fresh review each run, through the same service the web page and the
command use: every recommendation and action is written by the tracker's services, with its
audit record. Also times re-importing the same file (nothing to change) and the export.
Prints the median of each (and the import's CPU time, which says more than the wall-clock time
on a busy machine) and a JSON line for scripts.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_SECONDS = 10.0
ACTIONS_PER_RECOMMENDATION = 4
PARTNERS = [
    ("Telford & Wrekin Council", "Council", "council"),
    ("West Mercia Police", "Police", "police"),
    ("Telford & Wrekin Safeguarding Children Board", "LSCB", "safeguarding_partnership"),
    ("Telford & Wrekin Clinical Commissioning Group", "Health", "health"),
    ("Telford & Wrekin Council Licensing Service", "Licensing", "licensing"),
]


def plan_rows(count: int) -> list[dict[str, object]]:
    """An action plan of `count` action rows, in the import format."""
    rows: list[dict[str, object]] = []
    agreed = date(2016, 5, 16)
    for index in range(count):
        number = index // ACTIONS_PER_RECOMMENDATION + 1
        part = index % ACTIONS_PER_RECOMMENDATION + 1
        lead = PARTNERS[number % len(PARTNERS)]
        owner = PARTNERS[(number + part) % len(PARTNERS)]
        rows.append(
            {
                "recommendation_number": str(number),
                "recommendation_title": f"Theme {number % 12 + 1}, part {number}",
                "recommendation_text": (
                    f"The partnership should act on finding {number} of the review within "
                    "twelve months and report its progress to the scrutiny committee."
                ),
                "lead_partner": lead[1],
                "theme": "",
                "action_reference": f"{number}.{part}",
                "action_description": (
                    f"{owner[1]} to deliver part {part} of recommendation {number}, with a "
                    "named lead officer and a quarterly update."
                ),
                "action_owner": owner[0],
                "start_date": agreed,
                "target_date": agreed + timedelta(days=90 * part + number % 60),
                "success_measure": "Evidence seen by the independent assessor.",
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=3800)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="followthrough-bench-import-") as folder:
        return _run(folder, args.runs, args.rows, args.format)


def _run(folder: str, runs: int, count: int, file_format: str) -> int:
    # Production-like settings: DEBUG off, so no query logging, with throwaway secrets.
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "FOLLOWTHROUGH_VAR_DIR": folder,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FOLLOWTHROUGH_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "FOLLOWTHROUGH_SECURE": "false",
            "FOLLOWTHROUGH_LOG_LEVEL": "ERROR",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from followthrough.core.models import Organisation, User
    from followthrough.core.roles import Role
    from followthrough.documents import selectors, services
    from followthrough.documents.action_plan import write_csv, write_xlsx
    from followthrough.tracker import services as tracker_services
    from followthrough.tracker.models import Action

    call_command("migrate", verbosity=0)
    for name, short, kind in PARTNERS:
        Organisation.objects.create(
            name=name,
            short_name=short,
            slug=name.lower().replace(" ", "-").replace("&", "and"),
            kind=kind,
        )
    officer = User.objects.create_user(username="officer", role=Role.SCRUTINY_OFFICER)
    write = write_csv if file_format == "csv" else write_xlsx
    content = write(plan_rows(count))
    source = f"action-plan.{file_format}"
    print(f"Generated {source}: {count} rows, {len(content) / 1024:.0f} KB")

    imports: list[float] = []
    cpu: list[float] = []
    reimports: list[float] = []
    exports: list[float] = []
    for run in range(1, runs + 1):
        review = tracker_services.review_create(
            actor=officer,
            slug=f"bench-review-{run}",
            title=f"Benchmark review {run}",
            made_by="Scrutiny Committee",
            agreed_on=date(2016, 5, 16),
        )
        started, started_cpu = time.perf_counter(), time.process_time()
        plan = services.action_plan_import(
            actor=officer, review=review, source=source, content=content
        )
        imports.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert Action.objects.filter(recommendation__review=review).count() == count
        started = time.perf_counter()
        again = services.action_plan_import(
            actor=officer, review=review, source=source, content=content
        )
        reimports.append(time.perf_counter() - started)
        assert again.changes == []
        started = time.perf_counter()
        write(selectors.action_plan_rows(review))
        exports.append(time.perf_counter() - started)
        print(
            f"run {run}: import {imports[-1]:.2f} s, {cpu[-1]:.2f} s CPU "
            f"({len(plan.changes)} changes), "
            f"re-import {reimports[-1]:.2f} s (no changes), export {exports[-1]:.2f} s"
        )
    median = statistics.median(imports)
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print(
        f"median import: {median:.2f} s over {runs} runs ({verdict} the {TARGET_SECONDS:.0f} s "
        f"target; {statistics.median(cpu):.2f} s CPU); re-import {statistics.median(reimports):.2f} s; export "
        f"{statistics.median(exports):.2f} s"
    )
    print(
        json.dumps(
            {
                "rows": count,
                "format": file_format,
                "import_median_s": round(median, 3),
                "import_cpu_median_s": round(statistics.median(cpu), 3),
                "reimport_median_s": round(statistics.median(reimports), 3),
                "export_median_s": round(statistics.median(exports), 3),
                "target_s": TARGET_SECONDS,
            }
        )
    )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
