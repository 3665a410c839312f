"""Tracker rules with no Django in them: the status workflow and delivery confidence.

Everything the product says about where an action stands comes from these functions, whether
for today, for a past date (as-at reconstruction) or for a frozen committee report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY_FOR_ASSESSMENT = "ready_for_assessment"
    COMPLETE = "complete"
    CLOSED_NOT_IMPLEMENTED = "closed_not_implemented"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.READY_FOR_ASSESSMENT: "Ready for assessment",
    Status.COMPLETE: "Complete (signed off)",
    Status.CLOSED_NOT_IMPLEMENTED: "Closed – not implemented",
}


class Confidence(StrEnum):
    """Delivery confidence, derived and never typed. Ordered from best to worst."""

    COMPLETE = "complete"
    CLOSED_NOT_IMPLEMENTED = "closed_not_implemented"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NO_UPDATE = "no_update"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return CONFIDENCE_LABELS[self]


CONFIDENCE_LABELS = {
    Confidence.COMPLETE: "Complete",
    Confidence.CLOSED_NOT_IMPLEMENTED: "Closed – not implemented",
    Confidence.ON_TRACK: "On track",
    Confidence.AT_RISK: "At risk",
    Confidence.NO_UPDATE: "No update",
    Confidence.OVERDUE: "Overdue",
}
# Worst first: the order a recommendation takes its worst open action's confidence by.
_SEVERITY = {
    Confidence.OVERDUE: 5,
    Confidence.NO_UPDATE: 4,
    Confidence.AT_RISK: 3,
    Confidence.ON_TRACK: 2,
    Confidence.CLOSED_NOT_IMPLEMENTED: 1,
    Confidence.COMPLETE: 0,
}
# The order counts are reported in, as a committee reads them.
REPORT_ORDER = (
    Confidence.COMPLETE,
    Confidence.ON_TRACK,
    Confidence.AT_RISK,
    Confidence.OVERDUE,
    Confidence.NO_UPDATE,
    Confidence.CLOSED_NOT_IMPLEMENTED,
)


class OwnerConfidence(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"


OPEN_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.READY_FOR_ASSESSMENT})


class TransitionError(ValueError):
    """An illegal status change; the message is written for the person who tried it."""


class Actor(StrEnum):
    OWNER = "owner"
    ASSESSOR = "assessor"
    OFFICER = "officer"


# (from, to) -> who may make the change
_TRANSITIONS: dict[tuple[Status, Status], Actor] = {
    (Status.NOT_STARTED, Status.IN_PROGRESS): Actor.OWNER,
    (Status.IN_PROGRESS, Status.READY_FOR_ASSESSMENT): Actor.OWNER,
    (Status.READY_FOR_ASSESSMENT, Status.COMPLETE): Actor.ASSESSOR,
    (Status.READY_FOR_ASSESSMENT, Status.IN_PROGRESS): Actor.ASSESSOR,
    (Status.NOT_STARTED, Status.CLOSED_NOT_IMPLEMENTED): Actor.OFFICER,
    (Status.IN_PROGRESS, Status.CLOSED_NOT_IMPLEMENTED): Actor.OFFICER,
    (Status.READY_FOR_ASSESSMENT, Status.CLOSED_NOT_IMPLEMENTED): Actor.OFFICER,
}
_NEEDS_REASON = {
    (Status.READY_FOR_ASSESSMENT, Status.IN_PROGRESS),
    (Status.NOT_STARTED, Status.CLOSED_NOT_IMPLEMENTED),
    (Status.IN_PROGRESS, Status.CLOSED_NOT_IMPLEMENTED),
    (Status.READY_FOR_ASSESSMENT, Status.CLOSED_NOT_IMPLEMENTED),
}


def allowed_transitions(current: Status, actor: Actor) -> list[Status]:
    return [to for (frm, to), who in _TRANSITIONS.items() if frm == current and who == actor]


def check_transition(current: Status, new: Status, *, actor: Actor, reason: str = "") -> None:
    """Raise TransitionError unless `actor` may move an action from `current` to `new`."""
    if current == new:
        raise TransitionError(f"The action is already {current.label.lower()}.")
    who = _TRANSITIONS.get((current, new))
    if who is None:
        if current in (Status.COMPLETE, Status.CLOSED_NOT_IMPLEMENTED):
            raise TransitionError(
                f"The action is {current.label.lower()}; its status can no longer change."
            )
        if new == Status.COMPLETE:
            raise TransitionError(
                "Only an independent assessor can sign an action off, and only once it is "
                "ready for assessment."
            )
        raise TransitionError(
            f"An action cannot go from {current.label.lower()} to {new.label.lower()}."
        )
    if who != actor:
        raise TransitionError(_WHO_MESSAGES[who])
    if (current, new) in _NEEDS_REASON and not reason.strip():
        raise TransitionError("Give a reason for this change.")


_WHO_MESSAGES = {
    Actor.OWNER: "Only the partner that owns the action can make this change.",
    Actor.ASSESSOR: "Only an independent assessor can sign off or return an action.",
    Actor.OFFICER: "Only a scrutiny officer can close an action as not implemented.",
}


@dataclass(frozen=True)
class ActionFacts:
    """What is known about an action on a given date, all read from its history."""

    status: Status
    target_date: date | None
    last_update_on: date | None
    owner_confidence: OwnerConfidence | None
    start_date: date


def action_confidence(
    facts: ActionFacts, *, as_at: date, update_interval_days: int, at_risk_days: int = 30
) -> Confidence:
    if facts.status == Status.COMPLETE:
        return Confidence.COMPLETE
    if facts.status == Status.CLOSED_NOT_IMPLEMENTED:
        return Confidence.CLOSED_NOT_IMPLEMENTED
    if facts.target_date is not None and facts.target_date < as_at:
        return Confidence.OVERDUE
    last_heard = facts.last_update_on or facts.start_date
    if (as_at - last_heard).days > update_interval_days:
        return Confidence.NO_UPDATE
    if facts.owner_confidence == OwnerConfidence.AT_RISK:
        return Confidence.AT_RISK
    if (
        facts.target_date is not None
        and facts.status != Status.READY_FOR_ASSESSMENT
        and facts.target_date <= as_at + timedelta(days=at_risk_days)
    ):
        return Confidence.AT_RISK
    return Confidence.ON_TRACK


def worst(confidences: Iterable[Confidence]) -> Confidence:
    return max(confidences, key=_SEVERITY.__getitem__)


def recommendation_confidence(action_confidences: list[Confidence]) -> Confidence:
    """Complete when every action is; closed when none is open and one was closed; else the
    worst open action's confidence."""
    if not action_confidences:
        return Confidence.ON_TRACK
    open_ones = [
        c
        for c in action_confidences
        if c not in (Confidence.COMPLETE, Confidence.CLOSED_NOT_IMPLEMENTED)
    ]
    if open_ones:
        return worst(open_ones)
    if all(c == Confidence.COMPLETE for c in action_confidences):
        return Confidence.COMPLETE
    return Confidence.CLOSED_NOT_IMPLEMENTED


