"""The CSE screening tool's scoring rules. Pure: no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followthrough.frontdoor.screening import (
    TOOL_V1,
    Band,
    ScreeningTool,
    final_band,
    score,
)

HIGH = [i.code for i in TOOL_V1.indicators if i.weight == Band.HIGH and not i.disclosure]
MEDIUM = [i.code for i in TOOL_V1.indicators if i.weight == Band.MEDIUM]
LOW = [i.code for i in TOOL_V1.indicators if i.weight == Band.LOW]


def test_a_disclosure_is_automatically_high_risk_whatever_else():
    result = score(TOOL_V1, ["disclosure"], child_age=17)
    assert result.band == Band.HIGH
    assert result.disclosure
    assert "disclosure" in result.reasons[0]


def test_one_high_indicator_is_high_risk_for_a_child_aged_13_or_under():
    result = score(TOOL_V1, [HIGH[0]], child_age=13)
    assert result.band == Band.HIGH
    assert result.young_child_rule_applied


def test_one_high_indicator_is_medium_risk_for_a_child_aged_14():
    result = score(TOOL_V1, [HIGH[0]], child_age=14)
    assert result.band == Band.MEDIUM
    assert not result.young_child_rule_applied


def test_an_unknown_age_says_the_young_child_rule_might_apply():
    result = score(TOOL_V1, [HIGH[0]], child_age=None)
    assert result.band == Band.MEDIUM
    assert any("not known" in reason for reason in result.reasons)


def test_two_high_indicators_are_high_risk_at_any_age():
    assert score(TOOL_V1, HIGH[:2], child_age=16).band == Band.HIGH


def test_one_high_with_two_medium_is_high_risk():
    assert score(TOOL_V1, [HIGH[0], *MEDIUM[:2]], child_age=16).band == Band.HIGH


def test_two_medium_indicators_are_medium_risk():
    assert score(TOOL_V1, MEDIUM[:2], child_age=15).band == Band.MEDIUM


def test_low_indicators_alone_are_low_risk():
    assert score(TOOL_V1, LOW, child_age=12).band == Band.LOW
    assert score(TOOL_V1, [], child_age=12).band == Band.LOW


def test_scores_are_counted_by_domain():
    result = score(TOOL_V1, ["missing_overnight", "missing_repeat", "late_home"], child_age=15)
    missing = next(d for d in result.domains if d.domain == "Going missing")
    assert (missing.high, missing.medium, missing.low) == (1, 1, 1)


def test_an_indicator_from_another_tool_is_refused():
    with pytest.raises(ValueError, match="Not in screening tool 1"):
        score(TOOL_V1, ["made_up"], child_age=15)


def test_a_tool_version_cannot_repeat_an_indicator():
    with pytest.raises(ValueError):
        ScreeningTool(version="bad", indicators=(TOOL_V1.indicators[0], TOOL_V1.indicators[0]))


def test_an_override_needs_a_reason():
    with pytest.raises(ValueError, match="reason"):
        final_band(Band.LOW, Band.HIGH, "  ")
    assert final_band(Band.LOW, Band.HIGH, "Known to police intelligence") == Band.HIGH
    assert final_band(Band.LOW, Band.LOW, "") == Band.LOW
    assert final_band(Band.MEDIUM, None, "") == Band.MEDIUM


@given(
    present=st.sets(st.sampled_from([i.code for i in TOOL_V1.indicators])),
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=17)),
    extra=st.sampled_from([i.code for i in TOOL_V1.indicators]),
)
def test_adding_an_indicator_never_lowers_the_band(present, age, extra):
    order = {Band.LOW: 0, Band.MEDIUM: 1, Band.HIGH: 2}
    before = score(TOOL_V1, present, age).band
    after = score(TOOL_V1, present | {extra}, age).band
    assert order[after] >= order[before]


@given(
    present=st.sets(st.sampled_from([i.code for i in TOOL_V1.indicators])),
    age=st.integers(min_value=0, max_value=16),
)
def test_a_younger_child_is_never_banded_lower(present, age):
    order = {Band.LOW: 0, Band.MEDIUM: 1, Band.HIGH: 2}
    assert order[score(TOOL_V1, present, age).band] >= order[score(TOOL_V1, present, age + 1).band]
