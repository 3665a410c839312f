"""As-at reconstruction: replaying random histories, the state computed for any past date
equals the state the tracker actually held on that date."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followthrough.tracker import services
from followthrough.tracker.models import Action
from followthrough.tracker.rules import ActionFacts, OwnerConfidence, Status, action_confidence
from followthrough.tracker.selectors import review_state_as_at

from .factories import build_world

pytestmark = pytest.mark.django_db

START = date(2024, 1, 8)

operation = st.tuples(
    st.integers(min_value=0, max_value=45),  # days after the previous operation
    st.integers(min_value=0, max_value=1),  # which action
    st.sampled_from(["update", "forward", "sign_off", "return", "target", "close"]),
    st.sampled_from(["on_track", "at_risk"]),
    st.integers(min_value=-60, max_value=400),  # new target date offset
)


def _held(action: Action) -> tuple:
    return (
        action.status,
        action.target_date,
        action.last_update_on,
        action.owner_confidence or None,
    )


def _apply(world, action: Action, kind: str, confidence: str, offset: int, on: date) -> None:
    action.refresh_from_db()
    lead = world.police_lead if action.owner_id == world.police.pk else world.council_lead
    if kind in ("update", "forward"):
        next_status = {"not_started": "in_progress", "in_progress": "ready_for_assessment"}.get(
            action.status, ""
        )
        services.update_submit(
            actor=lead,
            action=action,
            effective_date=on,
            public_summary="Progress",
            owner_confidence=confidence,
            status_to=next_status if kind == "forward" else "",
        )
    elif kind in ("sign_off", "return"):
        services.action_assess(
            actor=world.assessor,
            action=action,
            decision="signed_off" if kind == "sign_off" else "returned",
            rationale="Reasons",
            decided_on=on,
        )
    elif kind == "target":
        services.action_change_target_date(
            actor=world.officer,
            action=action,
            new_date=on + timedelta(days=offset),
            reason="Slipped",
            effective_date=on,
        )
    else:
        services.action_close(
            actor=world.officer, action=action, reason="Superseded", effective_date=on
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_as_at_equals_the_state_held_on_every_date(operations):
    with transaction.atomic():
        world = build_world(agreed=START, target=START + timedelta(days=200))
        actions = [world.police_action, world.council_action]
        held: dict[date, dict[int, tuple]] = {}
        on = START
        for gap, index, kind, confidence, offset in operations:
            if gap:
                # Close the books on the day before moving on: that is what was held then.
                held[on] = {a.pk: _held(Action.objects.get(pk=a.pk)) for a in actions}
                on += timedelta(days=gap)
            # Illegal moves are refused and must leave no trace.
            with contextlib.suppress(ValidationError, PermissionDenied):
                _apply(world, actions[index], kind, confidence, offset, on)
        held[on] = {a.pk: _held(Action.objects.get(pk=a.pk)) for a in actions}

        for day, snapshot in held.items():
            for probe in (day, day + timedelta(days=1)) if day != on else (day,):
                if probe in held and probe != day:
                    continue
                state = review_state_as_at(review=world.review, as_at=probe)
                rec = state.recommendations[world.recommendation.pk]
                by_action = {a.action_id: a for a in rec.actions}
                for action_id, (status, target, last_update, claim) in snapshot.items():
                    got = by_action[action_id]
                    assert (
                        got.status,
                        got.target_date,
                        got.last_update_on,
                        got.owner_confidence,
                    ) == (
                        status,
                        target,
                        last_update,
                        claim,
                    ), f"as at {probe}"
                    expected = action_confidence(
                        ActionFacts(
                            status=Status(status),
                            target_date=target,
                            last_update_on=last_update,
                            owner_confidence=OwnerConfidence(claim) if claim else None,
                            start_date=START,
                        ),
                        as_at=probe,
                        update_interval_days=92,
                    )
                    assert got.confidence == expected
        transaction.set_rollback(True)


def test_as_at_before_an_action_started_leaves_it_out(db):
    world = build_world(agreed=START)
    state = review_state_as_at(review=world.review, as_at=START - timedelta(days=1))
    assert state.recommendations[world.recommendation.pk].actions == ()
    assert state.total == 1
