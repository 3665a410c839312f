"""Local load test: mixed public and signed-in partner traffic against gunicorn on PostgreSQL
(issue 9).

    .venv/bin/python bench/load_test.py [--seconds 60] [--public-users 6] [--partner-users 2]
                                        [--workers 2] [--threads 4]

Starts a throwaway PostgreSQL cluster (as scripts/test does: runuser -u postgres initdb/pg_ctl in
a temporary folder, on a free port, listening on 127.0.0.1 only), migrates it, loads the demo
(`followthrough load_demo`), collects the static files, and starts gunicorn with production
settings (DEBUG off, a throwaway SECRET_KEY and field key, whitenoise serving the static files;
only HTTPS is switched off, FOLLOWTHROUGH_SECURE=false, because this runs over plain HTTP on
loopback, and so is the second factor, FOLLOWTHROUGH_REQUIRE_2FA=false, because the demo users
have no authenticator app: with it on, signing in is one more request per session, not per page).

Then virtual users, each a thread with its own cookies, send requests back to back (no pause
between them, so the figures are the most this server gives on this machine) for --seconds:

  * public users: the home page, the list of reviews, the review's progress page, a
    recommendation, the facts page, the report-a-concern page and the API's list of reviews;
  * partner users: each signs in as police.lead (the form, its CSRF token, username and
    password), then opens the dashboard, the review, an action of their own, and every fourth
    round posts a progress update to that action through the web form (its version field and
    date boxes), expecting the redirect back to the action.

Any response other than 200 (or the expected redirect after signing in or posting an update)
counts as an error, as does a refused update. Prints requests per second, median and 95th
percentile latency and the error count, overall and per page group, and the peak resident memory
(VmHWM) of the gunicorn workers; writes bench/results-load.json. Stops gunicorn and the database
and deletes the temporary folder when done, whatever happens.
"""

from __future__ import annotations

import argparse
import base64
import glob
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
RESULTS = ROOT / "bench" / "results-load.json"
REVIEW = "cse-scrutiny-review"
PARTNER, PASSWORD = "police.lead", "followthrough-demo"  # the demo's printed sign-in

PUBLIC_PAGES = [
    ("public pages", "/"),
    ("public pages", "/progress/"),
    ("public pages", f"/progress/{REVIEW}/"),
    ("public pages", f"/progress/{REVIEW}/recommendations/1/"),
    ("public pages", "/facts-about-child-sexual-exploitation/"),
    ("public pages", "/report-a-concern/"),
    ("public API", "/api/v1/reviews/"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------ PostgreSQL


def _pg_bin() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)


@contextmanager
def throwaway_postgres(base: Path) -> Iterator[str]:
    """A cluster owned by the postgres user (initdb refuses root) in `base`, on a free port,
    listening on loopback only; yields its DATABASE_URL and stops it on exit."""
    pg_bin = _pg_bin()
    base.mkdir()
    shutil.chown(base, "postgres")
    data = base / "data"
    _as_postgres(
        str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
    )
    port = _free_port()
    options = f"-p {port} -k {base} -c listen_addresses={HOST} -c max_connections=50"
    _as_postgres(
        str(pg_bin / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(base / "log"),
        "-w",
        "-o",
        options,
        "start",
    )
    try:
        _as_postgres(str(pg_bin / "createdb"), "-h", HOST, "-p", str(port), "followthrough")
        yield f"postgres://postgres@{HOST}:{port}/followthrough"
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            capture_output=True,
        )


# ---------------------------------------------------------------------------------- server


def _environment(tmp: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "FOLLOWTHROUGH_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "FOLLOWTHROUGH_SECURE": "false",
            "FOLLOWTHROUGH_REQUIRE_2FA": "false",
            # Keep each gunicorn thread's database connection, as a production server would.
            "FOLLOWTHROUGH_CONN_MAX_AGE": "60",
            "FOLLOWTHROUGH_VAR_DIR": str(tmp),
            "FOLLOWTHROUGH_STATIC_ROOT": str(tmp / "static"),
            "FOLLOWTHROUGH_MEDIA_ROOT": str(tmp / "media"),
            "FOLLOWTHROUGH_INSIGHTS_DB": str(tmp / "insights.duckdb"),
            "FOLLOWTHROUGH_LOG_LEVEL": "ERROR",
        }
    )
    return env


