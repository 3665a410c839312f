"""Driver safeguarding compliance, as at any date. Pure module: no Django.

The rules (see /work/shared/reference/front-door-and-licensing-rules.md, T1, T2, T5, T6):

- Licence: a driver whose licence has run out is non-compliant; at risk when it ends within
  the at-risk window (30 days by default).
- Enhanced DBS at grant or renewal (T1): the licence in force needs an enhanced certificate with
  both barred lists, issued no earlier than `dbs_months_before_grant` months before the licence
  was issued (a certificate that arrived after the grant also counts, once it exists).
- DBS status check (T2): the Update Service must be checked at least every
  `status_check_months` months (6 by default). The clock runs from the later of the latest
  enhanced certificate and the latest "no change" status check after it. A status check that
  found new information, or found no subscription, makes the driver non-compliant until a new
  certificate is recorded.
- Safeguarding (CSE) awareness training (T6, a local condition, switchable): a completed course
  that counts for the condition and is still within its validity period.

Due-date convention, the same for every rule: the due date is the last good day. On it the
driver is still compliant (and at risk); the day after it they are non-compliant. "At risk"
means due within `at_risk_days` days: on `due - at_risk_days` at risk, a day earlier compliant.

Everything is computed from dated records, ignoring any dated after the as-at date, so the same
records give the figure for any past date.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# ---------------------------------------------------------------------------------------------
# Vocabulary


class LicenceType(StrEnum):
    HACKNEY_CARRIAGE = "hackney_carriage"
    PRIVATE_HIRE = "private_hire"
    DUAL = "dual"
    OPERATOR = "operator"

    @property
    def label(self) -> str:
        return LICENCE_TYPE_LABELS[self]

    @property
    def is_driver(self) -> bool:
        return self is not LicenceType.OPERATOR


LICENCE_TYPE_LABELS = {
    LicenceType.HACKNEY_CARRIAGE: "Hackney carriage driver",
    LicenceType.PRIVATE_HIRE: "Private hire driver",
    LicenceType.DUAL: "Dual driver (hackney carriage and private hire)",
    LicenceType.OPERATOR: "Private hire operator",
}
DRIVER_TYPES = frozenset(t for t in LicenceType if t.is_driver)


class LicenceStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    REFUSED = "refused"
    SURRENDERED = "surrendered"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# A licence with one of these statuses is still held (even if suspended).
HELD_STATUSES = frozenset({LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED})


class StatusCheckResult(StrEnum):
    NO_CHANGE = "no_change"
    NEW_INFORMATION = "new_information"
    NOT_SUBSCRIBED = "not_subscribed"

    @property
    def label(self) -> str:
        return STATUS_CHECK_LABELS[self]


STATUS_CHECK_LABELS = {
    StatusCheckResult.NO_CHANGE: "No change: the certificate is still current",
    StatusCheckResult.NEW_INFORMATION: "New information: a new certificate is needed",
    StatusCheckResult.NOT_SUBSCRIBED: "Not subscribed to the Update Service",
}


class State(StrEnum):
    COMPLIANT = "compliant"
    AT_RISK = "at_risk"
    NON_COMPLIANT = "non_compliant"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.COMPLIANT: "Compliant",
    State.AT_RISK: "At risk",
    State.NON_COMPLIANT: "Non-compliant",
}
_SEVERITY = {State.COMPLIANT: 0, State.AT_RISK: 1, State.NON_COMPLIANT: 2}


class Rule(StrEnum):
    LICENCE = "licence"
    DBS_AT_GRANT = "dbs_at_grant"
    DBS_STATUS_CHECK = "dbs_status_check"
    TRAINING = "training"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    Rule.LICENCE: "Licence",
    Rule.DBS_AT_GRANT: "Enhanced DBS at grant or renewal",
    Rule.DBS_STATUS_CHECK: "DBS Update Service status check",
    Rule.TRAINING: "Safeguarding (CSE) awareness training",
}


@dataclass(frozen=True)
class CompliancePolicy:
    """The local policy. Defaults follow the statutory standards (T1, T2) and common practice."""

    status_check_months: int = 6
    training_required: bool = True
    at_risk_days: int = 30
    dbs_months_before_grant: int = 3
    driver_licence_months: int = 36
    operator_licence_months: int = 60


# ---------------------------------------------------------------------------------------------
# Date arithmetic


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def licence_expiry(issued_on: date, months: int) -> date:
    """The last day a licence issued on `issued_on` for `months` months is in force."""
    return add_months(issued_on, months) - timedelta(days=1)


def default_licence_months(licence_type: LicenceType | str, policy: CompliancePolicy) -> int:
    """Driver licences run 3 years and operator licences 5 (Deregulation Act 2015 s.10)."""
    if LicenceType(licence_type) is LicenceType.OPERATOR:
        return policy.operator_licence_months
    return policy.driver_licence_months


APPEAL_DAYS = 21
NR3S_KEEP_YEARS = 11
SELF_REPORT_HOURS = 48


def appeal_deadline(notified_on: date) -> date:
    """The last day to appeal to the magistrates' court: 21 days after notice of the decision."""
    return notified_on + timedelta(days=APPEAL_DAYS)


