"""Disclosure control: pure tests, no database (the module has no Django import)."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followthrough.insights.disclosure import (
    TOTAL,
    AttackerModel,
    FrequencyTable,
    Mode,
    ProtectedCell,
    ProtectedRelease,
    ProtectedTable,
    Rule,
    Settings,
    Status,
    TableShape,
    audit_release,
    percent_label,
    protect,
    round_to_5,
    share,
)
from followthrough.insights.disclosure.protect import primary_rule

# Modest by default for a fast suite; HYPOTHESIS_EXAMPLES=500 for a deeper search.
FAST = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def shape_of(rows: int, cols: int, name: str = "t") -> TableShape:
    return TableShape(
        name=name,
        dimensions=("row", "col"),
        categories=(tuple(f"r{i}" for i in range(rows)), tuple(f"c{j}" for j in range(cols))),
    )


@st.composite
def tables(draw, max_rows: int = 4, max_cols: int = 4, max_value: int = 40) -> FrequencyTable:
    rows = draw(st.integers(1, max_rows))
    cols = draw(st.integers(2, max_cols))
    values = draw(
        st.lists(
            st.one_of(st.integers(0, 12), st.integers(0, max_value)),
            min_size=rows * cols,
            max_size=rows * cols,
        )
    )
    return FrequencyTable(shape_of(rows, cols), np.array(values).reshape(rows, cols))


def hand_release(table: FrequencyTable, suppressed: set[tuple[int, int]]) -> ProtectedRelease:
    """A release of `table` with exactly the given interior cells suppressed (no rules)."""
    cells = {}
    for key in table.shape.cell_keys():
        n = table.value(key)
        index = tuple(
            None if label == TOTAL else cats.index(label)
            for label, cats in zip(key, table.shape.categories, strict=True)
        )
        if index in suppressed:
            cells[key] = ProtectedCell(key, Status.SUPPRESSED, None, Rule.PRIMARY, 0, None)
        else:
            cells[key] = ProtectedCell(key, Status.PUBLISHED, n, Rule.NONE, n, n)
    return ProtectedRelease(Mode.SUPPRESS, 10, 5, (ProtectedTable(table.shape, cells),))


# --- primary rule and the two modes ---------------------------------------------------------


def test_threshold_below_five_is_refused():
    with pytest.raises(ValueError):
        Settings(threshold=4)


@pytest.mark.parametrize(("n", "rounded"), [(10, 10), (12, 10), (13, 15), (17, 15), (18, 20)])
def test_round_to_5_is_conventional(n, rounded):
    assert round_to_5(n) == rounded


@FAST
@given(tables(), st.sampled_from([Mode.SUPPRESS, Mode.ROUND]), st.integers(5, 12))
def test_no_published_value_between_one_and_threshold_minus_one(table, mode, threshold):
    release = protect([table], mode=mode, settings=Settings(threshold=threshold))
    truth = table.values()
    for key, cell in release.tables[0].cells.items():
        if cell.suppressed:
            assert cell.value is None
            continue
        assert truth[key] >= threshold, "a true count under the threshold was shown"
        if mode == Mode.ROUND:
            assert cell.value % 5 == 0
            assert abs(cell.value - truth[key]) <= 2
        else:
            assert cell.value == truth[key]


@FAST
@given(tables(), st.sampled_from([Mode.SUPPRESS, Mode.ROUND]))
def test_every_suppressed_cell_passes_the_audit_and_ranges_are_sound(table, mode):
    release = protect([table], mode=mode)
    assert release.audited
    check = audit_release(release, truth={table.name: table})
    assert check.passed, [str(f) for f in check.findings]
    truth = table.values()
    for key, cell in release.tables[0].cells.items():
        if cell.suppressed:
            width = check.ranges[(table.name, key)].width
            assert width >= (release.p if cell.rule != Rule.SECONDARY else 1)
            # Soundness: the true value lies inside the stored audit range.
            assert cell.lo is not None and cell.lo <= truth[key]
            assert cell.hi is None or truth[key] <= cell.hi


@FAST
@given(tables(max_rows=3, max_cols=3, max_value=20), st.integers(5, 15))
def test_raising_the_threshold_never_shrinks_the_primary_set(table, threshold):
    low = Settings(threshold=threshold)
    high = Settings(threshold=threshold + 3)
    for n in table.values().values():
        if primary_rule(n, low) != Rule.NONE:
            assert primary_rule(n, high) != Rule.NONE


@FAST
@given(tables(max_rows=3, max_cols=3))
def test_protection_is_deterministic(table):
    first = protect([table], mode="suppress").as_contract()
    second = protect([table], mode="suppress").as_contract()
    assert first == second


def test_zeros_are_treated_as_potentially_disclosive():
    table = FrequencyTable(shape_of(2, 2), np.array([[0, 40], [30, 50]]))
    release = protect([table], mode="suppress")
    assert release.tables[0].cell("r0", "c0").suppressed
    assert release.tables[0].cell("r0", "c0").rule == Rule.ZERO


def test_a_line_with_all_its_mass_in_one_category_is_flagged_and_protected():
    table = FrequencyTable(shape_of(2, 3), np.array([[0, 0, 60], [25, 30, 40]]))
    release = protect([table], mode="round")
    assert any("r0" in flag for flag in release.flags)
    cell = release.tables[0].cell("r0", "c2")
    assert cell.suppressed and cell.rule == Rule.DOMINANCE
    # Nothing in the published row says everyone in r0 is in c2.
    check = audit_release(release, truth={"t": table})
    assert check.passed


def test_round_mode_rounds_totals_independently_and_says_so():
    table = FrequencyTable(shape_of(1, 3), np.array([[12, 12, 12]]))
    release = protect([table], mode="round")
    shown = release.tables[0]
    assert [shown.cell("r0", c).value for c in ("c0", "c1", "c2")] == [10, 10, 10]
    assert shown.cell("r0", TOTAL).value == 35  # 36 rounded on its own, not 10 + 10 + 10
    assert any("may not add up" in note for note in release.footnotes)


# --- the audit ---------------------------------------------------------------------------------


def test_the_4x5_trap_is_caught_and_then_fixed():
    """Every line with a suppression has at least two, yet (0, 2) is exactly derivable."""
    counts = np.array(
        [[14, 20, 2, 30, 18], [5, 9, 27, 8, 26], [12, 15, 8, 25, 21], [12, 17, 16, 3, 1]]
    )
    pattern = {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)}
    table = FrequencyTable(shape_of(4, 5), counts)
    release = hand_release(table, pattern)
    for i in range(4):  # the trap: no row or column has a lone suppression
        assert sum((i, j) in pattern for j in range(5)) in (0, 2, 3)
    result = audit_release(release)
    exact = [f for f in result.findings if f.problem == "exact"]
    assert ("r0", "c2") in [f.key for f in exact]
    assert result.ranges[("t", ("r0", "c2"))].lo == result.ranges[("t", ("r0", "c2"))].hi == 2

    protected = protect([table], mode="suppress")
    assert audit_release(protected, truth={"t": table}).passed


def brute_force_ranges(table: FrequencyTable, pattern: set[tuple[int, int]]):
    """Enumerate every integer table consistent with what is published (grand total shown)."""
    rows, cols = table.counts.shape
    grand = int(table.counts.sum())
    hidden = sorted(pattern)
    published = hand_release(table, pattern).tables[0]
    found: dict = {}
    for guess in itertools.product(range(grand + 1), repeat=len(hidden)):
        candidate = table.counts.copy()
        for (i, j), v in zip(hidden, guess, strict=True):
            candidate[i, j] = v
        trial = FrequencyTable(table.shape, candidate)
        if all(
            cell.suppressed or trial.value(key) == cell.value
            for key, cell in published.cells.items()
        ):
            for key, cell in published.cells.items():
                if cell.suppressed:
                    v = trial.value(key)
                    lo, hi = found.get(key, (v, v))
                    found[key] = (min(lo, v), max(hi, v))
    return found


@settings(max_examples=30, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda rows: st.tuples(
            st.just(rows),
            st.lists(st.integers(0, 3), min_size=rows * 2, max_size=rows * 2),
            st.sets(st.tuples(st.integers(0, rows - 1), st.integers(0, 1)), max_size=3),
        )
    )
)
def test_audit_ranges_agree_with_brute_force_on_tiny_tables(args):
    rows, values, pattern = args
    table = FrequencyTable(shape_of(rows, 2), np.array(values).reshape(rows, 2))
    release = hand_release(table, pattern)
    model = AttackerModel([release])
    expected = brute_force_ranges(table, pattern)
    for key, (lo, hi) in expected.items():
        target = model.cell_vars(release, "t", key)
        exact = model.interval(target)
        assert (exact.lo, exact.hi) == (lo, hi)
        relaxed = model.interval(target, integer=False)
        assert relaxed.lo <= exact.lo and (relaxed.hi is None or relaxed.hi >= exact.hi)


def test_category_order_does_not_change_the_audit_verdict():
    counts = np.array([[14, 3, 22], [4, 19, 25], [30, 2, 11]])
    table = FrequencyTable(shape_of(3, 3), counts)
    flipped_shape = TableShape("t", ("row", "col"), (("r2", "r1", "r0"), ("c2", "c1", "c0")))
    flipped = FrequencyTable(flipped_shape, counts[::-1, ::-1])
    pattern = {(0, 1), (1, 0), (2, 1)}
    mirrored = {(2 - i, 2 - j) for i, j in pattern}
    a = audit_release(hand_release(table, pattern))
    b = audit_release(hand_release(flipped, mirrored))
    assert sorted(str(f.key) for f in a.findings) == sorted(str(f.key) for f in b.findings)


def test_insider_who_knows_their_own_count_cannot_pin_a_neighbour():
    # All four interior cells hidden, margins shown: wide ranges for an outsider, but the
    # victim in the cell of 2 knows it is 2, and with the margins that pins every other cell.
    counts = np.array([[2, 30], [40, 20]])
    table = FrequencyTable(shape_of(2, 2), counts)
    release = hand_release(table, {(0, 0), (0, 1), (1, 0), (1, 1)})
    result = audit_release(release, truth={"t": table})
    assert any(f.problem == "insider" for f in result.findings)
    protected = protect([table], mode="suppress")
    assert audit_release(protected, truth={"t": table}).passed


def test_linked_tables_share_the_population_total():
    sex = FrequencyTable(TableShape("sex", ("sex",), (("F", "M", "X"),)), np.array([80, 17, 3]))
    age = FrequencyTable(TableShape("age", ("age",), (("child", "adult"),)), np.array([60, 40]))
    release = protect([sex, age], mode="suppress")
    assert release.table("sex").grand_total().value == release.table("age").grand_total().value
    assert audit_release(release, truth={"sex": sex, "age": age}).passed


# --- earlier releases: differencing over time ---------------------------------------------------


def one_way(values: list[int]) -> FrequencyTable:
    return FrequencyTable(
        TableShape("outcome", ("outcome",), (("charged", "no action", "other"),)),
        np.array(values),
    )


def test_a_later_release_cannot_be_differenced_against_an_earlier_one():
    quarter_1 = one_way([20, 30, 25])
    quarter_2_only = one_way([3, 25, 22])  # 3 charges in the new quarter alone
    first = protect([quarter_1], mode="suppress", segments=frozenset({1}))
    cumulative = FrequencyTable(quarter_1.shape, quarter_1.counts + quarter_2_only.counts)

    naive = protect([cumulative], mode="suppress", segments=frozenset({1, 2}))
    differenced = audit_release(
        naive, [first], segment_truth={1: {"outcome": quarter_1}, 2: {"outcome": quarter_2_only}}
    )
    assert any(f.problem == "differencing" for f in differenced.findings)

    safe = protect(
        [cumulative],
        mode="suppress",
        earlier=[first],
        segments=frozenset({1, 2}),
        segment_truth={1: [quarter_1], 2: [quarter_2_only]},
    )
    check = audit_release(
        safe, [first], segment_truth={1: {"outcome": quarter_1}, 2: {"outcome": quarter_2_only}}
    )
    assert check.passed
    assert safe.table("outcome").cell("charged").suppressed


def test_quarter_after_quarter_with_the_earlier_log_passes():
    q1 = one_way([40, 35, 30])
    q2 = one_way([38, 41, 27])
    first = protect([q1], mode="round", segments=frozenset({1}))
    second = protect([q2], mode="round", earlier=[first], segments=frozenset({2}))
    assert audit_release(second, [first], truth={"outcome": q2}).passed


# --- derived figures ------------------------------------------------------------------------------


def test_percentages_come_only_from_protected_values():
    table = FrequencyTable(shape_of(1, 3), np.array([[12, 3, 40]]))
    release = protect([table], mode="round")
    shown = release.tables[0]
    total = shown.cell("r0", TOTAL)
    assert share(shown.cell("r0", "c0"), total) == 10 / 55  # rounded 12 -> 10, 55 -> 55
    assert share(shown.cell("r0", "c1"), total) is None
    assert percent_label(shown.cell("r0", "c1"), total) == "[c]"
