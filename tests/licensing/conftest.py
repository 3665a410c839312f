"""Licensing fixtures: an officer, the driver course, and drivers in any state of compliance.

Everything is set up through the licensing services, as a real officer would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from followthrough.core.roles import Role
from followthrough.licensing import services
from followthrough.licensing.compliance import LicenceStatus, LicenceType, licence_expiry
from followthrough.licensing.importing import RegisterRow
from followthrough.licensing.models import Course, Licensee


@pytest.fixture
def officer(user_factory):
    return user_factory(
        Role.LICENSING_OFFICER, username="licensing-officer", email="lo@example.gov.uk"
    )


@pytest.fixture
def driver_course(officer) -> Course:
    return services.course_create(
        actor=officer,
        name="CSE awareness for taxi drivers",
        audience=Course.Audience.TAXI_DRIVERS,
        validity_months=36,
        counts_for_driver_condition=True,
    )


@pytest.fixture
def make_driver(officer, driver_course) -> Callable[..., Licensee]:
    """A driver licensed on `issued_on`, with a certificate, and optionally checks and training."""

    def make(
        reference: str = "D0001",
        *,
        name: str | None = None,
        issued_on: date,
        dbs_on: date | None = None,
        status_check_on: date | None = None,
        trained_on: date | None = None,
        email: str = "",
        licence_type: LicenceType = LicenceType.PRIVATE_HIRE,
        months: int = 36,
    ) -> Licensee:
        row = RegisterRow(
            row=2,
            licensee_reference=reference,
            name=name or f"Driver {reference[1:]}",
            date_of_birth=None,
            email=email,
            licence_number=f"L{reference}",
            licence_type=licence_type,
            issued_on=issued_on,
            expires_on=licence_expiry(issued_on, months),
            status=LicenceStatus.ACTIVE,
            status_since=issued_on,
        )
        services.register_import(actor=officer, source="fixture.csv", rows=[row])
        licensee = Licensee.objects.get(reference=reference)
        dbs_on = dbs_on or (issued_on - timedelta(days=14))
        services.dbs_check_record(actor=officer, licensee=licensee, issued_on=dbs_on)
        if status_check_on:
            services.dbs_status_check_record(
                actor=officer, licensee=licensee, checked_on=status_check_on, result="no_change"
            )
        if trained_on:
            services.attendance_record(
                actor=officer, course=driver_course, licensee=licensee, completed_on=trained_on
            )
        return licensee

    return make


TODAY = date(2017, 3, 15)


@pytest.fixture
def frozen(time_machine):
    """Today is 15 March 2017 (inside the demo year), at noon in London."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2017, 3, 15, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
    return TODAY
