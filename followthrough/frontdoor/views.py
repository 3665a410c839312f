"""Front-door pages. Thin: funnel → form → service → redirect or re-render.

Two halves. The public concern form needs no account. Every other page is for the front-door team
only, and answers "not found" to everyone else, signed in or not (so these views opt out of the
sign-in redirect and do their own check: a redirect to sign in would confirm the page exists).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.govuk.errors import add_service_errors

from . import (
    clocks,
    forms,
    indicators,
    permissions,
    ratelimit,
    references,
    report_flow,
    screening,
    selectors,
    services,
)
from .models import OPENS_ASSESSMENT, Contact, ReporterKind
from .signs import SIGN_LABELS, suggested_indicators

logger = logging.getLogger(__name__)

SESSION_ACCESS = "frontdoor_access"
QUEUE_REASON = "Triage from the front-door queue"
SEARCH_REASON = "Found by reference from the front-door queue"


def phone_number() -> str:
    return str(selectors.setting("FRONT_DOOR_PHONE", "01632 960 000"))


# ---------------------------------------------------------------------------------------------
# The public concern form


def _report_context(**extra: Any) -> dict[str, Any]:
    return {"frontdoor_phone": phone_number(), **extra}


def _rate_limited(request: HttpRequest, scope: str, per_address: int, per_session: int) -> bool:
    return not ratelimit.allow(
        request,
        scope,
        per_address=per_address,
        per_session=per_session,
        window_seconds=3600,
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "frontdoor/report_too_many.html", _report_context(), status=429)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _rate_limited(request, "report-post", 300, 300):
            return _too_many(request)
        report_flow.start(request.session)
        return redirect("frontdoor:report-danger")
    return render(request, "frontdoor/report_start.html", _report_context())


def _step_url(step: report_flow.Step, changing: bool = False) -> str:
    url = reverse(f"frontdoor:{step.url_name}")
    return f"{url}?change=1" if changing else url


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_question(request: HttpRequest, slug: str) -> HttpResponse:
    step = report_flow.STEPS_BY_SLUG[slug]
    state = report_flow.load(request.session)
    if state is None:
        return redirect("frontdoor:report-start")
    if not step.applies(state):
        following = report_flow.first_incomplete(state)
        return redirect(_step_url(following) if following else reverse("frontdoor:report-check"))
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        if _rate_limited(request, "report-post", 300, 300):
            return _too_many(request)
        form = report_flow.form_for(step, state, request.POST)
        if form.is_valid():
            report_flow.record_answer(request.session, state, step, form.cleaned_data)
            if step.slug == "danger" and form.cleaned_data["immediate_danger"] == "yes":
                url = reverse("frontdoor:report-call-999")
                return redirect(f"{url}?change=1" if changing else url)
            following = report_flow.next_step(state, step, changing=changing)
            return redirect(
                _step_url(following) if following else reverse("frontdoor:report-check")
            )
    else:
        form = report_flow.form_for(step, state)
    previous = report_flow.previous_step(state, step)
    if changing:
        back_url = reverse("frontdoor:report-check")
    elif previous:
        back_url = _step_url(previous)
    else:
        back_url = reverse("frontdoor:report-start")
    template = (
        "frontdoor/report_question.html" if step.single_question else "frontdoor/report_page.html"
    )
    return render(
        request,
        template,
        _report_context(form=form, step=step, back_url=back_url, changing=changing),
    )


@login_not_required
@never_cache
def report_call_999(request: HttpRequest) -> HttpResponse:
    state = report_flow.load(request.session)
    if state is None:
        return redirect("frontdoor:report-start")
    danger = report_flow.STEPS_BY_SLUG["danger"]
    changing = request.GET.get("change") == "1"
    following = report_flow.next_step(state, danger, changing=changing)
    return render(
        request,
        "frontdoor/report_call_999.html",
        _report_context(
            continue_url=_step_url(following) if following else reverse("frontdoor:report-check"),
            back_url=_step_url(danger),
        ),
    )


def _check_rows(state: report_flow.ReportState) -> list[dict[str, Any]]:
    """The answers as summary-list rows, each with the page to change it on."""
    report = report_flow.to_report(state)
    rows: list[dict[str, Any]] = []

    def row(label: str, value: str, slug: str) -> None:
        rows.append(
            {
                "label": label,
                "value": value,
                "url": _step_url(report_flow.STEPS_BY_SLUG[slug], True),
            }
        )

    row("A child is in immediate danger", "Yes" if report.immediate_danger else "No", "danger")
    row("Child's name", report.child_name or "Not known", "child")
    age = "Not known"
    if report.child_age is not None:
        age = f"{report.child_age}{' (best guess)' if report.child_age_estimated else ''}"
    row("Child's age", age, "child")
    row("School or college", report.child_school or "Not known", "child")
    row("Where they live or spend time", report.child_area or "Not known", "child")
    row("What has happened", report.what_happened, "what_happened")
    row("When", report.when_happened or "Not given", "what_happened")
    row("Signs", "; ".join(SIGN_LABELS[s] for s in report.signs) or "None selected", "signs")
    row("You are", dict(ReporterKind.choices).get(report.reporter_kind, ""), "who")
    if report.reporter_kind != "professional":
        row("Your details", "Anonymous" if report.reporter_anonymous else "Given", "anonymous")
    if not report.reporter_anonymous:
        details = [report.reporter_name, report.reporter_phone, report.reporter_email]
        if report.reporter_organisation:
            details.append(report.reporter_organisation)
        if report.reporter_role:
            details.append(report.reporter_role)
        row("Name and contact details", ", ".join(d for d in details if d), "details")
    consent_labels = dict(forms.ConsentForm.base_fields["consent"].choices)  # type: ignore[attr-defined]
    row("The child or family know", consent_labels.get(report.consent, ""), "consent")
    return rows


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_check(request: HttpRequest) -> HttpResponse:
    state = report_flow.load(request.session)
    sent = report_flow.sent(request.session)
    if request.method == "POST":
        form = forms.CheckForm(request.POST)
        posted_key = str(request.POST.get("idempotency_key", ""))
        if sent and sent["key"] == posted_key:
            return redirect("frontdoor:report-sent")  # sent already: a second press of "Send"
        if (
            state is None
            or not form.is_valid()
            or str(form.cleaned_data["idempotency_key"]) != state.key
        ):
            messages.info(
                request, "Your answers have been cleared. Start again to report a concern."
            )
            return redirect("frontdoor:report-start")
        if form.cleaned_data["website"]:
            # The honeypot was filled: a bot. Look the same as a success and save nothing.
            logger.info("Front-door form honeypot tripped")
            report_flow.finish(request.session, key=state.key, reference=references.new_reference())
            return redirect("frontdoor:report-sent")
        missing = report_flow.first_incomplete(state)
        if missing:
            return redirect(_step_url(missing))
        if selectors.contact_by_idempotency_key(state.key) is None and _rate_limited(
            request, "report-send", int(selectors.setting("FRONTDOOR_SENDS_PER_HOUR", 20)), 5
        ):
            return _too_many(request)
        try:
            contact, _created = services.contact_submit(
                report=report_flow.to_report(state), idempotency_key=state.key
            )
        except DatabaseError:
            logger.exception("Front-door concern could not be saved")
            return render(request, "frontdoor/report_problem.html", _report_context(), status=503)
        except ValidationError:
            missing = report_flow.first_incomplete(state) or report_flow.STEPS[0]
            return redirect(_step_url(missing))
        # Committed: from here on the report is safe whatever happens to this response.
        report_flow.finish(request.session, key=state.key, reference=contact.reference)
        return redirect("frontdoor:report-sent")
    if state is None:
        return redirect("frontdoor:report-start")
    missing = report_flow.first_incomplete(state)
    if missing:
        return redirect(_step_url(missing))
    form = forms.CheckForm(initial={"idempotency_key": state.key})
    last = report_flow.applicable_steps(state)[-1]
    return render(
        request,
        "frontdoor/report_check.html",
        _report_context(form=form, rows=_check_rows(state), back_url=_step_url(last)),
    )


@login_not_required
@never_cache
def report_sent(request: HttpRequest) -> HttpResponse:
    sent = report_flow.sent(request.session)
    if not sent:
        return redirect("frontdoor:report-start")
    return render(
        request,
        "frontdoor/report_sent.html",
        _report_context(reference=references.display(sent["reference"])),
    )


# ---------------------------------------------------------------------------------------------
# The front-door team


def _only(allowed: Callable[[Any], bool]) -> Callable[..., Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_not_required
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Front-door team only; everyone else, including anonymous visitors, gets "not found" (before
# any other answer, such as "method not allowed", could confirm the page exists).
staff_only = _only(permissions.is_frontdoor_staff)
manager_only = _only(permissions.is_frontdoor_manager)


def _access_reasons(request: HttpRequest) -> dict[str, Any]:
    value = request.session.get(SESSION_ACCESS)
    return value if isinstance(value, dict) else {}


def _remember_reason(request: HttpRequest, contact: Contact, reason: str) -> None:
    reasons = _access_reasons(request)
    reasons[str(contact.pk)] = {"reason": reason, "at": timezone.now().isoformat()}
    request.session[SESSION_ACCESS] = reasons


def _current_reason(request: HttpRequest, contact: Contact) -> str:
    entry = _access_reasons(request).get(str(contact.pk))
    if not entry:
        return ""
    minutes = int(selectors.setting("FRONTDOOR_ACCESS_REASON_MINUTES", 30))
    if timezone.now() - datetime.fromisoformat(entry["at"]) > timedelta(minutes=minutes):
        return ""
    return str(entry["reason"])


def _open(
    request: HttpRequest, reference: str, *, verb: str = "contact.view"
) -> tuple[Contact, HttpResponse | None]:
    """Fetch a contact for a page that shows it: ask for the reason first, then audit the view."""
    contact = selectors.contact_get_for_user(request.user, reference)
    source = request.GET.get("from")
    if source in ("queue", "search"):
        _remember_reason(request, contact, QUEUE_REASON if source == "queue" else SEARCH_REASON)
    if request.method != "GET":
        # A form being sent is audited by its own service. It never bounces to the reason page:
        # that would throw away a rationale typed over a long phone call.
        return contact, None
    reason = _current_reason(request, contact)
    if not reason:
        url = reverse("frontdoor:contact-open", args=[contact.reference])
        return contact, redirect(f"{url}?next={request.path}")
    services.contact_record_access(actor=request.user, contact=contact, verb=verb, reason=reason)
    return contact, None


@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    view = request.GET.get("view", "waiting")
    if view not in selectors.QUEUE_VIEWS:
        view = "waiting"
    search = forms.QueueSearchForm(request.GET or None)
    if search.is_valid() and search.cleaned_data["q"]:
        term = references.normalise(search.cleaned_data["q"])
        found = selectors.contact_list_for_user(request.user).filter(reference=term).first()
        if found:
            services.contact_record_access(
                actor=request.user, contact=found, verb="contact.search", reason=SEARCH_REASON
            )
            url = reverse("frontdoor:contact-detail", args=[found.reference])
            return redirect(f"{url}?from=search")
        search.add_error("q", "No contact has that reference. Check it and try again")
    return render(
        request,
        "frontdoor/queue.html",
        {
            "rows": selectors.queue_for_user(request.user, view=view, now=now),
            "counts": selectors.queue_counts(request.user, now=now),
            "view": view,
            "view_label": selectors.QUEUE_VIEWS[view],
            "views": selectors.QUEUE_VIEWS,
            "search": search,
            "form": search,
            "now": now,
            "can_export": permissions.can_export_contacts(request.user),
            "can_view_figures": permissions.can_publish_figures(request.user),
        },
    )


@staff_only
def queue_export(request: HttpRequest) -> HttpResponse:
    if not permissions.can_export_contacts(request.user):
        raise Http404
    now = timezone.now()
    rows = selectors.queue_for_user(request.user, view="waiting", now=now, limit=5000)
    services.contacts_record_access(
        actor=request.user,
        contacts=[r.contact for r in rows],
        verb="contact.export",
        reason="Download of the front-door queue",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="front-door-queue-{now:%Y%m%d-%H%M}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "reference",
            "received",
            "decision due",
            "urgency",
            "immediate danger",
            "band",
            "assigned to",
        ]
    )
    for row in rows:
        c = row.contact
        writer.writerow(
            [
                c.reference,
                clocks.local_time(c.received_at).strftime("%Y-%m-%d %H:%M"),
                clocks.local_time(c.decision_due_at).strftime("%Y-%m-%d %H:%M"),
                row.urgency.label if row.urgency else "",
                "yes" if c.immediate_danger else "no",
                row.band,
                c.assigned_to.username if c.assigned_to else "",
            ]
        )
    return response


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@staff_only
@require_http_methods(["GET", "POST"])
def contact_open(request: HttpRequest, reference: str) -> HttpResponse:
    contact = selectors.contact_get_for_user(request.user, reference)
    default = reverse("frontdoor:contact-detail", args=[contact.reference])
    if request.method == "POST":
        form = forms.AccessReasonForm(request.POST)
        if form.is_valid():
            _remember_reason(request, contact, form.reason_text)
            return redirect(_safe_next(request, default))
    else:
        form = forms.AccessReasonForm()
    return render(
        request,
        "frontdoor/contact_open.html",
        {"form": form, "contact": contact, "next": _safe_next(request, default)},
    )


def _detail_context(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    now = timezone.now()
    screenings = selectors.screenings_for(contact)
    decisions = selectors.decisions_for(contact)
    assessments = selectors.assessments_for(contact)
    user = request.user
    return {
        "contact": contact,
        "reference_display": references.display(contact.reference),
        "urgency": None
        if contact.decided_at
        else clocks.urgency(contact.decision_due_at, now, selectors.amber_hours()),
        "time_left": "" if contact.decided_at else clocks.time_left(contact.decision_due_at, now),
        "signs": [SIGN_LABELS.get(s, s) for s in contact.signs or []],
        "screenings": screenings,
        "latest_screening": screenings[-1] if screenings else None,
        "decisions": decisions,
        "assessments": [
            {
                "assessment": a,
                "overdue": a.completed_at is None and now > a.due_at,
                "can_complete": permissions.can_complete_assessment(user, a),
            }
            for a in assessments
        ],
        "holds": selectors.active_legal_holds(contact),
        "can_assign": permissions.can_assign_contact(user, contact),
        "can_screen": permissions.can_screen_contact(user, contact),
        "can_decide": permissions.can_decide_contact(user, contact),
        "can_view_access_log": permissions.can_view_access_log(user, contact),
        "can_manage_legal_hold": permissions.can_manage_legal_hold(user, contact),
        "assign_form": forms.AssignForm(
            initial={"assignee": str(contact.assigned_to_id or "")},
            staff=list(selectors.frontdoor_staff()),
        ),
        "screening_tool": screening,
    }


@staff_only
def contact_detail(request: HttpRequest, reference: str) -> HttpResponse:
    contact, response = _open(request, reference)
    if response:
        return response
    return render(request, "frontdoor/contact_detail.html", _detail_context(request, contact))


@staff_only
def contact_print(request: HttpRequest, reference: str) -> HttpResponse:
    contact, response = _open(request, reference, verb="contact.print")
    if response:
        return response
    context = _detail_context(request, contact)
    context["printed_at"] = timezone.now()
    return render(request, "frontdoor/contact_print.html", context)


@staff_only
@require_POST
def contact_assign(request: HttpRequest, reference: str) -> HttpResponse:
    contact = selectors.contact_get_for_user(request.user, reference)
    if not permissions.can_assign_contact(request.user, contact):
        raise Http404
    form = forms.AssignForm(request.POST, staff=list(selectors.frontdoor_staff()))
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        services.contact_assign(actor=request.user, contact=contact, assignee=assignee)
        messages.success(
            request, f"Assigned to {assignee}" if assignee else "The contact is now unassigned"
        )
    return redirect("frontdoor:contact-detail", reference=contact.reference)


@staff_only
@require_http_methods(["GET", "POST"])
def contact_screening(request: HttpRequest, reference: str) -> HttpResponse:
    contact, response = _open(request, reference)
    if response:
        return response
    if not permissions.can_screen_contact(request.user, contact):
        raise Http404
    tool = screening.current_tool()
    previous = selectors.screenings_for(contact)
    if request.method == "POST":
        form = forms.ScreeningForm(request.POST, tool=tool)
        if form.is_valid():
            try:
                row = services.screening_record(
                    actor=request.user,
                    contact=contact,
                    indicators=form.indicators,
                    child_age=form.cleaned_data["child_age"],
                    override_band=form.cleaned_data["override_band"],
                    override_reason=form.cleaned_data["override_reason"],
                    tool_version=tool.version,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Screening saved: {row.get_band_display().lower()}")
                return redirect("frontdoor:contact-detail", reference=contact.reference)
    else:
        if previous and previous[-1].tool_version == tool.version:
            codes, age = list(previous[-1].indicators or []), previous[-1].child_age
        else:
            codes, age = suggested_indicators(list(contact.signs or [])), contact.child_age
        form = forms.ScreeningForm(
            initial={"child_age": age, **forms.ScreeningForm.initial_for(tool, codes)}, tool=tool
        )
    return render(
        request,
        "frontdoor/contact_screening.html",
        {
            "form": form,
            "contact": contact,
            "tool": tool,
            "latest": previous[-1] if previous else None,
            "from_signs": not previous,
        },
    )


@staff_only
@require_http_methods(["GET", "POST"])
def contact_decision(request: HttpRequest, reference: str) -> HttpResponse:
    contact, response = _open(request, reference)
    if response:
        return response
    if not permissions.can_decide_contact(request.user, contact):
        raise Http404
    if request.method == "POST":
        form = forms.DecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = services.decision_record(
                    actor=request.user,
                    contact=contact,
                    outcome=form.cleaned_data["outcome"],
                    rationale=form.cleaned_data["rationale"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                text = f"Decision recorded: {decision.get_outcome_display()}"
                if decision.outcome in OPENS_ASSESSMENT and hasattr(decision, "assessment"):
                    due = clocks.local_time(decision.assessment.due_at)
                    text += f". The assessment is due by {due.day} {due:%B %Y}"
                messages.success(request, text)
                return redirect("frontdoor:contact-detail", reference=contact.reference)
    else:
        form = forms.DecisionForm()
    screenings = selectors.screenings_for(contact)
    return render(
        request,
        "frontdoor/contact_decision.html",
        {
            "form": form,
            "contact": contact,
            "latest_screening": screenings[-1] if screenings else None,
            "decisions": selectors.decisions_for(contact),
        },
    )


@staff_only
@require_http_methods(["GET", "POST"])
def assessment_complete(request: HttpRequest, reference: str, assessment_id: int) -> HttpResponse:
    contact, response = _open(request, reference)
    if response:
        return response
    assessment = selectors.assessment_get_for_user(request.user, contact, assessment_id)
    if not permissions.can_complete_assessment(request.user, assessment):
        raise Http404
    if request.method == "POST":
        form = forms.AssessmentCompleteForm(request.POST)
        if form.is_valid():
            try:
                services.assessment_complete(
                    actor=request.user,
                    assessment=assessment,
                    overrun_reason=form.cleaned_data["overrun_reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Assessment recorded as completed")
                return redirect("frontdoor:contact-detail", reference=contact.reference)
    else:
        form = forms.AssessmentCompleteForm()
    return render(
        request,
        "frontdoor/assessment_complete.html",
        {
            "form": form,
            "contact": contact,
            "assessment": assessment,
            "overdue": timezone.now() > assessment.due_at,
        },
    )


@manager_only
def contact_access_log(request: HttpRequest, reference: str) -> HttpResponse:
    contact = selectors.contact_get_for_user(request.user, reference)
    if not permissions.can_view_access_log(request.user, contact):
        raise Http404
    services.contact_record_access(
        actor=request.user,
        contact=contact,
        verb="contact.access_log",
        reason="Manager checking who accessed the record",
    )
    events = list(selectors.contact_access_log(contact))
    return render(
        request,
        "frontdoor/contact_access_log.html",
        {"contact": contact, "events": events, "verbs": services.ACCESS_VERBS},
    )


@manager_only
@require_http_methods(["GET", "POST"])
def contact_legal_hold(request: HttpRequest, reference: str) -> HttpResponse:
    contact = selectors.contact_get_for_user(request.user, reference)
    if not permissions.can_manage_legal_hold(request.user, contact):
        raise Http404
    if request.method == "POST":
        form = forms.LegalHoldForm(request.POST)
        if form.is_valid():
            services.legal_hold_place(
                actor=request.user, contact=contact, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Legal hold placed: this record will not be disposed of")
            return redirect("frontdoor:contact-detail", reference=contact.reference)
    else:
        form = forms.LegalHoldForm()
    return render(
        request,
        "frontdoor/contact_legal_hold.html",
        {"form": form, "contact": contact, "holds": selectors.active_legal_holds(contact)},
    )


@manager_only
@require_POST
def legal_hold_lift(request: HttpRequest, reference: str, hold_id: int) -> HttpResponse:
    contact = selectors.contact_get_for_user(request.user, reference)
    hold = selectors.legal_hold_get_for_user(request.user, contact, hold_id)
    services.legal_hold_lift(actor=request.user, hold=hold)
    messages.success(request, "Legal hold lifted")
    return redirect("frontdoor:contact-detail", reference=contact.reference)


@manager_only
def figures(request: HttpRequest) -> HttpResponse:
    """Aggregate figures only: what the front door reports to the tracker."""
    if not permissions.can_publish_figures(request.user):
        raise Http404
    as_at = timezone.localdate()
    return render(
        request,
        "frontdoor/figures.html",
        {"figures": indicators.figures_as_at(as_at), "as_at": as_at},
    )
