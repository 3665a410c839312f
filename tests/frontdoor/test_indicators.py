"""Only aggregate figures go to the tracker: counts and % decided within one working day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from followthrough.frontdoor import indicators, services
from followthrough.tracker.models import IndicatorValue, Recommendation, Review

from .conftest import CHILD_NAME

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def recommendation(db):
    review = Review.objects.create(
        slug="cse-scrutiny-review",
        title="CSE review",
        made_by="Committee",
        agreed_on=date(2016, 5, 16),
    )
    return Recommendation.objects.create(
        review=review,
        number="16",
        position=16,
        title="How to report a concern",
        text="Make it clear",
    )


def contact_decided_after(contact_factory, practitioner, received: datetime, hours: float):
    contact = contact_factory(received_at=received)
    with time_machine.travel(received + timedelta(hours=hours), tick=False):
        services.decision_record(
            actor=practitioner, contact=contact, outcome="early_help", rationale="Reasons"
        )
    return contact


@pytest.fixture
def november(contact_factory, practitioner):
    """Four contacts in November 2026: two decided in time, one late, one still waiting."""
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
    contact_decided_after(contact_factory, practitioner, monday, 3)
    contact_decided_after(contact_factory, practitioner, monday + timedelta(days=1), 24)
    contact_decided_after(contact_factory, practitioner, monday + timedelta(days=2), 30)  # late
    contact_factory(received_at=monday + timedelta(days=3))  # due Friday 6th, never decided
    contact_factory(received_at=datetime(2026, 9, 1, 10, 0, tzinfo=LONDON))  # outside the period


def test_figures_count_contacts_and_the_share_decided_within_one_working_day(november):
    figures = indicators.figures_as_at(date(2026, 11, 20))
    assert (figures.received, figures.decided, figures.due) == (4, 3, 4)
    assert figures.decided_within_one_working_day == 2
    assert figures.percent_within_one_working_day == Decimal("50.0")


def test_a_contact_not_yet_due_does_not_count_against_the_percentage(contact_factory):
    contact_factory(received_at=datetime(2026, 11, 20, 10, 0, tzinfo=LONDON))  # Friday: due Monday
    figures = indicators.figures_as_at(date(2026, 11, 20))
    assert (figures.received, figures.due) == (1, 0)
    assert figures.percent_within_one_working_day is None


def test_figures_are_recorded_on_the_recommendations_indicators(november, recommendation):
    indicators.figures_record(actor="job", recommendation=recommendation, as_at=date(2026, 11, 20))
    indicators.figures_record(actor="job", recommendation=recommendation, as_at=date(2026, 11, 20))
    values = {v.indicator.feed: v for v in IndicatorValue.objects.select_related("indicator")}
    assert values[indicators.FEED_RECEIVED].value == Decimal(4)
    assert values[indicators.FEED_ON_TIME].value == Decimal("50.0")
    assert IndicatorValue.objects.count() == 2  # the second run changed nothing
    for value in values.values():
        text = value.note + value.indicator.name
        assert CHILD_NAME not in text


def test_only_a_manager_may_record_figures(recommendation, practitioner):
    with pytest.raises(PermissionDenied):
        indicators.figures_record(
            actor=practitioner, recommendation=recommendation, as_at=date(2026, 11, 20)
        )


def test_the_command_records_figures_on_a_recommendation(november, recommendation, capsys):
    call_command(
        "frontdoor_figures",
        "--as-at",
        "2026-11-20",
        "--review",
        "cse-scrutiny-review",
        "--recommendation",
        "16",
    )
    out = capsys.readouterr().out
    assert '"percent_within_one_working_day": "50.0"' in out
    assert recommendation.indicators.count() == 2
