"""The words of the committee cycle's emails (and the in-app notifications that copy them).

Plain text built in Python rather than templates: nothing here is HTML, so nothing needs
escaping, and a formatter cannot re-indent a message.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .committee_report import long_date


def _action_lines(actions: list[Any], base: str, *, detail: bool) -> list[str]:
    lines = []
    for action in actions:
        head = f"- Action {action.reference} (recommendation {action.recommendation.number})"
        if detail:
            head += f", target date {long_date(action.target_date)}"
        lines.append(head)
        if detail:
            words = action.description.split()
            lines.append("  " + " ".join(words[:30]) + (" …" if len(words) > 30 else ""))
        lines.append("  " + base + reverse("tracker:action-update", args=[action.pk]))
    return lines


def update_request(meeting: Any, organisation: Any, actions: list[Any], base: str) -> str:
    deadline = long_date(meeting.papers_deadline)
    return "\n".join(
        [
            f"{meeting.committee} meets on {long_date(meeting.meets_on)} to consider the "
            f"{meeting.get_kind_display().lower()} on “{meeting.review.title}”.",
            "",
            f"Please post a progress update on each of {organisation.label}'s open actions by "
            f"{deadline}, the papers deadline:",
            "",
            *_action_lines(actions, base, detail=True),
            "",
            "Only the summary of progress may be published: keep anything personal in the "
            "restricted detail.",
            "",
            f"Updates that arrive after {deadline} may miss the committee's papers. Partners who "
            "have not updated are listed in the committee's report.",
        ]
    )


def reminder(meeting: Any, organisation: Any, actions: list[Any], base: str) -> str:
    return "\n".join(
        [
            f"Reminder: the papers deadline for the {meeting.committee} meeting on "
            f"{long_date(meeting.meets_on)} is {long_date(meeting.papers_deadline)}.",
            "",
            f"We have not yet had an update on these {organisation.label} actions for "
            f"“{meeting.review.title}”:",
            "",
            *_action_lines(actions, base, detail=False),
            "",
            "Partners who have not updated by the deadline are listed in the committee's report.",
        ]
    )


def escalation(meeting: Any, partners: list[tuple[Any, list[Any]]], base: str) -> str:
    lines = [
        f"The papers deadline for the {meeting.committee} meeting on "
        f"{long_date(meeting.meets_on)} (“{meeting.review.title}”) was "
        f"{long_date(meeting.papers_deadline)}.",
        "",
        "These partners have not sent an update on their open actions:",
        "",
    ]
    for organisation, actions in partners:
        references = ", ".join(f"action {a.reference}" for a in actions)
        lines.append(f"- {organisation.name}: {references}")
    lines += [
        "",
        "They will appear in the report's “no update received” list. Committee reports for this "
        "review:",
        base + reverse("reports:review", args=[meeting.review.slug]),
    ]
    return "\n".join(lines)


def follower(
    recommendation: Any, changes: list[str], *, member: bool, stop_url: str, base: str
) -> str:
    review = recommendation.review
    lines = [
        f"You are following recommendation {recommendation.number} of “{review.title}”.",
    ]
    if recommendation.title:
        lines += ["", recommendation.title]
    lines += ["", "What has changed:", "", *(f"- {line}" for line in changes), ""]
    if member:
        url = reverse("tracker:recommendation-detail", args=[review.slug, recommendation.number])
        lines += [f"See the recommendation: {base}{url}", ""]
    lines.append(f"To stop these emails: {stop_url}")
    return "\n".join(lines)


def follow_confirm(recommendation: Any, confirm_url: str) -> str:
    return "\n".join(
        [
            "Someone (we hope you) asked for an email when recommendation "
            f"{recommendation.number} of “{recommendation.review.title}” moves on.",
            "",
            "To confirm, open this link and press the button:",
            confirm_url,
            "",
            "If it was not you, ignore this email: you will not hear from us again.",
        ]
    )
