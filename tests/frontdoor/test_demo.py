from __future__ import annotations

import pytest

from followthrough.frontdoor.demo import load_demo
from followthrough.frontdoor.models import Contact

pytestmark = pytest.mark.django_db


def test_the_demo_adds_fictional_contacts_once(practitioner):
    practitioner.username = "frontdoor"
    practitioner.save()
    assert load_demo() == 5
    assert load_demo() == 0
    assert Contact.objects.count() == 5
    for contact in Contact.objects.all():
        assert "[Fictional demo record]" in contact.what_happened
        assert not contact.child_name or "(fictional)" in contact.child_name
    assert Contact.objects.filter(decided_at__isnull=False).count() == 2
    assert Contact.objects.filter(immediate_danger=True).count() == 1
