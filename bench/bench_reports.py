"""Time building the demo review's interim committee report (as at 24 November 2016).

    .venv/bin/python bench/bench_reports.py [--runs 7]

Sets up its own SQLite database in a temporary folder, loads the demo, and times what a clerk
waits for when they ask for the report: the as-at reconstruction (month by month for the
chart) plus rendering, in each format. Also times rendering the tabled (frozen) report, which
skips the reconstruction. Prints the median of each and a JSON line for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FORMATS = ("html", "docx", "pdf")
INTERIM = date(2016, 11, 24)


def _median(fn, runs: int) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="followthrough-bench-reports-") as folder:
        return _run(folder, args.runs)


def _run(folder: str, runs: int) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["FOLLOWTHROUGH_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from followthrough.reports import selectors
    from followthrough.reports.demo import load_demo
    from followthrough.reports.rendering import render_report

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    review, snapshots = load_demo()
    print(f"Demo loaded into {folder} in {time.perf_counter() - started:.1f} s")
    tabled = next(s for s in snapshots if s.as_at == INTERIM)
    assert tabled.data["headline"].startswith("38 recommendations: 17 complete, 21 on track")

    # Warm up imports (matplotlib, WeasyPrint, python-docx) so the first run is not counted.
    warm = selectors.ReportContent(tabled.data, tabled)
    for format in FORMATS:
        render_report(warm, format)

    def build() -> int:
        data = selectors.report_data_build(review=review, as_at=INTERIM)
        return len(data["recommendations"])

    results: dict[str, float] = {}
    median, _ = _median(build, runs)
    results["as_at_figures"] = median
    recommendations = tabled.data["recommendations"]
    actions = sum(len(r["actions"]) for r in recommendations)
    print(
        f"\nMedian of {runs} runs, interim report "
        f"({len(recommendations)} recommendations, {actions} actions):"
    )
    print(f"  {'as-at figures only':<28}{median:8.3f} s")
    for format in FORMATS:

        def draft(format: str = format) -> int:
            data = selectors.report_data_build(review=review, as_at=INTERIM)
            return len(render_report(selectors.ReportContent(data, None), format))

        def frozen(format: str = format) -> int:
            return len(render_report(selectors.ReportContent(tabled.data, tabled), format))

        median, size = _median(draft, runs)
        results[f"draft_{format}"] = median
        print(
            f"  {format.upper() + ' (figures + render)':<28}{median:8.3f} s  {size // 1024:>5} KB"
        )
        median, _ = _median(frozen, runs)
        results[f"tabled_{format}"] = median
        print(f"  {format.upper() + ' (tabled, render only)':<28}{median:8.3f} s")
    print(json.dumps({k: round(v, 4) for k, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
