"""A small published review (and a draft one) built through the tracker's real services, with
a restricted-detail marker that must never reach anything public."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from followthrough.core.models import Organisation
from followthrough.core.roles import Role
from followthrough.tracker import services
from followthrough.tracker.models import Theme

RESTRICTED_MARKER = "RESTRICTED-MARKER-7f3a9c"
EVIDENCE_MARKER = "EVIDENCE-MARKER-2b81"
DRAFT_MARKER = "DRAFT-REVIEW-MARKER-c41d"


def build_reviews(user_factory: Any, organisation_factory: Any) -> SimpleNamespace:
    council = organisation_factory("Example Council", Organisation.Kind.COUNCIL)
    police = organisation_factory("Example Police", Organisation.Kind.POLICE)
    officer = user_factory(Role.SCRUTINY_OFFICER, organisations=[council], username="officer")
    police_lead = user_factory(Role.PARTNER_LEAD, organisations=[police], username="police.lead")
    council_lead = user_factory(Role.PARTNER_LEAD, organisations=[council], username="council.lead")
    assessor = user_factory(Role.ASSESSOR, username="assessor")
    taxis = Theme.objects.create(name="Taxi licensing", slug="taxi-licensing")
    schools = Theme.objects.create(name="Work with schools", slug="work-with-schools")

    review = services.review_create(
        actor=officer,
        slug="published-review",
        title="Exploitation scrutiny review",
        made_by="Children's Scrutiny Committee",
        agreed_on=date(2020, 1, 6),
        update_interval_days=92,
    )
    services.review_set_visibility(actor=officer, review=review, visibility="published")
    rec1 = services.recommendation_create(
        actor=officer,
        review=review,
        number="1",
        title="Safeguarding conditions for taxi drivers",
        text="Add safeguarding conditions to every taxi driver licence.",
        lead_organisation=police,
        themes=[taxis],
        baseline_target_date=date(2020, 6, 30),
    )
    action1 = services.action_create(
        actor=officer,
        recommendation=rec1,
        owner=police,
        description="Police check every licence holder.",
        start_date=date(2020, 1, 6),
        target_date=date(2020, 6, 30),
    )
    services.update_submit(
        actor=police_lead,
        action=action1,
        effective_date=date(2020, 2, 3),
        public_summary="Checks have started on the first 200 drivers.",
        restricted_detail=f"{RESTRICTED_MARKER} named driver under investigation",
        owner_confidence="on_track",
        status_to="in_progress",
        evidence=[
            services.EvidenceInput(
                description=EVIDENCE_MARKER, url="https://example.org/evidence-marker-2b81"
            )
        ],
    )
    action1.refresh_from_db()
    services.action_change_target_date(
        actor=officer,
        action=action1,
        new_date=date(2020, 9, 30),
        reason="The licensing database was replaced in the spring.",
        effective_date=date(2020, 3, 2),
    )
    action1.refresh_from_db()
    services.update_submit(
        actor=police_lead,
        action=action1,
        effective_date=date(2020, 4, 6),
        public_summary="Every licence holder has now been checked.",
        restricted_detail=f"{RESTRICTED_MARKER} second note",
        owner_confidence="on_track",
        status_to="ready_for_assessment",
    )
    action1.refresh_from_db()
    services.action_assess(
        actor=assessor,
        action=action1,
        decision="signed_off",
        rationale="The panel saw the completed check log and agrees it is done.",
        decided_on=date(2020, 5, 4),
    )
    rec2 = services.recommendation_create(
        actor=officer,
        review=review,
        number="2",
        title="Talks in every secondary school",
        text="Give every secondary school pupil a talk on exploitation.",
        lead_organisation=council,
        themes=[schools],
        baseline_target_date=date(2020, 12, 31),
    )
    action2 = services.action_create(
        actor=officer,
        recommendation=rec2,
        owner=council,
        description="Schools team books the talks.",
        start_date=date(2020, 1, 6),
        target_date=date(2020, 12, 31),
    )

    draft = services.review_create(
        actor=officer,
        slug="draft-review",
        title=f"Unpublished review {DRAFT_MARKER}",
        made_by="Children's Scrutiny Committee",
        agreed_on=date(2021, 1, 4),
    )
    draft_rec = services.recommendation_create(
        actor=officer,
        review=draft,
        number="1",
        text=f"Draft recommendation {DRAFT_MARKER}",
        lead_organisation=council,
    )
    draft_action = services.action_create(
        actor=officer,
        recommendation=draft_rec,
        owner=council,
        description=f"Draft action {DRAFT_MARKER}",
        start_date=date(2021, 1, 4),
        target_date=date(2021, 6, 30),
    )
    return SimpleNamespace(
        council=council,
        police=police,
        officer=officer,
        police_lead=police_lead,
        council_lead=council_lead,
        assessor=assessor,
        review=review,
        rec1=rec1,
        rec2=rec2,
        action1=action1,
        action2=action2,
        draft=draft,
        draft_rec=draft_rec,
        draft_action=draft_action,
        taxis=taxis,
        schools=schools,
    )
