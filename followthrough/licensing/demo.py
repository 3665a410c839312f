"""The licensing demo: a few hundred synthetic drivers, training for several audiences, and the
figures on the review's taxi and training recommendations.

Everything is fictional ("Driver 0001", "Example Academy 3"). The register is generated from a
seeded random timeline that does not depend on the day it is loaded (events after today are
simply left out), and written through the same import services an officer would use, so the
audit log says what happened. A handful of decisions are recorded one by one through the
decision service, NR3S search first.

The story it tells: when the committee agreed its recommendations (May 2016) few drivers had CSE
awareness training and six-monthly DBS status checks had not started; over the year the council
ran sessions twice a month and rolled out status checks, so by the end-of-year meeting most
drivers met every condition, with some still non-compliant.

Run after the tracker demo (it needs the demo officer and recommendations): `load_demo()`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from followthrough.core.models import User
from followthrough.tracker.models import Recommendation

from . import services
from .compliance import (
    LicenceStatus,
    LicenceType,
    StatusCheckResult,
    add_months,
    licence_expiry,
    month_ends,
)
from .importing import DBSRow, RegisterRow, TrainingRow
from .models import Course, Licence, Licensee, LicensingDecision, NR3SSearch

REVIEW_SLUG = "cse-scrutiny-review"
OFFICER = "licensing.officer"
SEED = 20160516
INITIAL_DRIVERS = 300
JOINERS_PER_YEAR = 24
FIRST_DAY = date(2013, 6, 1)
HORIZON = date(2035, 12, 31)
STATUS_CHECKS_FROM = date(2016, 9, 1)
FEED_FROM = date(2016, 5, 1)
FEED_TO = date(2017, 5, 31)
VENUE = "Civic Offices"
TRAINER = "Partnership CSE trainer"
LONDON = ZoneInfo("Europe/London")

DRIVER_COURSE = "CSE awareness for taxi and private hire drivers"
COURSES = [
    # name, audience, validity in months, counts for the driver condition
    (DRIVER_COURSE, Course.Audience.TAXI_DRIVERS, 36, True),
    ("CSE briefing for designated safeguarding leads", Course.Audience.SCHOOL_STAFF, 12, False),
    (
        "CSE awareness for hotel, fast-food and leisure staff",
        Course.Audience.HOTEL_STAFF,
        None,
        False,
    ),
    ("CSE briefing for elected members", Course.Audience.ELECTED_MEMBERS, None, False),
    ("Multi-agency CSE training", Course.Audience.FRONTLINE_STAFF, 36, False),
]

# Which recommendation shows which figure (demo review numbering).
INDICATORS = {
    "5": ["licensing.drivers_conditions_pct"],
    "6": ["licensing.drivers_dbs_pct"],
    "7": [
        "licensing.drivers_training_pct",
        "licensing.sessions.taxi_drivers",
        "licensing.trained.taxi_drivers",
    ],
    "13": ["licensing.sessions.school_staff", "licensing.trained.school_staff"],
    "30": ["licensing.sessions.elected_members", "licensing.trained.elected_members"],
    "32": ["licensing.sessions.frontline_staff", "licensing.trained.frontline_staff"],
    "33": ["licensing.sessions.hotel_staff", "licensing.trained.hotel_staff"],
}

# Drivers whose story is told by decisions rather than left to chance.
SUSPENDED, REVOKED = "D0007", "D0013"
SCRIPTED_START = date(2015, 3, 2)


@dataclass
class DemoResult:
    created: bool
    drivers: int = 0
    indicators: int = 0
    values: int = 0
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The synthetic timeline (pure: the same seed always gives the same past)


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _session_on_or_after(day: date) -> date:
    """Driver sessions run on the second and fourth Wednesday of each month."""
    while True:
        first = date(day.year, day.month, 1)
        wednesday = first + timedelta(days=(2 - first.weekday()) % 7)
        for session in (wednesday + timedelta(days=7), wednesday + timedelta(days=21)):
            if session >= day:
                return session
        day = add_months(first, 1)


@dataclass
class _Driver:
    reference: str
    name: str
    licence_type: LicenceType
    licences: list[tuple[date, date, LicenceStatus, date]] = field(default_factory=list)
    certificates: list[tuple[date, date | None]] = field(default_factory=list)
    checks: list[tuple[date, StatusCheckResult]] = field(default_factory=list)
    training: list[date] = field(default_factory=list)


def _driver_timeline(
    rng: random.Random, number: int, first_issue: date, *, stays: bool, stop: date | None = None
) -> _Driver:
    licence_type = rng.choices(
        [LicenceType.PRIVATE_HIRE, LicenceType.HACKNEY_CARRIAGE, LicenceType.DUAL], [55, 25, 20]
    )[0]
    driver = _Driver(f"D{number:04d}", f"Driver {number:04d}", licence_type)
    periods = 99 if stays else rng.randint(1, 4)
    issued = first_issue
    end = HORIZON
    for period in range(periods):
        expires = licence_expiry(issued, 36)
        certificate_on = issued - _days(rng, 14, 70)
        if period and rng.random() < 0.03:
            certificate_on = issued + _days(rng, 30, 90)  # renewed before the new check arrived
        subscribed = (
            certificate_on + _days(rng, 1, 25) if certificate_on >= STATUS_CHECKS_FROM else None
        )
        driver.certificates.append((certificate_on, subscribed))
        last = period == periods - 1 or issued > HORIZON or (stop is not None and expires >= stop)
        if last and not stays and stop is None:
            closed = expires + timedelta(days=45)
            driver.licences.append((issued, expires, LicenceStatus.EXPIRED, closed))
            end = expires
            break
        driver.licences.append((issued, expires, LicenceStatus.ACTIVE, issued))
        if last:
            end = min(expires, stop or expires)
            break
        gap = _days(rng, 10, 40) if rng.random() < 0.05 else timedelta(0)
        issued = expires + timedelta(days=1) + gap
    _status_checks(rng, driver, end)
    _training(rng, driver, first_issue, end)
    return driver


def _status_checks(rng: random.Random, driver: _Driver, end: date) -> None:
    """Six-monthly Update Service checks, rolled out from September 2016, sometimes late."""
    first_certificate = driver.certificates[0][0]
    check = max(
        _between(rng, STATUS_CHECKS_FROM, date(2017, 4, 30)),
        add_months(first_certificate, 6) - _days(rng, 0, 20),
    )
    while check <= end:
        roll = rng.random()
        if roll < 0.01:
            result = StatusCheckResult.NEW_INFORMATION
        elif roll < 0.02:
            result = StatusCheckResult.NOT_SUBSCRIBED
        else:
            result = StatusCheckResult.NO_CHANGE
        driver.checks.append((check, result))
        if result is not StatusCheckResult.NO_CHANGE:
            fresh = check + _days(rng, 15, 45)
            driver.certificates.append((fresh, fresh + _days(rng, 1, 10)))
            check = fresh
        if rng.random() < 0.05:
            check = add_months(check, 6) + _days(rng, 5, 60)  # a late check
        else:
            check = add_months(check, 6) - _days(rng, 0, 21)


def _training(rng: random.Random, driver: _Driver, first_issue: date, end: date) -> None:
    """First training: a 2015 pilot, the 2016–17 push, stragglers, or never; then refreshers."""
    if first_issue >= date(2017, 6, 1):
        first: date | None = first_issue - _days(rng, 7, 60)  # the condition applies before grant
    elif first_issue >= date(2016, 6, 1):
        first = (
            first_issue - _days(rng, 7, 60)
            if rng.random() < 0.9
            else first_issue + _days(rng, 30, 200)
        )
    else:
        roll = rng.random()
        if roll < 0.15:
            first = _between(rng, date(2015, 3, 1), date(2015, 12, 15))
        elif roll < 0.83:
            first = _between(rng, date(2016, 6, 1), date(2017, 5, 15))
        elif roll < 0.94:
            first = _between(rng, date(2017, 6, 1), date(2017, 12, 31))
        else:
            first = None
    while first is not None and first <= end:
        taken = _session_on_or_after(first)
        if taken > end:
            break
        driver.training.append(taken)
        first = add_months(taken, 36) - timedelta(days=1) + _days(rng, -45, 20)


def build_register() -> list[_Driver]:
    rng = random.Random(SEED)
    drivers = []
    for number in range(1, INITIAL_DRIVERS + 1):
        reference = f"D{number:04d}"
        if reference == SUSPENDED:
            drivers.append(_driver_timeline(rng, number, SCRIPTED_START, stays=True))
        elif reference == REVOKED:
            drivers.append(
                _driver_timeline(rng, number, SCRIPTED_START, stays=True, stop=date(2017, 4, 5))
            )
        else:
            first = _between(rng, FIRST_DAY, date(2016, 5, 15))
            drivers.append(_driver_timeline(rng, number, first, stays=rng.random() < 0.6))
    joined = date(2016, 1, 1)
    number = INITIAL_DRIVERS
    while joined < HORIZON:
        joined += timedelta(days=rng.randint(1, 2 * 365 // JOINERS_PER_YEAR))
        number += 1
        drivers.append(_driver_timeline(rng, number, joined, stays=rng.random() < 0.6))
    return drivers


def _register_rows(drivers: list[_Driver], today: date) -> list[RegisterRow]:
    rows: list[RegisterRow] = []
    for driver in drivers:
        for issued, expires, status, since in driver.licences:
            if issued > today:
                continue
            if status is not LicenceStatus.ACTIVE and since > today:
                status, since = LicenceStatus.ACTIVE, issued
            rows.append(
                RegisterRow(
                    row=len(rows) + 2,
                    licensee_reference=driver.reference,
                    name=driver.name,
                    date_of_birth=None,
                    email=f"{driver.reference.lower()}@example.com",
                    licence_number=f"{driver.licence_type.value[0].upper()}{driver.reference[1:]}",
                    licence_type=driver.licence_type,
                    issued_on=issued,
                    expires_on=expires,
                    status=status,
                    status_since=since,
                )
            )
    return rows


def _dbs_rows(drivers: list[_Driver], today: date, known: set[str]) -> list[DBSRow]:
    rows: list[DBSRow] = []
    for driver in drivers:
        if driver.reference not in known:
            continue
        seen: set[date] = set()
        for issued, subscribed in driver.certificates:
            if issued <= today and issued not in seen:
                seen.add(issued)
                rows.append(
                    DBSRow(
                        row=len(rows) + 2,
                        licensee_reference=driver.reference,
                        record="certificate",
                        on=issued,
                        update_service_subscribed_on=subscribed
                        if subscribed and subscribed <= today
                        else None,
                    )
                )
        checked_on: set[date] = set()
        for checked, result in driver.checks:
            if (
                checked <= today
                and checked not in checked_on
                and checked >= min(seen, default=date.max)
            ):
                checked_on.add(checked)
                rows.append(
                    DBSRow(
                        row=len(rows) + 2,
                        licensee_reference=driver.reference,
                        record="status_check",
                        on=checked,
                        result=result,
                    )
                )
    return rows


def _training_rows(drivers: list[_Driver], today: date, known: set[str]) -> list[TrainingRow]:
    rows: list[TrainingRow] = []
    for driver in drivers:
        if driver.reference not in known:
            continue
        for taken in driver.training:
            if taken <= today:
                rows.append(_attendance(len(rows), DRIVER_COURSE, taken, licensee=driver.reference))
    rows += _other_audiences(random.Random(SEED + 1), len(rows), today)
    return rows


def _attendance(
    index: int, course: str, on: date, *, licensee: str = "", name: str = "", organisation: str = ""
) -> TrainingRow:
    return TrainingRow(
        row=index + 2,
        course=course,
        session_date=on,
        venue=VENUE,
        trainer=TRAINER,
        licensee_reference=licensee,
        attendee_name=name,
        attendee_organisation=organisation,
        attended=True,
        completed_on=on,
        certificate_reference="",
    )


def _other_audiences(rng: random.Random, start: int, today: date) -> list[TrainingRow]:
    """School, hotel, members' and frontline sessions through the demo year."""
    plan = [
        (
            COURSES[1][0],
            "Example Academy",
            12,
            [date(2016, 9, 21), date(2017, 1, 18), date(2017, 4, 26)],
            (18, 30),
        ),
        (
            COURSES[2][0],
            "Example Hotel",
            8,
            [date(2016, 10, 12), date(2017, 1, 25), date(2017, 4, 19)],
            (10, 18),
        ),
        (COURSES[3][0], "Example Council", 1, [date(2016, 7, 13), date(2017, 1, 11)], (14, 24)),
        (
            COURSES[4][0],
            "Example Partner Agency",
            6,
            month_ends(date(2016, 6, 1), date(2017, 5, 1)),
            (12, 22),
        ),
    ]
    rows: list[TrainingRow] = []
    delegate = 0
    for course, organisation, organisations, dates, (low, high) in plan:
        for held in dates:
            if held > today:
                continue
            held = held - timedelta(days=(held.weekday() - 2) % 7)  # a Wednesday
            for _ in range(rng.randint(low, high)):
                delegate += 1
                where = (
                    f"{organisation} {rng.randint(1, organisations)}"
                    if organisations > 1
                    else organisation
                )
                rows.append(
                    _attendance(
                        start + len(rows),
                        course,
                        held,
                        name=f"Delegate {delegate:04d}",
                        organisation=where,
                    )
                )
    return rows


