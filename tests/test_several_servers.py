"""Two app servers on one PostgreSQL database, as behind a load balancer (docs/deployment.md).

Two `werkconferentie serve` processes on different ports share nothing but the database: sign-ups go through
both, the public sign-up's rate limit counts across both (its counters are in the database cache), and an answer
given on one server reaches a live board's stream on the other.
"""

import json
from pathlib import Path

import pytest

import served
from served import IS_POSTGRES, Stream, post

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="two app servers share one PostgreSQL database; set DATABASE_URL to a PostgreSQL server "
        "(scripts/test does) to run this",
    ),
]

LIMIT = 6
OPEN = """
import datetime as dt
from django.utils import timezone
from werkconferentie.events.models import Event
Event.objects.filter(slug="roden-2022").update(
    registration_opens=None, registration_closes=timezone.now() + dt.timedelta(days=1)
)
"""
COUNT = """
from werkconferentie.registration.models import Registration
print(Registration.objects.filter(event__slug="roden-2022").count())
"""


def person(number: int) -> dict:
    return {
        "name": f"Deelnemer {number}",
        "email": f"deelnemer{number}@twee-servers.example",
        "role": "raadslid",
        "municipality": "GM1730",
        "preferences": [],
        "consent": True,
    }


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    extra = {
        # A window of 400 days: the test cannot straddle two windows, so the count only grows.
        "WERKCONFERENTIE_SIGNUP_RATE": f"{LIMIT}/400d",
        # The de-identification model is not what this test is about; without it a server starts in a second.
        "WERKCONFERENTIE_DEDUCE": "off",
        "SECRET_KEY": "several-servers",
    }
    with served.example_environment(tmp_path_factory.mktemp("several"), extra, OPEN) as environment:
        yield environment


def test_two_servers_share_sign_ups_the_rate_limit_and_live_answers(environment):
    rows = json.loads(served.werkconferentie(environment, "live-codes", "roden-2022", "--open", "--json"))
    code = rows[0]["code"]
    # Each server a data directory of its own: they share the database only, as two machines would.
    first_dir, second_dir = (Path(environment["WERKCONFERENTIE_DATA_DIR"]) / name for name in ("a", "b"))
    with (
        served.server(environment, workers=1, env={"WERKCONFERENTIE_DATA_DIR": str(first_dir)}) as first,
        served.server(environment, workers=1, env={"WERKCONFERENTIE_DATA_DIR": str(second_dir)}) as second,
    ):
        url = "/api/events/roden-2022/registrations"
        # Sign-ups through both, alternately: each server alone sees half the limit.
        answers = [post((first, second)[number % 2], url, person(number)) for number in range(LIMIT)]
        assert [status for status, _body in answers] == [201] * LIMIT, answers
        # The limit was reached across both: the next attempt is refused by either.
        for port in (first, second):
            status, body = post(port, url, person(100 + port))
            assert (status, body.get("code")) == (429, "rate_limited"), body

        stream = Stream(second, code)
        assert stream.wait_for_snapshot()
        status, _answer = post(first, f"/api/live/{code}/answers", {"text": "Twee servers", "idempotency_key": "t1"})
        assert status == 201
        assert stream.wait_for("Twee servers"), stream.events
        stream.close()
    assert served.werkconferentie(environment, "manage", "shell", "-c", COUNT).strip().splitlines()[-1] == str(LIMIT)
