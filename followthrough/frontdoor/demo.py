"""A handful of synthetic front-door contacts for the demo: every name, school, place and story
is invented and labelled as fictional. Safe to run again (each contact has a fixed key).

Run after the tracker demo (it uses the demo's "frontdoor" and "frontdoor.manager" users and
records the aggregate figures on recommendation 16, "How to report a concern").
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from followthrough.core.models import User

from . import indicators, services
from .models import Consent, Outcome, ReporterKind

_NAMESPACE = uuid.UUID("6f1d1c1e-3f56-4c53-9d0e-9a2f4ad1f001")
DEMO_LABEL = "[Fictional demo record]"

# (key, hours before now it was received, report fields, decision or None)
_CONTACTS: list[tuple[str, float, dict[str, Any], tuple[str, str, float] | None]] = [
    (
        "green",
        0.2,
        {
            "child_name": "Demo Child Alpha (fictional)",
            "child_age": 14,
            "child_age_estimated": True,
            "child_area": "Exampleton (fictional)",
            "what_happened": f"{DEMO_LABEL} A neighbour has seen a girl of about 14 picked up late at night by different men in cars.",
            "signs": ["cars", "missing"],
            "reporter_kind": ReporterKind.MEMBER_OF_PUBLIC,
            "consent": Consent.NOT_SOUGHT,
        },
        None,
    ),
    (
        "danger",
        1.0,
        {
            "immediate_danger": True,
            "child_name": "Demo Child Bravo (fictional)",
            "child_age": 12,
            "child_school": "Demo Academy (fictional)",
            "what_happened": f"{DEMO_LABEL} A pupil told a teaching assistant that an adult she met online is collecting her from school today.",
            "signs": ["told_someone", "online"],
            "reporter_kind": ReporterKind.PROFESSIONAL,
            "reporter_anonymous": False,
            "reporter_name": "Demo Teacher (fictional)",
            "reporter_email": "demo.teacher@example.org",
            "reporter_phone": "01632 960 101",
            "reporter_organisation": "Demo Academy (fictional)",
            "reporter_role": "Designated safeguarding lead",
            "consent": Consent.NOT_SOUGHT_RISK,
        },
        None,
    ),
    (
        "overdue",
        24 * 8,
        {
            "child_name": "",
            "child_age": 15,
            "child_age_estimated": True,
            "child_area": "Demo Retail Park (fictional)",
            "what_happened": f"{DEMO_LABEL} Staff at a takeaway report groups of young teenagers being given free food and lifts by older men.",
            "signs": ["gifts", "cars", "older_partner"],
            "reporter_kind": ReporterKind.MEMBER_OF_PUBLIC,
            "consent": Consent.NOT_SOUGHT,
        },
        None,
    ),
    (
        "decided-cin",
        24 * 10,
        {
            "child_name": "Demo Child Charlie (fictional)",
            "child_age": 13,
            "what_happened": f"{DEMO_LABEL} A school nurse is worried about a 13-year-old with an older 'boyfriend' and unexplained new clothes and phone.",
            "signs": ["older_partner", "gifts"],
            "reporter_kind": ReporterKind.PROFESSIONAL,
            "reporter_anonymous": False,
            "reporter_name": "Demo Nurse (fictional)",
            "reporter_phone": "01632 960 102",
            "reporter_organisation": "Demo Health Trust (fictional)",
            "consent": Consent.OBTAINED,
        },
        (
            Outcome.CHILD_IN_NEED_ASSESSMENT,
            f"{DEMO_LABEL} Aged 13 with a high-risk indicator: assessment to understand risk and support.",
            5,
        ),
    ),
    (
        "decided-nfa",
        24 * 20,
        {
            "child_age": 16,
            "what_happened": f"{DEMO_LABEL} A parent worried about their son's late nights; it turned out he had a new part-time job.",
            "signs": [],
            "reporter_kind": ReporterKind.MEMBER_OF_PUBLIC,
            "reporter_anonymous": False,
            "reporter_name": "Demo Parent (fictional)",
            "reporter_email": "demo.parent@example.org",
            "consent": Consent.OBTAINED,
        },
        (
            Outcome.INFORMATION_AND_ADVICE,
            f"{DEMO_LABEL} No indicators of exploitation; advice given to the parent.",
            3,
        ),
    ),
]


def load_demo() -> int:
    """Add the demo contacts that are not there yet; returns how many were added."""
    practitioner = User.objects.filter(username="frontdoor").first()
    manager = User.objects.filter(username="frontdoor.manager").first()
    now = timezone.now()
    added = 0
    for key, hours_ago, fields, decision in _CONTACTS:
        idempotency_key = uuid.uuid5(_NAMESPACE, key)
        data = {"reporter_anonymous": True, **fields}
        report = services.ConcernReport(
            immediate_danger=bool(data.pop("immediate_danger", False)), **data
        )
        contact, created = services.contact_submit(
            report=report,
            idempotency_key=idempotency_key,
            actor="demo loader",
            received_at=now - timedelta(hours=hours_ago),
        )
        if not created:
            continue
        added += 1
        if decision and practitioner:
            outcome, rationale, hours_later = decision
            services.screening_record(
                actor=practitioner,
                contact=contact,
                indicators=["older_partner", "gifts_money"] if key == "decided-cin" else [],
                child_age=report.child_age,
            )
            services.decision_record(
                actor=practitioner,
                contact=contact,
                outcome=outcome,
                rationale=rationale,
                decided_at=contact.received_at + timedelta(hours=hours_later),
            )
        if key == "overdue" and practitioner:
            services.contact_assign(actor=practitioner, contact=contact, assignee=practitioner)
    if manager is not None:
        _record_figures()
    return added


def _record_figures() -> None:
    from followthrough.tracker.models import Recommendation

    recommendation = Recommendation.objects.filter(
        review__slug="cse-scrutiny-review", number="16"
    ).first()
    if recommendation is not None:
        indicators.figures_record(
            actor="frontdoor demo loader",
            recommendation=recommendation,
            as_at=timezone.localdate(),
        )
