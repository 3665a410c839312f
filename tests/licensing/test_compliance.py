"""Compliance rules at their boundaries: the day before, on, and after each due date.

Pure tests, no database (compliance.py has no Django import).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from followthrough.licensing.compliance import (
    Certificate,
    CompliancePolicy,
    DriverRecord,
    LicencePeriod,
    LicenceStatus,
    LicenceType,
    Quarter,
    Rule,
    State,
    StatusCheck,
    StatusCheckResult,
    TrainingRecord,
    add_months,
    appeal_deadline,
    assess_driver,
    assess_register,
    grant_blockers,
    licence_expiry,
    month_ends,
    nr3s_keep_until,
    self_report_on_time,
    training_valid_until,
)

ISSUED = date(2016, 6, 1)
EXPIRES = date(2019, 5, 31)
POLICY = CompliancePolicy()
DAY = timedelta(days=1)


def licence(
    issued: date = ISSUED,
    expires: date = EXPIRES,
    statuses: tuple[tuple[date, LicenceStatus], ...] | None = None,
    licence_id: int = 1,
    licence_type: LicenceType = LicenceType.PRIVATE_HIRE,
) -> LicencePeriod:
    return LicencePeriod(
        licence_id=licence_id,
        number="PH001",
        licence_type=licence_type,
        issued_on=issued,
        expires_on=expires,
        statuses=statuses or ((issued, LicenceStatus.ACTIVE),),
    )


def cert(issued: date = date(2016, 5, 1), **kw: bool) -> Certificate:
    values = {"enhanced": True, "children_barred_list": True, "adults_barred_list": True, **kw}
    return Certificate(issued_on=issued, **values)


def driver(**kw) -> DriverRecord:
    values = {
        "licensee_id": 1,
        "reference": "D0001",
        "name": "Driver 0001",
        "licences": (licence(),),
        "certificates": (cert(),),
        "status_checks": (),
        "training": (TrainingRecord("CSE awareness", date(2016, 5, 20), None),),
        **kw,
    }
    return DriverRecord(**values)


def finding(record: DriverRecord, on: date, rule: Rule, policy: CompliancePolicy = POLICY):
    result = assess_driver(record, on, policy)
    assert result is not None
    return next(f for f in result.findings if f.rule is rule)


# ---------------------------------------------------------------------------------------------
# Licence expiry


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (EXPIRES - timedelta(days=31), State.COMPLIANT),
        (EXPIRES - timedelta(days=30), State.AT_RISK),
        (EXPIRES - DAY, State.AT_RISK),
        (EXPIRES, State.AT_RISK),
        (EXPIRES + DAY, State.NON_COMPLIANT),
    ],
)
def test_licence_expiry_boundaries(on, state):
    assert finding(driver(), on, Rule.LICENCE).state is state


def test_licence_expired_reason_names_the_last_day():
    result = finding(driver(), EXPIRES + DAY, Rule.LICENCE)
    assert result.message == "Licence expired: it ran until 31 May 2019"


def test_licence_expiry_is_three_years_less_a_day_for_drivers_and_five_for_operators():
    assert licence_expiry(ISSUED, POLICY.driver_licence_months) == EXPIRES
    assert licence_expiry(ISSUED, POLICY.operator_licence_months) == date(2021, 5, 31)


def test_driver_with_a_renewal_is_judged_on_the_new_licence():
    renewed = licence(issued=date(2019, 5, 20), expires=date(2022, 5, 19), licence_id=2)
    record = driver(
        licences=(licence(), renewed),
        certificates=(cert(), cert(date(2019, 5, 1))),
        training=(TrainingRecord("CSE awareness", date(2016, 5, 20), None),),
    )
    result = assess_driver(record, EXPIRES + DAY)
    assert result is not None
    assert result.licence.licence_id == 2
    assert result.state is State.COMPLIANT


def test_suspended_driver_stays_on_the_register_and_revoked_driver_leaves_it():
    suspended = licence(
        statuses=((ISSUED, LicenceStatus.ACTIVE), (date(2017, 1, 1), LicenceStatus.SUSPENDED))
    )
    revoked = licence(
        statuses=((ISSUED, LicenceStatus.ACTIVE), (date(2017, 1, 1), LicenceStatus.REVOKED))
    )
    on = date(2017, 2, 1)
    assert assess_driver(driver(licences=(suspended,)), on) is not None
    assert assess_driver(driver(licences=(revoked,)), on) is None
    # As at a date before the revocation, the driver was still licensed.
    assert assess_driver(driver(licences=(revoked,)), date(2016, 12, 31)) is not None


def test_licence_closed_as_expired_takes_the_driver_off_the_register():
    closed = licence(
        statuses=(
            (ISSUED, LicenceStatus.ACTIVE),
            (EXPIRES + timedelta(days=60), LicenceStatus.EXPIRED),
        )
    )
    record = driver(licences=(closed,))
    assert assess_driver(record, EXPIRES + timedelta(days=59)).state is State.NON_COMPLIANT
    assert assess_driver(record, EXPIRES + timedelta(days=60)) is None


def test_operator_licence_alone_is_not_a_driver_on_the_register():
    record = driver(licences=(licence(licence_type=LicenceType.OPERATOR),))
    assert assess_driver(record, date(2017, 1, 1)) is None


def test_before_the_licence_was_issued_the_driver_is_not_on_the_register():
    assert assess_driver(driver(), ISSUED - DAY) is None
    assert assess_driver(driver(), ISSUED) is not None


# ---------------------------------------------------------------------------------------------
# Enhanced DBS with both barred lists at grant or renewal


@pytest.mark.parametrize(
    ("issued", "state"),
    [
        (date(2016, 2, 29), State.NON_COMPLIANT),  # a day more than 3 months before grant
        (date(2016, 3, 1), State.COMPLIANT),  # exactly 3 months before
        (date(2016, 3, 2), State.COMPLIANT),
        (ISSUED, State.COMPLIANT),
    ],
)
def test_dbs_at_grant_window_boundaries(issued, state):
    record = driver(certificates=(cert(issued),))
    assert finding(record, date(2016, 7, 1), Rule.DBS_AT_GRANT).state is state


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (date(2016, 6, 30), State.NON_COMPLIANT),  # the day before the certificate arrived
        (date(2016, 7, 1), State.COMPLIANT),  # the day it arrived
        (date(2016, 7, 2), State.COMPLIANT),
    ],
)
def test_dbs_certificate_arriving_after_grant_counts_from_its_issue_date(on, state):
    record = driver(certificates=(cert(date(2016, 7, 1)),))
    assert finding(record, on, Rule.DBS_AT_GRANT).state is state


@pytest.mark.parametrize(
    "kw",
    [{"enhanced": False}, {"children_barred_list": False}, {"adults_barred_list": False}],
)
def test_dbs_without_enhanced_level_or_both_barred_lists_is_non_compliant(kw):
    record = driver(certificates=(cert(**kw),))
    result = finding(record, date(2016, 7, 1), Rule.DBS_AT_GRANT)
    assert result.state is State.NON_COMPLIANT
    assert "both barred lists" in result.message


def test_renewal_needs_a_new_certificate_not_the_one_from_the_first_grant():
    renewed = licence(issued=date(2019, 5, 20), expires=date(2022, 5, 19), licence_id=2)
    record = driver(licences=(licence(), renewed))
    assert finding(record, date(2019, 6, 1), Rule.DBS_AT_GRANT).state is State.NON_COMPLIANT


# ---------------------------------------------------------------------------------------------
# DBS Update Service status checks every 6 months


CHECKED = date(2016, 11, 1)
STATUS_DUE = date(2017, 5, 1)


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (STATUS_DUE - timedelta(days=31), State.COMPLIANT),
        (STATUS_DUE - timedelta(days=30), State.AT_RISK),
        (STATUS_DUE - DAY, State.AT_RISK),
        (STATUS_DUE, State.AT_RISK),
        (STATUS_DUE + DAY, State.NON_COMPLIANT),
    ],
)
def test_status_check_due_six_months_after_the_last_check(on, state):
    record = driver(status_checks=(StatusCheck(CHECKED, StatusCheckResult.NO_CHANGE),))
    assert finding(record, on, Rule.DBS_STATUS_CHECK).state is state


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (date(2016, 10, 31), State.AT_RISK),
        (date(2016, 11, 1), State.AT_RISK),
        (date(2016, 11, 2), State.NON_COMPLIANT),
    ],
)
def test_status_check_clock_starts_from_the_certificate_when_never_checked(on, state):
    assert finding(driver(), on, Rule.DBS_STATUS_CHECK).state is state


def test_overdue_status_check_gives_the_due_date_as_the_reason():
    result = finding(driver(), date(2016, 11, 2), Rule.DBS_STATUS_CHECK)
    assert result.message == "DBS status check overdue: it was due by 1 November 2016"


def test_status_check_interval_is_configurable():
    policy = CompliancePolicy(status_check_months=12)
    record = driver(status_checks=(StatusCheck(CHECKED, StatusCheckResult.NO_CHANGE),))
    assert finding(record, STATUS_DUE + DAY, Rule.DBS_STATUS_CHECK, policy).state is State.COMPLIANT
    assert (
        finding(record, date(2017, 11, 2), Rule.DBS_STATUS_CHECK, policy).state
        is State.NON_COMPLIANT
    )


def test_status_check_finding_new_information_needs_a_new_certificate():
    record = driver(status_checks=(StatusCheck(CHECKED, StatusCheckResult.NEW_INFORMATION),))
    result = finding(record, CHECKED, Rule.DBS_STATUS_CHECK)
    assert result.state is State.NON_COMPLIANT
    assert "new enhanced certificate is needed" in result.message
    # The day before the check, nobody knew.
    assert finding(record, CHECKED - DAY, Rule.DBS_STATUS_CHECK).state is not State.NON_COMPLIANT
    # A new certificate puts it right.
    fixed = driver(
        certificates=(cert(), cert(date(2016, 11, 20))),
        status_checks=(StatusCheck(CHECKED, StatusCheckResult.NEW_INFORMATION),),
    )
    assert finding(fixed, date(2016, 11, 20), Rule.DBS_STATUS_CHECK).state is State.COMPLIANT


def test_lapsed_update_service_subscription_is_non_compliant():
    record = driver(status_checks=(StatusCheck(CHECKED, StatusCheckResult.NOT_SUBSCRIBED),))
    result = finding(record, CHECKED + DAY, Rule.DBS_STATUS_CHECK)
    assert result.state is State.NON_COMPLIANT
    assert "Not subscribed" in result.message


def test_a_status_check_recorded_after_the_as_at_date_is_ignored():
    record = driver(status_checks=(StatusCheck(date(2016, 12, 1), StatusCheckResult.NO_CHANGE),))
    assert finding(record, date(2016, 11, 2), Rule.DBS_STATUS_CHECK).state is State.NON_COMPLIANT
    assert finding(record, date(2016, 12, 1), Rule.DBS_STATUS_CHECK).state is State.COMPLIANT


# ---------------------------------------------------------------------------------------------
# Safeguarding (CSE) awareness training


COMPLETED = date(2016, 6, 1)
VALID_UNTIL = date(2017, 5, 31)


def trained(completed: date = COMPLETED, months: int | None = 12) -> DriverRecord:
    return driver(
        training=(
            TrainingRecord("CSE awareness", completed, training_valid_until(completed, months)),
        ),
        status_checks=(StatusCheck(date(2017, 4, 1), StatusCheckResult.NO_CHANGE),),
    )


def test_training_validity_runs_to_the_day_before_the_anniversary():
    assert training_valid_until(COMPLETED, 12) == VALID_UNTIL
    assert training_valid_until(COMPLETED, None) is None


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (VALID_UNTIL - timedelta(days=31), State.COMPLIANT),
        (VALID_UNTIL - timedelta(days=30), State.AT_RISK),
        (VALID_UNTIL - DAY, State.AT_RISK),
        (VALID_UNTIL, State.AT_RISK),
        (VALID_UNTIL + DAY, State.NON_COMPLIANT),
    ],
)
def test_training_validity_boundaries(on, state):
    assert finding(trained(), on, Rule.TRAINING).state is state


def test_expired_training_reason_says_until_when_it_was_valid():
    result = finding(trained(), VALID_UNTIL + DAY, Rule.TRAINING)
    assert result.message == (
        "Safeguarding (CSE) awareness training expired: it was valid until 31 May 2017"
    )


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (date(2016, 6, 30), State.NON_COMPLIANT),
        (date(2016, 7, 1), State.COMPLIANT),
        (date(2016, 7, 2), State.COMPLIANT),
    ],
)
def test_training_counts_from_the_day_it_was_completed(on, state):
    record = trained(completed=date(2016, 7, 1), months=None)
    assert finding(record, on, Rule.TRAINING).state is state


def test_no_training_is_non_compliant_with_a_reason():
    record = driver(training=())
    result = assess_driver(record, date(2016, 7, 1))
    assert result.state is State.NON_COMPLIANT
    assert [r.message for r in result.reasons] == [
        "No safeguarding (CSE) awareness training on record"
    ]
    assert result.training_current is False


def test_training_condition_can_be_switched_off_locally():
    record = driver(training=())
    result = assess_driver(record, date(2016, 7, 1), CompliancePolicy(training_required=False))
    assert result.state is State.COMPLIANT
    assert all(f.rule is not Rule.TRAINING for f in result.findings)


# ---------------------------------------------------------------------------------------------
# The whole picture


def test_worst_finding_decides_the_state_and_reasons_come_worst_first():
    on = STATUS_DUE - DAY  # status check at risk (clock from the certificate: 1 Nov 2016 … )
    record = driver(
        training=(),
        status_checks=(StatusCheck(CHECKED, StatusCheckResult.NO_CHANGE),),
    )
    result = assess_driver(record, on)
    assert result.state is State.NON_COMPLIANT
    assert [f.state for f in result.reasons] == [State.NON_COMPLIANT, State.AT_RISK]
    assert result.next_due_on == STATUS_DUE


def test_grant_blockers_name_missing_dbs_and_training():
    record = driver(certificates=(), training=())
    blockers = grant_blockers(record, date(2016, 7, 1), POLICY)
    assert len(blockers) == 2
    assert "enhanced DBS certificate" in blockers[0]
    assert "training" in blockers[1]
    assert (
        grant_blockers(record, date(2016, 7, 1), CompliancePolicy(training_required=False))[0:1]
        == blockers[0:1]
    )
    assert (
        grant_blockers(driver(certificates=(cert(date(2016, 6, 1)),)), date(2016, 7, 1), POLICY)
        == []
    )


def test_register_percentages_count_only_drivers_whose_licence_is_in_force():
    ok = driver(
        licensee_id=1, status_checks=(StatusCheck(date(2016, 11, 1), StatusCheckResult.NO_CHANGE),)
    )
    untrained = driver(licensee_id=2, training=(), status_checks=ok.status_checks)
    lapsed = driver(
        licensee_id=3, licences=(licence(issued=date(2013, 6, 1), expires=date(2016, 5, 31)),)
    )
    summary = assess_register([ok, untrained, lapsed], date(2016, 12, 1))
    assert len(summary.drivers) == 3
    assert len(summary.licensed) == 2
    assert summary.training_percent == Decimal("50.00")
    assert summary.dbs_percent == Decimal("100.00")
    assert summary.conditions_percent == Decimal("50.00")
    assert summary.counts == {State.COMPLIANT: 1, State.AT_RISK: 0, State.NON_COMPLIANT: 2}


# ---------------------------------------------------------------------------------------------
# Other statutory clocks


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(date(2016, 8, 31), 6) == date(2017, 2, 28)
    assert add_months(date(2015, 8, 31), 6) == date(2016, 2, 29)
    assert add_months(date(2016, 1, 15), -3) == date(2015, 10, 15)


def test_appeal_deadline_is_21_days_after_notice():
    assert appeal_deadline(date(2016, 11, 24)) == date(2016, 12, 15)


def test_nr3s_entry_is_kept_for_the_11_years_beginning_with_the_day_it_is_made():
    assert nr3s_keep_until(date(2024, 1, 1)) == date(2034, 12, 31)


@pytest.mark.parametrize(
    ("hours", "minutes", "on_time"),
    [(47, 59, True), (48, 0, True), (48, 1, False)],
)
def test_self_report_is_on_time_within_48_hours(hours, minutes, on_time):
    event = datetime(2017, 3, 1, 22, 30, tzinfo=ZoneInfo("Europe/London"))
    assert self_report_on_time(event, event + timedelta(hours=hours, minutes=minutes)) is on_time


def test_financial_quarters_run_from_april():
    assert Quarter.of(date(2016, 5, 16)).label == "Q1 2016/17"
    assert Quarter.of(date(2017, 3, 31)) == Quarter(2016, 4)
    assert Quarter(2016, 3).starts_on == date(2016, 10, 1)
    assert Quarter(2016, 3).ends_on == date(2016, 12, 31)
    assert Quarter(2016, 4).starts_on == date(2017, 1, 1)
    assert Quarter(2016, 4).ends_on == date(2017, 3, 31)


def test_month_ends_cover_every_month_in_the_range():
    ends = month_ends(date(2016, 5, 16), date(2017, 5, 25))
    assert ends[0] == date(2016, 5, 31)
    assert ends[-1] == date(2017, 5, 31)
    assert len(ends) == 13


def test_driver_who_renewed_then_left_is_off_the_register_once_the_last_licence_is_closed():
    first = licence()
    renewed = licence(
        issued=date(2019, 6, 1),
        expires=date(2022, 5, 31),
        licence_id=2,
        statuses=(
            (date(2019, 6, 1), LicenceStatus.ACTIVE),
            (date(2022, 7, 15), LicenceStatus.EXPIRED),
        ),
    )
    record = driver(licences=(first, renewed))
    assert assess_driver(record, date(2022, 7, 14)).licence.licence_id == 2
    assert assess_driver(record, date(2022, 7, 15)) is None