def nr3s_keep_until(first_made_on: date) -> date:
    """The last day of the 11 years beginning with the day the NR3S entry is first made (s.2)."""
    return add_months(first_made_on, NR3S_KEEP_YEARS * 12) - timedelta(days=1)


def self_report_on_time(event_at: datetime, reported_at: datetime) -> bool:
    """A licensee must report an arrest, charge or conviction within 48 hours of it (T4)."""
    return reported_at - event_at <= timedelta(hours=SELF_REPORT_HOURS)


def training_valid_until(completed_on: date, validity_months: int | None) -> date | None:
    """The last day a course completed on `completed_on` counts; None when it never lapses."""
    if validity_months is None:
        return None
    return add_months(completed_on, validity_months) - timedelta(days=1)


@dataclass(frozen=True, order=True)
class Quarter:
    """A council financial-year quarter: Q1 is April to June."""

    year: int  # the financial year's first calendar year: 2016 for 2016/17
    number: int  # 1..4

    @classmethod
    def of(cls, day: date) -> Quarter:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def starts_on(self) -> date:
        month = 4 + (self.number - 1) * 3
        year = self.year
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def ends_on(self) -> date:
        return add_months(self.starts_on, 3) - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}/{(self.year + 1) % 100:02d}"

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from `first`'s month to `last`'s month."""
    result = []
    current = date(first.year, first.month, 1)
    while current <= last:
        result.append(add_months(current, 1) - timedelta(days=1))
        current = add_months(current, 1)
    return result


def percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Facts in, findings out


@dataclass(frozen=True)
class LicencePeriod:
    licence_id: int
    number: str
    licence_type: LicenceType
    issued_on: date
    expires_on: date
    # (effective date, status) in date order; the first is the status it was issued with.
    statuses: tuple[tuple[date, LicenceStatus], ...]

    def recorded_status_on(self, on: date) -> LicenceStatus | None:
        """The status recorded by decisions as at `on` (None before the licence existed)."""
        if on < self.issued_on:
            return None
        current: LicenceStatus | None = None
        for effective, status in self.statuses:
            if effective <= on:
                current = status
        return current

    def status_on(self, on: date) -> LicenceStatus | None:
        """The status as a person would see it on `on`: a held licence past its end has expired."""
        status = self.recorded_status_on(on)
        if status in HELD_STATUSES and on > self.expires_on:
            return LicenceStatus.EXPIRED
        return status

    def in_force_on(self, on: date) -> bool:
        return self.status_on(on) in HELD_STATUSES


@dataclass(frozen=True)
class Certificate:
    issued_on: date
    enhanced: bool
    children_barred_list: bool
    adults_barred_list: bool

    @property
    def meets_standard(self) -> bool:
        return self.enhanced and self.children_barred_list and self.adults_barred_list


@dataclass(frozen=True)
class StatusCheck:
    checked_on: date
    result: StatusCheckResult


@dataclass(frozen=True)
class TrainingRecord:
    course: str
    completed_on: date
    valid_until: date | None


@dataclass(frozen=True)
class DriverRecord:
    licensee_id: int
    reference: str
    name: str
    licences: tuple[LicencePeriod, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    status_checks: tuple[StatusCheck, ...] = ()
    training: tuple[TrainingRecord, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: Rule
    state: State
    message: str
    due_on: date | None = None


@dataclass(frozen=True)
class DriverCompliance:
    record: DriverRecord
    as_at: date
    licence: LicencePeriod
    findings: tuple[Finding, ...]
    dbs_check_current: bool
    training_current: bool

    @property
    def state(self) -> State:
        return max((f.state for f in self.findings), key=_SEVERITY.__getitem__)

    @property
    def reasons(self) -> list[Finding]:
        """What is wrong or due soon, worst first."""
        found = [f for f in self.findings if f.state is not State.COMPLIANT]
        return sorted(found, key=lambda f: (-_SEVERITY[f.state], f.due_on or date.max))

    @property
    def licence_in_force(self) -> bool:
        return self.licence.in_force_on(self.as_at)

    @property
    def next_due_on(self) -> date | None:
        dues = [f.due_on for f in self.findings if f.due_on is not None]
        return min(dues) if dues else None


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _due_finding(
    rule: Rule, due_on: date, on: date, policy: CompliancePolicy, *, ok: str, soon: str, late: str
) -> Finding:
    if on > due_on:
        return Finding(rule, State.NON_COMPLIANT, late.format(due=_fmt(due_on)), due_on)
    if (due_on - on).days <= policy.at_risk_days:
        return Finding(rule, State.AT_RISK, soon.format(due=_fmt(due_on)), due_on)
    return Finding(rule, State.COMPLIANT, ok.format(due=_fmt(due_on)), due_on)


def current_licence(record: DriverRecord, on: date) -> LicencePeriod | None:
    """The driver licence the register holds for them on `on`.

    That is the held licence (active or suspended as recorded) that runs latest, including one
    that has run out but has not yet been closed as expired: that driver is still on the
    register, and non-compliant.
    """
    # A renewal keeps the number and replaces the period before it: only the latest period of
    # each licence number (issued by `on`) can be held.
    latest: dict[str, LicencePeriod] = {}
    for lic in record.licences:
        if lic.licence_type not in DRIVER_TYPES or lic.issued_on > on:
            continue
        seen = latest.get(lic.number)
        if seen is None or (lic.issued_on, lic.licence_id) > (seen.issued_on, seen.licence_id):
            latest[lic.number] = lic
    held = [lic for lic in latest.values() if lic.recorded_status_on(on) in HELD_STATUSES]
    if not held:
        return None
    return max(held, key=lambda lic: (lic.expires_on, lic.issued_on, lic.licence_id))


def _licence_finding(licence: LicencePeriod, on: date, policy: CompliancePolicy) -> Finding:
    return _due_finding(
        Rule.LICENCE,
        licence.expires_on,
        on,
        policy,
        ok="Licence runs until {due}",
        soon="Licence ends on {due}: renewal due",
        late="Licence expired: it ran until {due}",
    )


def _dbs_at_grant_finding(
    licence: LicencePeriod, certificates: Sequence[Certificate], on: date, policy: CompliancePolicy
) -> Finding:
    earliest = add_months(licence.issued_on, -policy.dbs_months_before_grant)
    for cert in certificates:
        if cert.meets_standard and earliest <= cert.issued_on <= on:
            return Finding(
                Rule.DBS_AT_GRANT,
                State.COMPLIANT,
                f"Enhanced certificate with both barred lists issued {_fmt(cert.issued_on)}",
            )
    return Finding(
        Rule.DBS_AT_GRANT,
        State.NON_COMPLIANT,
        "No enhanced DBS certificate with both barred lists for the licence issued "
        f"{_fmt(licence.issued_on)} (needed at grant or renewal)",
    )


def _dbs_status_finding(
    certificates: Sequence[Certificate],
    checks: Sequence[StatusCheck],
    on: date,
    policy: CompliancePolicy,
) -> Finding | None:
    enhanced = [c for c in certificates if c.enhanced and c.issued_on <= on]
    if not enhanced:
        return None  # the at-grant rule already says there is no certificate
    latest_cert = max(c.issued_on for c in enhanced)
    since = sorted(
        (c for c in checks if latest_cert <= c.checked_on <= on), key=lambda c: c.checked_on
    )
    if since and since[-1].result is StatusCheckResult.NEW_INFORMATION:
        return Finding(
            Rule.DBS_STATUS_CHECK,
            State.NON_COMPLIANT,
            f"The status check on {_fmt(since[-1].checked_on)} found new information: "
            "a new enhanced certificate is needed",
        )
    if since and since[-1].result is StatusCheckResult.NOT_SUBSCRIBED:
        return Finding(
            Rule.DBS_STATUS_CHECK,
            State.NON_COMPLIANT,
            f"Not subscribed to the DBS Update Service (status check on {_fmt(since[-1].checked_on)})",
        )
    clear = [c.checked_on for c in since if c.result is StatusCheckResult.NO_CHANGE]
    last = max([latest_cert, *clear])
    return _due_finding(
        Rule.DBS_STATUS_CHECK,
        add_months(last, policy.status_check_months),
        on,
        policy,
        ok="Next DBS status check due by {due}",
        soon="DBS status check due by {due}",
        late="DBS status check overdue: it was due by {due}",
    )


def _training_finding(
    training: Sequence[TrainingRecord], on: date, policy: CompliancePolicy
) -> Finding:
    done = [t for t in training if t.completed_on <= on]
    current = [t for t in done if t.valid_until is None or on <= t.valid_until]
    if current:
        if any(t.valid_until is None for t in current):
            return Finding(Rule.TRAINING, State.COMPLIANT, "Training completed; it does not lapse")
        best = max(current, key=lambda t: t.valid_until or date.max)
        assert best.valid_until is not None
        return _due_finding(
            Rule.TRAINING,
            best.valid_until,
            on,
            policy,
            ok="Training valid until {due}",
            soon="Training runs out on {due}: refresher due",
            late="",  # unreachable: current means on <= valid_until
        )
    if done:
        lapsed = max(t.valid_until or date.min for t in done)
        return Finding(
            Rule.TRAINING,
            State.NON_COMPLIANT,
            f"Safeguarding (CSE) awareness training expired: it was valid until {_fmt(lapsed)}",
            lapsed,
        )
    return Finding(
        Rule.TRAINING, State.NON_COMPLIANT, "No safeguarding (CSE) awareness training on record"
    )


def assess_driver(
    record: DriverRecord, on: date, policy: CompliancePolicy | None = None
) -> DriverCompliance | None:
    """The driver's compliance on `on`, or None when they hold no driver licence then."""
    policy = policy or CompliancePolicy()
    licence = current_licence(record, on)
    if licence is None:
        return None
    findings = [_licence_finding(licence, on, policy)]
    findings.append(_dbs_at_grant_finding(licence, record.certificates, on, policy))
    status = _dbs_status_finding(record.certificates, record.status_checks, on, policy)
    if status is not None:
        findings.append(status)
    training = _training_finding(record.training, on, policy)
    if policy.training_required:
        findings.append(training)
    return DriverCompliance(
        record=record,
        as_at=on,
        licence=licence,
        findings=tuple(findings),
        dbs_check_current=status is not None and status.state is not State.NON_COMPLIANT,
        training_current=training.state is not State.NON_COMPLIANT,
    )


