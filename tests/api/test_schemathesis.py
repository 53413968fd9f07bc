"""schemathesis over the whole OpenAPI schema: every operation, generated valid and invalid requests, all checks
(no server error, every status and body as the schema documents, auth enforced, invalid input refused).

Bounded in time: WERKCONFERENTIE_SCHEMATHESIS_EXAMPLES requests per operation (default 25) against the app in
this process (WSGI), with an open event, a live board and an organiser's token.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from werkconferentie.core.models import ApiToken
from werkconferentie.wsgi import application

EXAMPLES = int(os.environ.get("WERKCONFERENTIE_SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture(autouse=True)
def data(open_event, board, organiser_of_roden, settings):
    """Something to find: the open Roden event and an open board; no rate limits (they are tested elsewhere)."""
    settings.SIGNUP_RATE = None
    settings.LIVE_ANSWER_RATE = None


@pytest.fixture(autouse=True)
def _one_connection_for_the_test():
    """The app runs in this process through its real WSGI handler, which closes the database connection after each
    request; inside the test's transaction that connection must stay (Django's test client does the same)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(organiser_of_roden) -> str:
    return ApiToken.create_for(organiser_of_roden, "schemathesis")[1]


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_to_its_schema(case, token, open_event, board):
    # Half the requests name the real event and board, so that they get past the 404 into the operation.
    parameters = case.path_parameters or {}
    if hash(repr(case.body)) % 2 == 0:
        if "slug" in parameters:
            parameters["slug"] = open_event.slug
        if "code" in parameters:
            parameters["code"] = board.code
    # Every check but one: "schema-valid data is accepted" cannot hold for rules no schema can say (a CBS code
    # that no current municipality has, a municipality or else an organisation, a registration id or a badge):
    # those are refused as 422 problems by design, and the check for the problem format still runs on them.
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance])
