"""National scale: does the tracker stay fast as the data grows? (issue 10, bench/README.md)

    nice -n 10 .venv/bin/python bench/bench_scale.py --scale 1,10,100 [--runs 7]

Starts its own throwaway PostgreSQL (like scripts/test: runuser postgres initdb/pg_ctl, a temp
folder, a free port on 127.0.0.1), migrates, and for each scale in turn (percent of national
scale: 400 partnerships × 50 reviews × 40 recommendations × 3 actions × 8 updates) tops the data
up with `followthrough generate_scale` and measures, with medians of repeated runs:

  * SQL queries and server time for each page (Django's test client, in this process, with
    production settings: DEBUG off);
  * as-at reconstruction for one review and for all 50 reviews of a partnership;
  * the national roll-up (every review's recommendations counted by confidence as at a date);
  * committee report generation; import of a 3,800-row action plan;
  * peak memory of a gunicorn web worker serving a bounded number of requests on loopback,
    and of the generator.

The pages measured belong to partnership 1, which is generated identically at every scale, so
each figure is the same work over a bigger database. Prints a table (with ratios to the first
scale, measured in the same run) and writes bench/results-<scale>.json. Stops PostgreSQL and
deletes it at the end unless --keep DIR is given (DIR is reused by a later run).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from postgres_cluster import SERVER_SETTINGS, throwaway_postgres  # noqa: E402

VENV_BIN = Path(sys.executable).parent
NATIONAL_PARTNERSHIPS = 400
PARTNERSHIP = "scale-0001"
REVIEW = f"{PARTNERSHIP}-review-25"
PAST = date(2020, 3, 31)  # a past "as at" date, for pages and the roll-up
IMPORT_ROWS = 3800
TRANSACTION = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)

TARGETS = {
    "page_queries": 15,  # fewer than
    "page_ms": 100,  # median below
    "review_as_at_ms": 100,
    "national_rollup_s": 10,
    "import_s": 10,
}


def _environment(var_dir: str, database_url: str) -> dict[str, str]:
    """Production-like settings (DEBUG off), plain HTTP on loopback, throwaway secrets."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "FOLLOWTHROUGH_VAR_DIR": var_dir,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FOLLOWTHROUGH_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "FOLLOWTHROUGH_SECURE": "false",
        "FOLLOWTHROUGH_REQUIRE_2FA": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "FOLLOWTHROUGH_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _median_ms(fn: Callable[[], Any], runs: int, before: Callable[[], Any] | None = None) -> dict:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "runs": runs,
    }


# ---------------------------------------------------------------------------------------------
# Generation (a child process, so its peak memory is its own)


