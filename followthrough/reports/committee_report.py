"""Pure logic about a committee report's content (no Django): the month-end timeline, the
snapshot's canonical form and hash, comparisons between two reports, and the sentences a
committee reads (the chart's text alternative, what changed).

A report's content is a plain JSON-able dict built by `selectors.report_data_build`; every
renderer (HTML, PDF, Word) and every comparison reads only that dict, so a frozen snapshot
renders exactly as it did when it was tabled.
"""

from __future__ import annotations

import hashlib
import json
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from typing import Any

SCHEMA = 1
# The series in the progress chart and its data table, in the order a committee reads them.
PROGRESS_SERIES = (
    ("complete", "Complete"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("overdue", "Overdue"),
    ("no_update", "No update"),
    ("closed_not_implemented", "Closed – not implemented"),
)
# At most this many points in the chart (the most recent), so a long-running review stays legible.
MAX_PROGRESS_POINTS = 24


def long_date(value: str | date | None) -> str:
    """GOV.UK style: 24 November 2016."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def month_ends(start: date, as_at: date) -> list[date]:
    """Each month end from `start`'s month up to `as_at`, then `as_at` itself if it is not one."""
    points: list[date] = []
    year, month = start.year, start.month
    while True:
        end = date(year, month, monthrange(year, month)[1])
        if end >= as_at:
            break
        points.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    points.append(as_at)
    return points[-MAX_PROGRESS_POINTS:]


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the report's canonical JSON: a tabled report can be shown to be unchanged."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def progress_text_alternative(progress: list[dict[str, Any]]) -> str:
    """What the progress chart shows, in words, for people who cannot see it."""
    if not progress:
        return "No progress has been recorded yet."
    first, last = progress[0], progress[-1]
    span = f"from {long_date(first['on'])} to {long_date(last['on'])}"
    parts = []
    for key, label in PROGRESS_SERIES[:4]:
        start, end = first["counts"].get(key, 0), last["counts"].get(key, 0)
        if start == end:
            parts.append(f"{label.lower()} stayed at {end}")
        else:
            verb = "rose" if end > start else "fell"
            parts.append(f"{label.lower()} {verb} from {start} to {end}")
    return (
        f"Bar chart of recommendations by status at each month end {span}: "
        + "; ".join(parts)
        + ". The figures are in the table that follows."
    )


@dataclass
class RecommendationDifference:
    number: str
    title: str
    before: str  # confidence label, or "" when the recommendation is new
    after: str  # confidence label, or "" when it has gone
    before_key: str
    after_key: str
    changes: list[str] = field(default_factory=list)

    @property
    def status_changed(self) -> bool:
        return self.before_key != self.after_key


def _action_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    name = f"Action {after['reference']}"
    changes = []
    if before.get("status") != after.get("status"):
        changes.append(
            f"{name}: {before.get('status_label', '').lower()} → {after['status_label'].lower()}"
        )
    if before.get("target") != after.get("target"):
        changes.append(
            f"{name} target date: {long_date(before.get('target'))} → {long_date(after.get('target'))}"
        )
    if "latest_update" in before and "latest_update" in after:
        then, now = before.get("latest_update") or {}, after.get("latest_update") or {}
        if now and then.get("on") != now.get("on"):
            changes.append(f"{name}: new update dated {long_date(now['on'])}")
    if "verdict" in before and "verdict" in after:
        then, now = before.get("verdict") or {}, after.get("verdict") or {}
        if now and (then.get("on"), then.get("decision")) != (now.get("on"), now.get("decision")):
            changes.append(
                f"{name}: {now['decision_label'].lower()} by the assessor on {long_date(now['on'])}"
            )
    return changes


def compare_recommendations(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[RecommendationDifference]:
    """Per recommendation (matched by number), what differs between two reports' content.

    Only recommendations with a difference are returned, in the later report's order, then any
    the later report no longer has.
    """
    earlier = {r["number"]: r for r in before}
    later_numbers = {r["number"] for r in after}
    differences = []
    for rec in after:
        old = earlier.get(rec["number"])
        diff = RecommendationDifference(
            number=rec["number"],
            title=rec.get("title") or "",
            before=old["confidence_label"] if old else "",
            after=rec["confidence_label"],
            before_key=old["confidence"] if old else "",
            after_key=rec["confidence"],
        )
        if old is None:
            diff.changes.append("New since the earlier report")
        else:
            if diff.status_changed:
                diff.changes.append(f"Status: {diff.before} → {diff.after}")
            old_actions = {a["reference"]: a for a in old.get("actions", [])}
            for action in rec.get("actions", []):
                previous = old_actions.pop(action["reference"], None)
                if previous is None:
                    diff.changes.append(f"Action {action['reference']} added")
                else:
                    diff.changes.extend(_action_changes(previous, action))
            diff.changes.extend(f"Action {ref} no longer listed" for ref in old_actions)
        if diff.changes:
            differences.append(diff)
    for rec in before:
        if rec["number"] not in later_numbers:
            differences.append(
                RecommendationDifference(
                    number=rec["number"],
                    title=rec.get("title") or "",
                    before=rec["confidence_label"],
                    after="",
                    before_key=rec["confidence"],
                    after_key="",
                    changes=["Not in the later report"],
                )
            )
    return differences


def changes_summary(differences: list[RecommendationDifference], since: str) -> str:
    """One sentence for the "what changed" section, e.g. "12 recommendations changed status
    since the interim meeting on 24 November 2016, 12 of them now complete."."""
    moved = [d for d in differences if d.status_changed and d.before_key]
    if not moved:
        return f"No recommendation has changed status since {since}."
    completed = sum(1 for d in moved if d.after_key == "complete")
    noun = "recommendation has" if len(moved) == 1 else "recommendations have"
    sentence = f"{len(moved)} {noun} changed status since {since}"
    if completed:
        sentence += f", {completed} of them now complete"
    return sentence + "."


# ---------------------------------------------------------------------------------------------
# What each renderer shows: one presentation, so HTML, PDF and Word say the same things


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    empty: str = ""  # the sentence shown instead when there are no rows


@dataclass(frozen=True)
class RecommendationSection:
    heading: str
    status: str
    lead: str
    text: str
    actions: Table
    indicators: Table


@dataclass(frozen=True)
class Presentation:
    title: str
    committee: str
    meeting: str
    as_at: str
    standing: str  # tabled (frozen) or draft
    illustrative: str
    headline: str
    counts: Table
    partners: Table
    progress_alt: str
    progress: Table
    changes_summary: str
    changes: Table
    slippage: Table
    no_update_intro: str
    no_update: Table
    recommendations: list[RecommendationSection]


SECTION_HEADINGS = (
    "Summary",
    "Progress over time",
    "What changed since the last meeting",
    "Target-date slippage",
    "No update received",
    "Recommendations",
)


def _days(days: int) -> str:
    if days == 0:
        return "Back to baseline"
    word = "later" if days > 0 else "earlier"
    return f"{abs(days)} days {word}"


def _standing(item: dict[str, Any]) -> str:
    """ "Complete", or "On track (in progress)": the status only where it adds something."""
    if item["status"] in ("complete", "closed_not_implemented"):
        return str(item["confidence_label"])
    return f"{item['confidence_label']} ({item['status_label'].lower()})"


def _action_cells(action: dict[str, Any]) -> list[str]:
    target = f"Target {long_date(action['target'])}"
    if action["target"] != action["baseline_target"]:
        target += f" (baseline {long_date(action['baseline_target'])})"
    who = "\n".join(
        [
            f"Action {action['reference']}: {action['owner']}",
            _standing(action),
            target,
        ]
    )
    update = action.get("latest_update")
    claim = action.get("claim")
    verdict = action.get("verdict")
    return [
        who + "\n" + action["description"],
        f"{long_date(update['on'])}: {update['summary']}" if update else "No update yet",
        f"{long_date(claim['on'])}: {claim['text']}" if claim else "No claim yet",
        (
            f"{verdict['decision_label']} on {long_date(verdict['on'])}: {verdict['rationale']}"
            if verdict
            else "Not yet assessed"
        ),
    ]


def _indicator_cells(indicator: dict[str, Any]) -> list[str]:
    unit = indicator["unit"] or ""

    def shown(value: str | None) -> str:
        return "–" if value is None else f"{value}{unit}"

    return [
        indicator["name"] + (f"\n{indicator['note']}" if indicator.get("note") else ""),
        shown(indicator["value"]) if indicator["on"] else "No value yet",
        shown(indicator["target"]),
        long_date(indicator["on"]) if indicator["on"] else "–",
    ]


def presentation(data: dict[str, Any], tabled: dict[str, Any] | None) -> Presentation:
    """Turn a report's content into the words and tables every format shows.

    `tabled` is {"frozen_at": ISO date, "reference": short hash} for a frozen report, else None.
    """
    review, meeting = data["review"], data["meeting"]
    as_at = long_date(data["as_at"])
    labels = [label for _, label in PROGRESS_SERIES]
    keys = [key for key, _ in PROGRESS_SERIES]
    if tabled:
        standing = (
            f"Tabled report, frozen on {long_date(tabled['frozen_at'])}. "
            f"Reference {tabled['reference']}: these figures will not change."
        )
    else:
        standing = (
            f"Draft worked out from the record on {long_date(data['generated_on'])}; "
            "not a tabled report."
        )
    if meeting:
        meeting_line = f"{meeting['kind_label']} to the meeting on {long_date(meeting['meets_on'])}"
    else:
        meeting_line = "Position report (not for a scheduled meeting)"
    changes = data["changes"]
    no_update = data["no_update"]
    window = f"between {long_date(no_update['from'])} and {long_date(no_update['to'])}"
    return Presentation(
        title=review["title"],
        committee=f"Report to the {data['committee']}",
        meeting=meeting_line,
        as_at=f"Position as at {as_at}",
        standing=standing,
        illustrative=(
            "Demonstration data: the wording of recommendations and updates is illustrative."
            if review["illustrative"]
            else ""
        ),
        headline=data["headline"],
        counts=Table(
            caption=f"Recommendations by status as at {as_at}",
            headers=["Status", "Recommendations"],
            rows=[[c["label"], str(c["count"])] for c in data["counts"]]
            + [["Total", str(data["total"])]],
        ),
        partners=Table(
            caption=f"Actions by partner and status as at {as_at}",
            headers=["Partner", *labels, "Total"],
            rows=[
                [p["partner"], *(str(p["counts"].get(k, 0)) for k in keys), str(p["total"])]
                for p in data["partners"]
            ],
            empty="No actions have been agreed yet.",
        ),
        progress_alt=progress_text_alternative(data["progress"]),
        progress=Table(
            caption="Recommendations by status at each month end",
            headers=["Date", *labels],
            rows=[
                [long_date(p["on"]), *(str(p["counts"].get(k, 0)) for k in keys)]
                for p in data["progress"]
            ],
        ),
        changes_summary=changes["summary"],
        changes=Table(
            caption=f"Recommendations whose status changed since {changes['since']}",
            headers=["Recommendation", "Then", "Now"],
            rows=[
                [
                    f"{row['number']}. {row['title']}" if row["title"] else row["number"],
                    row["before"],
                    row["after"],
                ]
                for row in changes["rows"]
            ],
        ),
        slippage=Table(
            caption=f"Actions whose target date has moved, as at {as_at}",
            headers=["Action", "Owner", "Baseline target", "Target now", "Moved", "Reasons"],
            rows=[
                [
                    row["reference"],
                    row["owner"],
                    long_date(row["baseline"]),
                    long_date(row["current"]),
                    _days(row["days"]),
                    "\n".join(
                        f"{long_date(r['on'])}: {long_date(r['from'])} → {long_date(r['to'])}. "
                        f"{r['reason']}"
                        for r in row["revisions"]
                    ),
                ]
                for row in data["slippage"]
            ],
            empty=f"No target date had moved as at {as_at}.",
        ),
        no_update_intro=(
            f"Owners of open actions who sent no progress update {window}."
            if no_update["owners"]
            else f"Every owner of an open action sent a progress update {window}."
        ),
        no_update=Table(
            caption=f"No update received {window}",
            headers=["Partner", "Actions with no update (last update)"],
            rows=[
                [
                    owner["owner"],
                    "\n".join(
                        f"Action {a['reference']} ("
                        + (
                            f"last update {long_date(a['last_update_on'])}"
                            if a["last_update_on"]
                            else "no update yet"
                        )
                        + ")"
                        for a in owner["actions"]
                    ),
                ]
                for owner in no_update["owners"]
            ],
        ),
        recommendations=[
            RecommendationSection(
                heading=f"Recommendation {rec['number']}"
                + (f": {rec['title']}" if rec["title"] else ""),
                status=f"Status: {_standing(rec)}",
                lead=f"Lead partner: {rec['lead'] or 'not assigned'}",
                text=rec["text"],
                actions=Table(
                    caption=f"Actions for recommendation {rec['number']}",
                    headers=["Action", "Latest update", "Owner's claim", "Assessor's verdict"],
                    rows=[_action_cells(a) for a in rec["actions"]],
                    empty="No actions had been agreed by this date.",
                ),
                indicators=Table(
                    caption=f"Indicators for recommendation {rec['number']}",
                    headers=["Indicator", "Value", "Target", "As at"],
                    rows=[_indicator_cells(i) for i in rec.get("indicators", [])],
                ),
            )
            for rec in data["recommendations"]
        ],
    )
