"""Import pages for scrutiny officers. Thin: funnel → form → service → redirect or re-render.

Everyone who may not set up reviews gets "not found" from the funnels in selectors.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.govuk.errors import add_service_errors

from . import forms, selectors, services
from .action_plan import COLUMN_GUIDE, ImportFailed, ImportPlan, write_csv, write_xlsx
from .drafting import DraftProblem, sentences
from .models import DocumentImport

REPORT = DocumentImport.Kind.REPORT
ACTION_PLAN = DocumentImport.Kind.ACTION_PLAN
PROBLEMS_SHOWN = 200  # enough to fix a file in one go; more only repeats the same mistake
CHANGES_SHOWN = 300


def _bound(request: HttpRequest) -> tuple[Any, Any]:
    """Form data for a POST (even an empty one, which must show "select a file"), else None."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _read_upload(upload: Any) -> bytes:
    return bytes(upload.read())


def _draft_url(document_import: DocumentImport, anchor: str = "") -> str:
    url = reverse("documents:report-draft", kwargs={"pk": document_import.pk})
    return f"{url}#{anchor}" if anchor else url


# ---------------------------------------------------------------------------------------------
# Start page


def review_imports(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_get_for_import(request.user, slug)
    return render(
        request,
        "documents/review_imports.html",
        {
            "review": review,
            "drafts": selectors.document_import_list_for_user(request.user, review),
        },
    )


# ---------------------------------------------------------------------------------------------
# Published reports


@require_http_methods(["GET", "POST"])
def report_upload(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_get_for_import(request.user, slug)
    form = forms.ReportUploadForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            document_import = services.document_import_create(
                actor=request.user,
                review=review,
                filename=upload.name,
                content=_read_upload(upload),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(document_import.items)
            messages.success(
                request,
                f"{count} recommendation{'' if count == 1 else 's'} found in "
                f"{document_import.original_name}. Check them against the report, then add them "
                "to the review.",
            )
            return redirect(_draft_url(document_import))
    return render(
        request,
        "documents/report_upload.html",
        {"review": review, "form": form, "max_mb": services.import_max_bytes() // (1024 * 1024)},
    )


def _draft_context(document_import: DocumentImport) -> dict[str, Any]:
    items = services.draft_items(document_import)
    paragraphs = services.draft_paragraphs(document_import)
    rows = []
    for position, item in enumerate(items):
        following = items[position + 1] if position + 1 < len(items) else None
        source = []
        if item.first_paragraph is not None:
            last = item.last_paragraph or item.first_paragraph
            # Enough of the source to check against; the whole text is one link away.
            source = paragraphs[item.first_paragraph - 1 : min(last, item.first_paragraph + 7)]
        rows.append(
            {
                "item": item,
                "next": following,
                "source": source,
                "more_source": item.last_paragraph is not None
                and item.first_paragraph is not None
                and item.last_paragraph - item.first_paragraph >= 8,
                "can_split": len(sentences(item.text)) > 1,
            }
        )
    return {
        "document_import": document_import,
        "review": document_import.review,
        "rows": rows,
        "included": sum(1 for item in items if item.included),
        "excluded": sum(1 for item in items if not item.included),
    }


def report_draft(request: HttpRequest, pk: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    return render(request, "documents/report_draft.html", _draft_context(document_import))


def report_source(request: HttpRequest, pk: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    return render(
        request,
        "documents/report_source.html",
        {
            "document_import": document_import,
            "review": document_import.review,
            "paragraphs": services.draft_paragraphs(document_import),
        },
    )


def _item_or_404(document_import: DocumentImport, key: int) -> Any:
    for item in services.draft_items(document_import):
        if item.key == key:
            return item
    raise Http404("No such recommendation in the draft")


@require_http_methods(["GET", "POST"])
def report_item_edit(request: HttpRequest, pk: int, key: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    item = _item_or_404(document_import, key)
    form = forms.DraftRecommendationForm(
        _bound(request)[0],
        initial={"number": item.number, "title": item.title, "text": item.text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_import_edit(
                actor=request.user, document_import=document_import, key=key, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Recommendation {form.cleaned_data['number']} has been changed"
            )
            return redirect(_draft_url(document_import, f"item-{key}"))
    return render(
        request,
        "documents/report_item_edit.html",
        {
            "form": form,
            "item": item,
            "document_import": document_import,
            "review": document_import.review,
            "source": _item_source(document_import, item),
        },
    )


def _item_source(document_import: DocumentImport, item: Any) -> list[Any]:
    if item.first_paragraph is None:
        return []
    paragraphs = services.draft_paragraphs(document_import)
    last = item.last_paragraph or item.first_paragraph
    return paragraphs[max(0, item.first_paragraph - 2) : min(last + 1, item.first_paragraph + 10)]


@require_http_methods(["GET", "POST"])
def report_item_split(request: HttpRequest, pk: int, key: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    item = _item_or_404(document_import, key)
    parts = sentences(item.text)
    form = forms.SplitForm(_bound(request)[0], sentences=parts)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_import_split(
                actor=request.user,
                document_import=document_import,
                key=key,
                before_sentence=form.cleaned_data["before_sentence"],
                number=form.cleaned_data["number"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Recommendation {item.number} has been split: the second part is "
                f"recommendation {form.cleaned_data['number']}",
            )
            return redirect(_draft_url(document_import, f"item-{key}"))
    return render(
        request,
        "documents/report_item_split.html",
        {
            "form": form,
            "item": item,
            "can_split": len(parts) > 1,
            "document_import": document_import,
            "review": document_import.review,
        },
    )


def _post_int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError as error:
        raise Http404("Not a recommendation in the draft") from error


def _report_draft_problem(
    request: HttpRequest, document_import: DocumentImport, error: ValidationError
) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_draft_url(document_import))


@require_POST
def report_item_merge(request: HttpRequest, pk: int, key: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    item = _item_or_404(document_import, key)
    try:
        services.document_import_merge(
            actor=request.user,
            document_import=document_import,
            key=key,
            next_key=_post_int(request, "next_key"),
        )
    except ValidationError as error:
        return _report_draft_problem(request, document_import, error)
    messages.success(request, f"Recommendation {item.number} has been merged with the next one")
    return redirect(_draft_url(document_import, f"item-{key}"))


@require_POST
def report_item_include(request: HttpRequest, pk: int, key: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    item = _item_or_404(document_import, key)
    included = request.POST.get("included") == "yes"
    try:
        services.document_import_set_included(
            actor=request.user, document_import=document_import, key=key, included=included
        )
    except ValidationError as error:
        return _report_draft_problem(request, document_import, error)
    messages.success(
        request,
        f"Recommendation {item.number} will be added"
        if included
        else f"Recommendation {item.number} has been excluded: it will not be added",
    )
    return redirect(_draft_url(document_import, f"item-{key}"))


@require_POST
def report_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    review = document_import.review
    try:
        created = services.document_import_confirm(
            actor=request.user, document_import=document_import
        )
    except services.DraftNotReady as not_ready:
        context = _draft_context(document_import)
        context["problems"] = _problem_links(not_ready.problems)
        return render(request, "documents/report_draft.html", context, status=400)
    except ValidationError as error:
        return _report_draft_problem(request, document_import, error)
    count = len(created)
    messages.success(
        request,
        f"{count} recommendation{'' if count == 1 else 's'} added from "
        f"{document_import.original_name}",
    )
    return redirect("tracker:review-detail", slug=review.slug)


def _problem_links(problems: list[DraftProblem]) -> list[dict[str, str]]:
    return [
        {
            "message": problem.message,
            "href": f"#item-{problem.key}" if problem.key else "#recommendations",
        }
        for problem in problems
    ]


@require_POST
def report_discard(request: HttpRequest, pk: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=REPORT)
    return _discard(request, document_import)


def _discard(request: HttpRequest, document_import: DocumentImport) -> HttpResponse:
    review = document_import.review
    try:
        services.document_import_discard(actor=request.user, document_import=document_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The draft from {document_import.original_name} has been discarded"
        )
    return redirect("documents:review-imports", slug=review.slug)


# ---------------------------------------------------------------------------------------------
# Action plans


@require_http_methods(["GET", "POST"])
def action_plan_upload(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_get_for_import(request.user, slug)
    form = forms.ActionPlanUploadForm(*_bound(request))
    problems: list[str] = []
    more_problems = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        try:
            plan, document_import = services.action_plan_upload(
                actor=request.user,
                review=review,
                filename=upload.name,
                content=_read_upload(upload),
            )
        except ImportFailed as failed:
            problems = [str(problem) for problem in failed.problems[:PROBLEMS_SHOWN]]
            more_problems = max(0, len(failed.problems) - PROBLEMS_SHOWN)
            if len(failed.problems) == 1:
                form.add_error("spreadsheet", problems[0])
                problems = []
            else:
                form.add_error(
                    "spreadsheet",
                    f"The file has {len(failed.problems)} problems: nothing was imported. "
                    "Fix them all, then upload it again.",
                )
        else:
            if document_import is None:
                messages.success(request, f"Nothing to change: {plan.describe()}")
                return redirect("documents:action-plan-upload", slug=review.slug)
            return redirect("documents:action-plan-preview", pk=document_import.pk)
    return render(
        request,
        "documents/action_plan_upload.html",
        {
            "review": review,
            "form": form,
            "problems": problems,
            "more_problems": more_problems,
            "columns": COLUMN_GUIDE,
            "max_mb": services.import_max_bytes() // (1024 * 1024),
        },
    )


_FIELD_LABELS = {
    "text": "text",
    "title": "title",
    "lead_partner": "lead partner",
    "theme": "themes",
    "description": "description",
    "owner": "owner",
    "success_measure": "success measure",
    "target_date": "target date",
}


def _change_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    """One table row per added item or changed field, as the clerk reads them."""
    rows: list[dict[str, Any]] = []
    for change in plan.changes[:CHANGES_SHOWN]:
        subject = (
            f"action {change.reference}" if change.reference else f"recommendation {change.number}"
        )
        if change.kind.startswith("add"):
            rows.append(
                {
                    "row": change.row,
                    "what": f"Add {subject}",
                    "before": "(new)",
                    "after": change.values.get("description") or change.values.get("text"),
                }
            )
            continue
        for name, (before, after) in change.fields.items():
            rows.append(
                {
                    "row": change.row,
                    "what": f"Change {subject}: {_FIELD_LABELS.get(name, name)}",
                    "before": before or "(blank)",
                    "after": after or "(blank)",
                }
            )
    return rows


def _preview_context(document_import: DocumentImport, plan: ImportPlan) -> dict[str, Any]:
    return {
        "document_import": document_import,
        "review": document_import.review,
        "plan": plan,
        "changes": _change_rows(plan),
        "more_changes": max(0, len(plan.changes) - CHANGES_SHOWN),
        "counts": [
            ("Recommendations to add", plan.count("add recommendation")),
            ("Recommendations to change", plan.count("change recommendation")),
            ("Actions to add", plan.count("add action")),
            ("Actions to change", plan.count("change action")),
        ],
    }


@require_http_methods(["GET", "POST"])
def action_plan_preview(request: HttpRequest, pk: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=ACTION_PLAN)
    review = document_import.review
    problems: list[str] = []
    plan: ImportPlan | None = None
    try:
        if request.method == "POST":
            plan = services.action_plan_confirm(actor=request.user, document_import=document_import)
            messages.success(request, plan.describe())
            return redirect("tracker:review-detail", slug=review.slug)
        plan = services.action_plan_preview(actor=request.user, document_import=document_import)
    except ImportFailed as failed:
        # The review changed since the upload (or a service refused a change): say what.
        problems = [str(problem) for problem in failed.problems[:PROBLEMS_SHOWN]]
    except ValidationError as error:
        problems = list(error.messages)
    context: dict[str, Any] = {"document_import": document_import, "review": review}
    if plan is not None:
        context = _preview_context(document_import, plan)
    context["problems"] = problems
    return render(
        request,
        "documents/action_plan_preview.html",
        context,
        status=400 if problems else 200,
    )


@require_POST
def action_plan_discard(request: HttpRequest, pk: int) -> HttpResponse:
    document_import = selectors.document_import_get_for_user(request.user, pk, kind=ACTION_PLAN)
    return _discard(request, document_import)


def action_plan_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    review = selectors.review_get_for_import(request.user, slug)
    rows = selectors.action_plan_rows(review)
    name = f"{slugify(review.slug)}-action-plan"
    if file_format == "csv":
        response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    elif file_format == "xlsx":
        response = HttpResponse(
            write_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        raise Http404("No such format")
    return response
