"""The draft list the clerk edits: merge, split, exclude, and the checks before confirming."""

from __future__ import annotations

import pytest

from followthrough.documents import drafting
from followthrough.documents.drafting import DraftError, DraftRecommendation


def _draft() -> list[DraftRecommendation]:
    return [
        DraftRecommendation(1, "1", "Training", "Train all staff. Report yearly.", 3, 10, 11),
        DraftRecommendation(2, "2", "", "The council should", 4, 12, 12),
        DraftRecommendation(3, "3", "", "publish its plan.", 4, 13, 13),
    ]


def test_merge_with_next_joins_text_and_keeps_the_first_number_and_source():
    merged = drafting.merge_with_next(_draft(), 2, 3)
    assert [item.number for item in merged] == ["1", "2"]
    assert merged[1].text == "The council should publish its plan."
    assert (merged[1].first_paragraph, merged[1].last_paragraph) == (12, 13)


def test_merge_with_next_refuses_a_pair_that_is_no_longer_adjacent():
    with pytest.raises(DraftError, match="no longer next to each other"):
        drafting.merge_with_next(_draft(), 1, 3)
    with pytest.raises(DraftError):
        drafting.merge_with_next(_draft(), 3, 99)


def test_sentences_offers_sentence_and_clause_boundaries():
    assert drafting.sentences("Do this; and that. Then: report. ") == [
        "Do this;",
        "and that.",
        "Then:",
        "report.",
    ]


def test_split_makes_two_recommendations_with_a_new_key_and_number():
    items = drafting.split(_draft(), 1, before_sentence=1, new_key=4, number="1a", title="Reports")
    assert [(item.key, item.number, item.title, item.text) for item in items[:2]] == [
        (1, "1", "Training", "Train all staff."),
        (4, "1a", "Reports", "Report yearly."),
    ]
    assert items[1].page == 3
    assert [item.key for item in items] == [1, 4, 2, 3]


@pytest.mark.parametrize("where", [0, 2, 5])
def test_split_refuses_a_point_outside_the_text(where):
    with pytest.raises(DraftError, match="Choose where"):
        drafting.split(_draft(), 1, before_sentence=where, new_key=4, number="1a")


def test_next_key_never_reuses_a_key_handed_out_before():
    assert drafting.next_key(_draft()) == 4
    assert drafting.next_key(_draft()[:1], used=3) == 4


def test_edit_and_exclude_change_only_that_recommendation():
    items = drafting.edit(_draft(), 2, number=" 2a ", title="", text=" Changed. ")
    items = drafting.set_included(items, 3, False)
    assert [(i.number, i.text, i.included) for i in items] == [
        ("1", "Train all staff. Report yearly.", True),
        ("2a", "Changed.", True),
        ("3", "publish its plan.", False),
    ]


def test_problems_before_confirm_name_each_recommendation_to_fix():
    items = [
        *_draft(),
        DraftRecommendation(4, "2", "", "Again."),
        DraftRecommendation(5, "", "", "No number."),
        DraftRecommendation(6, "9", "", "Left out.", included=False),
    ]
    problems = drafting.problems_before_confirm(items, existing_numbers={"1"})
    assert [(p.key, p.field) for p in problems] == [(1, "number"), (4, "number"), (5, "number")]
    assert problems[0].message == (
        "Recommendation 1 is already in this review: change its number or exclude it"
    )
    assert "appears twice" in problems[1].message


def test_problems_before_confirm_needs_at_least_one_included():
    items = [drafting.replace(item, included=False) for item in _draft()]
    assert [p.message for p in drafting.problems_before_confirm(items, set())] == [
        "Include at least one recommendation, or discard the draft"
    ]


def test_draft_round_trips_through_json_and_describes_its_source():
    item = _draft()[0]
    assert DraftRecommendation.from_json(item.as_json()) == item
    assert item.source == "Page 3, paragraphs 10 to 11"
    assert DraftRecommendation(9, "9", "", "x").source == "Not found in the text"
