"""Committee report pages. Thin: funnel → form → service → redirect, re-render or file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.govuk.errors import add_service_errors
from followthrough.tracker import selectors as tracker_selectors
from followthrough.tracker.models import Review

from . import forms, permissions, selectors, services
from .committee_report import long_date
from .models import UpdateRequest
from .rendering import FORMATS, render_report, report_filename


def _require_reader(request: HttpRequest) -> None:
    if not permissions.can_read_reports(request.user):
        raise Http404


def _review(request: HttpRequest, slug: str) -> Review:
    _require_reader(request)
    return tracker_selectors.review_get_for_user(request.user, slug)


def _file(content: selectors.ReportContent, format: str) -> HttpResponse:
    response = HttpResponse(
        render_report(content, format), content_type=FORMATS[format].content_type
    )
    # Always a download, never shown in the site: the standalone report carries its own styles.
    response["Content-Disposition"] = f'attachment; filename="{report_filename(content, format)}"'
    return response


def _reports_page(
    request: HttpRequest,
    review: Review,
    *,
    report_form: forms.ReportRequestForm | None = None,
    compare_form: forms.SnapshotCompareForm | None = None,
) -> HttpResponse:
    user = request.user
    meetings = list(selectors.meeting_list(review=review))
    snapshots = selectors.snapshot_list(review=review)
    can_manage = permissions.can_manage_meetings(user)
    requests_sent: dict[int, int] = {}
    if can_manage:
        for meeting_id in UpdateRequest.objects.filter(meeting__in=meetings).values_list(
            "meeting_id", flat=True
        ):
            requests_sent[meeting_id] = requests_sent.get(meeting_id, 0) + 1
    today = tracker_selectors.today()
    return render(
        request,
        "reports/review_reports.html",
        {
            "review": review,
            "state": tracker_selectors.review_state_as_at(review=review, as_at=today),
            "rows": [
                {
                    "meeting": meeting,
                    "snapshot": selectors.snapshot_of(meeting),
                    "can_freeze": permissions.can_freeze_report(user, meeting),
                    "requests_sent": requests_sent.get(meeting.pk, 0),
                }
                for meeting in meetings
            ],
            "snapshots": [(s, selectors.snapshot_is_intact(s)) for s in snapshots],
            "report_form": report_form
            or forms.ReportRequestForm(initial={"as_at": today, "format": "pdf"}),
            "compare_form": compare_form or _latest_pair_form(snapshots),
            "formats": FORMATS,
            "can_manage": can_manage,
        },
    )


def _latest_pair_form(snapshots: Any) -> forms.SnapshotCompareForm:
    """The compare form, offering the two most recent tabled reports to start with."""
    latest = list(snapshots.order_by("-as_at", "-id")[:2])
    initial = {"later": latest[0].pk, "earlier": latest[1].pk} if len(latest) == 2 else {}
    return forms.SnapshotCompareForm(snapshots=snapshots, auto_id="compare_%s", initial=initial)


def review_reports(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review(request, slug)
    return _reports_page(request, review)


def report_download(request: HttpRequest, slug: str) -> HttpResponse:
    """A report as at any date: the tabled one if a meeting on that date was frozen, else a
    draft worked out now (never stored: only officers table reports)."""
    review = _review(request, slug)
    form = forms.ReportRequestForm(request.GET)
    if not form.is_valid():
        return _reports_page(request, review, report_form=form)
    content = selectors.report_content(review=review, as_at=form.cleaned_data["as_at"])
    return _file(content, form.cleaned_data["format"])


def snapshot_download(
    request: HttpRequest, slug: str, snapshot_id: int, format: str
) -> HttpResponse:
    _require_reader(request)
    if format not in FORMATS:
        raise Http404
    snapshot = selectors.snapshot_get_for_user(request.user, slug, snapshot_id)
    return _file(selectors.ReportContent(snapshot.data, snapshot), format)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review(request, slug)
    if not permissions.can_manage_meetings(request.user):
        raise Http404
    if request.method == "POST":
        form = forms.MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    actor=request.user, review=review, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Meeting on {long_date(meeting.meets_on)} added. Update requests go out on "
                    f"{long_date(meeting.requests_from)}.",
                )
                return redirect("reports:review", slug=review.slug)
    else:
        form = forms.MeetingForm(initial={"committee": review.made_by})
    return render(request, "reports/meeting_form.html", {"review": review, "form": form})


@require_POST
def meeting_freeze(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _require_reader(request)
    meeting = selectors.meeting_get_for_user(request.user, slug, meeting_id)
    if not permissions.can_manage_meetings(request.user):
        raise Http404
    try:
        services.report_freeze(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"The report for the meeting on {long_date(meeting.meets_on)} is tabled. "
            "Its figures will not change.",
        )
    return redirect("reports:review", slug=slug)


def snapshot_compare(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review(request, slug)
    snapshots = selectors.snapshot_list(review=review)
    form = forms.SnapshotCompareForm(request.GET, snapshots=snapshots, auto_id="compare_%s")
    if not form.is_valid():
        return _reports_page(request, review, compare_form=form)
    earlier, later = form.cleaned_data["earlier"], form.cleaned_data["later"]
    if earlier.as_at > later.as_at:
        earlier, later = later, earlier
    return render(
        request,
        "reports/compare.html",
        {
            "review": review,
            "earlier": earlier,
            "later": later,
            "differences": selectors.snapshot_compare(earlier=earlier, later=later),
        },
    )


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        messages.success(request, "All notifications marked as read")
        return redirect("reports:notifications")
    return render(
        request,
        "reports/notifications.html",
        {
            "notifications": list(selectors.notification_list_for_user(request.user)[:100]),
            "subscriptions": list(selectors.subscription_list_for_user(request.user)),
        },
    )


def _visible_recommendation(request: HttpRequest, slug: str, number: str) -> Any:
    """The recommendation if the signed-in person can see it in the tracker, else None."""
    if not permissions.can_follow_recommendation(request.user):
        return None
    try:
        review = tracker_selectors.review_get_for_user(request.user, slug)
        return tracker_selectors.recommendation_get_for_user(request.user, review, number)
    except Http404:
        return None


@login_not_required
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    """Follow a recommendation: signed-in readers with one button; the public, for published
    reviews, by confirming an email address."""
    recommendation = _visible_recommendation(request, slug, number)
    if recommendation is not None:
        subscription = selectors.subscription_for_user(request.user, recommendation)
        if request.method == "POST":
            if subscription is None:
                services.subscription_follow(actor=request.user, recommendation=recommendation)
                messages.success(request, f"You are following recommendation {number}")
            else:
                services.subscription_stop(actor=request.user, subscription=subscription)
                messages.success(request, f"You are no longer following recommendation {number}")
            return redirect("reports:follow", slug=slug, number=number)
        return render(
            request,
            "reports/follow.html",
            {
                "recommendation": recommendation,
                "review": recommendation.review,
                "following": subscription is not None,
                "member": True,
            },
        )
    recommendation = selectors.published_recommendation_get(slug, number)
    form = forms.FollowByEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_request_by_email(
                recommendation=recommendation,
                email=form.cleaned_data["email"],
                base_url=request.build_absolute_uri("/"),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        return render(
            request,
            "reports/follow_done.html",
            {
                "title": "Check your email",
                "message": "If the address is right, we have sent you a link. Open it to "
                "confirm you want updates on this recommendation.",
                "recommendation": recommendation,
            },
        )
    return render(
        request,
        "reports/follow.html",
        {
            "recommendation": recommendation,
            "review": recommendation.review,
            "form": form,
            "member": False,
        },
    )


def _published(review: Review) -> bool:
    return review.visibility == Review.Visibility.PUBLISHED


@login_not_required
@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = selectors.subscription_get_by_token(token)
    recommendation = subscription.recommendation
    if subscription.user is not None or not _published(recommendation.review):
        raise Http404
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
        return render(
            request,
            "reports/follow_done.html",
            {
                "title": "You are following this recommendation",
                "message": "We will email you when its status changes. Every email has a link "
                "to stop.",
                "recommendation": recommendation,
            },
        )
    return render(
        request,
        "reports/follow_token.html",
        {
            "title": "Confirm you want updates",
            "button": "Confirm",
            "recommendation": recommendation,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def follow_stop(request: HttpRequest, token: str) -> HttpResponse:
    subscription = selectors.subscription_get_by_token(token)
    recommendation = subscription.recommendation
    if request.method == "POST":
        services.subscription_stop(actor="follower (emailed link)", subscription=subscription)
        return render(
            request,
            "reports/follow_done.html",
            {
                "title": "You will not get any more emails",
                "message": "You are no longer following this recommendation.",
                "recommendation": recommendation,
            },
        )
    return render(
        request,
        "reports/follow_token.html",
        {
            "title": "Stop emails about this recommendation",
            "button": "Stop emails",
            "recommendation": recommendation,
        },
    )
