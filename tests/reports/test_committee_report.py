"""The report's pure logic: timeline, hash, comparisons, the words every format shows."""

from datetime import date

from followthrough.reports.committee_report import (
    changes_summary,
    compare_recommendations,
    content_hash,
    month_ends,
    presentation,
    progress_text_alternative,
)


def _rec(number, confidence, label, actions=()):
    return {
        "number": number,
        "title": f"Title {number}",
        "confidence": confidence,
        "confidence_label": label,
        "actions": list(actions),
    }


def _action(reference, status, target, update_on=None):
    return {
        "reference": reference,
        "status": status,
        "status_label": status.replace("_", " ").capitalize(),
        "target": target,
        "latest_update": {"on": update_on, "summary": "x"} if update_on else None,
        "verdict": None,
    }


def test_month_ends_run_from_the_agreed_month_to_the_as_at_date():
    assert month_ends(date(2016, 5, 16), date(2016, 11, 24)) == [
        date(2016, 5, 31),
        date(2016, 6, 30),
        date(2016, 7, 31),
        date(2016, 8, 31),
        date(2016, 9, 30),
        date(2016, 10, 31),
        date(2016, 11, 24),
    ]
    # An as-at date that is itself a month end is not repeated; December rolls into January.
    assert month_ends(date(2016, 12, 1), date(2017, 1, 31)) == [
        date(2016, 12, 31),
        date(2017, 1, 31),
    ]


def test_month_ends_keep_only_the_latest_two_years():
    points = month_ends(date(2010, 1, 1), date(2016, 11, 24))
    assert len(points) == 24
    assert points[-1] == date(2016, 11, 24)


def test_content_hash_ignores_key_order_but_not_values():
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 2})


def test_compare_recommendations_lists_only_what_changed():
    before = [
        _rec(
            "1", "on_track", "On track", [_action("1.1", "in_progress", "2017-03-31", "2016-10-01")]
        ),
        _rec("2", "on_track", "On track", [_action("2.1", "in_progress", "2017-03-31")]),
        _rec("3", "on_track", "On track"),
    ]
    after = [
        _rec("1", "complete", "Complete", [_action("1.1", "complete", "2017-03-31", "2017-01-20")]),
        _rec("2", "on_track", "On track", [_action("2.1", "in_progress", "2017-09-30")]),
        _rec("4", "on_track", "On track"),
    ]
    differences = {d.number: d for d in compare_recommendations(before, after)}
    assert set(differences) == {"1", "2", "3", "4"}
    assert differences["1"].changes[0] == "Status: On track → Complete"
    assert "Action 1.1: new update dated 20 January 2017" in differences["1"].changes
    assert differences["2"].changes == ["Action 2.1 target date: 31 March 2017 → 30 September 2017"]
    assert not differences["2"].status_changed
    assert differences["3"].changes == ["Not in the later report"]
    assert differences["4"].changes == ["New since the earlier report"]


def test_changes_summary_counts_completions():
    differences = compare_recommendations(
        [_rec("1", "on_track", "On track"), _rec("2", "on_track", "On track")],
        [_rec("1", "complete", "Complete"), _rec("2", "at_risk", "At risk")],
    )
    assert (
        changes_summary(differences, "the interim meeting on 24 November 2016")
        == "2 recommendations have changed status since the interim meeting on "
        "24 November 2016, 1 of them now complete."
    )
    assert changes_summary([], "then") == "No recommendation has changed status since then."


def test_progress_text_alternative_says_how_each_status_moved():
    text = progress_text_alternative(
        [
            {"on": "2016-05-31", "counts": {"complete": 0, "on_track": 38}},
            {"on": "2016-11-24", "counts": {"complete": 17, "on_track": 21}},
        ]
    )
    assert "from 31 May 2016 to 24 November 2016" in text
    assert "complete rose from 0 to 17" in text
    assert "on track fell from 38 to 21" in text
    assert "at risk stayed at 0" in text


def test_presentation_marks_a_tabled_report_and_a_draft_differently():
    data = {
        "review": {"title": "T", "illustrative": False},
        "committee": "Scrutiny Committee",
        "meeting": None,
        "as_at": "2016-11-24",
        "generated_on": "2026-01-05",
        "headline": "1 recommendation: 1 complete, 0 on track, 0 at risk, 0 overdue",
        "total": 1,
        "counts": [{"key": "complete", "label": "Complete", "count": 1}],
        "partners": [],
        "progress": [{"on": "2016-11-24", "counts": {"complete": 1}}],
        "changes": {"since": "then", "summary": "s", "rows": []},
        "slippage": [],
        "no_update": {"from": "2016-09-01", "to": "2016-11-14", "owners": []},
        "recommendations": [],
    }
    tabled = presentation(data, {"frozen_at": "2016-11-20", "reference": "abc123def456"})
    assert tabled.standing.startswith("Tabled report, frozen on 20 November 2016")
    assert "abc123def456" in tabled.standing
    draft = presentation(data, None)
    assert draft.standing.startswith("Draft worked out from the record on 5 January 2026")
    assert draft.no_update_intro == (
        "Every owner of an open action sent a progress update between 1 September 2016 and "
        "14 November 2016."
    )
    assert draft.slippage.empty == "No target date had moved as at 24 November 2016."
