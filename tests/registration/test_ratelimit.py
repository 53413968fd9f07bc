"""The sign-up rate limit: parsing, 429 with Retry-After on API and form, per address (exact across
processes and servers: tests/core/test_ratelimit_shared.py)."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from werkconferentie.core.ratelimit import Rate, parse_rate
from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.registration.models import Registration

URL = "/api/events/roden-2022/registrations"


@pytest.fixture(autouse=True)
def three_per_minute(settings):
    settings.SIGNUP_RATE = Rate(3, 60)


@pytest.fixture
def event(db):
    event = load_event_file(str(example_event_file())).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.save()
    return event


def person(number: int) -> dict:
    return {
        "name": f"Bert {number}",
        "email": f"bert{number}@assen.nl",
        "role": "wethouder",
        "municipality": "GM0106",
        "preferences": [],
        "consent": True,
    }


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("30/m", Rate(30, 60)),
        ("5/s", Rate(5, 1)),
        ("100/h", Rate(100, 3600)),
        ("10/30s", Rate(10, 30)),
        (" 2 / D ", Rate(2, 86400)),
    ],
)
def test_rates_are_parsed(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["off", "OFF", "0"])
def test_off_switches_the_limit_off(text):
    assert parse_rate(text) is None


@pytest.mark.parametrize("text", ["", "30", "30/x", "thirty/m", "-1/m", "30/0m", "1.5/s"])
def test_wrong_rates_are_refused_with_a_clear_message(text):
    with pytest.raises(ImproperlyConfigured, match="is not a rate|at least"):
        parse_rate(text, name="WERKCONFERENTIE_SIGNUP_RATE")


def test_a_wrong_rate_stops_start_up(tmp_path):
    environment = {**os.environ, "WERKCONFERENTIE_SIGNUP_RATE": "veel", "WERKCONFERENTIE_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "werkconferentie", "check"], env=environment, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "WERKCONFERENTIE_SIGNUP_RATE='veel' is not a rate" in result.stderr


def test_api_answers_429_with_retry_after_over_the_limit(client, event):
    answers = [client.post(URL, person(n), content_type="application/json") for n in range(5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    refused = answers[-1]
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Registration.objects.count() == 3


def test_the_message_is_in_the_visitors_language(client, event):
    for n in range(3):
        client.post(URL, person(n), content_type="application/json")
    client.cookies["django_language"] = "en"
    detail = client.post(URL, person(9), content_type="application/json").json()["detail"]
    assert detail.startswith("Too many sign-ups from your address. Please try again in ")


def test_each_address_has_its_own_count_and_forwarded_for_is_not_trusted(client, event):
    for n in range(3):
        client.post(URL, person(n), content_type="application/json", REMOTE_ADDR="192.0.2.1")
    spoofed = client.post(
        URL, person(3), content_type="application/json", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert spoofed.status_code == 429
    other = client.post(URL, person(4), content_type="application/json", REMOTE_ADDR="192.0.2.2")
    assert other.status_code == 201


def test_no_limit_when_off(client, event, settings):
    settings.SIGNUP_RATE = None
    assert all(client.post(URL, person(n), content_type="application/json").status_code == 201 for n in range(6))


def test_the_form_answers_429_over_the_limit(client, event):
    url = f"/conferenties/{event.slug}/aanmelden/"
    form = {"name": "", "email": "x"}  # invalid, but it is the attempt that counts
    answers = [client.post(url, form) for _ in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429]
    assert answers[3]["Retry-After"]
    assert "Te veel aanmeldingen" in answers[3].content.decode()
    assert client.get(url).status_code == 200  # showing the form is never limited
