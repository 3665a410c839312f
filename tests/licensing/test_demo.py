"""The licensing demo: a few hundred drivers whose figures climb through the demo year."""

from __future__ import annotations

from datetime import date

import pytest

from followthrough.core.models import AuditEvent, Organisation
from followthrough.core.roles import Role
from followthrough.licensing import selectors
from followthrough.licensing.compliance import State
from followthrough.licensing.demo import INDICATORS, build_register, load_demo
from followthrough.licensing.models import Licensee, NR3SEntry
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import IndicatorValue, Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_review(user_factory):
    """Just enough of the tracker demo: its review, the recommendations the figures go on."""
    user_factory(Role.LICENSING_OFFICER, username="licensing.officer")
    clerk = user_factory(Role.SCRUTINY_OFFICER)
    lead = Organisation.objects.create(
        name="Licensing", slug="licensing", kind=Organisation.Kind.LICENSING
    )
    review = tracker_services.review_create(
        actor=clerk,
        slug="cse-scrutiny-review",
        title="CSE review",
        made_by="Committee",
        agreed_on=date(2016, 5, 16),
    )
    for number in INDICATORS:
        tracker_services.recommendation_create(
            actor=clerk, review=review, number=number, text="Illustrative.", lead_organisation=lead
        )
    return review


def value(number: str, feed: str, on: date):
    recommendation = Recommendation.objects.get(review__slug="cse-scrutiny-review", number=number)
    return IndicatorValue.objects.get(
        indicator__recommendation=recommendation, indicator__feed=feed, on=on
    ).value


def test_the_past_does_not_depend_on_the_day_the_demo_is_loaded():
    early, late = build_register(), build_register()
    assert [d.training for d in early[:50]] == [d.training for d in late[:50]]
    assert 280 <= sum(1 for d in early if d.licences[0][0] <= date(2016, 5, 16)) <= 320


def test_demo_figures_climb_through_the_year_and_reload_changes_nothing(demo_review):
    result = load_demo(today=date(2017, 6, 30))
    assert result.created
    assert 300 <= result.drivers <= 400
    assert result.indicators == 13

    interim, end_of_year = date(2016, 11, 30), date(2017, 5, 31)
    start = date(2016, 5, 31)
    training = [
        value("7", "licensing.drivers_training_pct", d) for d in (start, interim, end_of_year)
    ]
    assert training[0] < 25 < training[1] < training[2]
    assert training[2] > 70
    dbs = [value("6", "licensing.drivers_dbs_pct", d) for d in (start, interim, end_of_year)]
    assert dbs[0] < dbs[1] < dbs[2]
    conditions = [
        value("5", "licensing.drivers_conditions_pct", d) for d in (start, interim, end_of_year)
    ]
    assert conditions[0] < conditions[1] < conditions[2]
    assert value("7", "licensing.sessions.taxi_drivers", date(2016, 12, 31)) == 6
    assert value("33", "licensing.trained.hotel_staff", date(2016, 12, 31)) > 0

    summary = selectors.register_as_at(date(2017, 5, 25))
    assert summary.count(State.NON_COMPLIANT) > 0  # some drivers still fall short
    assert NR3SEntry.objects.count() == 3  # a refusal, a suspension and a revocation

    audit = AuditEvent.objects.count()
    again = load_demo(today=date(2017, 6, 30))
    assert not again.created
    assert Licensee.objects.count() == result.drivers
    assert AuditEvent.objects.count() == audit


def test_demo_needs_the_tracker_demo_first(db):
    with pytest.raises(RuntimeError, match="Load the tracker demo first"):
        load_demo()