# ---------------------------------------------------------------------------------------------
# Loading


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), LONDON)


def _courses(officer: User) -> dict[str, Course]:
    for name, audience, months, counts in COURSES:
        if not Course.objects.filter(name=name).exists():
            services.course_create(
                actor=officer,
                name=name,
                audience=audience,
                validity_months=months,
                counts_for_driver_condition=counts,
                provider="Telford & Wrekin Safeguarding Children Board (illustrative)",
            )
    return {c.name: c for c in Course.objects.all()}


def _licence_on(reference: str, on: date) -> Licence:
    return Licence.objects.get(licensee__reference=reference, issued_on__lte=on, expires_on__gte=on)


def _decisions(officer: User, courses: dict[str, Course], today: date) -> None:
    """A few decisions told through the decision service, each searched on NR3S first."""
    Kind, Maker = LicensingDecision.Kind, LicensingDecision.DecisionMaker
    if today >= date(2017, 3, 20):
        suspended = Licensee.objects.get(reference=SUSPENDED)
        licence = _licence_on(SUSPENDED, date(2017, 2, 10))
        services.decision_record(
            actor=officer,
            licensee=suspended,
            kind=Kind.SUSPEND,
            licence=licence,
            decided_on=date(2017, 2, 10),
            decision_maker=Maker.OFFICER,
            safeguarding_basis=True,
            reasons="Police told us of an allegation involving a young passenger; suspended while it is investigated (illustrative).",
        )
        licence.refresh_from_db()
        services.decision_record(
            actor=officer,
            licensee=suspended,
            kind=Kind.REINSTATE,
            licence=licence,
            decided_on=date(2017, 3, 20),
            decision_maker=Maker.SUB_COMMITTEE,
            reasons="The police investigation closed with no further action; the sub-committee reinstated the licence with advice (illustrative).",
        )
    if today >= date(2017, 4, 12):
        revoked = Licensee.objects.get(reference=REVOKED)
        decision = services.decision_record(
            actor=officer,
            licensee=revoked,
            kind=Kind.REVOKE,
            licence=_licence_on(REVOKED, date(2017, 4, 5)),
            decided_on=date(2017, 4, 5),
            decision_maker=Maker.SUB_COMMITTEE,
            safeguarding_basis=True,
            reasons="Intelligence shared by the police showed a risk to children; revoked with immediate effect in the interests of public safety (illustrative).",
        )
        services.nr3s_entry_mark_entered(
            actor=officer,
            entry=decision.nr3s_entry,
            entered_on=date(2017, 4, 12),
            register_reference="NR3S-DEMO-0002",
        )
    if today >= date(2017, 1, 25):
        applicant = services.licensee_create(
            actor=officer, reference="A0001", name="Applicant 0001", email="a0001@example.com"
        )
        found = services.nr3s_search_record(
            actor=officer,
            licensee=applicant,
            searched_on=date(2017, 1, 10),
            result=NR3SSearch.Result.MATCH,
            search_reference="S-0001",
            information_requested_on=date(2017, 1, 11),
            notes="Another authority revoked a licence in 2015 (illustrative).",
        )
        decision = services.decision_record(
            actor=officer,
            licensee=applicant,
            kind=Kind.REFUSE,
            licence_type=LicenceType.PRIVATE_HIRE,
            decided_on=date(2017, 1, 20),
            decision_maker=Maker.SUB_COMMITTEE,
            safeguarding_basis=True,
            nr3s_search=found,
            reasons="Having regard to the other authority's reasons and the applicant's account, not a fit and proper person (illustrative).",
        )
        services.nr3s_entry_mark_entered(
            actor=officer,
            entry=decision.nr3s_entry,
            entered_on=date(2017, 1, 25),
            register_reference="NR3S-DEMO-0001",
        )
    if today >= date(2017, 3, 1):
        newcomer = services.licensee_create(
            actor=officer, reference="A0002", name="Applicant 0002", email="a0002@example.com"
        )
        services.dbs_check_record(
            actor=officer,
            licensee=newcomer,
            issued_on=date(2017, 1, 30),
            update_service_subscribed_on=date(2017, 2, 2),
        )
        services.attendance_record(
            actor=officer,
            course=courses[DRIVER_COURSE],
            licensee=newcomer,
            completed_on=date(2017, 2, 8),
            certificate_reference="CSE-0002",
        )
        search = services.nr3s_search_record(
            actor=officer,
            licensee=newcomer,
            searched_on=date(2017, 2, 27),
            result=NR3SSearch.Result.NO_MATCH,
            search_reference="S-0002",
        )
        decision = services.decision_record(
            actor=officer,
            licensee=newcomer,
            kind=Kind.GRANT,
            licence_type=LicenceType.PRIVATE_HIRE,
            licence_number="P9002",
            decided_on=date(2017, 3, 1),
            decision_maker=Maker.OFFICER,
            nr3s_search=search,
            reasons="All checks complete and the safeguarding training done (illustrative).",
            conditions="Standard safeguarding conditions for private hire drivers (illustrative).",
        )
        if decision.licence is not None and today > decision.licence.expires_on + timedelta(
            days=45
        ):
            services.licence_close(
                actor=officer,
                licence=decision.licence,
                status=LicenceStatus.EXPIRED,
                effective_date=decision.licence.expires_on + timedelta(days=45),
                reason="Left the trade (illustrative).",
            )
    reports = [
        ("D0021", "arrest", "motoring", date(2017, 2, 3), 20),
        ("D0034", "charge", "violence", date(2016, 12, 9), 70),
        ("D0048", "conviction", "motoring", date(2017, 4, 18), 30),
    ]
    for reference, event, category, on, hours in reports:
        licensee = Licensee.objects.filter(reference=reference).first()
        if licensee is None or on + timedelta(days=3) > today:
            continue
        event_at = _at(on, 16)
        services.self_report_record(
            actor=officer,
            licensee=licensee,
            event=event,
            category=category,
            event_at=event_at,
            reported_at=event_at + timedelta(hours=hours),
            summary="Illustrative demo self-report.",
        )


