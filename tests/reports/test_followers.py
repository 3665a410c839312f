"""Following a recommendation: members at once, the public after confirming their address;
each status change announced once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from followthrough.reports import services
from followthrough.reports.models import Notification, Subscription
from followthrough.tracker import services as tracker_services
from followthrough.tracker.models import Recommendation
from tests.reports.factories import build_cycle


def _outreach_ready(cycle):
    action = cycle.actions["outreach"]
    action.refresh_from_db()
    tracker_services.update_submit(
        actor=cycle.leads["health"],
        action=action,
        effective_date=timezone.localdate(),
        public_summary="Outreach service launched.",
        owner_confidence="on_track",
        status_to="ready_for_assessment",
    )


def _sign_off_outreach(cycle):
    action = cycle.actions["outreach"]
    action.refresh_from_db()
    tracker_services.action_assess(
        actor=cycle.assessor,
        action=action,
        decision="signed_off",
        rationale="Service running.",
        decided_on=timezone.localdate(),
    )


def _send():
    return services.follower_notifications_send(actor="test", base_url="https://ft.example.gov.uk")


def test_member_hears_of_a_status_change_once(cycle):
    recommendation = Recommendation.objects.get(review=cycle.review, number="3")
    services.subscription_follow(actor=cycle.member, recommendation=recommendation)
    # History recorded before they followed is not news to them.
    assert _send() == 0
    _outreach_ready(cycle)
    assert _send() == 1
    (message,) = mail.outbox
    assert message.to == ["councillor@example.gov.uk"]
    assert "Action 3.1 (Health): in progress → ready for assessment" in message.body
    assert Notification.objects.filter(user=cycle.member).count() == 1
    assert _send() == 0
    call_command("send_notifications", stdout=_Sink())
    assert len(mail.outbox) == 1


def test_following_twice_keeps_one_subscription(cycle):
    recommendation = Recommendation.objects.get(review=cycle.review, number="3")
    first = services.subscription_follow(actor=cycle.member, recommendation=recommendation)
    assert services.subscription_follow(actor=cycle.member, recommendation=recommendation) == first


def test_public_follower_hears_nothing_until_they_confirm(cycle):
    recommendation = Recommendation.objects.get(review=cycle.review, number="3")
    services.subscription_request_by_email(
        recommendation=recommendation, email="Resident@Example.org", base_url="https://ft.example"
    )
    (confirm,) = mail.outbox
    subscription = Subscription.objects.get(email="resident@example.org")
    assert f"https://ft.example/reports/follow/confirm/{subscription.token}/" in confirm.body
    _outreach_ready(cycle)
    assert _send() == 0

    services.subscription_confirm(subscription=subscription)
    _sign_off_outreach(cycle)
    assert _send() == 1
    news = mail.outbox[-1]
    assert news.to == ["resident@example.org"]
    assert "ready for assessment → complete (signed off)" in news.body
    assert f"/reports/follow/stop/{subscription.token}/" in news.body
    assert "Service running" not in news.body  # reasons stay on the site, not in email


def test_public_cannot_follow_a_draft_review(db):
    cycle = build_cycle(published=False)
    recommendation = Recommendation.objects.get(review=cycle.review, number="3")
    with pytest.raises(PermissionDenied):
        services.subscription_request_by_email(recommendation=recommendation, email="a@b.org")


def test_followers_of_a_review_that_is_unpublished_hear_nothing(cycle):
    recommendation = Recommendation.objects.get(review=cycle.review, number="3")
    services.subscription_request_by_email(recommendation=recommendation, email="a@b.org")
    services.subscription_confirm(subscription=Subscription.objects.get(email="a@b.org"))
    tracker_services.review_set_visibility(
        actor=cycle.officer, review=cycle.review, visibility="draft"
    )
    _outreach_ready(cycle)
    mail.outbox.clear()
    assert _send() == 0


def test_stopping_ends_the_emails(cycle):
    recommendation = Recommendation.objects.get(review=cycle.review, number="3")
    subscription = services.subscription_follow(actor=cycle.member, recommendation=recommendation)
    with pytest.raises(PermissionDenied):
        services.subscription_stop(actor=cycle.officer, subscription=subscription)
    services.subscription_stop(actor=cycle.member, subscription=subscription)
    _outreach_ready(cycle)
    assert _send() == 0


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def test_public_form_sends_at_most_one_confirmation_a_day(cycle):
    recommendation = Recommendation.objects.get(review=cycle.review, number="3")
    for _ in range(3):
        services.subscription_request_by_email(recommendation=recommendation, email="a@b.org")
    assert len(mail.outbox) == 1
    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=2))
    services.subscription_request_by_email(recommendation=recommendation, email="a@b.org")
    assert len(mail.outbox) == 2
    assert Subscription.objects.count() == 1
