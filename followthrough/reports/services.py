"""Every write for the committee cycle: meetings, frozen reports, update requests, reminders,
escalations, in-app notifications and followers. Each checks permission, validates, changes and
writes its audit record in one transaction.

`actor` is a signed-in User, or for the scheduled commands a short label such as
"send_reminders" (they run with shell access, so they are trusted as the system).

Email goes through Django's email framework (console backend in development, SMTP in
production). A message is recorded in the same transaction as its row, and the row's unique
constraint is what stops a second send: a failed send rolls the row back so the next run
tries again; a run that finds the row already there sends nothing.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from followthrough.core.audit import audit_record
from followthrough.core.models import Organisation, User
from followthrough.core.roles import Role
from followthrough.tracker import selectors as tracker_selectors
from followthrough.tracker.models import Action, Recommendation, Review, StatusChange
from followthrough.tracker.rules import STATUS_LABELS, Status

from . import emails, permissions, selectors
from .committee_report import content_hash, long_date
from .cycle import Stage, default_requests_from, stages_due
from .models import (
    FollowerMark,
    Meeting,
    Notification,
    Reminder,
    ReportSnapshot,
    Subscription,
    UpdateRequest,
)

logger = logging.getLogger(__name__)

FOLLOWER_MARK = "status_changes"
CONFIRMATION_RESEND_AFTER = timedelta(days=1)


def _now() -> Any:
    return timezone.now()


def _is_system(actor: Any) -> bool:
    return isinstance(actor, str)


def _require(actor: Any, allowed: Callable[[Any], bool]) -> None:
    """A person must pass the permission check; a scheduled command acts as the system."""
    if not _is_system(actor) and not allowed(actor):
        raise PermissionDenied


def site_url() -> str:
    """The address links in emails start with (FOLLOWTHROUGH["SITE_URL"] when configured)."""
    configured = settings.FOLLOWTHROUGH.get("SITE_URL") or "http://127.0.0.1:8000"
    return str(configured).rstrip("/")


def _send(*, subject: str, body: str, to: list[str]) -> None:
    if to:
        EmailMessage(subject=subject, body=body, to=to).send(fail_silently=False)


def _notify(users: list[Any], *, subject: str, body: str, link: str) -> None:
    now = _now()
    Notification.objects.bulk_create(
        [
            Notification(user=u, subject=subject[:200], body=body, link=link, created_at=now)
            for u in users
        ]
    )


# ---------------------------------------------------------------------------------------------
# Meetings and frozen reports


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    review: Review,
    kind: str,
    meets_on: date,
    papers_deadline: date,
    requests_from: date | None = None,
    committee: str = "",
) -> Meeting:
    """Fix a committee meeting for a review. Update requests go out from `requests_from`
    (by default 20 working days before the papers deadline)."""
    _require(actor, permissions.can_manage_meetings)
    if papers_deadline > meets_on:
        raise ValidationError(
            {"papers_deadline": "The papers deadline must be on or before the meeting date"}
        )
    requests_from = requests_from or default_requests_from(papers_deadline)
    if requests_from > papers_deadline:
        raise ValidationError(
            {"requests_from": "Update requests must go out on or before the papers deadline"}
        )
    if meets_on < review.agreed_on:
        raise ValidationError(
            {
                "meets_on": f"The meeting must be on or after {long_date(review.agreed_on)}, "
                "when the review was agreed"
            }
        )
    if Meeting.objects.filter(review=review, meets_on=meets_on).exists():
        raise ValidationError(
            {"meets_on": "There is already a meeting on this date for this review"}
        )
    meeting = Meeting(
        review=review,
        kind=kind,
        committee=(committee or review.made_by).strip(),
        meets_on=meets_on,
        papers_deadline=papers_deadline,
        requests_from=requests_from,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(
        actor=actor,
        verb="meeting.create",
        obj=meeting,
        summary=f"{review.slug}: {meeting}",
        after={
            "kind": kind,
            "meets_on": meets_on,
            "papers_deadline": papers_deadline,
            "requests_from": requests_from,
        },
    )
    return meeting


def report_freeze(*, actor: Any, meeting: Meeting, today: date | None = None) -> ReportSnapshot:
    """Freeze (table) the meeting's report: its as-at figures are stored with their hash and
    never change afterwards. Freezing again returns the report already tabled."""
    _require(actor, permissions.can_manage_meetings)
    existing = ReportSnapshot.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    if today < meeting.papers_deadline:
        raise ValidationError(
            f"The report can be tabled from the papers deadline, "
            f"{long_date(meeting.papers_deadline)}, so that every update is in it"
        )
    data = selectors.report_data_build(
        review=meeting.review, as_at=meeting.meets_on, meeting=meeting
    )
    try:
        with transaction.atomic():
            snapshot = ReportSnapshot.objects.create(
                review=meeting.review,
                meeting=meeting,
                as_at=meeting.meets_on,
                data=data,
                content_hash=content_hash(data),
                frozen_at=_now(),
                frozen_by=None if _is_system(actor) else actor,
                frozen_by_label=actor if _is_system(actor) else actor.username,
            )
            audit_record(
                actor=actor,
                verb="report.freeze",
                obj=snapshot,
                summary=f"{meeting.review.slug}: report for {meeting} tabled",
                after={"as_at": meeting.meets_on, "hash": snapshot.content_hash},
            )
    except IntegrityError:  # somebody else froze it a moment ago
        return ReportSnapshot.objects.get(meeting=meeting)
    return snapshot


# ---------------------------------------------------------------------------------------------
# Update requests, reminders and escalation (the scheduled `send_reminders` command)


@dataclass
class CycleRun:
    requests: int = 0
    reminders: int = 0
    escalations: int = 0
    failed: int = 0


def _partner_recipients(organisation: Organisation, actions: list[Action]) -> list[Any]:
    people = {
        u.pk: u
        for u in User.objects.filter(
            organisations=organisation, role=Role.PARTNER_LEAD, is_active=True
        )
    }
    for action in actions:
        if action.owner_person is not None and action.owner_person.is_active:
            people[action.owner_person.pk] = action.owner_person
    return sorted(people.values(), key=lambda u: u.username)


def _officers() -> list[Any]:
    return list(
        User.objects.filter(role=Role.SCRUTINY_OFFICER, is_active=True).order_by("username")
    )


def _emails(users: list[Any]) -> list[str]:
    return [u.email for u in users if u.email]


def _open_actions_by_owner(meeting: Meeting, today: date) -> dict[int, list[Action]]:
    state = tracker_selectors.review_state_as_at(review=meeting.review, as_at=today)
    open_ids = [
        a.action_id
        for rec in state.recommendations.values()
        for a in rec.actions
        if a.status in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.READY_FOR_ASSESSMENT)
    ]
    by_owner: dict[int, list[Action]] = defaultdict(list)
    for action in (
        Action.objects.filter(pk__in=open_ids)
        .select_related("owner", "owner_person", "recommendation")
        .order_by("recommendation__position", "position", "id")
    ):
        by_owner[action.owner_id].append(action)
    return by_owner


def _missing_by_owner(meeting: Meeting, today: date) -> dict[int, list[Action]]:
    """Open actions with no update since requests went out, by owning partner."""
    review = meeting.review
    state = tracker_selectors.review_state_as_at(review=review, as_at=today)
    window = selectors.UpdateWindow(meeting.requests_from, min(today, meeting.papers_deadline))
    missing = selectors.actions_without_update(review=review, state=state, window=window)
    by_owner: dict[int, list[Action]] = defaultdict(list)
    for action in (
        Action.objects.filter(pk__in=missing)
        .select_related("owner", "owner_person", "recommendation")
        .order_by("recommendation__position", "position", "id")
    ):
        by_owner[action.owner_id].append(action)
    return by_owner


def _send_request(
    actor: Any, meeting: Meeting, organisation: Organisation, actions: list[Action], base: str
) -> bool:
    if UpdateRequest.objects.filter(meeting=meeting, organisation=organisation).exists():
        return False
    people = _partner_recipients(organisation, actions)
    subject = f"Update needed by {long_date(meeting.papers_deadline)}: {meeting.review.title}"
    body = emails.update_request(meeting, organisation, actions, base)
    try:
        with transaction.atomic():
            request = UpdateRequest.objects.create(
                meeting=meeting,
                organisation=organisation,
                sent_at=_now(),
                recipients="\n".join(_emails(people)),
            )
            request.actions.set(actions)
            _notify(people, subject=subject, body=body, link=reverse("tracker:dashboard"))
            audit_record(
                actor=actor,
                verb="update_request.send",
                obj=request,
                summary=f"{meeting.review.slug}: update request to {organisation.label}",
                after={"actions": [a.reference for a in actions], "recipients": len(people)},
            )
            _send(subject=subject, body=body, to=_emails(people))
    except IntegrityError:
        return False  # another run sent it a moment ago
    return True


def _send_reminder(actor: Any, request: UpdateRequest, actions: list[Action], base: str) -> bool:
    if Reminder.objects.filter(request=request, kind=Reminder.Kind.REMINDER).exists():
        return False
    meeting, organisation = request.meeting, request.organisation
    people = _partner_recipients(organisation, actions)
    subject = (
        f"Reminder: update needed by {long_date(meeting.papers_deadline)}: {meeting.review.title}"
    )
    body = emails.reminder(meeting, organisation, actions, base)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                request=request,
                kind=Reminder.Kind.REMINDER,
                sent_at=_now(),
                recipients="\n".join(_emails(people)),
            )
            _notify(people, subject=subject, body=body, link=reverse("tracker:dashboard"))
            audit_record(
                actor=actor,
                verb="reminder.send",
                obj=reminder,
                summary=f"{meeting.review.slug}: reminder to {organisation.label}",
                after={"actions": [a.reference for a in actions]},
            )
            _send(subject=subject, body=body, to=_emails(people))
    except IntegrityError:
        return False
    return True


def _send_escalation(
    actor: Any,
    meeting: Meeting,
    requests: list[UpdateRequest],
    missing: dict[int, list[Action]],
    base: str,
) -> int:
    """One message to the scrutiny officers listing every partner that has not updated; one
    escalation row per request so none is escalated twice."""
    already = set(
        Reminder.objects.filter(request__in=requests, kind=Reminder.Kind.ESCALATION).values_list(
            "request_id", flat=True
        )
    )
    due = [r for r in requests if r.pk not in already]
    if not due:
        return 0
    officers = _officers()
    subject = (
        f"Updates not received by {long_date(meeting.papers_deadline)}: {meeting.review.title}"
    )
    body = emails.escalation(
        meeting, [(r.organisation, missing[r.organisation_id]) for r in due], base
    )
    try:
        with transaction.atomic():
            for request in due:
                reminder = Reminder.objects.create(
                    request=request,
                    kind=Reminder.Kind.ESCALATION,
                    sent_at=_now(),
                    recipients="\n".join(_emails(officers)),
                )
                audit_record(
                    actor=actor,
                    verb="reminder.escalate",
                    obj=reminder,
                    summary=f"{meeting.review.slug}: {request.organisation.label} did not update",
                )
            _notify(
                officers,
                subject=subject,
                body=body,
                link=reverse("reports:review", args=[meeting.review.slug]),
            )
            _send(subject=subject, body=body, to=_emails(officers))
    except IntegrityError:
        return 0
    return len(due)


def _attempt(run: CycleRun, send: Any, *args: Any) -> int:
    """Send one message; a failure (mail server down, address refused) is logged and counted,
    its row rolled back so the next run tries again, and the other partners still get theirs."""
    try:
        return int(send(*args))
    except Exception:
        logger.exception("Committee cycle: %s failed", getattr(send, "__name__", send))
        run.failed += 1
        return 0


def committee_cycle_run(*, actor: Any, today: date, base_url: str | None = None) -> CycleRun:
    """Send whatever is due today for every meeting in its cycle: update requests to owners of
    open actions, reminders before the papers deadline to those who have not updated, and
    escalation to the scrutiny officers after it. Safe to run as often as you like."""
    base = (base_url or site_url()).rstrip("/")
    run = CycleRun()
    meetings = Meeting.objects.filter(requests_from__lte=today, meets_on__gte=today).select_related(
        "review"
    )
    for meeting in meetings.order_by("meets_on", "id"):
        due = stages_due(
            today=today,
            requests_from=meeting.requests_from,
            papers_deadline=meeting.papers_deadline,
            meets_on=meeting.meets_on,
        )
        if Stage.REQUEST in due:
            owners = _open_actions_by_owner(meeting, today)
            organisations = Organisation.objects.in_bulk(list(owners))
            for org_id, actions in owners.items():
                run.requests += _attempt(
                    run, _send_request, actor, meeting, organisations[org_id], actions, base
                )
        if Stage.REMINDER in due or Stage.ESCALATION in due:
            missing = _missing_by_owner(meeting, today)
            requests = list(
                UpdateRequest.objects.filter(
                    meeting=meeting, organisation_id__in=list(missing)
                ).select_related("organisation", "meeting__review")
            )
            if Stage.REMINDER in due:
                for request in requests:
                    run.reminders += _attempt(
                        run, _send_reminder, actor, request, missing[request.organisation_id], base
                    )
            if Stage.ESCALATION in due:
                run.escalations += _attempt(
                    run, _send_escalation, actor, meeting, requests, missing, base
                )
    return run


# ---------------------------------------------------------------------------------------------
# Followers


def _can_still_see(subscription: Subscription, review: Review) -> bool:
    user = subscription.user
    if user is None:
        return review.visibility == Review.Visibility.PUBLISHED
    return bool(
        user.is_active
        and tracker_selectors.review_list_for_user(user).filter(pk=review.pk).exists()
    )


def _change_line(change: StatusChange) -> str:
    action = change.action
    return (
        f"Action {action.reference} ({action.owner.label}): "
        f"{STATUS_LABELS[Status(change.status_from)].lower()} → "
        f"{STATUS_LABELS[Status(change.status_to)].lower()}, on {long_date(change.effective_date)}"
    )


def _history_before_followers() -> int:
    """Where a new mark starts: after every change recorded before anyone followed anything,
    so the first run does not walk years of history that is news to nobody."""
    earliest = Subscription.objects.aggregate(m=Min("confirmed_at"))["m"]
    changes = StatusChange.objects.all()
    if earliest is not None:
        changes = changes.filter(recorded_at__lt=earliest)
    return int(changes.aggregate(m=Max("id"))["m"] or 0)


def follower_notifications_send(
    *, actor: Any, base_url: str | None = None, batch: int = 2000
) -> int:
    """Tell followers about status changes recorded since the last run. A high-water mark on
    the status history makes each change announced once; people only hear of changes recorded
    after they started following. Returns the number of messages sent."""
    base = (base_url or site_url()).rstrip("/")
    sent = 0
    while True:
        with transaction.atomic():
            FollowerMark.objects.get_or_create(
                name=FOLLOWER_MARK, defaults={"last_status_change_id": _history_before_followers()}
            )
            mark = FollowerMark.objects.select_for_update().get(name=FOLLOWER_MARK)
            changes = list(
                StatusChange.objects.filter(id__gt=mark.last_status_change_id)
                .select_related("action__owner", "action__recommendation__review")
                .order_by("id")[:batch]
            )
            if not changes:
                return sent
            by_recommendation: dict[int, list[StatusChange]] = defaultdict(list)
            for change in changes:
                by_recommendation[change.action.recommendation_id].append(change)
            subscriptions = Subscription.objects.filter(
                recommendation_id__in=list(by_recommendation), confirmed_at__isnull=False
            ).select_related("user", "recommendation__review")
            for subscription in subscriptions:
                sent += _notify_follower(subscription, by_recommendation, base)
            first, last = changes[0].pk, changes[-1].pk
            mark.last_status_change_id = last
            mark.save(update_fields=["last_status_change_id", "updated_at"])
            audit_record(
                actor=actor,
                verb="followers.notify",
                obj=mark,
                summary=f"Status changes {first}–{last} announced to followers",
            )


def _notify_follower(
    subscription: Subscription, by_recommendation: dict[int, list[StatusChange]], base: str
) -> int:
    recommendation = subscription.recommendation
    review = recommendation.review
    confirmed_at = subscription.confirmed_at
    assert confirmed_at is not None
    relevant = [c for c in by_recommendation[recommendation.pk] if c.recorded_at >= confirmed_at]
    if not relevant or not _can_still_see(subscription, review):
        return 0
    subject = f"Recommendation {recommendation.number} has moved on: {review.title}"
    body = emails.follower(
        recommendation,
        [_change_line(c) for c in relevant],
        member=subscription.user is not None,
        stop_url=base + reverse("reports:follow-stop", args=[subscription.token]),
        base=base,
    )
    user = subscription.user
    try:
        if user is not None:
            _notify(
                [user],
                subject=subject,
                body=body,
                link=reverse(
                    "tracker:recommendation-detail", args=[review.slug, recommendation.number]
                ),
            )
            _send(subject=subject, body=body, to=[user.email] if user.email else [])
        else:
            _send(subject=subject, body=body, to=[subscription.email])
    except Exception:  # a bounced address must not hold up everybody else's news
        logger.exception("Could not notify follower %s", subscription.pk)
        return 0
    return 1


@transaction.atomic
def subscription_follow(*, actor: Any, recommendation: Recommendation) -> Subscription:
    """A signed-in person follows a recommendation of a review they can see."""
    if not permissions.can_follow_recommendation(actor):
        raise PermissionDenied
    existing = Subscription.objects.filter(user=actor, recommendation=recommendation).first()
    if existing is not None:
        return existing
    subscription = Subscription.objects.create(
        recommendation=recommendation,
        user=actor,
        token=secrets.token_urlsafe(32),
        created_at=_now(),
        confirmed_at=_now(),
    )
    audit_record(
        actor=actor,
        verb="subscription.follow",
        obj=subscription,
        summary=f"{recommendation.review.slug} recommendation {recommendation.number}",
    )
    return subscription


@transaction.atomic
def subscription_stop(*, actor: Any, subscription: Subscription) -> None:
    """Stop following: by the person themselves, or by anyone holding the emailed link."""
    if subscription.user is not None and not _is_system(actor) and subscription.user != actor:
        raise PermissionDenied
    audit_record(
        actor=actor,
        verb="subscription.stop",
        obj=subscription,
        summary=f"Recommendation {subscription.recommendation.number} no longer followed",
    )
    subscription.delete()


def subscription_request_by_email(
    *, recommendation: Recommendation, email: str, base_url: str | None = None
) -> None:
    """A member of the public asks to follow a published recommendation by email. Nothing is
    sent to them about it until they confirm the address from the link we email."""
    base = (base_url or site_url()).rstrip("/")
    review = recommendation.review
    if review.visibility != Review.Visibility.PUBLISHED:
        raise PermissionDenied
    email = email.strip().lower()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(recommendation=recommendation, user__isnull=True, email=email)
            .first()
        )
        if subscription is not None and subscription.confirmed_at is not None:
            return  # already following; say nothing more (the page does not reveal it either)
        now = _now()
        if subscription is None:
            subscription = Subscription.objects.create(
                recommendation=recommendation,
                email=email,
                token=secrets.token_urlsafe(32),
                created_at=now,
            )
        elif (
            subscription.confirmation_sent_at is not None
            and now - subscription.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
        ):
            return  # one confirmation email a day at most, however often the form is sent
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        # The address is personal data: the audit record names the subscription, not the email.
        audit_record(
            actor="public",
            verb="subscription.request",
            obj=subscription,
            summary=f"{review.slug} recommendation {recommendation.number}: confirmation sent",
        )
        body = emails.follow_confirm(
            recommendation, base + reverse("reports:follow-confirm", args=[subscription.token])
        )
        _send(
            subject=f"Confirm you want updates on recommendation {recommendation.number}",
            body=body,
            to=[email],
        )


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = _now()
        subscription.save(update_fields=["confirmed_at"])
        audit_record(
            actor="public",
            verb="subscription.confirm",
            obj=subscription,
            summary=f"Recommendation {subscription.recommendation.number} followed by email",
        )
    return subscription


# ---------------------------------------------------------------------------------------------
# In-app notifications


@transaction.atomic
def notifications_mark_read(*, actor: Any) -> int:
    """Mark all of the person's own notifications as read."""
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=_now())
    if count:
        audit_record(
            actor=actor,
            verb="notification.read",
            object_type="reports.notification",
            summary=f"{count} notifications marked as read",
        )
    return count
