from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followthrough.core.audit import audit_verify
from followthrough.core.models import AuditEvent
from followthrough.tracker import services
from followthrough.tracker.models import Action, Evidence, StatusChange

from .factories import build_world, post_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_update_submit_moves_status_and_records_history(world):
    post_update(world.police_action, world.police_lead, date(2024, 2, 1), status="in_progress")
    action = Action.objects.get(pk=world.police_action.pk)
    assert action.status == "in_progress"
    assert action.last_update_on == date(2024, 2, 1)
    change = StatusChange.objects.get(action=action)
    assert (change.status_from, change.status_to, change.effective_date) == (
        "not_started",
        "in_progress",
        date(2024, 2, 1),
    )


def test_update_submit_refuses_a_partner_acting_on_another_partners_action(world):
    with pytest.raises(PermissionDenied):
        post_update(world.council_action, world.police_lead, date(2024, 2, 1))


def test_update_submit_refuses_illegal_transition_with_clear_message(world):
    with pytest.raises(ValidationError) as error:
        post_update(
            world.police_action, world.police_lead, date(2024, 2, 1), status="ready_for_assessment"
        )
    assert "cannot go from not started to ready for assessment" in str(error.value)
    assert Action.objects.get(pk=world.police_action.pk).status == "not_started"


def test_update_submit_refuses_partner_marking_complete(world):
    post_update(world.police_action, world.police_lead, date(2024, 2, 1), status="in_progress")
    post_update(
        world.police_action, world.police_lead, date(2024, 3, 1), status="ready_for_assessment"
    )
    with pytest.raises(ValidationError, match="Only an independent assessor"):
        post_update(world.police_action, world.police_lead, date(2024, 3, 2), status="complete")


def test_update_submit_refuses_dates_before_the_latest_entry_or_in_the_future(world):
    post_update(world.police_action, world.police_lead, date(2024, 3, 1))
    with pytest.raises(ValidationError, match="on or after 1 March 2024"):
        post_update(world.police_action, world.police_lead, date(2024, 2, 1))
    with pytest.raises(ValidationError, match="today or in the past"):
        post_update(world.police_action, world.police_lead, date(2999, 1, 1))


def test_assessor_signs_off_and_returns_with_reasons(world):
    action = world.police_action
    post_update(action, world.police_lead, date(2024, 2, 1), status="in_progress")
    post_update(action, world.police_lead, date(2024, 3, 1), status="ready_for_assessment")
    action.refresh_from_db()
    with pytest.raises(ValidationError, match="reasons"):
        services.action_assess(
            actor=world.assessor,
            action=action,
            decision="returned",
            rationale="",
            decided_on=date(2024, 3, 5),
        )
    services.action_assess(
        actor=world.assessor,
        action=action,
        decision="returned",
        rationale="No evidence of take-up.",
        decided_on=date(2024, 3, 5),
    )
    action.refresh_from_db()
    assert action.status == "in_progress"
    post_update(action, world.police_lead, date(2024, 3, 20), status="ready_for_assessment")
    action.refresh_from_db()
    assessment = services.action_assess(
        actor=world.assessor,
        action=action,
        decision="signed_off",
        rationale="Evidence seen.",
        decided_on=date(2024, 3, 25),
    )
    action.refresh_from_db()
    assert action.status == "complete"
    assert assessment.claim.effective_date == date(2024, 3, 20)


def test_only_assessors_sign_off(world):
    action = world.police_action
    post_update(action, world.police_lead, date(2024, 2, 1), status="in_progress")
    post_update(action, world.police_lead, date(2024, 3, 1), status="ready_for_assessment")
    action.refresh_from_db()
    for user in (world.officer, world.police_lead, world.member):
        with pytest.raises(PermissionDenied):
            services.action_assess(
                actor=user,
                action=action,
                decision="signed_off",
                rationale="ok",
                decided_on=date(2024, 3, 5),
            )


