"""Analyst views: thin (selector → form → service → redirect or re-render)."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services, store
from .config import insights_db_path
from .disclosure import Settings
from .forms import OffenceUploadForm, ProfileForm, PublishForm
from .models import ImportBatch
from .presentation import chart, protected_display, unprotected_display

TITLES = {spec.name: spec.title for spec in store.PROFILE_TABLES}


def _takes_turns(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Views that open the offence records: while another process holds them for too long,
    say so (503, try again) rather than fail."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except store.StoreBusy:
            response = render(request, "insights/busy.html", status=503)
            response["Retry-After"] = "60"
            return response

    return wrapped


@_takes_turns
def home(request: HttpRequest) -> HttpResponse:
    selectors.insights_require(request.user)
    with store.connect(insights_db_path()) as con:
        records = store.record_count(con)
        first, last = store.date_range(con) if records else (None, None)
    return render(
        request,
        "insights/home.html",
        {
            "records": records,
            "first": first,
            "last": last,
            "batches": selectors.import_batch_list_for_user(user=request.user)[:10],
            "releases": selectors.release_list_for_user(user=request.user)[:20],
        },
    )


@_takes_turns
@require_http_methods(["GET", "POST"])
def offence_import(request: HttpRequest) -> HttpResponse:
    selectors.insights_require(request.user)
    form = OffenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.csv"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            batch = services.offence_import(actor=request.user, path=path, filename=upload.name)
        if batch.status == ImportBatch.Status.IMPORTED:
            messages.success(
                request,
                f"{batch.filename} imported: {batch.added:,} added, {batch.updated:,} updated, "
                f"{batch.unchanged:,} unchanged.",
            )
            return redirect("insights:home")
        for error in batch.errors:
            form.add_error("file", error)
    return render(request, "insights/offence_import.html", {"form": form})


def _profile_context(request: HttpRequest, form: ProfileForm) -> dict[str, Any]:
    data = form.cleaned_data
    profile = selectors.profile_for_user(
        user=request.user,
        mode=data["mode"],
        threshold=data["threshold"],
        start=data.get("start"),
        end=data.get("end"),
    )
    if profile is None:
        return {"profile": None}
    sections = []
    for table in profile.protected.tables:
        title = TITLES.get(table.name, table.name)
        sections.append(
            {
                "protected": protected_display(table, title),
                "chart": chart(table, title),
                "unprotected": unprotected_display(profile.true_tables[table.name], title),
            }
        )
    publish = PublishForm(
        initial={
            "mode": data["mode"],
            "threshold": data["threshold"],
            "start": data.get("start"),
            "end": data.get("end"),
        }
    )
    return {"profile": profile, "sections": sections, "publish_form": publish}


@_takes_turns
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    selectors.insights_require(request.user)
    form = ProfileForm(request.GET if "mode" in request.GET else None)
    if not form.is_bound:
        form = ProfileForm({"mode": "round", "threshold": Settings().threshold})
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context.update(_profile_context(request, form))
    return render(request, "insights/profile.html", context)


@_takes_turns
@require_POST
def release_publish(request: HttpRequest) -> HttpResponse:
    selectors.insights_require(request.user)
    form = PublishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            release = services.release_publish(
                actor=request.user,
                title=data["title"],
                mode=data["mode"],
                threshold=data["threshold"],
                start=data.get("start"),
                end=data.get("end"),
            )
        except services.ReleaseNotSafe as exc:
            form.add_error(None, f"Not published: {exc}")
        else:
            messages.success(request, f"Published “{release.title}”.")
            return redirect("insights:release", release_id=release.pk)
    return render(request, "insights/release_publish.html", {"form": form})


def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    release = selectors.release_get_for_user(user=request.user, release_id=release_id)
    protected = selectors.release_protected(release)
    sections = []
    for stored, table in zip(release.tables.all(), protected.tables, strict=True):
        sections.append(
            {
                "protected": protected_display(table, stored.title),
                "chart": chart(table, stored.title),
                "audit": [
                    (" / ".join(cell.labels), cell)
                    for cell in stored.cells.all()
                    if cell.status == "suppressed"
                ],
            }
        )
    return render(
        request, "insights/release_detail.html", {"release": release, "sections": sections}
    )
