"""Every write for imports: drafts read from reports, and action plans applied to a review.

Recommendations and actions are only ever written through the tracker's own services, so an
import checks permission and leaves the same audit records as typing them in would. Each import
is one transaction: if anything in it fails, nothing is written.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from followthrough.core.audit import audit_record
from followthrough.core.models import Organisation
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import Action, Recommendation, Review, Theme

from . import drafting, selectors
from .action_plan import (
    Change,
    ImportFailed,
    ImportPlan,
    Problem,
    ProgressCallback,
    parse_action_plan_collecting,
    plan_import,
    read_table,
)
from .drafting import DraftProblem, DraftRecommendation
from .extraction import ExtractionError
from .extraction.finding import find_recommendations
from .extraction.reading import read_document
from .models import DocumentImport
from .permissions import can_import_to_review, can_work_on_import
from .provenance import SourceParagraph, locate, source_paragraphs

DEFAULT_MAX_BYTES = 30 * 1024 * 1024


def import_max_bytes() -> int:
    """The largest report or spreadsheet accepted (FOLLOWTHROUGH["IMPORT_MAX_BYTES"])."""
    return int(settings.FOLLOWTHROUGH.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_label(size: int) -> str:
    return f"{size // (1024 * 1024)}MB"


def _display_name(filename: str) -> str:
    """The uploaded file's own name, without any folders, safe to use on disk and in messages."""
    name = re.sub(r"[^\w.\- ()]", "_", Path(filename.replace("\\", "/")).name).strip(" .")
    return name[:120] or "upload"


def _check_size(field: str, name: str, content: bytes) -> None:
    limit = import_max_bytes()
    if len(content) > limit:
        raise ValidationError(
            {field: f"{name}: the file must be smaller than {_size_label(limit)}"}
        )


# ---------------------------------------------------------------------------------------------
# Drafts read from a published report


