"""Generated input at the sign-up API and form: never a 5xx, and never anything partly saved.

Hypothesis builds payloads field by field from good values, near misses (an old municipality code, a
duplicated workshop, an address in capitals) and garbage (over-long text, control characters, lone surrogates,
wrong JSON types, missing and extra keys), against an event that is open, full or closed. After every request
the database must tell the same story as the answer: a 201 added one registration with exactly its ranking and
one mail; anything else added no registration.
"""

import datetime as dt
import json
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, target
from hypothesis import event as observe
from hypothesis import strategies as st

from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import Preference, Registration

URL = "/api/events/roden-2022/registrations"
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.SIGNUP_RATE = None
    yield
    caches[settings.RATELIMIT_CACHE].clear()


@pytest.fixture
def event(db):
    """Roden 2022, open, with one confirmed registration (anna1@tynaarlo.nl), so a second one can be tried."""
    event = load_event_file(str(example_event_file())).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.capacity = 4
    event.save()
    tynaarlo = Municipality.objects.get(code="GM1730")
    signup.register(event, signup.SignupData("Anna", "anna1@tynaarlo.nl", "raadslid", tynaarlo, preferences=[]))
    return event


@contextmanager
def rolled_back():
    """Each generated example starts from the same database, so that hypothesis can replay and shrink it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


garbage_text = st.text(max_size=600) | st.text(
    st.characters(codec="utf-8", categories=["Cc", "Zs", "Lo", "So"]), min_size=1, max_size=20
)
wrong_types = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.lists(st.integers(), max_size=3)
)
names = st.sampled_from(["Anna de Vries", "Zoë Öztürk", "Sebastiaan ’t Hart", "Ĳsbrand"]) | garbage_text
emails = (
    st.builds(
        "{}{}@{}".format, st.sampled_from(["anna", "A.Jansen", "zoe"]), st.integers(0, 30), st.just("tynaarlo.nl")
    )
    | st.sampled_from(["ANNA1@TYNAARLO.NL", "no-at-sign", "a@b", "x" * 250 + "@b.nl", "a\x00@b.nl"])
    | garbage_text
)
roles = st.sampled_from(Role.values) | st.sampled_from(["Anders", "koning", ""]) | wrong_types
# Current codes, other spellings of them, a merged municipality (Appingedam), a province code, nonsense.
municipalities = (
    st.sampled_from(["GM1730", "GM0106", "1730", "gm0106", "GM0003", "PV22", "GM9999", "", "GM\x001730"]) | garbage_text
)
slugs = st.sampled_from(["workshop-1", "geen-workshop", "", "a\x00b", "x" * 51]) | garbage_text


def preference_lists(known: list[str]):
    one = st.sampled_from(known) | slugs
    return st.lists(one, max_size=8) | st.lists(st.sampled_from(known), max_size=60) | wrong_types


def payloads(known: list[str]):
    """A valid payload with up to three fields replaced by generated values or left out, plus stray keys."""
    good = st.fixed_dictionaries(
        {
            "name": st.sampled_from(["Anna de Vries", "Zoë Öztürk", "Sebastiaan ’t Hart", "Ĳsbrand"]),
            "email": st.builds("anna{}@tynaarlo.nl".format, st.integers(0, 5)),
            "role": st.sampled_from(Role.values),
            "role_other": st.just("Gedeputeerde"),
            "municipality": st.sampled_from(["GM1730", "GM0106", "1730"]),
            "preferences": st.lists(st.sampled_from(known), unique=True, max_size=len(known)),
            "language": st.sampled_from(["nl", "en"]),
            "consent": st.just(True),
        }
    )
    fields = {
        "name": names | wrong_types,
        "email": emails | wrong_types,
        "role": roles,
        "role_other": garbage_text | wrong_types,
        "municipality": municipalities | wrong_types,
        "organisation": garbage_text | wrong_types,
        "preferences": preference_lists(known),
        "dietary_needs": garbage_text | wrong_types,
        "accessibility_needs": garbage_text | wrong_types,
        "language": st.sampled_from(["nl", "en", "de", ""]) | wrong_types,
        "consent": st.just(True) | wrong_types | st.just("true"),
        "extra": garbage_text,
    }

    @st.composite
    def mutated(draw):
        payload = draw(good)
        for key in draw(st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=3)):
            if draw(st.integers(0, 4)) == 0:
                payload.pop(key, None)
            else:
                payload[key] = draw(fields[key])
        return payload

    return mutated()


@pytest.fixture
def known_slugs(event) -> list[str]:
    return list(event.workshops.values_list("slug", flat=True))


def check_consistent(event) -> None:
    """No registration without its ranking; never more confirmed than seats; waiting list in one order."""
    for registration in Registration.objects.filter(event=event):
        ranks = list(Preference.objects.filter(registration=registration).values_list("rank", flat=True))
        assert sorted(ranks) == list(range(1, len(ranks) + 1))
    assert Registration.objects.filter(event=event, status=Status.CONFIRMED).count() <= event.capacity


def _send(client, body: bytes, language: str):
    client.cookies["django_language"] = language
    return client.post(URL, body, content_type="application/json")


@FUZZ
@given(data=st.data())
def test_generated_payloads_never_give_5xx_or_half_a_registration(client, event, known_slugs, data):
    with rolled_back():
        check_one_payload(client, event, known_slugs, data)


def check_one_payload(client, event, known_slugs, data):
    state = data.draw(st.sampled_from(["open", "open", "full", "closed"]), label="registration")
    event.registration_closes = timezone.now() + dt.timedelta(days=-1 if state == "closed" else 30)
    event.capacity = 1 if state == "full" else 4
    event.save(update_fields=["registration_closes", "capacity"])
    payload = data.draw(payloads(known_slugs), label="payload")
    body = json.dumps(payload, ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass")
    before = (Registration.objects.count(), Preference.objects.count(), OutboxMessage.objects.count())

    response = _send(client, body, data.draw(st.sampled_from(["nl", "en"])))

    assert response.status_code < 500, response.content[:500]
    observe(f"HTTP {response.status_code}")
    target(float(response.status_code == 201), label="registered")
    after = (Registration.objects.count(), Preference.objects.count(), OutboxMessage.objects.count())
    if response.status_code == 201:
        registration = Registration.objects.get(pk=response.json()["id"])
        assert after[0] == before[0] + 1
        assert [w.slug for w in registration.ranked_workshops()] == payload.get("preferences", [])
        assert after[1] == before[1] + len(payload.get("preferences", []))
        assert registration.status == ("waitlisted" if state == "full" else "confirmed")
        assert after[2] == before[2] + 1
        assert response.json()["status"] == registration.status
    else:
        assert response.status_code in {400, 404, 409, 422}, response.status_code
        assert after[:2] == before[:2]
        if response.status_code == 422:
            problem = response.json()
            assert isinstance(problem["code"], str) and isinstance(problem["detail"], str) and problem["detail"]
            assert all({"field", "loc", "msg", "type"} <= set(error) for error in problem.get("errors", []))
    check_consistent(event)


@FUZZ
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_raw_bodies_never_give_5xx(client, event, body):
    with rolled_back():
        response = client.post(URL, body, content_type="application/json")
        assert response.status_code in {400, 422}
        assert Registration.objects.count() == 1


@FUZZ
@given(slug=st.text(max_size=80) | st.sampled_from(["\x00", "roden-2022\x00", "x" * 300]))
def test_any_event_slug_is_404_or_handled(client, event, slug):
    from urllib.parse import quote

    response = client.post(f"/api/events/{quote(slug, safe='')}/registrations", b"{}", content_type="application/json")
    assert response.status_code < 500


@FUZZ
@given(data=st.data())
def test_generated_form_posts_never_give_5xx(client, event, known_slugs, data):
    """The same kinds of input at the HTML form (its fields are strings; the browser sends nothing else)."""
    text = st.one_of(names, emails, municipalities, garbage_text, st.sampled_from(known_slugs))
    form = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "name": text,
                "email": text,
                "role": st.sampled_from(Role.values) | text,
                "role_other": text,
                "municipality": text,
                "organisation": text,
                "choice_1": st.sampled_from(known_slugs) | text,
                "choice_2": st.sampled_from(known_slugs) | text,
                "dietary_needs": text,
                "accessibility_needs": text,
                "consent": st.sampled_from(["on", "", "x"]),
                "website": st.just("") | text,
            },
        )
    )
    form = {key: value.replace("\x00", "") for key, value in form.items()}  # the client cannot send NUL in forms
    with rolled_back():
        before = Registration.objects.count()
        response = client.post(f"/conferenties/{event.slug}/aanmelden/", form)
        assert response.status_code < 500
        observe(f"HTTP {response.status_code}")
        if response.status_code != 302:
            assert Registration.objects.count() == before
        check_consistent(event)
