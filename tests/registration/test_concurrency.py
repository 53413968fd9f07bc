"""Capacity under concurrency, proven through real HTTP at a real server with several worker processes.

After pretix: many people sign up at the same moment for few seats; exactly `capacity` get a seat, the rest a
distinct place on the waiting list, nobody a 5xx. The test starts `werkconferentie serve --workers 3` as a
subprocess on a database of its own (a SQLite file in a temporary data directory, or a new database on the
PostgreSQL server of the test run), so that the worker processes really compete. That the guard matters (without
the row lock two sign-ups for the last seat both get it) is shown every time, not by chance, by
tests/registration/test_races.py, which makes two sign-ups meet between counting and writing.
"""

import http.client
import json
import os
import threading
from pathlib import Path

import pytest

import served
from served import IS_POSTGRES, own_postgres_database, werkconferentie

pytestmark = pytest.mark.slow

CAPACITY = 10
SIGNUPS = 60
EVENT_FILE = Path(__file__).resolve().parents[2] / "src/werkconferentie/events/data/roden-2022.yaml"

PREPARE = f"""
import datetime as dt
from django.utils import timezone
from werkconferentie.events.models import Event
event = Event.objects.get(slug="roden-2022")
event.registration_opens = None
event.registration_closes = timezone.now() + dt.timedelta(days=1)
event.capacity = {CAPACITY}
event.save()
"""
COUNT = """
import json
from django.db.models import Count
from werkconferentie.registration.models import Registration
rows = Registration.objects.values("event__slug", "status").annotate(n=Count("pk"))
print(json.dumps({f"{row['event__slug']} {row['status']}": row["n"] for row in rows}))
"""


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """Environment of a migrated database holding the example event (capacity 10, open)."""
    data_dir = tmp_path_factory.mktemp("concurrency")
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "WERKCONFERENTIE_CAPACITY_LOCK", "DJANGO_SETTINGS_MODULE"}
    }
    base.update(
        {
            "WERKCONFERENTIE_DATA_DIR": str(data_dir),
            "WERKCONFERENTIE_SIGNUP_RATE": "off",
            "UVICORN_LOG_LEVEL": "warning",
            "SECRET_KEY": "concurrency-test",
        }
    )
    if IS_POSTGRES:
        with own_postgres_database() as url:
            yield prepare({**base, "DATABASE_URL": url})
    else:
        yield prepare(base)


def prepare(environment: dict) -> dict:
    werkconferentie(environment, "migrate", "-v0")
    werkconferentie(environment, "load-event", str(EVENT_FILE))
    werkconferentie(environment, "manage", "shell", "-c", PREPARE)
    return environment


def server(environment: dict):
    """`werkconferentie serve --workers 3` on a free port; yields its port once it answers."""
    return served.server(environment, workers=3)


def burst(port: int, slug: str, count: int = SIGNUPS) -> list[tuple[int, dict]]:
    """`count` sign-ups released at the same moment, one connection and thread each."""
    barrier = threading.Barrier(count)
    answers: list[tuple[int, dict]] = [(0, {})] * count

    def sign_up(number: int) -> None:
        body = json.dumps(
            {
                "name": f"Deelnemer {number}",
                "email": f"deelnemer{number}@{slug}.example",
                "role": "raadslid",
                "municipality": "GM1730",
                "preferences": [],
                "consent": True,
            }
        )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.connect()
        barrier.wait()
        connection.request(
            "POST", f"/api/events/{slug}/registrations", body=body, headers={"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        content = response.read()
        answers[number] = (response.status, json.loads(content) if response.status == 201 else {"raw": content[:300]})

    threads = [threading.Thread(target=sign_up, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def test_exactly_capacity_confirmed_under_simultaneous_signups(environment):
    with server(environment) as port:
        answers = burst(port, "roden-2022")

    statuses = [status for status, _body in answers]
    assert statuses == [201] * SIGNUPS, [answer for answer in answers if answer[0] != 201][:3]
    bodies = [body for _status, body in answers]
    assert sum(body["status"] == "confirmed" for body in bodies) == CAPACITY
    positions = sorted(body["position"] for body in bodies if body["status"] == "waitlisted")
    assert positions == list(range(1, SIGNUPS - CAPACITY + 1))
    counts = json.loads(werkconferentie(environment, "manage", "shell", "-c", COUNT).strip().splitlines()[-1])
    assert counts["roden-2022 confirmed"] == CAPACITY
    assert counts["roden-2022 waitlisted"] == SIGNUPS - CAPACITY
