"""Open data: a published review's progress as at a date, as JSON and as CSV.

Built only from `public.selectors`, so the downloads hold exactly what the public pages show:
public narrative, the owner's claim, the assessor's verdict and target-date changes with reasons;
never restricted detail or evidence.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from followthrough.tracker.models import Review

from . import selectors

# Spreadsheet programs run a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def review_summary(review: Review, state: selectors.ReviewState) -> dict[str, Any]:
    counts = state.counts
    return {
        "slug": review.slug,
        "title": review.title,
        "kind": review.kind,
        "made_by": review.made_by,
        "agreed_on": review.agreed_on.isoformat(),
        "summary": review.summary,
        "source_url": review.source_url,
        "illustrative": review.illustrative,
        "as_at": state.as_at.isoformat(),
        "headline": state.headline,
        "recommendations_total": state.total,
        "counts": {c.value: counts[c] for c in counts},
    }


def _action_data(action: selectors.PublicAction) -> dict[str, Any]:
    state = action.state
    claim, verdict = action.latest_claim, action.latest_verdict
    return {
        "reference": action.reference,
        "description": action.description,
        "owner": action.owner,
        "success_measure": action.success_measure,
        "status": state.status.value if state else None,
        "confidence": state.confidence.value if state else None,
        "baseline_target_date": state.baseline_target_date.isoformat() if state else None,
        "target_date": state.target_date.isoformat() if state else None,
        "last_update_on": state.last_update_on.isoformat()
        if state and state.last_update_on
        else None,
        "owner_claim": claim.as_dict() if claim else None,
        "assessor_verdict": verdict.as_dict() if verdict else None,
        "history": [entry.as_dict() for entry in action.history],
    }


def review_data(review: Review, *, as_at: date) -> dict[str, Any]:
    """The whole published review as at `as_at`, as plain JSON-ready data."""
    state = selectors.published_review_state(review=review, as_at=as_at)
    rows = selectors.published_recommendation_rows(review=review, state=state)
    recommendations = selectors.public_recommendations(
        review=review, state=state, recommendations=[row.recommendation for row in rows]
    )
    return {
        "review": review_summary(review, state),
        "recommendations": [
            {
                "number": item.recommendation.number,
                "title": item.recommendation.title,
                "text": item.recommendation.text,
                "themes": [t.name for t in item.recommendation.themes.all()],
                "lead_partner": item.recommendation.lead_organisation.name
                if item.recommendation.lead_organisation
                else None,
                "partners": [p.name for p in item.recommendation.partners.all()],
                "response": item.recommendation.response,
                "response_reason": item.recommendation.response_reason,
                "status": item.state.status.value,
                "confidence": item.state.confidence.value,
                "actions": [_action_data(a) for a in item.actions],
            }
            for item in recommendations
        ],
    }


CSV_COLUMNS = [
    "review",
    "as_at",
    "recommendation_number",
    "recommendation_title",
    "recommendation_confidence",
    "lead_partner",
    "themes",
    "action_reference",
    "action_description",
    "action_owner",
    "action_status",
    "action_confidence",
    "baseline_target_date",
    "target_date",
    "target_date_changes",
    "last_update_on",
    "latest_public_summary",
    "owner_confidence",
    "status_claimed",
    "assessor_decision",
    "assessor_decided_on",
    "assessor_rationale",
]


def _safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def review_csv(review: Review, *, as_at: date) -> str:
    """One row per action (or per recommendation with no action yet)."""
    data = review_data(review, as_at=as_at)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rec in data["recommendations"]:
        base = [
            review.slug,
            data["review"]["as_at"],
            rec["number"],
            rec["title"],
            rec["confidence"],
            rec["lead_partner"],
            "; ".join(rec["themes"]),
        ]
        for action in rec["actions"] or [None]:
            if action is None:
                writer.writerow([_safe_cell(v) for v in base + [""] * (len(CSV_COLUMNS) - 7)])
                continue
            claim = action["owner_claim"] or {}
            verdict = action["assessor_verdict"] or {}
            changes = "; ".join(
                f"{e['date']}: {e['previous_date']} to {e['new_date']} ({e['reason']})"
                for e in reversed(action["history"])
                if e["kind"] == "target_date"
            )
            row = base + [
                action["reference"],
                action["description"],
                action["owner"],
                action["status"],
                action["confidence"],
                action["baseline_target_date"],
                action["target_date"],
                changes,
                action["last_update_on"],
                claim.get("public_summary"),
                claim.get("owner_confidence"),
                claim.get("status_claimed"),
                verdict.get("decision"),
                verdict.get("date"),
                verdict.get("rationale"),
            ]
            writer.writerow([_safe_cell(v) for v in row])
    return out.getvalue()
