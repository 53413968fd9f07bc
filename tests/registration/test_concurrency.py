"""Capacity under concurrency, proven through real HTTP at a real server with several worker processes.

After pretix: many people sign up at the same moment for few seats; exactly `capacity` get a seat, the rest a
distinct place on the waiting list, nobody a 5xx. The test starts `werkconferentie serve --workers 3` as a
subprocess on a database of its own (a SQLite file in a temporary data directory, or a new database on the
PostgreSQL server of the test run), so that the worker processes really compete. On PostgreSQL it then shows
that the guard matters: with the row lock switched off (WERKCONFERENTIE_CAPACITY_LOCK=off) the same burst
oversells. On SQLite it cannot: BEGIN IMMEDIATE serialises every writer whatever the row lock does.
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
RACE_TRIES = 4
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
for n in range(1, {RACE_TRIES} + 1):
    event.pk, event.slug = None, f"race-{{n}}"
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
    """Environment of a migrated database holding the example event (capacity 10, open) and race-1..n copies."""
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


def server(environment: dict, *, lock: bool = True):
    """`werkconferentie serve --workers 3` on a free port; yields its port once it answers."""
    return served.server(environment, workers=3, env={"WERKCONFERENTIE_CAPACITY_LOCK": "on" if lock else "off"})


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
    with server(environment, lock=True) as port:
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


@pytest.mark.skipif(not IS_POSTGRES, reason="SQLite's BEGIN IMMEDIATE serialises writers even without the row lock")
def test_without_the_lock_postgresql_oversells(environment):
    """The same burst with the row lock off: at least one of a few tries gives away more seats than there are."""
    confirmed_per_try = []
    with server(environment, lock=False) as port:
        for n in range(1, RACE_TRIES + 1):
            answers = burst(port, f"race-{n}")
            assert all(status < 500 for status, _body in answers)
            confirmed_per_try.append(sum(body.get("status") == "confirmed" for _status, body in answers))
            if confirmed_per_try[-1] > CAPACITY:
                break
    print(f"confirmed per try without the lock (capacity {CAPACITY}): {confirmed_per_try}")
    assert max(confirmed_per_try) > CAPACITY, confirmed_per_try
