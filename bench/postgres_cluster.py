"""A throwaway PostgreSQL cluster for benchmarks, started the way scripts/test starts one.

initdb refuses to run as root, so the cluster belongs to the `postgres` user (runuser). It
listens on 127.0.0.1 only, on a free port, keeps its socket in its own folder and is stopped
and deleted on exit unless the caller asks to keep it (to measure again without regenerating).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Settings for a benchmark server on this 2-core, 23 GB machine that other people share:
# durability off (throwaway data), memory sized as a modest production server would be.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "shared_buffers": "1GB",
    "effective_cache_size": "6GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "random_page_cost": "1.1",
    "max_connections": "50",
}


def _pg_bin() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)


@contextmanager
def throwaway_postgres(folder: str | None = None, *, keep: bool = False) -> Iterator[str]:
    """Start a cluster (reusing one already initialised in `folder`) and yield its
    DATABASE_URL; stop it on exit, and delete it unless `keep`."""
    pg_bin = _pg_bin()
    base = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="followthrough-bench-pg."))
    base.mkdir(parents=True, exist_ok=True)
    shutil.chown(base, "postgres")
    data = base / "data"
    fresh = not (data / "PG_VERSION").exists()
    if fresh:
        _as_postgres(
            str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
    port = _free_port()
    options = f"-p {port} -k {base} " + " ".join(f"-c {k}={v}" for k, v in SERVER_SETTINGS.items())
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
        if fresh:
            _as_postgres(
                str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "followthrough"
            )
        yield f"postgres://postgres@127.0.0.1:{port}/followthrough"
    finally:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(pg_bin / "pg_ctl"), "-D", str(data)]
            + ["-m", "fast", "-w", "stop"],
            capture_output=True,
        )
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
