from datetime import date, timedelta

import pytest

from followthrough.tracker.rules import (
    ActionFacts,
    Actor,
    Confidence,
    OwnerConfidence,
    Status,
    TransitionError,
    action_confidence,
    allowed_transitions,
    check_transition,
    headline,
    recommendation_confidence,
    recommendation_status,
)

AS_AT = date(2016, 11, 24)


def facts(**overrides):
    base = dict(
        status=Status.IN_PROGRESS,
        target_date=date(2017, 3, 31),
        last_update_on=date(2016, 10, 1),
        owner_confidence=OwnerConfidence.ON_TRACK,
        start_date=date(2016, 5, 16),
    )
    return ActionFacts(**{**base, **overrides})


def confidence(**overrides):
    return action_confidence(facts(**overrides), as_at=AS_AT, update_interval_days=92)


def test_workflow_owner_moves_action_forward_only_one_step_at_a_time():
    check_transition(Status.NOT_STARTED, Status.IN_PROGRESS, actor=Actor.OWNER)
    check_transition(Status.IN_PROGRESS, Status.READY_FOR_ASSESSMENT, actor=Actor.OWNER)
    with pytest.raises(TransitionError, match="cannot go from not started to ready"):
        check_transition(Status.NOT_STARTED, Status.READY_FOR_ASSESSMENT, actor=Actor.OWNER)


def test_workflow_only_assessor_completes_and_only_from_ready():
    with pytest.raises(TransitionError, match="Only an independent assessor"):
        check_transition(Status.READY_FOR_ASSESSMENT, Status.COMPLETE, actor=Actor.OWNER)
    with pytest.raises(TransitionError, match="Only an independent assessor"):
        check_transition(Status.IN_PROGRESS, Status.COMPLETE, actor=Actor.ASSESSOR)
    check_transition(Status.READY_FOR_ASSESSMENT, Status.COMPLETE, actor=Actor.ASSESSOR)


def test_workflow_return_and_close_need_reasons():
    with pytest.raises(TransitionError, match="Give a reason"):
        check_transition(Status.READY_FOR_ASSESSMENT, Status.IN_PROGRESS, actor=Actor.ASSESSOR)
    with pytest.raises(TransitionError, match="Give a reason"):
        check_transition(
            Status.IN_PROGRESS, Status.CLOSED_NOT_IMPLEMENTED, actor=Actor.OFFICER, reason=" "
        )
    check_transition(
        Status.IN_PROGRESS, Status.CLOSED_NOT_IMPLEMENTED, actor=Actor.OFFICER, reason="Superseded"
    )


def test_workflow_terminal_states_never_change():
    for terminal in (Status.COMPLETE, Status.CLOSED_NOT_IMPLEMENTED):
        for actor in Actor:
            assert allowed_transitions(terminal, actor) == []
        with pytest.raises(TransitionError, match="can no longer change"):
            check_transition(terminal, Status.IN_PROGRESS, actor=Actor.OWNER)


def test_confidence_overdue_from_the_day_after_the_target_date():
    assert confidence(target_date=AS_AT) == Confidence.AT_RISK
    assert confidence(target_date=AS_AT - timedelta(days=1)) == Confidence.OVERDUE
    assert (
        confidence(status=Status.READY_FOR_ASSESSMENT, target_date=AS_AT - timedelta(days=1))
        == Confidence.OVERDUE
    )


def test_confidence_at_risk_within_thirty_days_unless_ready_for_assessment():
    assert confidence(target_date=AS_AT + timedelta(days=30)) == Confidence.AT_RISK
    assert confidence(target_date=AS_AT + timedelta(days=31)) == Confidence.ON_TRACK
    assert (
        confidence(status=Status.READY_FOR_ASSESSMENT, target_date=AS_AT + timedelta(days=5))
        == Confidence.ON_TRACK
    )


def test_confidence_owner_saying_at_risk_is_at_risk():
    assert confidence(owner_confidence=OwnerConfidence.AT_RISK) == Confidence.AT_RISK


def test_confidence_no_update_after_the_review_interval():
    assert confidence(last_update_on=AS_AT - timedelta(days=92)) == Confidence.ON_TRACK
    assert confidence(last_update_on=AS_AT - timedelta(days=93)) == Confidence.NO_UPDATE
    # With no update at all the clock runs from the start date.
    assert (
        confidence(last_update_on=None, start_date=AS_AT - timedelta(days=93))
        == Confidence.NO_UPDATE
    )


def test_confidence_complete_and_closed_are_final_whatever_the_dates():
    assert confidence(status=Status.COMPLETE, target_date=date(2000, 1, 1)) == Confidence.COMPLETE
    assert (
        confidence(status=Status.CLOSED_NOT_IMPLEMENTED, target_date=date(2000, 1, 1))
        == Confidence.CLOSED_NOT_IMPLEMENTED
    )


def test_recommendation_takes_its_worst_open_action():
    assert (
        recommendation_confidence([Confidence.COMPLETE, Confidence.AT_RISK]) == Confidence.AT_RISK
    )
    assert (
        recommendation_confidence([Confidence.NO_UPDATE, Confidence.OVERDUE]) == Confidence.OVERDUE
    )
    assert (
        recommendation_confidence([Confidence.COMPLETE, Confidence.COMPLETE]) == Confidence.COMPLETE
    )
    assert (
        recommendation_confidence([Confidence.COMPLETE, Confidence.CLOSED_NOT_IMPLEMENTED])
        == Confidence.CLOSED_NOT_IMPLEMENTED
    )


def test_recommendation_status_rolls_up():
    assert recommendation_status([Status.COMPLETE, Status.COMPLETE]) == Status.COMPLETE
    assert recommendation_status([Status.COMPLETE, Status.NOT_STARTED]) == Status.IN_PROGRESS
    assert recommendation_status([Status.NOT_STARTED, Status.NOT_STARTED]) == Status.NOT_STARTED
    assert (
        recommendation_status([Status.READY_FOR_ASSESSMENT, Status.COMPLETE])
        == Status.READY_FOR_ASSESSMENT
    )


def test_headline_reads_like_the_committee_paper():
    counts = {Confidence.COMPLETE: 17, Confidence.ON_TRACK: 21}
    assert (
        headline(counts, 38) == "38 recommendations: 17 complete, 21 on track, 0 at risk, 0 overdue"
    )
    counts = {Confidence.COMPLETE: 1, Confidence.NO_UPDATE: 1}
    assert (
        headline(counts, 2)
        == "2 recommendations: 1 complete, 0 on track, 0 at risk, 0 overdue, 1 no update"
    )
