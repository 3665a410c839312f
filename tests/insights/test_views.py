"""The analyst's pages: restricted (404 for others), upload, profile, publish."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followthrough.core.roles import Role
from followthrough.insights.models import Release
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["insights:home", "insights:import", "insights:profile"]


@pytest.fixture
def analyst_client(client, user_factory, insights_db):
    user = user_factory(Role.ANALYST)
    client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, path):
    with open(path, "rb") as handle:
        data = SimpleUploadedFile(path.name, handle.read(), content_type="text/csv")
    return client.post(reverse("insights:import"), {"file": data})


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.PARTNER_LEAD, Role.ASSESSOR])
def test_pages_are_not_found_for_other_roles(client, user_factory, insights_db, name, role):
    user = user_factory(role)
    client.login(username=user.username, password=PASSWORD)
    assert client.get(reverse(name)).status_code == 404


def test_pages_need_sign_in(client, insights_db):
    response = client.get(reverse("insights:home"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_upload_view_profile_and_publish(analyst_client, offences_csv):
    response = upload(analyst_client, offences_csv)
    assert response.status_code == 302
    home = analyst_client.get(reverse("insights:home"))
    assert "1200 added" in home.content.decode().replace(",", "")

    page = analyst_client.get(reverse("insights:profile"), {"mode": "round", "threshold": "10"})
    html = page.content.decode()
    assert "Victims by age and sex" in html
    assert 'role="img"' in html and "<desc" in html
    assert "Unprotected figures (analyst only)" in html
    assert "not for publication" in html

    published = analyst_client.post(
        reverse("insights:publish"),
        {"title": "Profile 2019 to 2023", "mode": "round", "threshold": "10"},
    )
    release = Release.objects.get()
    assert published["Location"] == reverse("insights:release", args=[release.pk])
    detail = analyst_client.get(published["Location"]).content.decode()
    assert "Profile 2019 to 2023" in detail
    assert "not for publication" not in detail  # only protected figures in a release


def test_a_bad_file_shows_each_problem_with_row_and_column(analyst_client, tmp_path, offences_csv):
    lines = offences_csv.read_text().splitlines()
    parts = lines[5].split(",")
    parts[2] = "ZZZ"  # offence_code
    lines[5] = ",".join(parts)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    response = upload(analyst_client, bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "bad.csv, row 6, column offence_code" in html
    assert Release.objects.count() == 0


def test_threshold_below_five_is_refused_in_the_form(analyst_client, offences_csv):
    upload(analyst_client, offences_csv)
    page = analyst_client.get(reverse("insights:profile"), {"mode": "round", "threshold": "3"})
    assert "Threshold must be 5 or more" in page.content.decode()


def test_publish_refuses_a_tampered_threshold(analyst_client, offences_csv):
    upload(analyst_client, offences_csv)
    response = analyst_client.post(
        reverse("insights:publish"), {"title": "x", "mode": "round", "threshold": "2"}
    )
    assert response.status_code == 200
    assert Release.objects.count() == 0


def test_pages_say_the_records_are_in_use_while_another_process_holds_them(
    analyst_client, insights_db, monkeypatch
):
    from followthrough.insights import store

    monkeypatch.setattr(store, "LOCK_WAIT_SECONDS", 0.1)
    with store.connect(insights_db):  # as another worker's import would
        response = analyst_client.get(reverse("insights:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "The offence records are in use" in response.content.decode()
    assert analyst_client.get(reverse("insights:home")).status_code == 200  # its turn now
