from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.public.builders import build_reviews


@pytest.fixture
def reviews(user_factory, organisation_factory) -> SimpleNamespace:
    return build_reviews(user_factory, organisation_factory)
