"""The public concern form's pages, their order, and the answers kept between them.

Answers live in the reporter's session on the server (no JavaScript needed), encrypted with the
field keys so the session table never holds them in plain text either. The idempotency key is
made when the reporter starts and travels with the final "send" so a repeated send cannot make a
second contact.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms

from . import forms
from .encryption import EncryptionKeyError, decrypt_text, encrypt_text
from .services import ConcernReport

SESSION_ANSWERS = "frontdoor_report"
SESSION_SENT = "frontdoor_sent"


@dataclass
class ReportState:
    key: str
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def answer(self, step: str, name: str, default: Any = None) -> Any:
        return self.answers.get(step, {}).get(name, default)


def _always(state: ReportState) -> bool:
    return True


def _not_professional(state: ReportState) -> bool:
    return state.answer("who", "reporter_kind") != "professional"


def _gives_details(state: ReportState) -> bool:
    return not _not_professional(state) or state.answer("anonymous", "give_details") == "yes"


@dataclass(frozen=True)
class Step:
    slug: str
    url_name: str
    form_class: type[django_forms.Form]
    title: str
    applies: Callable[[ReportState], bool] = _always
    single_question: bool = True


STEPS: tuple[Step, ...] = (
    Step("danger", "report-danger", forms.DangerForm, "Is a child in immediate danger right now?"),
    Step("child", "report-child", forms.ChildForm, "About the child", single_question=False),
    Step(
        "what_happened",
        "report-what-happened",
        forms.WhatHappenedForm,
        "What has happened?",
        single_question=False,
    ),
    Step("signs", "report-signs", forms.SignsForm, "Have you noticed any of these signs?"),
    Step("who", "report-who", forms.WhoForm, "Which of these describes you?"),
    Step(
        "anonymous",
        "report-anonymous",
        forms.AnonymousForm,
        "Do you want to give us your name and contact details?",
        applies=_not_professional,
    ),
    Step(
        "details",
        "report-your-details",
        forms.DetailsForm,
        "Your details",
        applies=_gives_details,
        single_question=False,
    ),
    Step(
        "consent",
        "report-consent",
        forms.ConsentForm,
        "Does the child or their family know you are telling us?",
    ),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


# ---------------------------------------------------------------------------------------------
# Session storage


def start(session: Any) -> ReportState:
    state = ReportState(key=str(uuid.uuid4()))
    save(session, state)
    session.pop(SESSION_SENT, None)
    return state


def load(session: Any) -> ReportState | None:
    token = session.get(SESSION_ANSWERS)
    if not token:
        return None
    try:
        data = json.loads(decrypt_text(token))
    except (EncryptionKeyError, ValueError):
        return None
    return ReportState(key=data["key"], answers=data.get("answers", {}))


def save(session: Any, state: ReportState) -> None:
    session[SESSION_ANSWERS] = encrypt_text(
        json.dumps({"key": state.key, "answers": state.answers}, default=str)
    )


def record_answer(session: Any, state: ReportState, step: Step, data: dict[str, Any]) -> None:
    state.answers[step.slug] = {k: v for k, v in data.items()}
    save(session, state)


def finish(session: Any, *, key: str, reference: str) -> None:
    """The report is saved: forget the answers, remember only which key made which reference."""
    session.pop(SESSION_ANSWERS, None)
    session[SESSION_SENT] = {"key": key, "reference": reference}


def sent(session: Any) -> dict[str, str] | None:
    value = session.get(SESSION_SENT)
    return value if isinstance(value, dict) else None


# ---------------------------------------------------------------------------------------------
# Order


def applicable_steps(state: ReportState) -> list[Step]:
    return [step for step in STEPS if step.applies(state)]


def first_incomplete(state: ReportState) -> Step | None:
    for step in applicable_steps(state):
        if step.slug not in state.answers:
            return step
    return None


def next_step(state: ReportState, current: Step, *, changing: bool) -> Step | None:
    """The page after `current`: when changing an answer, the next one still unanswered."""
    steps = applicable_steps(state)
    if changing:
        return first_incomplete(state)
    after = False
    for step in steps:
        if after:
            return step
        if step.slug == current.slug:
            after = True
    return None


def previous_step(state: ReportState, current: Step) -> Step | None:
    previous = None
    for step in applicable_steps(state):
        if step.slug == current.slug:
            return previous
        previous = step
    return previous


def form_for(step: Step, state: ReportState, data: Any = None) -> django_forms.Form:
    kwargs: dict[str, Any] = {}
    if step.form_class is forms.DetailsForm:
        kwargs["professional"] = not _not_professional(state)
    if data is not None:
        return step.form_class(data, **kwargs)
    return step.form_class(initial=state.answers.get(step.slug, {}), **kwargs)


def to_report(state: ReportState) -> ConcernReport:
    """The answers as a report for services.contact_submit (call once every step is done)."""
    details = state.answers.get("details", {}) if _gives_details(state) else {}
    age = state.answer("child", "child_age")
    return ConcernReport(
        immediate_danger=state.answer("danger", "immediate_danger") == "yes",
        child_name=state.answer("child", "child_name", ""),
        child_age=int(age) if age not in (None, "") else None,
        child_age_estimated=bool(state.answer("child", "child_age_estimated", False)),
        child_school=state.answer("child", "child_school", ""),
        child_area=state.answer("child", "child_area", ""),
        what_happened=state.answer("what_happened", "what_happened", ""),
        when_happened=state.answer("what_happened", "when_happened", ""),
        signs=list(state.answer("signs", "signs", [])),
        reporter_kind=state.answer("who", "reporter_kind", ""),
        reporter_anonymous=not _gives_details(state),
        reporter_name=details.get("reporter_name", ""),
        reporter_email=details.get("reporter_email", ""),
        reporter_phone=details.get("reporter_phone", ""),
        reporter_organisation=details.get("reporter_organisation", ""),
        reporter_role=details.get("reporter_role", ""),
        consent=state.answer("consent", "consent", ""),
    )