def _generate(env: dict[str, str], partnerships: int, until: date) -> dict[str, Any]:
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out:
        process = subprocess.Popen(
            [str(VENV_BIN / "followthrough"), "generate_scale"]
            + ["--partnerships", str(partnerships), "--until", until.isoformat()],
            env=env,
            cwd=ROOT,
            stdout=out,
        )
        _, status, usage = os.wait4(process.pid, 0)  # its own peak memory, not ours
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"generate_scale failed ({process.returncode})")
        out.seek(0)
        summary = json.loads(out.read().strip().splitlines()[-1])
    rows = sum(summary["rows"].values())
    seconds = time.perf_counter() - started
    return {
        "partnerships_added": partnerships,
        "rows_added": rows,
        "seconds": round(seconds, 1),
        "load_seconds": summary["load_seconds"],
        "rows_per_second": round(rows / max(summary["load_seconds"], 1e-9)),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


# ---------------------------------------------------------------------------------------------
# Measures (in this process, after django.setup())


def _pages() -> dict[str, tuple[str, str]]:
    from followthrough.tracker.models import Action, Recommendation, Review

    review = Review.objects.get(slug=REVIEW)
    recommendation = Recommendation.objects.get(review=review, number="7")
    action = Action.objects.filter(recommendation=recommendation).order_by("position").first()
    assert action is not None
    published = (
        Review.objects.filter(slug__startswith=PARTNERSHIP + "-", visibility="published")
        .order_by("slug")
        .first()
    )
    assert published is not None
    officer, lead = f"{PARTNERSHIP}-officer", f"{PARTNERSHIP}-police.lead"
    return {
        "dashboard (officer)": (officer, "/dashboard/"),
        "dashboard (partner lead)": (lead, "/dashboard/"),
        "review list (officer), page 1": (officer, "/reviews/"),
        "review page": (officer, f"/reviews/{review.slug}/"),
        "review page as at a past date": (officer, f"/reviews/{review.slug}/?as_at={PAST}"),
        "recommendation page": (
            officer,
            f"/reviews/{review.slug}/recommendations/{recommendation.number}/",
        ),
        "action page": (officer, f"/actions/{action.pk}/"),
        "public review page": ("", f"/progress/{published.slug}/"),
        "public progress list (page 1)": ("", "/progress/"),
        "public open data (page 1)": ("", "/open-data/"),
        "API review list": ("", "/api/v1/reviews/"),
        "API recommendation list (one review)": (
            "",
            f"/api/v1/recommendations/?review={published.slug}",
        ),
        "API recommendation list (all)": ("", "/api/v1/recommendations/"),
        "API action list (one review)": ("", f"/api/v1/actions/?review={published.slug}"),
        "API action list (all)": ("", "/api/v1/actions/"),
        "API update list (one review)": ("", f"/api/v1/updates/?review={published.slug}"),
        "API update list (all)": ("", "/api/v1/updates/"),
        "committee reports page": (officer, f"/reports/{review.slug}/"),
    }


# Public pages: also measured as most visitors get them.
_PUBLIC_PAGES = ("public review page", "public progress list (page 1)", "public open data (page 1)")


def measure_pages(runs: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from followthrough.core.models import User

    results: dict[str, Any] = {}
    for name, (username, url) in _pages().items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        started = time.perf_counter()
        client.get(url)  # warm up
        slow = time.perf_counter() - started > 3  # a page that slow: fewer repeats will do
        statements: list[str] = []

        def count(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        cache.clear()  # public pages keep a rendered copy: measure making one
        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        timing = _median_ms(
            lambda c=client, u=url: c.get(u), min(runs, 3) if slow else runs, before=cache.clear
        )
        results[name] = {
            "url": url,
            "queries": sum(1 for sql in statements if not TRANSACTION.match(sql)),
            **timing,
        }
        print(f"  {name:<40}{results[name]['queries']:>4} queries {timing['median_ms']:>9.1f} ms")
        if name in _PUBLIC_PAGES:
            # What most visitors get: the rendered page kept for a minute (public/caching.py).
            cached = _median_ms(lambda c=client, u=url: c.get(u), runs)
            results[f"{name}, kept copy"] = {"url": url, "queries": None, **cached}
            print(f"  {name + ', kept copy':<40}{'':>12} {cached['median_ms']:>9.1f} ms")
    return results


def measure_as_at(runs: int) -> dict[str, Any]:
    from followthrough.tracker import selectors
    from followthrough.tracker.models import Review

    review = Review.objects.get(slug=REVIEW)
    partnership = list(Review.objects.filter(slug__startswith=PARTNERSHIP + "-"))
    today = selectors.today()
    results = {
        "one review, today": _median_ms(
            lambda: selectors.review_state_as_at(review=review, as_at=today), runs
        ),
        "one review, past date": _median_ms(
            lambda: selectors.review_state_as_at(review=review, as_at=PAST), runs
        ),
        "partnership (50 reviews), full state": _median_ms(
            lambda: selectors.reviews_state_as_at(reviews=partnership, as_at=today), runs
        ),
        "partnership (50 reviews), counts only": _median_ms(
            lambda: selectors.reviews_counts_as_at(reviews=partnership, as_at=today), runs
        ),
    }
    for name, timing in results.items():
        print(f"  as at: {name:<44}{timing['median_ms']:>9.1f} ms")
    return results


def measure_rollup(runs: int) -> dict[str, Any]:
    from followthrough.tracker import selectors

    results = {}
    for label, as_at in (("today", selectors.today()), ("past date", PAST)):
        rollup = selectors.national_rollup_as_at(as_at=as_at)
        timing = _median_ms(lambda as_at=as_at: selectors.national_rollup_as_at(as_at=as_at), runs)
        results[label] = {
            **timing,
            "as_at": as_at.isoformat(),
            "reviews": rollup.reviews,
            "headline": rollup.headline,
        }
        print(
            f"  national roll-up, {label:<33}{timing['median_ms'] / 1000:>9.2f} s  {rollup.headline}"
        )
    return results


def measure_report(runs: int) -> dict[str, Any]:
    from followthrough.reports import selectors as report_selectors
    from followthrough.reports.rendering import render_report
    from followthrough.tracker import selectors
    from followthrough.tracker.models import Review

    review = Review.objects.get(slug=REVIEW)
    today = selectors.today()
    data = report_selectors.report_data_build(review=review, as_at=today)
    render_report(report_selectors.ReportContent(data, None), "html")  # warm up

    def build() -> None:
        report_selectors.report_data_build(review=review, as_at=today)

    def html() -> None:
        built = report_selectors.report_data_build(review=review, as_at=today)
        render_report(report_selectors.ReportContent(built, None), "html")

    def pdf() -> None:
        built = report_selectors.report_data_build(review=review, as_at=today)
        render_report(report_selectors.ReportContent(built, None), "pdf")

    results = {
        "figures only": _median_ms(build, runs),
        "html (figures + render)": _median_ms(html, min(runs, 3)),
        "pdf (figures + render)": _median_ms(pdf, 1),  # WeasyPrint: tens of seconds each
        "months_charted": len(data["progress"]),
    }
    for name in ("figures only", "html (figures + render)", "pdf (figures + render)"):
        print(f"  report {name:<44}{results[name]['median_ms']:>9.1f} ms")
    return results


def _action_plan_csv(rows: int) -> bytes:
    """An action plan of `rows` actions (four per recommendation). Its partners are the
    benchmark's own, so the imported reviews do not change what partnership 1's people see
    on the pages measured at the next scale."""
    import csv
    import io

    from followthrough.core.models import Organisation
    from followthrough.tracker.models import Theme

    partners = []
    for key, label, kind in (
        ("council", "Council", "council"),
        ("police", "Police", "police"),
        ("health", "Health", "health"),
        ("lscb", "Safeguarding Partnership", "safeguarding_partnership"),
        ("licensing", "Licensing", "licensing"),
    ):
        organisation, _ = Organisation.objects.get_or_create(
            slug=f"bench-import-{key}", defaults={"name": f"Import Area {label}", "kind": kind}
        )
        partners.append(organisation.name)
    themes = list(Theme.objects.values_list("name", flat=True))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "recommendation_number",
            "recommendation_title",
            "recommendation_text",
            "lead_partner",
            "theme",
            "action_reference",
            "action_description",
            "action_owner",
            "start_date",
            "target_date",
            "success_measure",
        ]
    )
    for row in range(rows):
        number, part = divmod(row, 4)
        first = part == 0
        writer.writerow(
            [
                str(number + 1),
                f"Recommendation {number + 1}" if first else "",
                "Partners should make sure children at risk are identified early." if first else "",
                partners[number % len(partners)] if first else "",
                themes[number % len(themes)] if first else "",
                f"{number + 1}.{part + 1}",
                f"Action {part + 1} for recommendation {number + 1}: put the arrangements in place.",
                partners[(number + part) % len(partners)],
                "",
                f"{2027 + part % 2}-{1 + number % 12:02d}-28",
                "An audit of cases shows the arrangements are followed.",
            ]
        )
    return out.getvalue().encode()


def measure_import(runs: int) -> dict[str, Any]:
    from followthrough.core.models import User
    from followthrough.tracker import services as tracker_services

    try:
        from followthrough.documents import services as document_services
    except ImportError as error:  # the action-plan import is not installed
        print(f"  import: not measured ({error})")
        return {"error": str(error)}

    officer = User.objects.get(username=f"{PARTNERSHIP}-officer")
    content = _action_plan_csv(IMPORT_ROWS)
    reviews = []

    def new_review() -> None:
        reviews.append(
            tracker_services.review_create(
                actor=officer,
                slug=f"bench-import-{secrets.token_hex(4)}",
                title="Benchmark action plan",
                made_by="Benchmark committee",
                agreed_on=date(2026, 1, 5),
                update_interval_days=92,
            )
        )

    def first_import() -> None:
        document_services.action_plan_import(
            actor=officer, review=reviews[-1], source="plan.csv", content=content
        )

    def again() -> None:
        document_services.action_plan_import(
            actor=officer, review=reviews[-1], source="plan.csv", content=content
        )

    results = {
        "rows": IMPORT_ROWS,
        "first import": _median_ms(first_import, runs, before=new_review),
        "re-import (no changes)": _median_ms(again, max(runs // 2, 1)),
    }
    for name in ("first import", "re-import (no changes)"):
        print(
            f"  import of {IMPORT_ROWS:,} rows, {name:<30}{results[name]['median_ms'] / 1000:>9.2f} s"
        )
    return results


# ---------------------------------------------------------------------------------------------
# A web worker under load (gunicorn on loopback, a bounded number of requests)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _worker_pid(master: int) -> int | None:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def measure_web_worker(env: dict[str, str], requests: int, threads: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=f"{PARTNERSHIP}-officer"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    unfiltered = {"API recommendation list (all)", "API action list (all)"}
    urls = [url for _name, (_user, url) in _pages().items() if _name not in unfiltered]

    port = _free_port()
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", str(threads), "--timeout", "120"]
        + ["--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        worker = None
        while worker is None and time.monotonic() < deadline:
            worker = _worker_pid(server.pid)
            time.sleep(0.1)
        assert worker is not None, "gunicorn did not start a worker"
        rss_idle = _peak_rss_mb(worker)
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()

        def fetch(index: int) -> None:
            nonlocal errors
            url = f"http://127.0.0.1:{port}{urls[index % len(urls)]}"
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                    response.read()
            except Exception:  # noqa: BLE001 - counted and reported
                with lock:
                    errors += 1
                return
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(fetch, range(requests)))
        elapsed = time.perf_counter() - started
        result = {
            "requests": requests,
            "threads": threads,
            "errors": errors,
            "seconds": round(elapsed, 1),
            "median_latency_ms": round(statistics.median(latencies), 1) if latencies else None,
            "rss_after_start_mb": rss_idle,
            "peak_rss_mb": _peak_rss_mb(worker),
        }
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(
        f"  web worker: {requests} requests from {threads} threads, {errors} errors, "
        f"peak RSS {result['peak_rss_mb']} MB (after start {rss_idle} MB)"
    )
    return result


def database_size() -> dict[str, Any]:
    from django.db import connection

    from followthrough.tracker.models import Action, ProgressUpdate, Recommendation, Review

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    return {
        "reviews": Review.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "actions": Action.objects.count(),
        "updates": ProgressUpdate.objects.count(),
        "database_gb": round(size / 1024**3, 2),
    }


# ---------------------------------------------------------------------------------------------


def _table(results: list[dict[str, Any]]) -> str:
    """Every measure at every scale, with the ratio of the last scale to the first."""
    heads = [f"{r['scale']:g}%" for r in results]
    lines = [f"{'measure':<52}" + "".join(f"{h:>11}" for h in heads) + f"{'ratio':>8}"]

    def row(label: str, values: list[float | None], fmt: str = "{:.1f}") -> None:
        cells = "".join(f"{fmt.format(v) if v is not None else '–':>11}" for v in values)
        ratio = ""
        if len(values) > 1 and values[0] and values[-1] is not None:
            ratio = f"{values[-1] / values[0]:.2f}"
        lines.append(f"{label:<52}{cells}{ratio:>8}")

    row("reviews", [r["size"]["reviews"] for r in results], "{:,.0f}")
    row("progress updates", [r["size"]["updates"] for r in results], "{:,.0f}")
    row("database size (GB)", [r["size"]["database_gb"] for r in results], "{:.2f}")
    for name in results[0]["pages"]:
        if results[0]["pages"][name]["queries"] is not None:
            row(f"{name}: queries", [r["pages"][name]["queries"] for r in results], "{:.0f}")
        row(f"{name}: median ms", [r["pages"][name]["median_ms"] for r in results])
    for name in results[0]["as_at"]:
        row(f"as at, {name}: ms", [r["as_at"][name]["median_ms"] for r in results])
    for name in results[0]["national_rollup"]:
        row(
            f"national roll-up, {name}: s",
            [r["national_rollup"][name]["median_ms"] / 1000 for r in results],
            "{:.2f}",
        )
    for name in ("figures only", "html (figures + render)", "pdf (figures + render)"):
        row(f"report, {name}: ms", [r["report"][name]["median_ms"] for r in results])
    if "first import" in results[0]["import"]:
        for name in ("first import", "re-import (no changes)"):
            row(
                f"import {IMPORT_ROWS:,} rows, {name}: s",
                [r["import"][name]["median_ms"] / 1000 for r in results],
                "{:.2f}",
            )
    row("web worker peak RSS (MB)", [r["web_worker"]["peak_rss_mb"] for r in results])
    row("generator peak RSS (MB)", [r["generation"].get("peak_rss_mb") for r in results])
    row(
        "generation (rows/s)",
        [r["generation"].get("rows_per_second") for r in results],
        "{:,.0f}",
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1", help="percent of national scale, e.g. 1,10,100")
    parser.add_argument("--runs", type=int, default=7, help="repeats for each median")
    parser.add_argument("--rollup-runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="for the web-worker load")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", help="keep the PostgreSQL cluster in this folder (reused)")
    args = parser.parse_args()
    scales = sorted(float(s) for s in args.scale.split(","))

    with (
        tempfile.TemporaryDirectory(prefix="followthrough-bench-scale-") as var_dir,
        throwaway_postgres(args.keep, keep=bool(args.keep)) as database_url,
    ):
        _run(args, scales, _environment(var_dir, database_url))
    return 0


def _run(args: argparse.Namespace, scales: list[float], env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from followthrough.core.models import Organisation
    from followthrough.tracker import selectors

    call_command("migrate", verbosity=0)
    until = selectors.today()
    results = []
    for scale in scales:
        wanted = max(1, round(NATIONAL_PARTNERSHIPS * scale / 100))
        have = Organisation.objects.filter(
            slug__startswith="scale-", slug__endswith="-council"
        ).count()
        print(f"\n== {scale:g}% of national scale: {wanted} partnerships")
        generation: dict[str, Any] = {"partnerships_added": 0, "peak_rss_mb": None}
        if wanted > have:
            print(f"  generating {wanted - have} partnerships ...", flush=True)
            generation = _generate(env, wanted - have, until)
            print(
                f"  generated {generation['rows_added']:,} rows in "
                f"{generation['seconds']:.0f} s ({generation['rows_per_second']:,} rows/s), "
                f"peak RSS {generation['peak_rss_mb']} MB"
            )
        from django.db import connection

        connection.close()  # see the freshly analysed tables
        result = {
            "scale": scale,
            "partnerships": wanted,
            "generation": generation,
            "size": database_size(),
            "pages": measure_pages(args.runs),
            "as_at": measure_as_at(args.runs),
            "national_rollup": measure_rollup(args.rollup_runs),
            "report": measure_report(args.runs),
            "import": measure_import(max(args.runs // 2, 1)),
            "web_worker": measure_web_worker(env, args.requests, args.threads),
            "targets": TARGETS,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "postgres_settings": SERVER_SETTINGS,
                "until": until.isoformat(),
                "load_average": os.getloadavg(),
            },
        }
        results.append(result)
        path = ROOT / "bench" / f"results-{scale:g}.json"
        path.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(f"  written to {path.relative_to(ROOT)}")
    print()
    print(_table(results))


if __name__ == "__main__":
    raise SystemExit(main())
