"""The update services imports use: recommendation_update and action_update_details."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followthrough.core.models import AuditEvent
from followthrough.tracker import services
from followthrough.tracker.models import Action, Recommendation, Theme

from .factories import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_recommendation_update_changes_wording_lead_and_themes_with_an_audit_record(world):
    theme = Theme.objects.create(name="Schools", slug="schools")
    services.recommendation_update(
        actor=world.officer,
        recommendation=world.recommendation,
        title="Working together",
        text=" Partners should share one plan. ",
        lead_organisation=world.council,
        themes=[theme],
        reason="Updated by import of plan.csv",
    )
    recommendation = Recommendation.objects.get(pk=world.recommendation.pk)
    assert (recommendation.title, recommendation.text, recommendation.lead_organisation) == (
        "Working together",
        "Partners should share one plan.",
        world.council,
    )
    assert list(recommendation.themes.all()) == [theme]
    event = AuditEvent.objects.filter(verb="recommendation.update").get()
    assert event.before["text"] == "Partners should work together."
    assert event.after["lead"] == world.council.pk
    assert event.reason == "Updated by import of plan.csv"


def test_recommendation_update_that_changes_nothing_writes_nothing(world):
    before = AuditEvent.objects.count()
    services.recommendation_update(
        actor=world.officer,
        recommendation=world.recommendation,
        title="Shared recommendation",
        text="Partners should work together.",
        lead_organisation=world.police,
        themes=[],
    )
    assert AuditEvent.objects.count() == before


def test_recommendation_update_can_clear_the_lead_but_not_the_text(world):
    services.recommendation_update(
        actor=world.officer, recommendation=world.recommendation, lead_organisation=None
    )
    assert Recommendation.objects.get(pk=world.recommendation.pk).lead_organisation is None
    with pytest.raises(ValidationError, match="Enter the recommendation's text"):
        services.recommendation_update(
            actor=world.officer, recommendation=world.recommendation, text="  "
        )


def test_update_services_refuse_anyone_but_officers(world):
    with pytest.raises(PermissionDenied):
        services.recommendation_update(
            actor=world.police_lead, recommendation=world.recommendation, title="Mine"
        )
    with pytest.raises(PermissionDenied):
        services.action_update_details(
            actor=world.police_lead, action=world.police_action, description="Mine"
        )


def test_action_update_details_moves_the_action_to_a_new_owner_and_bumps_its_version(world):
    action = world.police_action
    version = action.version
    services.action_update_details(
        actor=world.officer,
        action=action,
        description="Police and council part",
        owner=world.council,
        success_measure="All staff trained",
        reason="Updated by import of plan.csv",
    )
    stored = Action.objects.get(pk=action.pk)
    assert (stored.description, stored.owner, stored.success_measure) == (
        "Police and council part",
        world.council,
        "All staff trained",
    )
    assert stored.version == version + 1
    assert stored.target_date == date(2024, 12, 31)  # not this service's business
    event = AuditEvent.objects.filter(verb="action.details").get()
    assert event.before == {
        "description": "Police part",
        "owner": world.police.pk,
        "success_measure": "",
    }


def test_action_update_details_that_changes_nothing_writes_nothing(world):
    before = AuditEvent.objects.count()
    services.action_update_details(
        actor=world.officer,
        action=world.police_action,
        description="Police part",
        owner=world.police,
    )
    assert AuditEvent.objects.count() == before
    assert Action.objects.get(pk=world.police_action.pk).version == world.police_action.version


def test_create_many_writes_what_the_single_services_write(world):
    theme = Theme.objects.create(name="Schools", slug="schools")
    two, three = services.recommendation_create_many(
        actor=world.officer,
        review=world.review,
        items=[
            services.NewRecommendation(
                number=" 2 ",
                text="Train staff. ",
                title="Training",
                lead_organisation=world.council,
                themes=(theme,),
            ),
            services.NewRecommendation(number="3", text="Publish data."),
        ],
    )
    assert (two.number, two.text, two.position, three.position) == ("2", "Train staff.", 2, 3)
    assert list(two.partners.all()) == [world.council] and list(two.themes.all()) == [theme]
    first, second = services.action_create_many(
        actor=world.officer,
        items=[
            services.NewAction(
                two, world.police, "Run a course", date(2024, 1, 8), date(2024, 6, 30)
            ),
            services.NewAction(
                world.recommendation,
                world.council,
                "More",
                date(2024, 1, 8),
                date(2024, 6, 30),
                reference="1.9",
            ),
        ],
    )
    assert (first.reference, first.position, first.baseline_target_date, first.status) == (
        "2.1",
        1,
        date(2024, 6, 30),
        "not_started",
    )
    assert (second.reference, second.position) == ("1.9", 3)  # after the two it had
    assert set(two.partners.all()) == {world.council, world.police}
    events = AuditEvent.objects.filter(
        verb__in=["recommendation.create", "action.create"]
    ).order_by("-id")[:4]
    assert sorted(e.summary for e in events) == [
        "test-review action 1.9",
        "test-review action 2.1",
        "test-review recommendation 2",
        "test-review recommendation 3",
    ]


def test_create_many_refuses_the_whole_batch_naming_each_bad_item(world):
    with pytest.raises(services.BatchRefused) as refused:
        services.recommendation_create_many(
            actor=world.officer,
            review=world.review,
            items=[
                services.NewRecommendation(number="1", text="Taken."),
                services.NewRecommendation(number="5", text="Fine."),
                services.NewRecommendation(number="6", text=" "),
            ],
        )
    assert sorted(refused.value.errors) == [0, 2]
    assert refused.value.errors[0].message_dict == {
        "number": ["Recommendation 1 is already in this review"]
    }
    assert "text" in refused.value.errors[2].message_dict
    with pytest.raises(services.BatchRefused) as refused:
        services.action_create_many(
            actor=world.officer,
            items=[
                services.NewAction(
                    world.recommendation, world.police, "Late", date(2024, 6, 1), date(2024, 1, 1)
                )
            ],
        )
    assert refused.value.errors[0].message_dict == {
        "target_date": ["The target date must be on or after the start date"]
    }
    assert Recommendation.objects.count() == 1 and Action.objects.count() == 2


def test_create_many_refuses_anyone_but_officers(world):
    with pytest.raises(PermissionDenied):
        services.recommendation_create_many(actor=world.police_lead, review=world.review, items=[])
    with pytest.raises(PermissionDenied):
        services.action_create_many(actor=world.member, items=[])