def recommendation_status(action_statuses: list[Status]) -> Status:
    """The least advanced open action's status, or the terminal state when none is open."""
    if not action_statuses:
        return Status.NOT_STARTED
    open_ones = [s for s in action_statuses if s in OPEN_STATUSES]
    if not open_ones:
        if all(s == Status.COMPLETE for s in action_statuses):
            return Status.COMPLETE
        return Status.CLOSED_NOT_IMPLEMENTED
    order = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.READY_FOR_ASSESSMENT]
    least = min(order.index(s) for s in open_ones)
    if least == 0 and any(s != Status.NOT_STARTED for s in action_statuses):
        return Status.IN_PROGRESS  # some work has started on the recommendation
    return order[least]


def headline(counts: dict[Confidence, int], total: int) -> str:
    """The sentence a committee would say: "38 recommendations: 17 complete, 21 on track, ..."."""
    noun = "recommendation" if total == 1 else "recommendations"
    parts = [
        f"{counts.get(c, 0)} {c.label.lower()}"
        for c in REPORT_ORDER
        if c in (Confidence.COMPLETE, Confidence.ON_TRACK, Confidence.AT_RISK, Confidence.OVERDUE)
        or counts.get(c, 0)
    ]
    return f"{total} {noun}: " + ", ".join(parts)