def attach_and_feed(actor: object) -> tuple[int, int]:
    """Attach the licensing figures to the demo recommendations and record monthly values."""
    indicators = 0
    for number, feeds in INDICATORS.items():
        recommendation = Recommendation.objects.filter(
            review__slug=REVIEW_SLUG, number=number
        ).first()
        if recommendation is None:
            continue
        for feed in feeds:
            services.indicator_attach(actor=actor, recommendation=recommendation, feed=feed)
            indicators += 1
    run = services.indicators_feed(actor=actor, dates=month_ends(FEED_FROM, FEED_TO))
    return indicators, run.recorded


def load_demo(*, today: date | None = None) -> DemoResult:
    """Load the licensing demo once; running it again only re-checks the indicator figures."""
    today = today or timezone.localdate()
    officer = User.objects.filter(username=OFFICER).first()
    if officer is None or not Recommendation.objects.filter(review__slug=REVIEW_SLUG).exists():
        raise RuntimeError(
            "Load the tracker demo first: the licensing demo needs its officer and review"
        )
    result = DemoResult(created=False)
    with transaction.atomic():
        if not Licensee.objects.filter(reference="D0001").exists():
            result.created = True
            courses = _courses(officer)
            drivers = build_register()
            register = _register_rows(drivers, today)
            services.register_import(actor=officer, source="demo-register.csv", rows=register)
            known = {row.licensee_reference for row in register}
            services.dbs_import(
                actor=officer, source="demo-dbs.csv", rows=_dbs_rows(drivers, today, known)
            )
            services.training_import(
                actor=officer,
                source="demo-training.csv",
                rows=_training_rows(drivers, today, known),
            )
            _decisions(officer, courses, today)
        result.drivers = Licensee.objects.count()
        result.indicators, result.values = attach_and_feed(officer)
    return result
