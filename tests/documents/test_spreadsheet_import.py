"""Action-plan import and export against the database: all or nothing, idempotent, round trip."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from followthrough.core.models import AuditEvent
from followthrough.documents import selectors, services
from followthrough.documents.action_plan import COLUMNS, ImportFailed, write_csv, write_xlsx
from followthrough.tracker.models import Action, Recommendation, TargetDateChange

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
PLAN = [
    "1,Specialist posts,Fund a specialist CSE worker,Council,,1.1,Recruit the worker,,,2017-03-31,Post filled",
    "1,,,,,1.2,Train the team,Police,2016-06-01,2017-05-31,",
    '2,,"Make safeguarding training a licence condition, and check it",Telford & Wrekin Council,Taxi licensing; Work with schools,,Change the policy,,,2016-12-31,',
    "3,,Publish victim and perpetrator profiles,west-mercia-police,,,,,,,",
]


def _csv(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(setting, content: bytes, source: str = "plan.csv", **kwargs):
    return services.action_plan_import(
        actor=setting.officer, review=setting.review, source=source, content=content, **kwargs
    )


def _counts() -> tuple[int, int, int, int]:
    return (
        Recommendation.objects.count(),
        Action.objects.count(),
        TargetDateChange.objects.count(),
        AuditEvent.objects.count(),
    )


def test_import_adds_recommendations_and_actions_through_the_tracker(setting):
    progress: list[tuple[int, int]] = []
    plan = _import(setting, _csv(PLAN), progress=lambda done, total: progress.append((done, total)))
    assert plan.describe() == "plan.csv: 3 recommendations added, 3 actions added"
    one, two, three = Recommendation.objects.filter(review=setting.review).order_by("position")
    assert (one.number, one.title, one.lead_organisation) == (
        "1",
        "Specialist posts",
        setting.council,
    )
    assert two.text == "Make safeguarding training a licence condition, and check it"
    assert sorted(t.name for t in two.themes.all()) == ["Taxi licensing", "Work with schools"]
    assert three.lead_organisation == setting.police and not three.actions.exists()
    first, second = one.actions.order_by("position")
    assert (first.reference, first.owner, first.start_date, first.target_date) == (
        "1.1",
        setting.council,
        date(2016, 5, 16),
        date(2017, 3, 31),
    )
    assert (second.owner, second.start_date, first.success_measure) == (
        setting.police,
        date(2016, 6, 1),
        "Post filled",
    )
    # The tracker's own audit records, as if typed in.
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("recommendation.create") == 3 and verbs.count("action.create") == 3
    assert progress[0] == (0, 6) and progress[-1] == (6, 6)


def test_importing_the_same_file_again_changes_nothing_and_records_nothing(setting):
    _import(setting, _csv(PLAN))
    before = _counts()
    plan = _import(setting, _csv(PLAN))
    assert plan.changes == []
    assert _counts() == before


def test_a_changed_file_updates_and_records_the_change_in_history(setting):
    _import(setting, _csv(PLAN))
    changed = list(PLAN)
    changed[0] = changed[0].replace(
        "Fund a specialist CSE worker", "Fund two specialist CSE workers"
    )
    changed[0] = changed[0].replace("2017-03-31", "2017-06-30")
    changed[1] = changed[1].replace(",Police,", ",Health,")
    changed.append("4,,A new one,Police,,,Do it,,,2017-01-01,")
    plan = _import(setting, _csv(changed))
    assert plan.describe() == (
        "plan.csv: 1 recommendation added, 1 recommendation changed, 1 action added, "
        "2 actions changed"
    )
    one = Recommendation.objects.get(review=setting.review, number="1")
    assert one.text == "Fund two specialist CSE workers"
    first, second = one.actions.order_by("position")
    assert (first.target_date, first.baseline_target_date) == (date(2017, 6, 30), date(2017, 3, 31))
    revision = TargetDateChange.objects.get(action=first)
    assert (revision.previous_date, revision.new_date, revision.reason, revision.approver) == (
        date(2017, 3, 31),
        date(2017, 6, 30),
        "Updated by import of plan.csv",
        setting.officer,
    )
    assert second.owner == setting.health
    assert (
        AuditEvent.objects.filter(verb="recommendation.update", reason__contains="plan.csv").count()
        == 1
    )
    assert AuditEvent.objects.filter(verb="action.details").count() == 1
    # And importing the changed file again is, in its turn, a no-op.
    before = _counts()
    assert _import(setting, _csv(changed)).changes == []
    assert _counts() == before


def test_a_file_with_any_problem_writes_nothing_and_lists_them_all(setting):
    bad = [*PLAN, "5,,Text,Nobody,,,Do it,,,2017-01-01,", "6,,,,,,,,,,"]
    with pytest.raises(ImportFailed) as failed:
        _import(setting, _csv(bad))
    assert [str(p) for p in failed.value.problems] == [
        "plan.csv, row 6, column lead_partner: 'Nobody' is not a partner in Followthrough "
        "(partners: Telford & Wrekin Council, Telford Clinical Commissioning Group, "
        "West Mercia Police)",
        "plan.csv, row 7, column recommendation_text: Enter the text of recommendation 6",
    ]
    assert _counts() == (0, 0, 0, 1)  # only the review's own creation is on record


def test_a_change_the_tracker_refuses_part_way_rolls_back_the_whole_import(setting):
    future = timezone.localdate() + timedelta(days=30)
    _import(
        setting,
        _csv(
            [
                f"1,,Text,Police,,1.1,Not yet begun,,{future:%Y-%m-%d},{future + timedelta(days=90):%Y-%m-%d},"
            ]
        ),
    )
    before = _counts()
    # A new recommendation, then a target date the tracker cannot revise before the action starts.
    with pytest.raises(ImportFailed) as failed:
        _import(
            setting,
            _csv(
                [
                    "0,,Added first,Police,,,,,,,",
                    f"1,,Text,Police,,1.1,Not yet begun,,,{future + timedelta(days=120):%Y-%m-%d},",
                ]
            ),
        )
    (problem,) = failed.value.problems
    assert str(problem).startswith("plan.csv, row 3, column target_date: ")
    assert _counts() == before
    assert not Recommendation.objects.filter(number="0").exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(setting, file_format):
    _import(setting, _csv(PLAN))
    # Make the review richer than the file that built it: a revised target date, a closure.
    action = Action.objects.get(reference="1.1")
    from followthrough.tracker import services as tracker_services

    tracker_services.action_change_target_date(
        actor=setting.officer, action=action, new_date=date(2017, 9, 30), reason="Slipped"
    )
    rows = selectors.action_plan_rows(setting.review)
    content = write_csv(rows) if file_format == "csv" else write_xlsx(rows)
    before = _counts()
    plan = _import(setting, content, source=f"export.{file_format}")
    assert plan.changes == [] and (plan.recommendations, plan.actions) == (3, 3)
    assert _counts() == before


def test_demo_review_round_trips_through_its_own_export(setting):
    from followthrough.demo import tracker_demo

    review, _ = tracker_demo.load()
    rows = selectors.action_plan_rows(review)
    before = _counts()
    plan = services.action_plan_import(
        actor=setting.admin, review=review, source="demo.xlsx", content=write_xlsx(rows)
    )
    assert plan.changes == [] and plan.recommendations == 38
    assert _counts() == before


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run() -> Callable[..., Outcome]:
    """Run a command as `followthrough ARGS` would, keeping the test database open.

    (The console script closes every connection when it finishes, which would drop the
    in-memory test database; Django prints a CommandError as "CommandError: message".)
    """

    def invoke(*args: str | Path) -> Outcome:
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            call_command(*[str(arg) for arg in args], stdout=stdout, stderr=stderr)
        except CommandError as error:
            stderr.write(f"CommandError: {error}\n")
            return Outcome(error.returncode, stdout.getvalue(), stderr.getvalue())
        return Outcome(0, stdout.getvalue(), stderr.getvalue())

    return invoke


def test_import_action_plan_command_shows_progress_and_is_idempotent(setting, run, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(_csv(PLAN))
    first = run("import_action_plan", "cse-review", path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "plan.csv: 3 recommendations added, 3 actions added"
    assert "Importing [" in first.stderr and "6/6 changes (100%)" in first.stderr
    assert AuditEvent.objects.filter(verb="recommendation.create", actor=setting.admin).count() == 3
    again = run("import_action_plan", "cse-review", path, "--user", "officer")
    assert again.returncode == 0
    assert "nothing to change" in again.stdout


def test_import_action_plan_dry_run_lists_changes_and_writes_nothing(setting, run, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(_csv(PLAN))
    result = run("import_action_plan", "cse-review", path, "--dry-run")
    assert result.returncode == 0
    assert "row 2: Add recommendation 1" in result.stdout
    assert "Dry run, nothing written" in result.stdout
    assert Recommendation.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.csv", b"", "plan.csv: The file is empty (nothing was imported)"),
        ("plan.pdf", b"%PDF-1.4", "plan.pdf: The file must be a .csv or .xlsx file"),
        ("plan.xlsx", b"\x00\xff" * 500, "binary data"),
    ],
)
def test_import_action_plan_gives_one_line_and_exit_2_on_a_bad_file(
    setting, run, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("import_action_plan", "cse-review", path)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_import_action_plan_lists_every_problem_then_exits_2(setting, run, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(_csv([",,x,,,,,,,,", "2,,,,,,,,,,"]))
    result = run("import_action_plan", "cse-review", path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "plan.csv, row 2, column recommendation_number: Enter the recommendation number",
        "plan.csv, row 3, column recommendation_text: Enter the text of recommendation 2",
        "CommandError: 2 problems in plan.csv: nothing was imported",
    ]


def test_import_action_plan_refuses_unknown_review_file_and_user(setting, run, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(_csv(PLAN))
    assert (
        "no-such-review: no such review" in run("import_action_plan", "no-such-review", path).stderr
    )
    assert (
        "no such file" in run("import_action_plan", "cse-review", tmp_path / "missing.csv").stderr
    )
    result = run("import_action_plan", "cse-review", path, "--user", "police.lead")
    assert result.returncode == 2
    assert "police.lead: not an active scrutiny officer or administrator" in result.stderr


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_action_plan_command_writes_a_file_that_imports_unchanged(
    setting, run, tmp_path, file_format
):
    _import(setting, _csv(PLAN))
    output = tmp_path / f"out.{file_format}"
    result = run("export_action_plan", "cse-review", "--format", file_format, "--output", output)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{output}: 3 recommendations, 3 actions"
    again = run("import_action_plan", "cse-review", output)
    assert "nothing to change" in again.stdout
