"""The sign-up form and the API check a sign-up by the same rules (validation.py; issue 14.1)."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from werkconferentie.events.models import Workshop
from werkconferentie.registration.models import Registration
from werkconferentie.registration.validation import MAX_RANKS

from .test_views import form_data, register_url

pytestmark = pytest.mark.django_db
API = "/api/events/roden-2022/registrations"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.SIGNUP_RATE = None
    yield
    caches[settings.RATELIMIT_CACHE].clear()


@pytest.fixture
def event(open_event):
    """The open Roden event with more workshops than anyone may rank."""
    for number in range(20, 20 + MAX_RANKS + 2):
        Workshop.objects.create(event=open_event, number=number, slug=f"extra-{number}", title_nl=f"Extra {number}")
    open_event.registration_closes = timezone.now() + dt.timedelta(days=30)
    open_event.save()
    return open_event


def api_person(**changes) -> dict:
    data = {
        "name": "Anna de Vries",
        "email": "anna@tynaarlo.nl",
        "role": "raadslid",
        "municipality": "GM1730",
        "preferences": [],
        "consent": True,
    }
    data.update(changes)
    return data


def api_fields(response) -> set[str]:
    body = response.json()
    return {error["loc"][-1] for error in body.get("errors", body.get("detail"))}


CONTROL_CHARACTERS = [
    ("name", "a\x0bb"),
    ("name", "Anna\x1bde Vries"),
    ("organisation", "Gemeente\x07Assen"),
    ("role_other", "Wet\x85houder"),
    ("dietary_needs", "geen\x0cvlees"),
    ("accessibility_needs", "rolstoel\u2028lift"),
]


@pytest.mark.parametrize(("field", "value"), CONTROL_CHARACTERS)
def test_form_refuses_the_control_characters_the_api_refuses(event, client, field, value):
    extra = {"role": "anders", "role_other": "x"} if field == "role_other" else {}
    if field == "organisation":
        extra["municipality"] = ""
    response = client.post(register_url(event), form_data(**{**extra, field: value}))
    if field == "organisation":
        extra["municipality"] = None
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#id_{field}' in page and "tekens die niet zijn toegestaan" in page
    api = client.post(
        API,
        api_person(**{**extra, field: value}),
        content_type="application/json",
    )
    assert api.status_code == 422 and field in api_fields(api)
    assert Registration.objects.count() == 0


def test_form_and_api_take_the_same_number_of_ranked_workshops(event, client):
    slugs = [f"extra-{number}" for number in range(20, 20 + MAX_RANKS + 1)]
    too_many = client.post(API, api_person(preferences=slugs), content_type="application/json")
    assert too_many.status_code == 422 and api_fields(too_many) == {"preferences"}
    assert f"hoogstens {MAX_RANKS}" in str(too_many.json())  # the schema says so (maxItems), in Dutch
    just_enough = client.post(API, api_person(preferences=slugs[:MAX_RANKS]), content_type="application/json")
    assert just_enough.status_code == 201
    # The form offers exactly as many numbered selects.
    page = client.get(register_url(event)).content.decode()
    assert f'name="choice_{MAX_RANKS}"' in page and f'name="choice_{MAX_RANKS + 1}"' not in page


def test_multiline_fields_keep_their_line_breaks(event, client):
    response = client.post(register_url(event), form_data(dietary_needs="geen vlees\r\ngeen noten"))
    assert response.status_code == 302
    assert Registration.objects.get().dietary_needs == "geen vlees\r\ngeen noten"
