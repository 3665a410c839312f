"""Reads for the licensing register: the access funnels, and the register as at any date.

`licensee_get_for_user` and friends are the only way views fetch register records for a person:
missing and forbidden both raise Http404. Compliance is computed by compliance.py from facts
loaded here in a fixed, small number of queries, whatever the size of the register.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .compliance import (
    Certificate,
    CompliancePolicy,
    DriverCompliance,
    DriverRecord,
    LicencePeriod,
    LicenceStatus,
    LicenceType,
    Quarter,
    RegisterSummary,
    StatusCheck,
    StatusCheckResult,
    TrainingRecord,
    assess_driver,
    assess_register,
    training_valid_until,
)
from .models import (
    Attendance,
    Course,
    DBSCheck,
    DBSStatusCheck,
    Licence,
    LicenceStatusChange,
    Licensee,
    NR3SEntry,
    TrainingSession,
)
from .permissions import can_view_register


def today() -> date:
    return timezone.localdate()


def compliance_policy() -> CompliancePolicy:
    """The local policy, from settings.FOLLOWTHROUGH (LICENSING_* keys) or the defaults."""
    conf = settings.FOLLOWTHROUGH
    defaults = CompliancePolicy()
    return CompliancePolicy(
        status_check_months=int(
            conf.get("LICENSING_STATUS_CHECK_MONTHS", defaults.status_check_months)
        ),
        training_required=bool(conf.get("LICENSING_TRAINING_REQUIRED", defaults.training_required)),
        at_risk_days=int(conf.get("AT_RISK_DAYS", defaults.at_risk_days)),
        dbs_months_before_grant=int(
            conf.get("LICENSING_DBS_MONTHS_BEFORE_GRANT", defaults.dbs_months_before_grant)
        ),
        driver_licence_months=int(
            conf.get("LICENSING_DRIVER_LICENCE_MONTHS", defaults.driver_licence_months)
        ),
        operator_licence_months=int(
            conf.get("LICENSING_OPERATOR_LICENCE_MONTHS", defaults.operator_licence_months)
        ),
    )


def reminder_days() -> tuple[int, ...]:
    """How many days before a due date reminders go out (the latest one sent wins)."""
    days = settings.FOLLOWTHROUGH.get("LICENSING_REMINDER_DAYS", (60, 30, 7))
    return tuple(sorted({int(d) for d in days}, reverse=True))


# ---------------------------------------------------------------------------------------------
# Access funnels


def licensee_list_for_user(user: Any, *, search: str = "") -> QuerySet[Licensee]:
    if not can_view_register(user):
        return Licensee.objects.none()
    queryset = Licensee.objects.all()
    search = search.strip()
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(reference__iexact=search)
            | Q(licences__number__iexact=search)
        ).distinct()
    return queryset.order_by("name", "reference")


def licensee_get_for_user(user: Any, licensee_id: int) -> Licensee:
    licensee = licensee_list_for_user(user).filter(pk=licensee_id).first()
    if licensee is None:
        raise Http404("No such licence holder")
    return licensee


def licence_get_for_user(user: Any, licence_id: int) -> Licence:
    if not can_view_register(user):
        raise Http404("No such licence")
    licence = Licence.objects.select_related("licensee").filter(pk=licence_id).first()
    if licence is None:
        raise Http404("No such licence")
    return licence


def session_get_for_user(user: Any, session_id: int) -> TrainingSession:
    if not can_view_register(user):
        raise Http404("No such session")
    session = TrainingSession.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        raise Http404("No such session")
    return session


def nr3s_entry_get_for_user(user: Any, entry_id: int) -> NR3SEntry:
    if not can_view_register(user):
        raise Http404("No such entry")
    entry = (
        NR3SEntry.objects.select_related("decision__licensee", "decision__licence")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("No such entry")
    return entry


# ---------------------------------------------------------------------------------------------
# Facts for compliance


def driver_records(licensee_ids: Iterable[int] | None = None) -> list[DriverRecord]:
    """Every licence holder with a driver licence, with the dated facts compliance reads.

    Five queries. Records dated after any as-at date are filtered by compliance.py itself, so
    one load serves many dates (monthly indicator values).
    """
    licences = Licence.objects.filter(
        licence_type__in=[t.value for t in LicenceType if t.is_driver]
    )
    if licensee_ids is not None:
        licensee_ids = list(licensee_ids)
        licences = licences.filter(licensee_id__in=licensee_ids)
    licence_rows = list(
        licences.order_by("licensee_id", "issued_on", "id").values_list(
            "id", "licensee_id", "number", "licence_type", "issued_on", "expires_on"
        )
    )
    # Asked about particular people (an applicant, say), load their facts even with no licence.
    ids = sorted(
        set(licensee_ids) if licensee_ids is not None else {row[1] for row in licence_rows}
    )
    statuses: dict[int, list[tuple[date, LicenceStatus]]] = defaultdict(list)
    for licence_id, effective, status_to in (
        LicenceStatusChange.objects.filter(licence_id__in=[r[0] for r in licence_rows])
        .order_by("licence_id", "effective_date", "id")
        .values_list("licence_id", "effective_date", "status_to")
    ):
        statuses[licence_id].append((effective, LicenceStatus(status_to)))
    periods: dict[int, list[LicencePeriod]] = defaultdict(list)
    for licence_id, licensee_id, number, licence_type, issued, expires in licence_rows:
        periods[licensee_id].append(
            LicencePeriod(
                licence_id=licence_id,
                number=number,
                licence_type=LicenceType(licence_type),
                issued_on=issued,
                expires_on=expires,
                statuses=tuple(statuses[licence_id]),
            )
        )
    certificates: dict[int, list[Certificate]] = defaultdict(list)
    for licensee_id, level, children, adults, issued in DBSCheck.objects.filter(
        licensee_id__in=ids
    ).values_list(
        "licensee_id", "level", "children_barred_list", "adults_barred_list", "issued_on"
    ):
        certificates[licensee_id].append(
            Certificate(
                issued_on=issued,
                enhanced=level == DBSCheck.Level.ENHANCED,
                children_barred_list=children,
                adults_barred_list=adults,
            )
        )
    checks: dict[int, list[StatusCheck]] = defaultdict(list)
    for licensee_id, checked, result in DBSStatusCheck.objects.filter(
        licensee_id__in=ids
    ).values_list("licensee_id", "checked_on", "result"):
        checks[licensee_id].append(StatusCheck(checked, StatusCheckResult(result)))
    training: dict[int, list[TrainingRecord]] = defaultdict(list)
    for licensee_id, course, completed, months in Attendance.objects.filter(
        licensee_id__in=ids,
        completed_on__isnull=False,
        course__counts_for_driver_condition=True,
    ).values_list("licensee_id", "course__name", "completed_on", "course__validity_months"):
        assert completed is not None  # filtered above
        training[licensee_id].append(
            TrainingRecord(course, completed, training_valid_until(completed, months))
        )
    people: dict[int, tuple[str, str]] = {
        pk: (reference, name)
        for pk, reference, name in Licensee.objects.filter(pk__in=ids).values_list(
            "id", "reference", "name"
        )
    }
    return [
        DriverRecord(
            licensee_id=licensee_id,
            reference=people[licensee_id][0],
            name=people[licensee_id][1],
            licences=tuple(periods[licensee_id]),
            certificates=tuple(certificates[licensee_id]),
            status_checks=tuple(checks[licensee_id]),
            training=tuple(training[licensee_id]),
        )
        for licensee_id in ids
    ]


def driver_record(licensee: Licensee) -> DriverRecord:
    return driver_records([licensee.pk])[0]


def register_as_at(on: date, policy: CompliancePolicy | None = None) -> RegisterSummary:
    """Every driver on the register on `on`, with their compliance then."""
    return assess_register(driver_records(), on, policy or compliance_policy())


def licensee_compliance(licensee: Licensee, on: date) -> DriverCompliance | None:
    return assess_driver(driver_record(licensee), on, compliance_policy())


@dataclass(frozen=True)
class ExpiringLicence:
    licence: Licence
    days_left: int


def licences_expiring(on: date, within_days: int) -> list[ExpiringLicence]:
    """Held licences (drivers and operators) whose last day falls within the window."""
    end = date.fromordinal(on.toordinal() + within_days)
    licences = (
        Licence.objects.filter(
            status__in=[LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED],
            issued_on__lte=on,
            expires_on__gte=on,
            expires_on__lte=end,
        )
        .select_related("licensee")
        .order_by("expires_on", "number")
    )
    # A licence already renewed (a later period with the same number) is not expiring.
    renewed = set(
        Licence.objects.filter(
            number__in=[lic.number for lic in licences], issued_on__lte=on
        ).values_list("number", "issued_on")
    )
    result = []
    for lic in licences:
        if any(n == lic.number and issued > lic.issued_on for n, issued in renewed):
            continue
        result.append(ExpiringLicence(lic, (lic.expires_on - on).days))
    return result


# ---------------------------------------------------------------------------------------------
# Training


def course_list() -> QuerySet[Course]:
    return Course.objects.all().order_by("name")


def session_list(*, limit: int = 50) -> list[TrainingSession]:
    return list(
        TrainingSession.objects.select_related("course").order_by("-held_on", "-id")[:limit]
    )


def session_attendances(session: TrainingSession) -> QuerySet[Attendance]:
    return session.attendances.select_related("licensee").order_by(
        "licensee__name", "attendee_name", "id"
    )


@dataclass(frozen=True)
class TrainingTally:
    audience: str
    audience_label: str
    sessions: int
    people: int


def training_by_audience(quarter: Quarter, *, up_to: date | None = None) -> list[TrainingTally]:
    """Sessions delivered and people trained in a quarter (to `up_to`), by course audience."""
    end = min(quarter.ends_on, up_to) if up_to else quarter.ends_on
    sessions: dict[str, int] = defaultdict(int)
    for audience in TrainingSession.objects.filter(
        cancelled=False, held_on__gte=quarter.starts_on, held_on__lte=end
    ).values_list("course__audience", flat=True):
        sessions[audience] += 1
    people: dict[str, int] = defaultdict(int)
    for audience in Attendance.objects.filter(
        completed_on__gte=quarter.starts_on, completed_on__lte=end
    ).values_list("course__audience", flat=True):
        people[audience] += 1
    return [
        TrainingTally(value, label, sessions.get(value, 0), people.get(value, 0))
        for value, label in Course.Audience.choices
        if sessions.get(value) or people.get(value)
    ]


def nr3s_entries() -> QuerySet[NR3SEntry]:
    return NR3SEntry.objects.select_related("decision__licensee", "decision__licence").order_by(
        "entered_on", "-recorded_on", "id"
    )


# ---------------------------------------------------------------------------------------------
# Indicator feeds: the figures the tracker shows on the taxi and training recommendations


@dataclass(frozen=True)
class Feed:
    key: str
    name: str
    unit: str
    quarterly: bool = False
    audience: str = ""
    target: Decimal | None = None


PERCENT_FEEDS = (
    Feed(
        "licensing.drivers_conditions_pct",
        "Licensed drivers meeting every safeguarding condition",
        "%",
        target=Decimal(100),
    ),
    Feed(
        "licensing.drivers_dbs_pct",
        "Licensed drivers with a current DBS status check",
        "%",
        target=Decimal(100),
    ),
    Feed(
        "licensing.drivers_training_pct",
        "Licensed drivers with current CSE awareness training",
        "%",
        target=Decimal(100),
    ),
)


def _quarterly_feeds() -> list[Feed]:
    feeds = []
    for value, label in Course.Audience.choices:
        feeds.append(
            Feed(
                f"licensing.sessions.{value}",
                f"Training sessions delivered in the quarter: {label.lower()}",
                "sessions",
                quarterly=True,
                audience=value,
            )
        )
        feeds.append(
            Feed(
                f"licensing.trained.{value}",
                f"People trained in the quarter: {label.lower()}",
                "people",
                quarterly=True,
                audience=value,
            )
        )
    return feeds


def feeds() -> dict[str, Feed]:
    return {f.key: f for f in (*PERCENT_FEEDS, *_quarterly_feeds())}


def feed_values_on(
    on: date, wanted: Iterable[str], *, records: list[DriverRecord] | None = None
) -> dict[str, tuple[Decimal, str]]:
    """The value (and a note) of each wanted feed as at `on`.

    Quarterly counts are given only at a quarter's end, for the whole quarter.
    """
    known = feeds()
    wanted = [key for key in wanted if key in known]
    values: dict[str, tuple[Decimal, str]] = {}
    if any(not known[key].quarterly for key in wanted):
        summary = assess_register(
            records if records is not None else driver_records(), on, compliance_policy()
        )
        licensed = len(summary.licensed)
        note = f"As at {on.day} {on:%B %Y}: {licensed} licensed drivers"
        figures = {
            "licensing.drivers_conditions_pct": summary.conditions_percent,
            "licensing.drivers_dbs_pct": summary.dbs_percent,
            "licensing.drivers_training_pct": summary.training_percent,
        }
        for key in wanted:
            if key in figures:
                values[key] = (figures[key], note)
    quarter = Quarter.of(on)
    if on == quarter.ends_on and any(known[key].quarterly for key in wanted):
        tallies = {t.audience: t for t in training_by_audience(quarter)}
        for key in wanted:
            feed = known[key]
            if not feed.quarterly:
                continue
            tally = tallies.get(feed.audience)
            count = 0
            if tally is not None:
                count = tally.sessions if key.startswith("licensing.sessions.") else tally.people
            values[key] = (Decimal(count), quarter.label)
    return values
