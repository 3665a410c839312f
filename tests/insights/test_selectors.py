"""Access funnels and the public interface (published releases, indicator values)."""

from __future__ import annotations

import pytest
from django.http import Http404

from followthrough.core.roles import Role
from followthrough.insights import selectors, services
from followthrough.insights.permissions import can_use_insights

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ANALYST, True),
        (Role.ADMIN, True),
        (Role.MEMBER, False),
        (Role.SCRUTINY_OFFICER, False),
        (Role.FRONTDOOR_PRACTITIONER, False),
        (Role.LICENSING_OFFICER, False),
    ],
)
def test_only_analysts_and_admins_use_insights(user_factory, role, allowed):
    assert can_use_insights(user_factory(role)) is allowed


def test_missing_and_forbidden_releases_both_look_not_found(user_factory, insights_db):
    with pytest.raises(Http404):
        selectors.release_get_for_user(user=user_factory(Role.ANALYST), release_id=999)
    with pytest.raises(Http404):
        selectors.release_list_for_user(user=user_factory(Role.MEMBER))


def test_published_releases_and_indicator_values(user_factory, insights_db, offences_csv):
    analyst = user_factory(Role.ANALYST)
    assert selectors.indicator_values() == []
    services.offence_import(actor=analyst, path=offences_csv, filename="offences.csv")
    release = services.release_publish(actor=analyst, title="All years", mode="round")
    assert list(selectors.published_release_list()) == [release]
    assert selectors.release_get_published(release_id=release.pk).title == "All years"
    values = {v.name: v for v in selectors.indicator_values()}
    assert values["offences_recorded"].value == 1200  # 1,200 rounded to 5 is itself
    known = values["share_suspects_known_to_victim"].value
    assert known is not None and 0.5 < known < 0.8
    children = values["share_suspects_children"].value
    assert children is not None and children > 0.5
