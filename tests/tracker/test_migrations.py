"""Data migrations give the values the services would have kept."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Max

from followthrough.tracker import services
from followthrough.tracker.models import (
    Action,
    Assessment,
    ProgressUpdate,
    StatusChange,
    TargetDateChange,
)

from .factories import build_world, post_update

pytestmark = pytest.mark.django_db

last_entry_on = importlib.import_module(
    "followthrough.tracker.migrations.0002_action_last_entry_on"
)


def _latest_in_history() -> dict[int, date]:
    """Each action's latest dated entry, worked out the slow, obvious way."""
    latest: dict[int, date] = {}
    for model, field in [
        (ProgressUpdate, "effective_date"),
        (StatusChange, "effective_date"),
        (TargetDateChange, "effective_date"),
        (Assessment, "decided_on"),
    ]:
        rows = model.objects.values("action_id").annotate(m=Max(field)).order_by()
        for action_id, on in rows.values_list("action_id", "m"):
            latest[action_id] = max(on, latest.get(action_id, on))
    return latest


def test_backfill_sets_each_actions_latest_history_date_in_one_statement():
    world = build_world(agreed=date(2024, 1, 8), target=date(2024, 12, 31))
    police, council = world.police_action, world.council_action
    post_update(council, world.council_lead, date(2024, 2, 1), status="in_progress")
    post_update(council, world.council_lead, date(2024, 3, 1), status="ready_for_assessment")
    council.refresh_from_db()
    services.action_assess(
        actor=world.assessor,
        action=council,
        decision="signed_off",
        rationale="Seen.",
        decided_on=date(2024, 3, 20),
    )
    post_update(police, world.police_lead, date(2024, 2, 10), status="in_progress")
    police.refresh_from_db()
    services.action_change_target_date(
        actor=world.officer,
        action=police,
        new_date=date(2025, 3, 31),
        reason="Training slipped.",
        effective_date=date(2024, 4, 2),
    )
    # One action with no history at all.
    untouched = services.action_create(
        actor=world.officer,
        recommendation=world.recommendation,
        owner=world.police,
        description="Not started",
        start_date=date(2024, 1, 8),
        target_date=date(2024, 12, 31),
    )
    kept_by_services = dict(Action.objects.values_list("pk", "last_entry_on"))
    assert kept_by_services == {
        council.pk: date(2024, 3, 20),  # the assessment
        police.pk: date(2024, 4, 2),  # the target-date change
        untouched.pk: None,
    }
    assert {pk: on for pk, on in kept_by_services.items() if on} == _latest_in_history()

    Action.objects.update(last_entry_on=None)  # as just after the column was added
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        last_entry_on.backfill(apps, SimpleNamespace(connection=connection))
    assert len(statements) == 1  # whatever the number of actions
    assert dict(Action.objects.values_list("pk", "last_entry_on")) == kept_by_services
