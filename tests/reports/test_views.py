"""Committee report pages: who sees what, and what each button does."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from followthrough.core.models import Organisation
from followthrough.core.roles import Role
from followthrough.reports import services
from followthrough.reports.models import Meeting, Notification, ReportSnapshot, Subscription
from tests.conftest import PASSWORD


def _sign_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def url(cycle):
    return reverse("reports:review", args=[cycle.review.slug])


def test_reports_page_needs_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_member_reads_meetings_but_cannot_table_a_report(client, cycle, url):
    response = _sign_in(client, cycle.member).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Interim report" in page and "26 March 2020" in page
    assert "Table the report" not in page
    assert "Add a meeting" not in page
    assert (
        client.post(
            reverse("reports:meeting-freeze", args=["small-review", cycle.interim.pk])
        ).status_code
        == 404
    )
    assert not ReportSnapshot.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.FRONTDOOR_PRACTITIONER, Role.LICENSING_OFFICER]
)
def test_roles_outside_the_tracker_get_not_found(client, cycle, url, user_factory, role):
    assert _sign_in(client, user_factory(role)).get(url).status_code == 404


def test_partner_lead_outside_the_review_gets_not_found(
    client, cycle, url, user_factory, organisation_factory
):
    other = organisation_factory("Elsewhere Council", Organisation.Kind.COUNCIL)
    outsider = user_factory(Role.PARTNER_LEAD, organisations=[other])
    assert _sign_in(client, outsider).get(url).status_code == 404
    assert (
        client.get(
            reverse("reports:download", args=["small-review"]),
            {"as_at": "2020-03-26", "format": "pdf"},
        ).status_code
        == 404
    )


def test_partner_lead_in_the_review_downloads_a_draft_report(client, cycle):
    response = _sign_in(client, cycle.leads["police"]).get(
        reverse("reports:download", args=["small-review"]),
        {"as_at": "2020-03-26", "format": "html"},
    )
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="small-review-report-as-at-2020-03-26.html"'
    )
    body = response.content.decode()
    assert "3 recommendations: 1 complete, 2 on track" in body
    assert "Draft worked out from the record" in body


def test_download_with_a_bad_date_shows_the_error_on_the_page(client, cycle):
    response = _sign_in(client, cycle.member).get(
        reverse("reports:download", args=["small-review"]),
        {"as_at_0": "31", "as_at_1": "2", "as_at_2": "2020", "format": "pdf"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a real date" in page


def test_officer_tables_the_report_and_everyone_downloads_the_frozen_copy(client, cycle, url):
    page = _sign_in(client, cycle.officer).get(url).content.decode()
    assert "Table the report" in page
    response = client.post(
        reverse("reports:meeting-freeze", args=["small-review", cycle.interim.pk]), follow=True
    )
    assert "is tabled" in response.content.decode()
    snapshot = ReportSnapshot.objects.get(meeting=cycle.interim)
    client.logout()
    _sign_in(client, cycle.member)
    for format, content_type in (
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ):
        response = client.get(
            reverse("reports:snapshot-download", args=["small-review", snapshot.pk, format])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
    assert (
        client.get(
            reverse("reports:snapshot-download", args=["small-review", snapshot.pk, "exe"])
        ).status_code
        == 404
    )
    # The as-at download for the meeting date now gives the tabled report.
    html = client.get(
        reverse("reports:download", args=["small-review"]),
        {"as_at": "2020-03-26", "format": "html"},
    ).content.decode()
    assert f"Reference {snapshot.content_hash[:12]}" in html


def test_officer_adds_a_meeting(client, cycle):
    create = reverse("reports:meeting-create", args=["small-review"])
    _sign_in(client, cycle.officer)
    form = client.get(create).content.decode()
    assert "Children&#x27;s Scrutiny Committee" in form
    response = client.post(
        create,
        {
            "kind": "ad_hoc",
            "meets_on_0": "1",
            "meets_on_1": "9",
            "meets_on_2": "2020",
            "papers_deadline_0": "20",
            "papers_deadline_1": "8",
            "papers_deadline_2": "2020",
            "committee": "Children's Scrutiny Committee",
        },
        follow=True,
    )
    assert "Update requests go out on 23 July 2020" in response.content.decode()
    assert Meeting.objects.filter(review=cycle.review, kind="ad_hoc").exists()


def test_meeting_form_shows_service_errors_against_the_field(client, cycle):
    response = _sign_in(client, cycle.officer).post(
        reverse("reports:meeting-create", args=["small-review"]),
        {
            "kind": "ad_hoc",
            "meets_on_0": "1",
            "meets_on_1": "9",
            "meets_on_2": "2020",
            "papers_deadline_0": "10",
            "papers_deadline_1": "9",
            "papers_deadline_2": "2020",
            "committee": "Committee",
        },
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The papers deadline must be on or before the meeting date" in page


def test_member_cannot_add_a_meeting(client, cycle):
    assert (
        _sign_in(client, cycle.member)
        .get(reverse("reports:meeting-create", args=["small-review"]))
        .status_code
        == 404
    )


def test_compare_page_lists_differences_per_recommendation(client, cycle):
    interim = services.report_freeze(actor=cycle.officer, meeting=cycle.interim)
    later = services.report_freeze(actor=cycle.officer, meeting=cycle.later)
    response = _sign_in(client, cycle.member).get(
        reverse("reports:compare", args=["small-review"]),
        {"earlier": later.pk, "later": interim.pk},
    )
    page = response.content.decode()
    assert "2 recommendations with changes" in page
    assert "Status: On track → Overdue" in page
    same = client.get(
        reverse("reports:compare", args=["small-review"]),
        {"earlier": interim.pk, "later": interim.pk},
    )
    assert "Choose two different reports to compare" in same.content.decode()


def test_member_follows_and_stops_following(client, cycle):
    follow = reverse("reports:follow", args=["small-review", "3"])
    _sign_in(client, cycle.member)
    assert "Follow this recommendation" in client.get(follow).content.decode()
    client.post(follow)
    assert Subscription.objects.filter(user=cycle.member).count() == 1
    assert "Stop following" in client.get(follow).content.decode()
    assert (
        "Commission sexual health outreach"
        in client.get(reverse("reports:notifications")).content.decode()
    )
    client.post(follow)
    assert not Subscription.objects.exists()


def test_public_follows_a_published_recommendation_by_confirming_their_email(client, cycle):
    follow = reverse("reports:follow", args=["small-review", "3"])
    assert "Email address" in client.get(follow).content.decode()
    response = client.post(follow, {"email": "resident@example.org"})
    assert "Check your email" in response.content.decode()
    subscription = Subscription.objects.get(email="resident@example.org")
    assert subscription.confirmed_at is None
    (message,) = mail.outbox
    confirm = reverse("reports:follow-confirm", args=[subscription.token])
    assert confirm in message.body
    assert client.get(confirm).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # opening the link (or a mail scanner) is not enough
    client.post(confirm)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    stop = reverse("reports:follow-stop", args=[subscription.token])
    client.post(stop)
    assert not Subscription.objects.exists()
    assert client.get(stop).status_code == 404


def test_public_cannot_follow_a_draft_review(client, db):
    from tests.reports.factories import build_cycle

    build_cycle(published=False)
    assert client.get(reverse("reports:follow", args=["small-review", "3"])).status_code == 404


def test_notifications_page_lists_and_marks_read(client, cycle):
    Notification.objects.create(
        user=cycle.member,
        subject="Recommendation 3 has moved on",
        body="Details",
        created_at="2020-03-01T10:00Z",
    )
    _sign_in(client, cycle.member)
    page = client.get(reverse("reports:notifications")).content.decode()
    assert "Recommendation 3 has moved on" in page and ">New<" in page
    client.post(reverse("reports:notifications"))
    assert ">New<" not in client.get(reverse("reports:notifications")).content.decode()


def test_download_refuses_a_date_far_in_the_future(client, cycle):
    response = _sign_in(client, cycle.member).get(
        reverse("reports:download", args=["small-review"]), {"as_at": "2999-01-01", "format": "pdf"}
    )
    assert "The date must be on or before" in response.content.decode()