def _followthrough(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    subprocess.run(
        [str(VENV_BIN / "followthrough"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=900,
    )
    print(f"  followthrough {' '.join(args)}: {time.monotonic() - started:.0f} s", flush=True)


@contextmanager
def gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    command += ["-b", f"{HOST}:{port}", "--log-level", "warning", "--graceful-timeout", "5"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"http://{HOST}:{port}/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(child) for child in text]
    return children


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ------------------------------------------------------------------------------------ load


class Recorder:
    """Latencies and errors per page group, shared by every virtual user."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.by_request: dict[str, list[float]] = defaultdict(list)  # "GET /dashboard/"
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, group: str, what: str, seconds: float, problem: str | None = None) -> None:
        with self.lock:
            self.latencies[group].append(seconds)
            self.by_request[what].append(seconds)
            if problem:
                self.errors[group].append(problem)


def _timed(
    recorder: Recorder, group: str, send: Any, expected: int, what: str
) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = send()
    except requests.RequestException as error:
        recorder.add(group, what, time.perf_counter() - started, f"{what}: {type(error).__name__}")
        return None
    elapsed = time.perf_counter() - started
    problem = None if response.status_code == expected else f"{what}: {response.status_code}"
    recorder.add(group, what, elapsed, problem)
    return response


_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _form_fields(html: str) -> dict[str, str]:
    """Text, number and hidden inputs as the page fills them in (CSRF token, version, date)."""
    fields = {}
    for tag in _INPUT.findall(html):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if "name" in attributes and attributes.get("type", "text") in ("text", "hidden", "number"):
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def _sign_in(session: requests.Session, base: str, recorder: Recorder) -> bool:
    page = _timed(
        recorder,
        "sign in",
        lambda: session.get(f"{base}/sign-in/", timeout=30),
        200,
        "GET /sign-in/",
    )
    if page is None or page.status_code != 200:
        return False
    data = {**_form_fields(page.text), "username": PARTNER, "password": PASSWORD}
    done = _timed(
        recorder,
        "sign in",
        lambda: session.post(f"{base}/sign-in/", data=data, allow_redirects=False, timeout=30),
        302,
        "POST /sign-in/",
    )
    return done is not None and done.status_code == 302


def _own_open_actions(base: str) -> list[int]:
    """police.lead's actions that take a progress update (found before the clock starts)."""
    session = requests.Session()
    if not _sign_in(session, base, Recorder()):
        raise SystemExit("cannot sign in as police.lead")
    dashboard = session.get(f"{base}/dashboard/", timeout=30).text
    found = []
    for action_id in dict.fromkeys(
        int(n) for n in re.findall(r'href="/actions/(\d+)/"', dashboard)
    ):
        if (
            session.get(
                f"{base}/actions/{action_id}/update/", timeout=30, allow_redirects=False
            ).status_code
            == 200
        ):
            found.append(action_id)
    if not found:
        raise SystemExit("police.lead has no open actions in the demo to update")
    return found


def public_user(base: str, recorder: Recorder, stop: threading.Event, seed: int) -> None:
    session = requests.Session()
    chooser = random.Random(seed)
    while not stop.is_set():
        group, path = chooser.choice(PUBLIC_PAGES)
        _timed(
            recorder,
            group,
            lambda path=path: session.get(base + path, allow_redirects=False, timeout=30),
            200,
            f"GET {path}",
        )


def partner_user(base: str, recorder: Recorder, stop: threading.Event, action_id: int) -> None:
    session = requests.Session()
    if not _sign_in(session, base, recorder):
        return
    pages = ["/dashboard/", f"/reviews/{REVIEW}/", f"/actions/{action_id}/"]
    rounds = 0
    while not stop.is_set():
        for path in pages:
            _timed(
                recorder,
                "partner pages",
                lambda path=path: session.get(base + path, allow_redirects=False, timeout=30),
                200,
                f"GET {path}",
            )
        rounds += 1
        if rounds % 4 or stop.is_set():
            continue
        update = f"{base}/actions/{action_id}/update/"
        form = _timed(
            recorder,
            "partner update",
            lambda update=update: session.get(update, allow_redirects=False, timeout=30),
            200,
            "GET update form",
        )
        if form is None or form.status_code != 200:
            continue
        data = {
            **_form_fields(form.text),
            "status_to": "",
            "owner_confidence": "on_track",
            "public_summary": f"Load test update {rounds}: the work continues as planned.",
            "restricted_detail": "",
        }
        # 302 back to the action; a 200 is the form shown again with its errors: refused.
        _timed(
            recorder,
            "partner update",
            lambda data=data, update=update: session.post(
                update, data=data, allow_redirects=False, timeout=30
            ),
            302,
            "POST update",
        )


def drive(
    base: str, seconds: float, public_users: int, partner_users: int
) -> tuple[Recorder, float]:
    actions = _own_open_actions(base)
    recorder = Recorder()
    stop = threading.Event()
    # Daemon threads, stopped in `finally`: an interrupted run must not keep sending requests.
    threads = [
        threading.Thread(target=public_user, args=(base, recorder, stop, n), daemon=True)
        for n in range(public_users)
    ]
    # Each partner user updates an action of their own, so no two of them edit the same one.
    threads += [
        threading.Thread(
            target=partner_user,
            args=(base, recorder, stop, actions[n % len(actions)]),
            daemon=True,
        )
        for n in range(partner_users)
    ]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        stop.wait(seconds)
    finally:
        stop.set()
        for thread in threads:
            if thread.is_alive():
                thread.join(timeout=60)
    return recorder, time.monotonic() - started


# --------------------------------------------------------------------------------- report


def _summary(latencies: list[float], errors: list[str], seconds: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else 0.0
    return {
        "requests": len(ordered),
        "requests_per_second": round(len(ordered) / seconds, 1),
        "median_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(1000 * p95, 1),
        "errors": len(errors),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send traffic")
    parser.add_argument("--public-users", type=int, default=6, help="anonymous visitors at once")
    parser.add_argument("--partner-users", type=int, default=2, help="signed-in partners at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    # A plain `kill` still stops gunicorn and the database: SystemExit runs the cleanup.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    load_before = [round(x, 2) for x in os.getloadavg()]
    tmp = Path(tempfile.mkdtemp(prefix="followthrough-load."))
    os.chmod(tmp, 0o755)  # the postgres user needs to reach its cluster folder inside
    try:
        print("Setting up PostgreSQL, the demo and the static files...", flush=True)
        with throwaway_postgres(tmp / "pg") as database_url:
            env = _environment(tmp, database_url)
            _followthrough(env, "migrate", "--no-input")
            _followthrough(env, "load_demo")
            _followthrough(env, "collectstatic", "--no-input")
            port = _free_port()
            base = f"http://{HOST}:{port}"
            with gunicorn(env, port, args.workers, args.threads, tmp / "gunicorn.log") as server:
                for _group, path in PUBLIC_PAGES:  # warm up each worker's caches and imports
                    for _ in range(args.workers * 2):
                        requests.get(base + path, timeout=30)
                print(
                    f"Sending traffic for {args.seconds:g} s: {args.public_users} public and "
                    f"{args.partner_users} signed-in partner users, gunicorn with {args.workers} "
                    f"workers x {args.threads} threads on {base}",
                    flush=True,
                )
                recorder, elapsed = drive(base, args.seconds, args.public_users, args.partner_users)
                workers = {pid: round(_peak_rss_mb(pid), 1) for pid in _children(server.pid)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    groups = {
        group: _summary(recorder.latencies[group], recorder.errors[group], elapsed)
        for group in ("public pages", "public API", "sign in", "partner pages", "partner update")
    }
    every_latency = [t for values in recorder.latencies.values() for t in values]
    every_error = [e for values in recorder.errors.values() for e in values]
    overall = _summary(every_latency, every_error, elapsed)
    print()
    print(
        f"{'page group':<16}{'requests':>9}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}{'errors':>8}"
    )
    for name, row in [*groups.items(), ("overall", overall)]:
        print(
            f"{name:<16}{row['requests']:>9}{row['requests_per_second']:>8}"
            f"{row['median_ms'] if row['median_ms'] is not None else '-':>11}{row['p95_ms']:>9}{row['errors']:>8}"
        )
    print(
        f"gunicorn workers' peak memory (VmHWM): {', '.join(f'{mb} MB' for mb in workers.values())}"
    )
    load_after = [round(x, 2) for x in os.getloadavg()]
    print(
        f"Load average (1, 5, 15 min) before {load_before}, after {load_after} on {os.cpu_count()} CPUs"
    )
    for problem in sorted(set(every_error))[:20]:
        print(f"ERROR {problem} (x{every_error.count(problem)})")
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            # Other work on the machine shares its CPUs with the server and the load generator.
            "load_average_before": load_before,
            "load_average_after": load_after,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "settings": {
            "seconds": round(elapsed, 1),
            "public_users": args.public_users,
            "partner_users": args.partner_users,
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            "database": "PostgreSQL (throwaway cluster, default durability)",
            "think_time": 0,
        },
        "overall": overall,
        "groups": groups,
        "requests": {
            what: _summary(times, [], elapsed)
            for what, times in sorted(recorder.by_request.items())
        },
        "worker_peak_rss_mb": list(workers.values()),
        "error_samples": sorted(set(every_error))[:20],
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 1 if every_error else 0


if __name__ == "__main__":
    sys.exit(main())