class DraftNotReady(Exception):
    """The draft cannot be confirmed yet; `problems` says which recommendations to fix."""

    def __init__(self, problems: list[DraftProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


def _read_report(
    filename: str, content: bytes
) -> tuple[list[DraftRecommendation], list[SourceParagraph]]:
    """Extract the report's recommendations and paragraphs, or raise a one-line error.

    The extractor checks the content against the extension itself (an encrypted PDF, a renamed
    spreadsheet, junk); its messages name the file, so they are shown as they are.
    """
    name = _display_name(filename)
    with tempfile.TemporaryDirectory(prefix="followthrough-report-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            lines = read_document(path)
        except ExtractionError as error:
            message = str(error).replace(str(path), name)
            raise ValidationError({"document": message}) from error
    found = find_recommendations(lines)
    if not found:
        raise ValidationError(
            {
                "document": f"{name}: no recommendations were found in it. Check it is the "
                "report itself, or add its recommendations one at a time"
            }
        )
    paragraphs = source_paragraphs(lines)
    spans = locate([(item.title, item.text, item.page) for item in found], paragraphs)
    drafts = [
        DraftRecommendation(
            key=key,
            number=item.number,
            title=item.title or "",
            text=item.text,
            page=item.page,
            first_paragraph=span.first if span else None,
            last_paragraph=span.last if span else None,
        )
        for key, (item, span) in enumerate(zip(found, spans, strict=True), start=1)
    ]
    return drafts, paragraphs


def document_import_create(
    *, actor: Any, review: Review, filename: str, content: bytes
) -> DocumentImport:
    """Read a published report into a draft list of recommendations for the clerk to check.

    Nothing is written for a file that cannot be read or holds no recommendations. Reading a
    300-page PDF takes a few seconds, so it happens before the transaction opens.
    """
    if not can_import_to_review(actor, review):
        raise PermissionDenied
    name = _display_name(filename)
    if not content:
        raise ValidationError({"document": f"{name}: is empty"})
    _check_size("document", name, content)
    drafts, paragraphs = _read_report(filename, content)
    with transaction.atomic():
        document_import = DocumentImport(
            review=review,
            owner=actor,
            kind=DocumentImport.Kind.REPORT,
            original_name=name,
            size=len(content),
            items=[item.as_json() for item in drafts],
            last_key=len(drafts),
            paragraphs=[paragraph.as_dict() for paragraph in paragraphs],
        )
        suffix = Path(name).suffix.lower().lstrip(".")
        # A random name on disk: nothing about the upload's own name reaches the file system.
        document_import.file.save(f"{uuid.uuid4().hex}.{suffix}", ContentFile(content), save=False)
        document_import.save()
        audit_record(
            actor=actor,
            verb="document_import.upload",
            obj=document_import,
            summary=f"{review.slug}: {name} read, {len(drafts)} recommendations found",
            after={"file": name, "size": len(content), "recommendations": len(drafts)},
        )
    return document_import


def draft_items(document_import: DocumentImport) -> list[DraftRecommendation]:
    return [DraftRecommendation.from_json(data) for data in document_import.items]


def draft_paragraphs(document_import: DocumentImport) -> list[SourceParagraph]:
    return [
        SourceParagraph(
            number=int(data["number"]),
            page=data.get("page"),
            text=str(data["text"]),
            heading=bool(data.get("heading")),
        )
        for data in document_import.paragraphs
    ]


def _locked(actor: Any, document_import: DocumentImport) -> DocumentImport:
    """The draft, locked for this change; a confirmed one can no longer be edited."""
    if not can_work_on_import(actor, document_import):
        raise PermissionDenied
    locked = (
        DocumentImport.objects.select_for_update()
        .select_related("review")
        .get(pk=document_import.pk)
    )
    if locked.status != DocumentImport.Status.DRAFT:
        raise ValidationError("This draft has already been added to the review")
    return locked


def _save_items(
    actor: Any,
    locked: DocumentImport,
    items: Sequence[DraftRecommendation],
    *,
    verb: str,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> DocumentImport:
    locked.items = [item.as_json() for item in items]
    locked.last_key = max([locked.last_key, *(item.key for item in items)])
    locked.save(update_fields=["items", "last_key", "updated_at"])
    audit_record(
        actor=actor, verb=verb, obj=locked, summary=summary[:300], before=before, after=after
    )
    return locked


def _wrap(error: drafting.DraftError) -> ValidationError:
    return ValidationError(str(error))


@transaction.atomic
def document_import_edit(
    *, actor: Any, document_import: DocumentImport, key: int, number: str, title: str, text: str
) -> DocumentImport:
    """Correct one draft recommendation's number, title or text."""
    locked = _locked(actor, document_import)
    items = draft_items(locked)
    if not text.strip():
        raise ValidationError({"text": "Enter the text of the recommendation"})
    if not number.strip():
        raise ValidationError({"number": "Enter the recommendation number"})
    try:
        old = next(item for item in items if item.key == key)
        changed = drafting.edit(items, key, number=number, title=title, text=text)
    except (StopIteration, drafting.DraftError) as error:
        raise ValidationError("That recommendation is no longer in the draft") from error
    return _save_items(
        actor,
        locked,
        changed,
        verb="document_import.edit",
        summary=f"Draft recommendation {old.number} edited",
        before={"number": old.number, "title": old.title, "text": old.text},
        after={"number": number.strip(), "title": title.strip(), "text": text.strip()},
    )


@transaction.atomic
def document_import_merge(
    *, actor: Any, document_import: DocumentImport, key: int, next_key: int
) -> DocumentImport:
    """Join a draft recommendation with the one after it."""
    locked = _locked(actor, document_import)
    items = draft_items(locked)
    try:
        merged = drafting.merge_with_next(items, key, next_key)
    except drafting.DraftError as error:
        raise _wrap(error) from error
    return _save_items(
        actor,
        locked,
        merged,
        verb="document_import.merge",
        summary=f"Draft recommendations merged ({key} and {next_key})",
        after={"keys": [key, next_key]},
    )


@transaction.atomic
def document_import_split(
    *,
    actor: Any,
    document_import: DocumentImport,
    key: int,
    before_sentence: int,
    number: str,
    title: str = "",
) -> DocumentImport:
    """Split a draft recommendation in two where the second one starts."""
    locked = _locked(actor, document_import)
    if not number.strip():
        raise ValidationError({"number": "Enter the number of the second recommendation"})
    items = draft_items(locked)
    new_key = drafting.next_key(items, locked.last_key)
    try:
        parts = drafting.split(
            items,
            key,
            before_sentence=before_sentence,
            new_key=new_key,
            number=number,
            title=title,
        )
    except drafting.DraftError as error:
        raise _wrap(error) from error
    # Each half points at the paragraphs it was read from.
    paragraphs = draft_paragraphs(locked)
    if paragraphs:
        refined = []
        for item in parts:
            if item.key in (key, new_key):
                span = locate([(item.title, item.text, item.page)], paragraphs)[0]
                if span is not None:
                    item = replace(item, first_paragraph=span.first, last_paragraph=span.last)
            refined.append(item)
        parts = refined
    return _save_items(
        actor,
        locked,
        parts,
        verb="document_import.split",
        summary=f"Draft recommendation split; the second part is {number.strip()}",
        after={"key": key, "new_key": new_key, "before_sentence": before_sentence},
    )


@transaction.atomic
def document_import_set_included(
    *, actor: Any, document_import: DocumentImport, key: int, included: bool
) -> DocumentImport:
    """Exclude a draft recommendation (it is not one) or include it again."""
    locked = _locked(actor, document_import)
    try:
        items = drafting.set_included(draft_items(locked), key, included)
    except drafting.DraftError as error:
        raise _wrap(error) from error
    return _save_items(
        actor,
        locked,
        items,
        verb="document_import.include" if included else "document_import.exclude",
        summary=f"Draft recommendation {'included' if included else 'excluded'}",
        after={"key": key, "included": included},
    )


@transaction.atomic
def document_import_confirm(*, actor: Any, document_import: DocumentImport) -> list[Recommendation]:
    """Add the included draft recommendations to the review, all together or none.

    Raises `DraftNotReady` listing every recommendation that needs fixing first.
    """
    locked = _locked(actor, document_import)
    review = locked.review
    items = draft_items(locked)
    problems = drafting.problems_before_confirm(
        items, selectors.review_recommendation_numbers(review)
    )
    if problems:
        raise DraftNotReady(problems)
    position = Recommendation.objects.filter(review=review).aggregate(m=Max("position"))["m"] or 0
    created = []
    for item in items:
        if not item.included:
            continue
        position += 1
        try:
            created.append(
                tracker_services.recommendation_create(
                    actor=actor,
                    review=review,
                    number=item.number,
                    title=item.title,
                    text=item.text,
                    position=position,
                )
            )
        except ValidationError as error:
            # Anything the draft checks missed still names the recommendation to fix.
            messages = "; ".join(error.messages)
            raise DraftNotReady(
                [DraftProblem(item.key, "", f"Recommendation {item.number}: {messages}")]
            ) from error
    locked.status = DocumentImport.Status.CONFIRMED
    locked.confirmed_at = timezone.now()
    locked.outcome = {
        "added": [recommendation.number for recommendation in created],
        "excluded": sum(1 for item in items if not item.included),
    }
    locked.save(update_fields=["status", "confirmed_at", "outcome", "updated_at"])
    audit_record(
        actor=actor,
        verb="document_import.confirm",
        obj=locked,
        summary=f"{review.slug}: {len(created)} recommendations added from {locked.original_name}",
        after=locked.outcome,
    )
    return created


@transaction.atomic
def document_import_discard(*, actor: Any, document_import: DocumentImport) -> None:
    """Throw a draft away: nothing is added to the review, and the uploaded file is deleted."""
    locked = _locked(actor, document_import)
    name, pk = locked.original_name, locked.pk
    audit_record(
        actor=actor,
        verb="document_import.discard",
        object_type="documents.documentimport",
        object_id=pk,
        summary=f"Draft from {name} discarded",
    )
    file_name = locked.file.name
    locked.delete()
    if file_name:
        storage = locked.file.storage
        transaction.on_commit(lambda: storage.delete(file_name))


# ---------------------------------------------------------------------------------------------
# Action plans (CSV, XLSX)

_SERVICE_FIELD_COLUMNS = {
    "number": "recommendation_number",
    "title": "recommendation_title",
    "text": "recommendation_text",
    "lead_organisation": "lead_partner",
    "themes": "theme",
    "reference": "action_reference",
    "description": "action_description",
    "owner": "action_owner",
    "start_date": "start_date",
    "target_date": "target_date",
    "new_date": "target_date",
    "effective_date": "target_date",
    "success_measure": "success_measure",
}


def _problems_from(error: ValidationError, source: str, change: Change) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(source, change.row, _SERVICE_FIELD_COLUMNS.get(field, ""), message)
            for field, errors in error.message_dict.items()
            for message in errors
        ]
    return [Problem(source, change.row, "", message) for message in error.messages]


def action_plan_check(*, actor: Any, review: Review, source: str, content: bytes) -> ImportPlan:
    """What importing the file would change, writing nothing (the preview and --dry-run).

    Raises `ImportFailed` listing every problem in the file, by row and column.
    """
    if not can_import_to_review(actor, review):
        raise PermissionDenied
    name = _display_name(source)
    if len(content) > import_max_bytes():
        raise ImportFailed(
            [
                Problem(
                    name, 0, "", f"The file must be smaller than {_size_label(import_max_bytes())}"
                )
            ]
        )
    plan, problems = parse_action_plan_collecting(read_table(name, content))
    return plan_import(
        plan,
        existing=selectors.action_plan_existing(review),
        lookup=selectors.action_plan_lookup(),
        default_start=review.agreed_on,
        problems=problems,
    )


@dataclass(frozen=True)
class _Prefetched:
    """Looked up once per import rather than once per row."""

    organisations: dict[int, Organisation]
    themes: dict[int, Theme]
    recommendations: dict[str, Recommendation]
    actions: dict[int, Action]


def _prefetch(review: Review) -> _Prefetched:
    return _Prefetched(
        organisations={org.pk: org for org in Organisation.objects.all()},
        themes={theme.pk: theme for theme in Theme.objects.all()},
        recommendations={r.number: r for r in Recommendation.objects.filter(review=review)},
        actions={
            action.pk: action
            for action in Action.objects.filter(recommendation__review=review).select_related(
                "recommendation"
            )
        },
    )


BATCH_SIZE = 250  # rows written per batch: small enough for a smooth progress bar


def _chunks(changes: list[Change]) -> list[list[Change]]:
    return [changes[i : i + BATCH_SIZE] for i in range(0, len(changes), BATCH_SIZE)]


class _Progress:
    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback
        self.total = total
        self.done = 0

    def advance(self, count: int) -> None:
        self.done += count
        if self.callback:
            self.callback(self.done, self.total)


def _add_recommendations(
    actor: Any, review: Review, source: str, changes: list[Change], known: _Prefetched
) -> list[Problem]:
    items = [
        tracker_services.NewRecommendation(
            number=change.number,
            text=change.values["text"],
            title=change.values["title"],
            lead_organisation=known.organisations.get(change.values["lead_id"] or 0),
            themes=tuple(known.themes[pk] for pk in sorted(change.values["theme_ids"])),
        )
        for change in changes
    ]
    try:
        created = tracker_services.recommendation_create_many(
            actor=actor, review=review, items=items
        )
    except tracker_services.BatchRefused as refused:
        return [
            problem
            for index, error in refused.errors.items()
            for problem in _problems_from(error, source, changes[index])
        ]
    for recommendation in created:
        known.recommendations[recommendation.number] = recommendation
    return []


def _add_actions(
    actor: Any, review: Review, source: str, changes: list[Change], known: _Prefetched
) -> list[Problem]:
    ready = [change for change in changes if change.number in known.recommendations]
    items = []
    for change in ready:
        parent = known.recommendations[change.number]
        parent.review = review  # the audit summary names the review: no query for it
        items.append(
            tracker_services.NewAction(
                recommendation=parent,
                owner=known.organisations[change.values["owner_id"]],
                description=change.values["description"],
                start_date=change.values["start_date"],
                target_date=change.values["target_date"],
                reference=change.reference,
                success_measure=change.values["success_measure"],
            )
        )
    try:
        tracker_services.action_create_many(actor=actor, items=items)
    except tracker_services.BatchRefused as refused:
        return [
            problem
            for index, error in refused.errors.items()
            for problem in _problems_from(error, source, ready[index])
        ]
    return []


def _change_recommendation(
    actor: Any, review: Review, change: Change, known: _Prefetched, reason: str
) -> None:
    values = change.values
    recommendation = known.recommendations[change.number]
    recommendation.review = review
    updates: dict[str, Any] = {}
    if "text" in values:
        updates["text"] = values["text"]
    if "title" in values:
        updates["title"] = values["title"]
    if "lead_id" in values:
        updates["lead_organisation"] = (
            known.organisations[values["lead_id"]] if values["lead_id"] else None
        )
    if "theme_ids" in values:
        updates["themes"] = [known.themes[pk] for pk in sorted(values["theme_ids"])]
    tracker_services.recommendation_update(
        actor=actor, recommendation=recommendation, reason=reason, **updates
    )


def _change_action(actor: Any, change: Change, known: _Prefetched, reason: str) -> None:
    values = change.values
    assert change.action_id is not None
    action = known.actions[change.action_id]
    details: dict[str, Any] = {}
    if "description" in values:
        details["description"] = values["description"]
    if "owner_id" in values:
        details["owner"] = known.organisations[values["owner_id"]]
    if "success_measure" in values:
        details["success_measure"] = values["success_measure"]
    if details:
        tracker_services.action_update_details(actor=actor, action=action, reason=reason, **details)
    if "target_date" in values:
        tracker_services.action_change_target_date(
            actor=actor, action=action, new_date=values["target_date"], reason=reason
        )


def action_plan_import(
    *,
    actor: Any,
    review: Review,
    source: str,
    content: bytes,
    progress: ProgressCallback | None = None,
) -> ImportPlan:
    """Import an action plan into the review: all of it in one transaction, or nothing.

    Re-importing the same file changes nothing and records nothing; a changed file updates the
    recommendations and actions it names (never deleting any), each change audited, and a
    changed target date recorded as a revision "Updated by import of FILE".
    """
    plan = action_plan_check(actor=actor, review=review, source=source, content=content)
    if progress:
        progress(0, len(plan.changes))
    if not plan.changes:
        return plan
    _apply_plan(actor=actor, review=review, plan=plan, progress=progress)
    return plan


@transaction.atomic
def _apply_plan(
    *, actor: Any, review: Review, plan: ImportPlan, progress: ProgressCallback | None
) -> None:
    """Write the plan's changes: new recommendations, then their changes, then new actions,
    then changed actions. Every problem is collected before the whole import is rolled back."""
    reason = f"Updated by import of {plan.source}"
    known = _prefetch(review)
    counter = _Progress(progress, len(plan.changes))
    problems: list[Problem] = []

    def by_kind(kind: str) -> list[Change]:
        return [change for change in plan.changes if change.kind == kind]

    for chunk in _chunks(by_kind("add recommendation")):
        problems += _add_recommendations(actor, review, plan.source, chunk, known)
        counter.advance(len(chunk))
    for change in by_kind("change recommendation"):
        try:
            _change_recommendation(actor, review, change, known, reason)
        except ValidationError as error:
            # Keep going (each service rolled back its own part) so every problem is listed.
            problems += _problems_from(error, plan.source, change)
        counter.advance(1)
    for chunk in _chunks(by_kind("add action")):
        problems += _add_actions(actor, review, plan.source, chunk, known)
        counter.advance(len(chunk))
    for change in by_kind("change action"):
        try:
            _change_action(actor, change, known, reason)
        except ValidationError as error:
            problems += _problems_from(error, plan.source, change)
        counter.advance(1)
    if problems:
        problems.sort(key=lambda problem: problem.row)
        raise ImportFailed(problems)


def action_plan_upload(
    *, actor: Any, review: Review, filename: str, content: bytes
) -> tuple[ImportPlan, DocumentImport | None]:
    """Check an uploaded action plan and keep it as a draft to preview and confirm.

    A file with problems raises `ImportFailed` and is not kept; a file that would change
    nothing is not kept either (so re-uploading the same plan leaves no trace).
    """
    name = _display_name(filename)
    plan = action_plan_check(actor=actor, review=review, source=name, content=content)
    if not plan.changes:
        return plan, None
    with transaction.atomic():
        document_import = DocumentImport(
            review=review,
            owner=actor,
            kind=DocumentImport.Kind.ACTION_PLAN,
            original_name=name,
            size=len(content),
        )
        suffix = Path(name).suffix.lower().lstrip(".")
        document_import.file.save(f"{uuid.uuid4().hex}.{suffix}", ContentFile(content), save=False)
        document_import.save()
        audit_record(
            actor=actor,
            verb="document_import.upload",
            obj=document_import,
            summary=f"{review.slug}: action plan {name} checked, {len(plan.changes)} changes",
            after={"file": name, "size": len(content), "changes": len(plan.changes)},
        )
    return plan, document_import


def _stored_content(document_import: DocumentImport) -> bytes:
    with document_import.file.open("rb") as handle:
        return bytes(handle.read())


def action_plan_preview(*, actor: Any, document_import: DocumentImport) -> ImportPlan:
    """What confirming the stored plan would change now (the review may have moved on)."""
    return action_plan_check(
        actor=actor,
        review=document_import.review,
        source=document_import.original_name,
        content=_stored_content(document_import),
    )


@transaction.atomic
def action_plan_confirm(*, actor: Any, document_import: DocumentImport) -> ImportPlan:
    """Apply a previewed action plan. Raises `ImportFailed` (writing nothing) on any problem."""
    locked = _locked(actor, document_import)
    plan = action_plan_import(
        actor=actor,
        review=locked.review,
        source=locked.original_name,
        content=_stored_content(locked),
    )
    locked.status = DocumentImport.Status.CONFIRMED
    locked.confirmed_at = timezone.now()
    locked.outcome = {
        kind: plan.count(kind)
        for kind in ("add recommendation", "change recommendation", "add action", "change action")
    }
    locked.save(update_fields=["status", "confirmed_at", "outcome", "updated_at"])
    audit_record(
        actor=actor,
        verb="document_import.confirm",
        obj=locked,
        summary=plan.describe(),
        after=locked.outcome,
    )
    return plan
