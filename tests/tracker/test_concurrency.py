"""Concurrent writers never silently overwrite each other (optimistic locking), and the audit
chain stays linear under load. Real threads with their own database connections: on
PostgreSQL these race for real; on SQLite the write lock serialises them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from followthrough.core.audit import audit_verify
from followthrough.core.models import AuditEvent
from followthrough.tracker import services
from followthrough.tracker.models import Action, ProgressUpdate

from .factories import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _run_in_threads(target, count: int) -> None:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def runner(index: int) -> None:
        try:
            barrier.wait()
            target(index)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_concurrent_writers_lose_nothing():
    today = timezone.localdate()
    world = build_world(agreed=today - timedelta(days=10), target=today + timedelta(days=100))
    action_id = world.police_action.pk
    writers, attempts = 6, 4
    saved: list[str] = []
    lock = threading.Lock()

    def write(index: int) -> None:
        for attempt in range(attempts):
            text = f"writer {index} update {attempt}"
            while True:  # a refused save is re-read and re-submitted, as a person would
                action = Action.objects.get(pk=action_id)
                try:
                    services.update_submit(
                        actor=world.police_lead,
                        action=action,
                        effective_date=today,
                        public_summary=text,
                        owner_confidence="on_track",
                        expected_version=action.version,
                    )
                except services.ConcurrentEditError:
                    continue
                with lock:
                    saved.append(text)
                break

    audit_before = AuditEvent.objects.count()
    _run_in_threads(write, writers)
    assert len(saved) == writers * attempts
    stored = set(
        ProgressUpdate.objects.filter(action_id=action_id).values_list("public_summary", flat=True)
    )
    assert stored == set(saved)
    assert Action.objects.get(pk=action_id).version == 1 + writers * attempts
    assert AuditEvent.objects.count() == audit_before + writers * attempts
    assert audit_verify() is None


def test_two_people_saving_the_same_version_exactly_one_wins():
    today = timezone.localdate()
    world = build_world(agreed=today - timedelta(days=10), target=today + timedelta(days=100))
    action_id = world.police_action.pk
    opened_version = Action.objects.get(pk=action_id).version
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(index: int) -> None:
        action = Action.objects.get(pk=action_id)
        try:
            services.update_submit(
                actor=world.police_lead,
                action=action,
                effective_date=today,
                public_summary=f"person {index}",
                owner_confidence="on_track",
                expected_version=opened_version,
            )
            result = "saved"
        except services.ConcurrentEditError:
            result = "refused"
        with lock:
            outcomes.append(result)

    _run_in_threads(save, 2)
    assert sorted(outcomes) == ["refused", "saved"]
    assert ProgressUpdate.objects.filter(action_id=action_id).count() == 1
    assert audit_verify() is None