def test_target_date_change_keeps_baseline_and_needs_reason(world):
    action = world.police_action
    with pytest.raises(ValidationError, match="reason"):
        services.action_change_target_date(
            actor=world.officer, action=action, new_date=date(2025, 6, 30), reason=""
        )
    services.action_change_target_date(
        actor=world.officer,
        action=action,
        new_date=date(2025, 6, 30),
        reason="Recruitment delayed",
        effective_date=date(2024, 6, 1),
    )
    action.refresh_from_db()
    assert action.target_date == date(2025, 6, 30)
    assert action.baseline_target_date == date(2024, 12, 31)
    change = action.target_changes.get()
    assert change.approver == world.officer and change.previous_date == date(2024, 12, 31)


def test_partners_cannot_change_target_dates_or_close(world):
    with pytest.raises(PermissionDenied):
        services.action_change_target_date(
            actor=world.police_lead,
            action=world.police_action,
            new_date=date(2025, 1, 1),
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        services.action_close(actor=world.police_lead, action=world.police_action, reason="x")


def test_close_not_implemented_needs_a_reason_and_is_final(world):
    action = world.police_action
    with pytest.raises(ValidationError, match="reason"):
        services.action_close(
            actor=world.officer, action=action, reason="", effective_date=date(2024, 2, 1)
        )
    services.action_close(
        actor=world.officer, action=action, reason="Superseded", effective_date=date(2024, 2, 1)
    )
    action.refresh_from_db()
    assert action.status == "closed_not_implemented"
    with pytest.raises(PermissionDenied):
        post_update(action, world.police_lead, date(2024, 3, 1))


def test_stale_version_is_refused_and_nothing_is_written(world):
    action = world.police_action
    opened_at = action.version
    post_update(action, world.police_lead, date(2024, 2, 1))  # someone else saves first
    stale = Action.objects.get(pk=action.pk)
    with pytest.raises(services.ConcurrentEditError, match="Someone else changed this action"):
        services.update_submit(
            actor=world.police_lead,
            action=stale,
            effective_date=date(2024, 2, 2),
            public_summary="My late edit",
            owner_confidence="on_track",
            expected_version=opened_at,
        )
    assert not stale.updates.filter(public_summary="My late edit").exists()


def test_evidence_file_type_is_sniffed_not_trusted(world):
    with pytest.raises(ValidationError, match="must be a PDF"):
        post_update(
            world.police_action,
            world.police_lead,
            date(2024, 2, 1),
            evidence=[
                services.EvidenceInput(
                    description="Plan", filename="plan.pdf", content=b"MZ\x90\x00\x03binary"
                )
            ],
        )
    assert not Evidence.objects.exists()
    assert not world.police_action.updates.exists()  # all or nothing
    post_update(
        world.police_action,
        world.police_lead,
        date(2024, 2, 1),
        evidence=[
            services.EvidenceInput(
                description="Plan", filename="plan.txt", content=b"%PDF-1.4 minimal"
            )
        ],
    )
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf"
    assert evidence.original_name == "plan.txt"
    assert evidence.file.name.endswith(".pdf") and "plan" not in evidence.file.name


def test_evidence_size_limit(world, settings):
    settings.FOLLOWTHROUGH = {**settings.FOLLOWTHROUGH, "EVIDENCE_MAX_BYTES": 1024 * 1024}
    with pytest.raises(ValidationError, match="smaller than 1MB"):
        post_update(
            world.police_action,
            world.police_lead,
            date(2024, 2, 1),
            evidence=[
                services.EvidenceInput(
                    description="Big", filename="big.txt", content=b"a" * (1024 * 1024 + 1)
                )
            ],
        )


def test_every_change_is_audited_with_before_and_after(world):
    before_count = AuditEvent.objects.count()
    post_update(world.police_action, world.police_lead, date(2024, 2, 1), status="in_progress")
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before_count + 1
    assert event.verb == "update.submit"
    assert event.actor == world.police_lead
    assert event.before["status"] == "not_started" and event.after["status"] == "in_progress"
    assert audit_verify() is None
