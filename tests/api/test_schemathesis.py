"""Property-based checks of the API against its own OpenAPI schema (Schemathesis), in-process
through the WSGI app. Short runs (few examples per operation) so the suite stays fast.

Every default check runs (no server error, documented status codes, content types and response
bodies, invalid input refused) except "schema-valid request accepted": dates are limited to
1900-01-01..2999-12-31, which an OpenAPI `format: date` cannot say, so that check would flag the
400 for a year like 8916."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from followthrough.api import services as api_services

pytestmark = pytest.mark.django_db

EXAMPLES = 8


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """Calling the WSGI app directly fires request_started and request_finished, whose
    close_old_connections would close the test's database connection mid-transaction; Django's
    test client stops it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Generating the schema needs no database, so it can load when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_with_a_server_error_for_anonymous_callers(case, reviews):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_with_a_server_error_for_a_partner_token(case, reviews):
    key = api_services.api_token_issue(
        actor=api_services.COMMAND_LINE, user=reviews.council_lead, rotate=True
    )
    case.call_and_validate(
        headers={"Authorization": f"Token {key}"},
        excluded_checks=[positive_data_acceptance],
    )
