"""Fuzz every importer of untrusted files for a few minutes (issue 9).

    .venv/bin/python bench/fuzz_inputs.py [--minutes 3] [--jobs 2] [--only "action plan"]

The same properties as the suite's smoke run (tests/fuzz/test_fuzz_smoke.py, see
tests/fuzz/targets.py), for longer and with fresh random inputs each time: every input either
imports or is refused with the importer's own validation error naming the file (and row and
column), and after a refusal nothing was written; after an import the stored values fit their
columns and importing the same file again changes nothing. An input that keeps an importer busy
for more than --limit seconds counts as a failure (a hang is a denial of service).

Each importer runs in its own process with its own throwaway SQLite database and analytics
store (so a crash in native code, PDFium say, is caught and reported with the input that caused
it); `--minutes` is the wall-clock time for the whole run, shared out between the importers.
Prints the inputs tried per importer and their outcomes. Failing inputs are saved under
bench/fuzz-findings/ (the file itself, and a .txt with its name and the error), and the
command exits 1 if there were any.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FINDINGS = ROOT / "bench" / "fuzz-findings"
sys.path.insert(0, str(ROOT))


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{folder / 'fuzz.sqlite3'}",
            "FOLLOWTHROUGH_VAR_DIR": str(folder),
            "FOLLOWTHROUGH_MEDIA_ROOT": str(folder / "media"),
            "FOLLOWTHROUGH_INSIGHTS_DB": str(folder / "insights.duckdb"),
            "FOLLOWTHROUGH_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "FOLLOWTHROUGH_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _slug(name: str) -> str:
    return name.replace(" ", "-").lower()


# ----------------------------------------------------------------------------------- worker


class TimeUp(BaseException):
    """Raised from inside the test to end hypothesis's run: it passes BaseException through
    at once, where an Exception would be taken for a failure and shrunk."""


def _save_finding(target: str, upload: Any, error: str) -> str:
    """Keep the failing input and what went wrong; return the saved file's name."""
    FINDINGS.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(upload.content).hexdigest()[:12]
    suffix = Path(upload.name).suffix.lower() or ".bin"
    path = FINDINGS / f"{_slug(target)}-{digest}{suffix}"
    path.write_bytes(upload.content)
    path.with_suffix(".txt").write_text(
        f"importer: {target}\nfile name: {upload.name!r}\n\n{error}\n"
    )
    return path.name


def worker(name: str, seconds: float, limit: float, folder: Path, out: Path) -> None:
    """Fuzz one importer until the time is up, then write what happened to `out` (JSON)."""
    import django

    django.setup()
    from hypothesis import HealthCheck, Phase, given, seed, settings

    from tests.fuzz.targets import TARGETS, build_world

    target = next(t for t in TARGETS if t.name == name)
    world = build_world(folder, folder / "insights.duckdb")
    current = folder / "current-input.json"
    outcomes: Counter[str] = Counter()
    failures: list[dict[str, str]] = []
    seen_errors: set[str] = set()
    durations: list[float] = []
    deadline = time.monotonic() + seconds
    last_failure: dict[str, Any] = {}

    @settings(
        max_examples=1_000_000,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(target.strategy)
    def run(upload: Any) -> None:
        if time.monotonic() > deadline and not last_failure:
            raise TimeUp  # unless a failure is being shrunk: let that finish
        # Kept on disk first, so a crash that takes the process down leaves its input behind.
        current.write_text(json.dumps({"name": upload.name, "content": upload.content.hex()}))
        started = time.perf_counter()
        try:
            outcomes[target.run(world, upload, seconds=limit)] += 1
        except BaseException as error:
            last_failure["upload"] = upload
            last_failure["error"] = "".join(traceback.format_exception(error))
            # One line to print: the exception's own first line, not the traceback's last.
            last_failure["summary"] = traceback.format_exception_only(error)[0].strip()[:200]
            outcomes["failed"] += 1
            raise
        finally:
            durations.append(time.perf_counter() - started)

    while time.monotonic() < deadline:
        last_failure.clear()
        try:
            # A fresh seed each round (and no "add @seed to reproduce" notice: the failing
            # input itself is saved).
            seed(secrets.randbits(64))(run)()
        except TimeUp:
            break
        except Exception as error:  # hypothesis re-raises the (shrunk) failure
            upload, detail = last_failure.get("upload"), last_failure.get("error", repr(error))
            where = last_failure.get("summary", repr(error)[:200])
            if upload is not None and where not in seen_errors:
                seen_errors.add(where)
                failures.append({"file": _save_finding(name, upload, detail), "error": where})
    current.unlink(missing_ok=True)
    out.write_text(
        json.dumps(
            {
                "importer": name,
                "tried": len(durations),
                "outcomes": dict(outcomes),
                "failures": failures,
                "mean_ms": round(1000 * sum(durations) / max(len(durations), 1), 1),
                "max_ms": round(1000 * max(durations, default=0), 1),
            }
        )
    )


# ----------------------------------------------------------------------------------- parent


def _prepare_template(folder: Path) -> Path:
    """One migrated SQLite database, copied for each importer (migrating takes a while)."""
    folder.mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"],
        env=_environment(folder),
        cwd=ROOT,
        check=True,
    )
    return folder / "fuzz.sqlite3"


