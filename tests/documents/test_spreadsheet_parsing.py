"""Action-plan files read and checked without a database: every problem by file, row, column."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook

from followthrough.documents.action_plan import (
    COLUMNS,
    ExistingAction,
    ExistingRecommendation,
    ImportFailed,
    Lookup,
    parse_action_plan,
    plan_import,
    read_table,
    write_csv,
    write_xlsx,
)

HEADER = ",".join(COLUMNS)
LOOKUP = Lookup.build(
    partners=[
        (
            1,
            ("Telford & Wrekin Council", "Council", "telford-wrekin-council"),
            "Telford & Wrekin Council",
        ),
        (2, ("West Mercia Police", "Police", "west-mercia-police"), "West Mercia Police"),
        (3, ("Telford Licensing", "Council", "telford-licensing"), "Telford Licensing"),
    ],
    themes=[(7, ("Taxi licensing", "taxi-licensing"), "Taxi licensing")],
)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _problems(source: str, content: bytes) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        parse_action_plan(read_table(source, content))
    return [str(problem) for problem in failed.value.problems]


def _plan(content: bytes, existing=None):
    return plan_import(
        parse_action_plan(read_table("plan.csv", content)),
        existing=existing or {},
        lookup=LOOKUP,
        default_start=date(2016, 5, 16),
    )


def test_read_table_reads_csv_with_a_byte_order_mark_and_friendly_headers():
    content = "\ufeffRecommendation number,Recommendation text\n1,Train drivers\n,\n".encode()
    table = read_table("plan.csv", content)
    assert table.columns == ["recommendation_number", "recommendation_text"]
    assert table.rows == [
        (2, {"recommendation_number": "1", "recommendation_text": "Train drivers"})
    ]


def test_read_table_reads_the_first_sheet_of_an_xlsx_with_date_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Recommendation number",
            "Recommendation text",
            "Action description",
            "Action owner",
            "Target date",
        ]
    )
    sheet.append([4, "Train drivers", "Run a course", "Police", date(2017, 3, 31)])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = parse_action_plan(read_table("plan.xlsx", buffer.getvalue()))
    assert [(r.number, r.text) for r in plan.recommendations] == [("4", "Train drivers")]
    assert [(a.reference, a.target_date) for a in plan.recommendations[0].actions] == [
        ("4.1", date(2017, 3, 31))
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.csv", b"", "plan.csv: The file is empty"),
        ("plan.txt", b"a,b\n", "plan.txt: The file must be a .csv or .xlsx file"),
        ("plan.xlsx", _csv("1,x"), "does not match its .xlsx extension"),
        ("plan.csv", b"\x00\x01\x02junk" * 100, "binary data, not a spreadsheet"),
        ("plan.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel .xls"),
        ("plan.xlsx", b"PK\x03\x04 not really a zip", "ZIP archive"),
    ],
)
def test_read_table_refuses_files_that_are_not_spreadsheets_in_one_line(name, content, message):
    with pytest.raises(ImportFailed) as failed:
        read_table(name, content)
    assert len(failed.value.problems) == 1
    assert message in str(failed.value.problems[0])
    assert "\n" not in str(failed.value.problems[0])


def test_read_table_refuses_a_nul_character_past_the_first_8_kb_by_row_and_column():
    # Found by fuzzing (tests/fuzz): SQLite stored it, PostgreSQL refused it with a server error.
    content = _csv(
        "1,,," + "x" * 9000,
        "2,,,Fund the \x00 worker",
        header="recommendation_number,a,b,recommendation_text",
    )
    with pytest.raises(ImportFailed) as failed:
        read_table("plan.csv", content)
    assert [str(p) for p in failed.value.problems] == [
        "plan.csv, row 3, column recommendation_text: Remove the NUL character from this cell"
    ]


def test_parse_names_file_row_and_column_of_every_problem_at_once():
    problems = _problems(
        "plan.csv",
        _csv(
            "1,,Train drivers,Police,,,Deliver training,,,2017-03-31,",
            ",,No number,,,,,,,,",
            "2,,,Police,,,,,,,",
            "3,,Text,Police,,3.1,Do it,,2017-13-01,31/02/2017,",
            "3,,Other text,,,3.1,Again,,,,",
            "4,,Text,,,,Orphan action,,,2017-01-01,",
        ),
    )
    assert problems == [
        "plan.csv, row 3, column recommendation_number: Enter the recommendation number",
        "plan.csv, row 4, column recommendation_text: Enter the text of recommendation 2",
        "plan.csv, row 5, column start_date: Enter a real date as YYYY-MM-DD or DD/MM/YYYY, "
        "not '2017-13-01'",
        "plan.csv, row 5, column target_date: Enter a real date as YYYY-MM-DD or DD/MM/YYYY, "
        "not '31/02/2017'",
        "plan.csv, row 6, column recommendation_text: This differs from row 5 for "
        "recommendation 3: give its details once, or the same on every row",
        "plan.csv, row 6, column action_reference: Action 3.1 of recommendation 3 is already "
        "on row 5",
        "plan.csv, row 6, column target_date: Enter the action's target date",
        "plan.csv, row 7, column action_owner: Enter the partner that owns the action, or a "
        "lead_partner",
    ]


def test_parse_requires_the_key_columns_in_the_header():
    problems = _problems("plan.csv", _csv("1,x", header="number,action_description"))
    assert problems == [
        "plan.csv, row 1, column recommendation_number: Add a column headed recommendation_number",
        "plan.csv, row 1, column recommendation_text: Add a column headed recommendation_text",
        "plan.csv, row 1, column target_date: Add a column headed target_date for the actions",
    ]


def test_parse_groups_rows_by_recommendation_and_numbers_unreferenced_actions():
    plan = parse_action_plan(
        read_table(
            "plan.csv",
            _csv(
                "7,Taxis,Train drivers,Council,Taxi licensing,,Write course,,,2017-01-31,",
                "7,,,,,,Run course,Police,2016-06-01,31/03/2017,90% trained",
                "8,,A recommendation with no actions yet,,,,,,,,",
            ),
        )
    )
    seven, eight = plan.recommendations
    assert [(a.reference, a.owner, a.start_date, a.target_date) for a in seven.actions] == [
        ("7.1", "", None, date(2017, 1, 31)),
        ("7.2", "Police", date(2016, 6, 1), date(2017, 3, 31)),
    ]
    assert seven.actions[1].success_measure == "90% trained"
    assert (eight.number, eight.actions) == ("8", [])


def test_plan_import_lists_additions_resolving_partners_by_any_name():
    plan = _plan(
        _csv(
            "7,Taxis,Train drivers,telford-wrekin-council,Taxi licensing,,Write course,,,2017-01-31,",
            "7,,,,,,Run course,west mercia police,,2017-03-31,",
        )
    )
    assert [(c.kind, c.number, c.reference) for c in plan.changes] == [
        ("add recommendation", "7", ""),
        ("add action", "7", "7.1"),
        ("add action", "7", "7.2"),
    ]
    assert plan.changes[0].values["lead_id"] == 1
    assert plan.changes[0].values["theme_ids"] == frozenset({7})
    assert plan.changes[1].values["owner_id"] == 1  # the lead partner, as the owner was blank
    assert plan.changes[2].values["owner_id"] == 2
    assert plan.changes[2].values["start_date"] == date(2016, 5, 16)  # the review's date


def test_plan_import_names_unknown_and_ambiguous_partners_and_themes():
    with pytest.raises(ImportFailed) as failed:
        _plan(_csv("1,,Text,Council,Nonsense,,Do it,Fire Service,,2017-01-31,"))
    assert [str(p) for p in failed.value.problems] == [
        "plan.csv, row 2, column lead_partner: 'Council' matches more than one partner: "
        "use its full name",
        "plan.csv, row 2, column theme: 'Nonsense' is not a theme (themes: Taxi licensing)",
        "plan.csv, row 2, column action_owner: 'Fire Service' is not a partner in Followthrough "
        "(partners: Telford & Wrekin Council, Telford Licensing, West Mercia Police)",
    ]


def _existing(**action_changes) -> dict[str, ExistingRecommendation]:
    action = ExistingAction(
        id=11,
        reference="1.1",
        description="Do it",
        owner_id=2,
        start_date=date(2016, 5, 16),
        target_date=date(2017, 1, 31),
        success_measure="",
        open=True,
        status_label="In progress",
    )
    action = ExistingAction(**{**action.__dict__, **action_changes})
    return {
        "1": ExistingRecommendation(
            id=5,
            number="1",
            title="",
            text="Text",
            lead_id=2,
            theme_ids=frozenset(),
            actions={"1.1": action},
        )
    }


def test_plan_import_of_what_the_review_holds_changes_nothing():
    plan = _plan(_csv("1,,Text,Police,,1.1,Do it,Police,2016-05-16,2017-01-31,"), _existing())
    assert plan.changes == []
    assert plan.describe() == (
        "plan.csv: nothing to change: the review already matches its 1 recommendation and 1 action"
    )


def test_plan_import_lists_each_changed_field_with_before_and_after():
    plan = _plan(
        _csv(
            "1,New title,Text,Police,,1.1,Do it better,Telford and Wrekin Council,,2017-06-30,Fewer cases"
        ),
        _existing(),
    )
    assert [(c.kind, dict(c.fields)) for c in plan.changes] == [
        ("change recommendation", {"title": ("", "New title")}),
        (
            "change action",
            {
                "description": ("Do it", "Do it better"),
                "owner": ("West Mercia Police", "Telford & Wrekin Council"),
                "success_measure": ("", "Fewer cases"),
                "target_date": ("2017-01-31", "2017-06-30"),
            },
        ),
    ]
    assert plan.describe() == "plan.csv: 1 recommendation changed, 1 action changed"


def test_plan_import_refuses_start_date_changes_and_new_dates_for_finished_actions():
    with pytest.raises(ImportFailed) as failed:
        _plan(
            _csv("1,,Text,Police,,1.1,Do it,Police,2016-06-01,2017-06-30,"),
            _existing(open=False, status_label="Complete"),
        )
    assert [str(p) for p in failed.value.problems] == [
        "plan.csv, row 2, column start_date: Action 1.1 started on 16/05/2016: a start date "
        "cannot be changed by import",
        "plan.csv, row 2, column target_date: Action 1.1 is complete, so its target date "
        "(31/01/2017) cannot change",
    ]


def test_written_csv_and_xlsx_read_back_to_the_same_rows():
    rows = [
        {
            "recommendation_number": "1",
            "recommendation_text": "=SUM(A1) looks like a formula, “quotes” and a\nnew line",
            "lead_partner": "West Mercia Police",
            "action_reference": "1.1",
            "action_description": "Do it",
            "action_owner": "West Mercia Police",
            "start_date": date(2016, 5, 16),
            "target_date": date(2017, 1, 31),
        }
    ]
    for name, content in (("plan.csv", write_csv(rows)), ("plan.xlsx", write_xlsx(rows))):
        plan = parse_action_plan(read_table(name, content))
        (item,) = plan.recommendations
        assert item.text == rows[0]["recommendation_text"], name
        assert item.actions[0].target_date == date(2017, 1, 31), name


def test_written_csv_guards_cells_a_spreadsheet_would_run_and_reads_them_back_unchanged():
    texts = ['=HYPERLINK("http://x")', "+1 review", "-2 posts", "@SUM(A1)", "'quoted' already"]
    rows = [
        {
            "recommendation_number": str(number),
            "recommendation_text": text,
            "lead_partner": "West Mercia Police",
            "action_reference": f"{number}.1",
            "action_description": text,
            "action_owner": "West Mercia Police",
            "start_date": date(2016, 5, 16),
            "target_date": date(2017, 1, 31),
        }
        for number, text in enumerate(texts, start=1)
    ]
    content = write_csv(rows)
    cells = [cell for line in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in line]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "'-2 posts" in cells and "'quoted' already" in cells
    plan = parse_action_plan(read_table("plan.csv", content))
    assert [item.text for item in plan.recommendations] == texts
    assert [item.actions[0].description for item in plan.recommendations] == texts


def test_the_documented_column_mapping_matches_what_the_import_reads():
    from pathlib import Path

    from followthrough.documents.action_plan import COLUMN_GUIDE

    docs = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text()
    for column, needed, description in COLUMN_GUIDE:
        assert f"| `{column}` | {needed} | {description} |" in docs, column
