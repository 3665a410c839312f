"""Backup and restore of the whole product: database, uploaded files and the insights store.

The database is saved as Django's portable JSON (primary keys kept), so a backup taken on SQLite
restores into PostgreSQL and the other way round, and the restored audit chain verifies.
A manifest records row counts per model and a SHA-256 of every file, and restore checks them.
For very large PostgreSQL deployments, `pg_dump` is faster; this command is the one that works
the same everywhere and is tested.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from .audit import audit_verify

FORMAT_VERSION = 1
# Rebuilt by migrate, or not worth keeping (sessions, sign-in attempts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int


def _media_root() -> Path:
    storages: dict[str, Any] = settings.STORAGES
    return Path(storages["default"]["OPTIONS"]["location"])


def _insights_store() -> Path:
    return Path(settings.FOLLOWTHROUGH["INSIGHTS_DB"])


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if any(label == e or label.startswith(f"{e}.") for e in EXCLUDED):
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[label] = model._default_manager.count()
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_create(*, output: Path) -> dict[str, Any]:
    """Write a .tar.gz with data.json, files/ (uploaded evidence), insights.duckdb, manifest.json."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        data = work / "data.json"
        with transaction.atomic():  # one consistent view of the database
            call_command(
                "dumpdata",
                # Keep primary keys (the audit chain hashes them); only references to rebuilt
                # tables such as content types go by natural key.
                "--natural-foreign",
                *(f"--exclude={e}" for e in EXCLUDED),
                output=str(data),
                verbosity=0,
            )
            counts = _row_counts()
        files: dict[str, str] = {}
        media = _media_root()
        with tarfile.open(output, "w:gz") as archive:
            archive.add(data, arcname="data.json")
            if media.exists():
                for path in sorted(p for p in media.rglob("*") if p.is_file()):
                    name = f"files/{path.relative_to(media).as_posix()}"
                    files[name] = _sha256(path)
                    archive.add(path, arcname=name)
            store = _insights_store()
            if store.exists():
                files["insights.duckdb"] = _sha256(store)
                archive.add(store, arcname="insights.duckdb")
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database_vendor": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "data_sha256": _sha256(data),
                "rows": counts,
                "files": files,
            }
            payload = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            info.mtime = int(datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(payload))
    return manifest


def _database_is_empty() -> bool:
    from followthrough.core.models import AuditEvent, User

    return not (User.objects.exists() or AuditEvent.objects.exists())


def backup_restore(*, archive_path: Path) -> RestoreResult:
    """Restore a backup into an empty, migrated database; then check counts, files and chain."""
    if not _database_is_empty():
        raise BackupError("The database is not empty: restore only into a new, migrated database.")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{archive_path}: not a readable backup ({exc})") from exc
        manifest_path = work / "manifest.json"
        if not manifest_path.exists():
            raise BackupError(f"{archive_path}: no manifest.json: not a Followthrough backup")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(
                f"{archive_path}: backup format {manifest.get('format')} is not supported"
            )
        if _sha256(work / "data.json") != manifest["data_sha256"]:
            raise BackupError(f"{archive_path}: data.json does not match its checksum")
        for name, digest in manifest["files"].items():
            if _sha256(work / name) != digest:
                raise BackupError(f"{archive_path}: {name} does not match its checksum")

        with transaction.atomic():
            call_command("loaddata", str(work / "data.json"), verbosity=0)
            counts = _row_counts()
            missing = {
                label: (expected, counts.get(label, 0))
                for label, expected in manifest["rows"].items()
                if counts.get(label, 0) != expected
            }
            if missing:
                raise BackupError(f"Row counts differ after restore (expected, found): {missing}")
            broken = audit_verify()
            if broken is not None:
                raise BackupError(f"The restored audit log is broken at record {broken.event_id}")

        media = _media_root()
        restored_files = 0
        for name in manifest["files"]:
            source = work / name
            if name == "insights.duckdb":
                target = _insights_store()
            else:
                target = media / name.removeprefix("files/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            restored_files += 1
    return RestoreResult(rows=sum(manifest["rows"].values()), files=restored_files)