def _start(name: str, seconds: float, limit: float, base: Path, template: Path) -> tuple[Any, Path]:
    folder = base / _slug(name)
    folder.mkdir()
    shutil.copy(template, folder / "fuzz.sqlite3")
    out = folder / "result.json"
    command = [sys.executable, __file__, "--worker", name, "--seconds", str(seconds)]
    command += ["--limit", str(limit), "--folder", str(folder), "--out", str(out)]
    process = subprocess.Popen(command, env=_environment(folder), cwd=ROOT)
    return process, folder


def _collect(name: str, process: subprocess.Popen[bytes], folder: Path) -> dict[str, Any]:
    out = folder / "result.json"
    if process.returncode == 0 and out.exists():
        result: dict[str, Any] = json.loads(out.read_text())
        return result
    # The worker died (a crash in native code, say): report the input it was reading.
    failures = []
    current = folder / "current-input.json"
    if current.exists():
        from tests.fuzz.strategies import Upload

        data = json.loads(current.read_text())
        upload = Upload(data["name"], bytes.fromhex(data["content"]))
        error = f"the fuzzing process ended with exit status {process.returncode}"
        failures.append({"file": _save_finding(name, upload, error), "error": error})
    else:
        failures.append({"file": "", "error": f"worker exited with status {process.returncode}"})
    return {"importer": name, "tried": 0, "outcomes": {}, "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="wall-clock time in all")
    parser.add_argument("--jobs", type=int, default=2, help="importers fuzzed at once")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds one input may take")
    parser.add_argument("--only", action="append", help="an importer's name (repeatable)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.seconds, args.limit, args.folder, args.out)
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    names = [
        "document reader",
        "offence records",
        "licensing register",
        "licensing DBS",
        "licensing training",
        "action plan",
    ]
    if args.only:
        unknown = set(args.only) - set(names)
        if unknown:
            parser.error(f"unknown importer {sorted(unknown)}; choose from {names}")
        names = [n for n in names if n in args.only]
    jobs = max(1, min(args.jobs, len(names)))
    rounds = -(-len(names) // jobs)
    seconds = args.minutes * 60 / rounds
    print(
        f"Fuzzing {len(names)} importers for {args.minutes:g} minutes: {jobs} at a time, "
        f"{seconds:.0f} s each (one input may take at most {args.limit:g} s)",
        flush=True,
    )
    base = Path(tempfile.mkdtemp(prefix="followthrough-fuzz."))
    results: list[dict[str, Any]] = []
    try:
        template = _prepare_template(base / "template")
        waiting = list(names)
        running: list[tuple[str, Any, Path]] = []
        while waiting or running:
            while waiting and len(running) < jobs:
                name = waiting.pop(0)
                running.append((name, *_start(name, seconds, args.limit, base, template)))
            time.sleep(1)
            for entry in list(running):
                name, process, folder = entry
                if process.poll() is not None:
                    running.remove(entry)
                    results.append(_collect(name, process, folder))
    finally:
        shutil.rmtree(base, ignore_errors=True)

    results.sort(key=lambda r: names.index(r["importer"]))
    print()
    print(
        f"{'importer':<20}{'inputs':>8}{'imported':>10}{'unchanged':>11}{'refused':>9}{'failed':>8}{'mean ms':>9}{'max ms':>9}"
    )
    for r in results:
        o = r["outcomes"]
        print(
            f"{r['importer']:<20}{r['tried']:>8}{o.get('imported', 0):>10}{o.get('unchanged', 0):>11}"
            f"{o.get('refused', 0):>9}{len(r['failures']):>8}{r.get('mean_ms', 0):>9}{r.get('max_ms', 0):>9}"
        )
    total = sum(r["tried"] for r in results)
    failures = [(r["importer"], f) for r in results for f in r["failures"]]
    print(f"{'total':<20}{total:>8}")
    for importer, failure in failures:
        print(f"FAILED {importer}: {failure['error']}  -> bench/fuzz-findings/{failure['file']}")
    if not failures:
        print(
            "No failures: every input was imported or refused cleanly, and refusals wrote nothing."
        )
    print(json.dumps({"minutes": args.minutes, "results": results}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
