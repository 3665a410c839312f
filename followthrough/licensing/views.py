"""Licensing pages. Thin: funnel → form → service → redirect or re-render.

Only licensing officers and administrators reach any of them; everyone else gets "not found".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from followthrough.govuk.errors import add_service_errors

from . import forms, permissions, selectors, services
from .compliance import LicenceStatus, Quarter, State, self_report_on_time
from .importing import ImportFailed, parse_dbs, parse_register, parse_training, read_table
from .models import Course, Licence, LicenceStatusChange, Licensee, NR3SSearch


def _require_officer(request: HttpRequest) -> None:
    if not permissions.can_view_register(request.user):
        raise Http404


def home(request: HttpRequest) -> HttpResponse:
    """The compliance dashboard, as at today or a chosen date."""
    _require_officer(request)
    form = forms.AsAtForm(request.GET or None)
    as_at = selectors.today()
    if form.is_valid() and form.cleaned_data["as_at"]:
        as_at = form.cleaned_data["as_at"]
    summary = selectors.register_as_at(as_at)
    quarter = Quarter.of(as_at)
    policy = selectors.compliance_policy()
    return render(
        request,
        "licensing/home.html",
        {
            "form": form,
            "as_at": as_at,
            "is_today": as_at == selectors.today(),
            "summary": summary,
            "counts": [(s, summary.count(s)) for s in State],
            "licensed": len(summary.licensed),
            "non_compliant": summary.with_state(State.NON_COMPLIANT),
            "at_risk": summary.with_state(State.AT_RISK),
            "operators_expiring": [
                e
                for e in selectors.licences_expiring(as_at, policy.at_risk_days)
                if not e.licence.is_driver_licence
            ],
            "quarter": quarter,
            "training": selectors.training_by_audience(quarter, up_to=as_at),
            "nr3s_waiting": selectors.nr3s_entries().filter(entered_on__isnull=True).count(),
            "policy": policy,
        },
    )


def licensee_list(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    form = forms.RegisterSearchForm(request.GET or None)
    search, state = "", ""
    if form.is_valid():
        search, state = form.cleaned_data["q"], form.cleaned_data["state"]
    as_at = selectors.today()
    licensees = selectors.licensee_list_for_user(request.user, search=search).prefetch_related(
        Prefetch("licences", queryset=Licence.objects.order_by("-issued_on"))
    )
    compliance = {d.record.licensee_id: d for d in selectors.register_as_at(as_at).drivers}
    rows = [(p, compliance.get(p.pk)) for p in licensees]
    if state:
        rows = [(p, c) for p, c in rows if c is not None and c.state == state]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "licensing/licensee_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "total": len(rows),
            "as_at": as_at,
            "can_edit": permissions.can_edit_register(request.user),
        },
    )


def licensee_detail(request: HttpRequest, licensee_id: int) -> HttpResponse:
    _require_officer(request)
    licensee = selectors.licensee_get_for_user(request.user, licensee_id)
    services.licensee_record_view(actor=request.user, licensee=licensee)
    as_at = selectors.today()
    licences = licensee.licences.prefetch_related(
        Prefetch(
            "status_changes", queryset=LicenceStatusChange.objects.order_by("effective_date", "id")
        )
    ).order_by("-issued_on", "-id")
    user = request.user
    return render(
        request,
        "licensing/licensee_detail.html",
        {
            "licensee": licensee,
            "as_at": as_at,
            "compliance": selectors.licensee_compliance(licensee, as_at),
            "licences": _licence_rows(list(licences), as_at),
            "dbs_checks": licensee.dbs_checks.order_by("-issued_on"),
            "status_checks": licensee.dbs_status_checks.select_related("dbs_check").order_by(
                "-checked_on"
            ),
            "attendances": licensee.attendances.select_related("course", "session").order_by(
                "-completed_on", "-id"
            ),
            "searches": licensee.nr3s_searches.order_by("-searched_on", "-id"),
            "decisions": licensee.decisions.select_related("licence", "nr3s_search").order_by(
                "-decided_on", "-id"
            ),
            "self_reports": [
                (r, self_report_on_time(r.event_at, r.reported_at))
                for r in licensee.self_reports.order_by("-event_at")
            ],
            "can_edit": permissions.can_edit_register(user),
            "can_decide": permissions.can_record_decision(user, licensee),
        },
    )


def _licence_rows(licences: list[Licence], on: Any) -> list[dict[str, Any]]:
    """Each licence period with the status a person would recognise.

    A period followed by a later one with the same number was renewed; one still held past its
    last day has expired (and can be closed).
    """
    latest: dict[str, Any] = {}
    for lic in licences:
        if lic.issued_on <= on and lic.issued_on > latest.get(lic.number, lic.issued_on.min):
            latest[lic.number] = lic.issued_on
    rows = []
    for lic in licences:
        held = lic.status in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)
        renewed = held and lic.issued_on < latest.get(lic.number, lic.issued_on)
        if renewed:
            shown = "renewed"
        elif held and on > lic.expires_on:
            shown = LicenceStatus.EXPIRED.value
        else:
            shown = lic.get_status_display().lower()
        rows.append({"licence": lic, "shown_status": shown, "can_close": held and not renewed})
    return rows


@require_http_methods(["GET", "POST"])
def licensee_create(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    form = forms.LicenseeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            licensee = services.licensee_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{licensee.name} has been added to the register")
            return redirect("licensing:licensee-detail", licensee_id=licensee.pk)
    return render(
        request,
        "licensing/form_page.html",
        {
            "form": form,
            "title": "Add a licence holder",
            "button": "Add to the register",
            "back_url": reverse("licensing:licensee-list"),
            "back_text": "Back to the register",
        },
    )


def _licensee_form_page(
    request: HttpRequest,
    licensee_id: int,
    *,
    form_class: Any,
    title: str,
    button: str,
    perform: Callable[[Licensee, dict[str, Any]], Any],
    success: str,
    allowed: Callable[[Any, Licensee], bool],
    form_kwargs: Callable[[Licensee], dict[str, Any]] | None = None,
    initial: Callable[[Licensee], dict[str, Any]] | None = None,
    intro: str = "",
) -> HttpResponse:
    """The shared shape of every form about one licence holder."""
    _require_officer(request)
    licensee = selectors.licensee_get_for_user(request.user, licensee_id)
    if not allowed(request.user, licensee):
        raise Http404
    extra = form_kwargs(licensee) if form_kwargs else {}
    if request.method == "POST":
        form = form_class(request.POST, **extra)
        if form.is_valid():
            try:
                perform(licensee, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect("licensing:licensee-detail", licensee_id=licensee.pk)
    else:
        form = form_class(initial=initial(licensee) if initial else None, **extra)
    return render(
        request,
        "licensing/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": f"{licensee.name} ({licensee.reference})",
            "intro": intro,
            "button": button,
            "back_url": reverse("licensing:licensee-detail", args=[licensee.pk]),
            "back_text": f"Back to {licensee.name}",
        },
    )


def _can_edit(user: Any, licensee: Licensee) -> bool:
    return permissions.can_edit_register(user)


def _today_initial(*fields: str) -> Callable[[Licensee], dict[str, Any]]:
    return lambda licensee: {name: selectors.today() for name in fields}


@require_http_methods(["GET", "POST"])
def training_record(request: HttpRequest, licensee_id: int) -> HttpResponse:
    def perform(licensee: Licensee, data: dict[str, Any]) -> None:
        services.attendance_record(
            actor=request.user,
            course=data["course"],
            licensee=licensee,
            completed_on=data["completed_on"],
            certificate_reference=data["certificate_reference"],
        )

    courses = Course.objects.order_by("-counts_for_driver_condition", "name")
    return _licensee_form_page(
        request,
        licensee_id,
        form_class=forms.TrainingCompletionForm,
        title="Record training completed",
        button="Record training",
        perform=perform,
        success="The training has been recorded",
        allowed=lambda user, licensee: permissions.can_manage_training(user),
        form_kwargs=lambda licensee: {"courses": courses},
        initial=_today_initial("completed_on"),
        intro="For a course completed at a session we ran, you can also record attendance on the session's page.",
    )


@require_http_methods(["GET", "POST"])
def dbs_record(request: HttpRequest, licensee_id: int) -> HttpResponse:
    def perform(licensee: Licensee, data: dict[str, Any]) -> None:
        services.dbs_check_record(
            actor=request.user,
            licensee=licensee,
            issued_on=data["issued_on"],
            level=data["level"],
            children_barred_list="children" in data["barred_lists"],
            adults_barred_list="adults" in data["barred_lists"],
            certificate_number=data["certificate_number"],
            outcome=data["outcome"],
            update_service_subscribed_on=data["update_service_subscribed_on"],
        )

    return _licensee_form_page(
        request,
        licensee_id,
        form_class=forms.DBSCheckForm,
        title="Record a DBS certificate",
        button="Record certificate",
        perform=perform,
        success="The DBS certificate has been recorded",
        allowed=_can_edit,
        initial=lambda licensee: {"level": "enhanced", "barred_lists": ["children", "adults"]},
        intro="Record the decision, not the certificate's contents.",
    )


@require_http_methods(["GET", "POST"])
def status_check_record(request: HttpRequest, licensee_id: int) -> HttpResponse:
    def perform(licensee: Licensee, data: dict[str, Any]) -> None:
        services.dbs_status_check_record(
            actor=request.user,
            licensee=licensee,
            checked_on=data["checked_on"],
            result=data["result"],
        )

    return _licensee_form_page(
        request,
        licensee_id,
        form_class=forms.StatusCheckForm,
        title="Record a DBS Update Service status check",
        button="Record status check",
        perform=perform,
        success="The status check has been recorded",
        allowed=_can_edit,
        initial=_today_initial("checked_on"),
    )


@require_http_methods(["GET", "POST"])
def nr3s_search_record(request: HttpRequest, licensee_id: int) -> HttpResponse:
    def perform(licensee: Licensee, data: dict[str, Any]) -> None:
        services.nr3s_search_record(actor=request.user, licensee=licensee, **data)

    return _licensee_form_page(
        request,
        licensee_id,
        form_class=forms.NR3SSearchForm,
        title="Record an NR3S search",
        button="Record search",
        perform=perform,
        success="The NR3S search has been recorded",
        allowed=lambda user, licensee: permissions.can_record_decision(user, licensee),
        initial=_today_initial("searched_on"),
        intro="Search the National Register of Refusals and Revocations before deciding any grant or renewal.",
    )


@require_http_methods(["GET", "POST"])
def decision_record(request: HttpRequest, licensee_id: int) -> HttpResponse:
    def perform(licensee: Licensee, data: dict[str, Any]) -> None:
        services.decision_record(actor=request.user, licensee=licensee, **data)

    def form_kwargs(licensee: Licensee) -> dict[str, Any]:
        return {
            "licences": licensee.licences.order_by("-issued_on"),
            "searches": NR3SSearch.objects.filter(
                licensee=licensee, decision__isnull=True
            ).order_by("-searched_on"),
        }

    return _licensee_form_page(
        request,
        licensee_id,
        form_class=forms.DecisionForm,
        title="Record a licensing decision",
        button="Record decision",
        perform=perform,
        success="The decision has been recorded",
        allowed=lambda user, licensee: permissions.can_record_decision(user, licensee),
        form_kwargs=form_kwargs,
        initial=_today_initial("decided_on"),
        intro="The licence holder may appeal to the magistrates' court within 21 days of notice of the decision.",
    )


@require_http_methods(["GET", "POST"])
def self_report_record(request: HttpRequest, licensee_id: int) -> HttpResponse:
    def perform(licensee: Licensee, data: dict[str, Any]) -> None:
        services.self_report_record(
            actor=request.user,
            licensee=licensee,
            event=data["event"],
            category=data["category"],
            event_at=data["event_at"],
            reported_at=data["reported_at"],
            summary=data["summary"],
        )

    return _licensee_form_page(
        request,
        licensee_id,
        form_class=forms.SelfReportForm,
        title="Record a self-report",
        button="Record self-report",
        perform=perform,
        success="The self-report has been recorded",
        allowed=_can_edit,
        initial=_today_initial("reported_on"),
        intro="Licence holders must tell us within 48 hours of an arrest and release, charge or conviction.",
    )


@require_http_methods(["GET", "POST"])
def licence_close(request: HttpRequest, licence_id: int) -> HttpResponse:
    _require_officer(request)
    licence = selectors.licence_get_for_user(request.user, licence_id)
    form = forms.LicenceCloseForm(
        request.POST or None, initial={"effective_date": selectors.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_close(actor=request.user, licence=licence, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Licence {licence.number} has been closed")
            return redirect("licensing:licensee-detail", licensee_id=licence.licensee_id)
    return render(
        request,
        "licensing/form_page.html",
        {
            "form": form,
            "title": f"Close licence {licence.number}",
            "caption": f"{licence.licensee.name} ({licence.licensee.reference})",
            "button": "Close licence",
            "back_url": reverse("licensing:licensee-detail", args=[licence.licensee_id]),
            "back_text": f"Back to {licence.licensee.name}",
        },
    )


# ---------------------------------------------------------------------------------------------
# Training for any audience


def training_home(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    return render(
        request,
        "licensing/training_home.html",
        {
            "courses": selectors.course_list(),
            "sessions": selectors.session_list(),
            "can_manage": permissions.can_manage_training(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The course '{course.name}' has been added")
            return redirect("licensing:training")
    return render(
        request,
        "licensing/form_page.html",
        {
            "form": form,
            "title": "Add a course",
            "button": "Add course",
            "back_url": reverse("licensing:training"),
            "back_text": "Back to training",
        },
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    form = forms.SessionForm(request.POST or None, initial={"held_on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The session has been added")
            return redirect("licensing:session-detail", session_id=session.pk)
    return render(
        request,
        "licensing/form_page.html",
        {
            "form": form,
            "title": "Add a training session",
            "button": "Add session",
            "back_url": reverse("licensing:training"),
            "back_text": "Back to training",
        },
    )


@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """A session's attendance list, with a form to add someone to it."""
    _require_officer(request)
    session = selectors.session_get_for_user(request.user, session_id)
    form = forms.AttendanceForm(request.POST or None)
    if (
        request.method == "POST"
        and permissions.can_manage_training(request.user)
        and form.is_valid()
    ):
        data = form.cleaned_data
        licensee = None
        reference = data["licensee_reference"].strip()
        if reference:
            licensee = (
                selectors.licensee_list_for_user(request.user)
                .filter(reference__iexact=reference)
                .first()
            )
            if licensee is None:
                form.add_error(
                    "licensee_reference", f"There is no licence holder {reference} on the register"
                )
        if not form.errors:
            try:
                services.attendance_record(
                    actor=request.user,
                    course=session.course,
                    session=session,
                    licensee=licensee,
                    attendee_name=data["attendee_name"],
                    attendee_organisation=data["attendee_organisation"],
                    attended=data["completed"] != "absent",
                    completed_on=session.held_on if data["completed"] == "yes" else None,
                    certificate_reference=data["certificate_reference"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The attendance has been recorded")
                return redirect("licensing:session-detail", session_id=session.pk)
    return render(
        request,
        "licensing/session_detail.html",
        {
            "session": session,
            "attendances": selectors.session_attendances(session),
            "form": form,
            "can_manage": permissions.can_manage_training(request.user),
        },
    )


# ---------------------------------------------------------------------------------------------
# NR3S entries and imports


def nr3s_list(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    return render(request, "licensing/nr3s_list.html", {"entries": selectors.nr3s_entries()})


@require_http_methods(["GET", "POST"])
def nr3s_entered(request: HttpRequest, entry_id: int) -> HttpResponse:
    _require_officer(request)
    entry = selectors.nr3s_entry_get_for_user(request.user, entry_id)
    form = forms.NR3SEnteredForm(request.POST or None, initial={"entered_on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.nr3s_entry_mark_entered(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The NR3S entry has been recorded")
            return redirect("licensing:nr3s")
    licensee = entry.decision.licensee
    return render(
        request,
        "licensing/form_page.html",
        {
            "form": form,
            "title": "Record the NR3S entry",
            "caption": f"{licensee.name} ({licensee.reference}): {entry.decision.get_kind_display().lower()} on {entry.decision.decided_on:%d %B %Y}",
            "button": "Record entry",
            "back_url": reverse("licensing:nr3s"),
            "back_text": "Back to NR3S entries",
        },
    )


@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload the existing register, DBS log or training attendance (all or nothing)."""
    _require_officer(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        try:
            table = read_table(upload.name, upload.read())
            if kind == "register":
                policy = selectors.compliance_policy()
                result = services.register_import(
                    actor=request.user,
                    source=upload.name,
                    rows=parse_register(
                        table,
                        driver_months=policy.driver_licence_months,
                        operator_months=policy.operator_licence_months,
                    ),
                )
            elif kind == "dbs":
                result = services.dbs_import(
                    actor=request.user, source=upload.name, rows=parse_dbs(table)
                )
            else:
                result = services.training_import(
                    actor=request.user, source=upload.name, rows=parse_training(table)
                )
        except ImportFailed as exc:
            problems = [str(p) for p in exc.problems[:50]]
            form.add_error(
                "file", "The file has problems: nothing was imported. Fix them and try again."
            )
        else:
            messages.success(request, result.describe())
            return redirect("licensing:import")
    return render(request, "licensing/import.html", {"form": form, "problems": problems})
