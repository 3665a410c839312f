"""Requests per second for the public review page under a local load test (issue 6).

    .venv/bin/python bench/bench_public.py [--requests 2000] [--threads 8] [--workers 2]

Sets up a throwaway SQLite database with the demo review, starts gunicorn on 127.0.0.1 (a free
port; loopback only), and sends a bounded number of requests from Python threads, each scenario
also capped in time. Three scenarios, because they cost very different amounts:

  * cached: the page as most visitors get it (the rendered page is kept for 60 seconds);
  * revalidate: a browser or proxy that already has the page asks again (If-None-Match → 304);
  * render: every request asks for a different as-at date, so every one is computed and rendered.

Prints one line per scenario (requests per second, median and 95th-percentile latency) and a JSON
summary. Stops gunicorn and removes the temporary files when done.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PAGE = "/progress/cse-scrutiny-review/"
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _environment(tmp: Path) -> dict[str, str]:
    """Production-like settings (DEBUG off, so no query logging), served over plain HTTP on
    loopback, with throwaway secrets."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "FOLLOWTHROUGH_VAR_DIR": str(tmp),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FOLLOWTHROUGH_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "FOLLOWTHROUGH_SECURE": "false",
            "ALLOWED_HOSTS": HOST,
            "FOLLOWTHROUGH_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    return env


def _followthrough(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "followthrough"), *args], env=env, cwd=ROOT, check=True)


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        conn.close()


def _wait_until_up(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(port, "/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start in time")


def _load(
    port: int,
    paths: list[str],
    *,
    requests: int,
    threads: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> dict[str, float]:
    """Send up to `requests` GETs (cycling through `paths`) from `threads` threads, stopping
    early after `seconds`. Returns throughput and latency figures."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            try:
                status, _ = _get(port, paths[n % len(paths)], headers)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != expect:
                    errors += 1

    began = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(wall, 2),
        "rps": round(len(latencies) / wall, 1) if wall else 0.0,
        "median_ms": round(1000 * statistics.median(latencies), 1) if latencies else 0.0,
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1)
        if latencies
        else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="per scenario (render: 1/4)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=float, default=60, help="time cap per scenario")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="followthrough-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = _environment(tmp)
        print("Setting up a temporary database with the demo review...", flush=True)
        _followthrough(env, "migrate", "--verbosity", "0")
        _followthrough(env, "load_demo")
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, on loopback
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            _wait_until_up(port)
            status, headers = _get(port, PAGE)
            assert status == 200, status
            etag = headers["ETag"]
            print(f"gunicorn on {HOST}:{port} with {args.workers} workers; {args.threads} threads")
            # The machine may be shared: say how busy it was, since that moves every figure.
            print(f"load average before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
            print(f"Cache-Control: {headers.get('Cache-Control')}; ETag: {etag}")
            first = date(2016, 6, 1)
            renders = [
                f"{PAGE}?as_at={(first + timedelta(days=n)).isoformat()}"
                for n in range(args.requests)
            ]
            results = {
                "cached": _load(
                    port, [PAGE], requests=args.requests, threads=args.threads, seconds=args.seconds
                ),
                "revalidate": _load(
                    port,
                    [PAGE],
                    requests=args.requests,
                    threads=args.threads,
                    seconds=args.seconds,
                    headers={"If-None-Match": etag},
                    expect=304,
                ),
                "render": _load(
                    port,
                    renders,
                    requests=max(1, args.requests // 4),
                    threads=args.threads,
                    seconds=args.seconds,
                ),
            }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()

    for name, figures in results.items():
        print(
            f"{name:>10}: {figures['rps']:>8.1f} requests/s  median {figures['median_ms']} ms  "
            f"p95 {figures['p95_ms']} ms  ({figures['requests']} requests, "
            f"{figures['errors']} errors, {figures['seconds']} s)"
        )
    summary = {"page": PAGE, "workers": args.workers, "threads": args.threads, **results}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