def grant_blockers(record: DriverRecord, on: date, policy: CompliancePolicy) -> list[str]:
    """What stops a driver's licence being granted or renewed on `on` (T1, and T6 if local).

    A licence issued on `on` needs an enhanced certificate with both barred lists issued within
    `dbs_months_before_grant` months before it, and, where the local condition applies, current
    safeguarding training.
    """
    blockers = []
    earliest = add_months(on, -policy.dbs_months_before_grant)
    if not any(c.meets_standard and earliest <= c.issued_on <= on for c in record.certificates):
        blockers.append(
            "Record an enhanced DBS certificate with both barred lists, issued on or after "
            f"{_fmt(earliest)}, before granting or renewing a driver's licence"
        )
    if policy.training_required and _training_finding(record.training, on, policy).state is (
        State.NON_COMPLIANT
    ):
        blockers.append(
            "The driver must complete safeguarding (CSE) awareness training before the licence "
            "is granted or renewed (local condition)"
        )
    return blockers


# ---------------------------------------------------------------------------------------------
# The register as a whole


@dataclass
class RegisterSummary:
    as_at: date
    drivers: list[DriverCompliance] = field(default_factory=list)

    def count(self, state: State) -> int:
        return sum(1 for d in self.drivers if d.state is state)

    @property
    def counts(self) -> dict[State, int]:
        return {s: self.count(s) for s in State}

    @property
    def licensed(self) -> list[DriverCompliance]:
        """Drivers whose licence is in force (active or suspended, not run out)."""
        return [d for d in self.drivers if d.licence_in_force]

    @property
    def training_percent(self) -> Decimal:
        licensed = self.licensed
        return percent(sum(1 for d in licensed if d.training_current), len(licensed))

    @property
    def dbs_percent(self) -> Decimal:
        licensed = self.licensed
        return percent(sum(1 for d in licensed if d.dbs_check_current), len(licensed))

    @property
    def conditions_percent(self) -> Decimal:
        """Licensed drivers meeting every safeguarding condition (at risk still meets them)."""
        licensed = self.licensed
        return percent(
            sum(1 for d in licensed if d.state is not State.NON_COMPLIANT), len(licensed)
        )

    def with_state(self, state: State) -> list[DriverCompliance]:
        return sorted(
            (d for d in self.drivers if d.state is state),
            key=lambda d: (d.next_due_on or date.max, d.record.name),
        )


def assess_register(
    records: Iterable[DriverRecord], on: date, policy: CompliancePolicy | None = None
) -> RegisterSummary:
    summary = RegisterSummary(as_at=on)
    for record in records:
        result = assess_driver(record, on, policy)
        if result is not None:
            summary.drivers.append(result)
    return summary
