"""Every URL of the back office, the participant pages and the API, walked as each kind of user (after pretix).

The URLs are enumerated, not listed by hand: every ModelAdmin of our apps with all its URLs (its own extra views
such as the registrations dashboard included), the app indexes, every page of the participant namespaces, and
every operation of the OpenAPI schema. A new URL is walked the day it is added; a new model in the back office
fails here until ACCESS says who may see it.

The users: logged out; staff without the organisers' rights; an organiser of another event; the organiser of
this event; a superuser. What they must get:
- logged out: the admin's login page (API: 401);
- staff without rights: 403, or not found where the object is outside what they may see (API: 404);
- organiser of another event: this event's objects are not found (404, or the admin's redirect to its index
  with "does not exist"), never a 200 with this event's data; lists show only their own event;
- organiser of this event and superuser: 200, except what ACCESS refuses to them (403).
Participant pages: a valid personal link answers 200 whoever is logged in; a forged or swapped one 404.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core import signing
from django.urls import URLResolver, get_resolver, reverse

from werkconferentie.api import api
from werkconferentie.assignment import runs
from werkconferentie.core.models import ApiToken
from werkconferentie.live import boards as live_rules
from werkconferentie.live.models import DuplicateSuggestion
from werkconferentie.outbox.mailing import render_pending
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.outcomes import points as outcome_points
from werkconferentie.outcomes import report as outcome_report
from werkconferentie.outcomes import themes as outcome_themes
from werkconferentie.outcomes.models import GriffieAddress
from werkconferentie.registration import links, mailings
from werkconferentie.registration.models import ErasedRegistrations, PrivacyStatement, Registration

pytestmark = pytest.mark.django_db

# The apps whose back office is walked: all of ours.
PROJECT_PACKAGE = "werkconferentie."

EVENT = "event"  # rows belong to an event: its organisers (and superusers) only
ORGANISERS = "organisers"  # every organiser may look (reference data, the privacy statement)
SUPERUSERS = "superusers"  # superusers only (mail, API tokens)


@dataclass(frozen=True)
class Access:
    audience: str
    organiser_refused: frozenset = field(default_factory=frozenset)
    superuser_refused: frozenset = field(default_factory=frozenset)


def refused(*actions: str) -> frozenset:
    return frozenset(actions)


READ_ONLY = Access(ORGANISERS, refused("add", "delete"), refused("add", "delete"))
ACCESS = {
    "events.event": Access(EVENT, organiser_refused=refused("add")),
    "events.workshop": Access(EVENT),
    # Seats are taken by the form and the API, and freed by the actions (cancel, erase), never by add or delete.
    "registration.registration": Access(EVENT, refused("add", "delete"), refused("add", "delete")),
    "registration.erasedregistrations": Access(EVENT, refused("add", "delete"), refused("add", "delete")),
    # The current version has consents, so even a superuser may not delete it (the walk visits that one).
    "registration.privacystatement": Access(ORGANISERS, refused("add", "delete"), refused("delete")),
    "reference.crccluster": READ_ONLY,
    "reference.crcarticle": READ_ONLY,
    "reference.sdggoal": READ_ONLY,
    "reference.sdgtarget": READ_ONLY,
    "reference.sdgindicator": READ_ONLY,
    "reference.municipality": READ_ONLY,
    "outbox.outboxmessage": Access(SUPERUSERS, superuser_refused=refused("add", "delete")),
    "core.apitoken": Access(SUPERUSERS, superuser_refused=refused("add")),
    # Runs are written by the engine only; the assignment page (run, move, publish) is among their URLs.
    "assignment.assignmentrun": Access(EVENT, refused("add", "delete"), refused("add", "delete")),
    "outcomes.theme": Access(EVENT),
    "outcomes.outcomepoint": Access(EVENT),
    "outcomes.outcomereport": Access(EVENT),
    # The history is written by the outcome's domain functions only.
    "outcomes.outcomechange": Access(EVENT, refused("add", "delete"), refused("add", "delete")),
    # Griffie addresses are public facts, one list for every event: every organiser keeps it.
    "outcomes.griffieaddress": Access(ORGANISERS),
}

# What an organiser of another event must never see of this one.
MARKERS = ["Zoë Jansen", "zoe@tynaarlo.nl", "Werkconferentie Zuidlaren"]
# Known leaks outside the registration app, reported to their owners. Each is an expected failure, and makes the
# walk fail the day it is fixed, so that it is taken off this list.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}

USERS = ["anonymous", "plain_staff", "other_organiser", "organiser", "superuser"]


# --- Enumeration (at collection time: URL configuration only, no database) -----------------------------------


def _our_model_admins():
    for model, model_admin in admin.site._registry.items():
        if model.__module__.startswith(PROJECT_PACKAGE):
            yield model, model_admin


def admin_urls() -> list[tuple[str, str, tuple[str, ...]]]:
    """(model label, URL name, the URL's keyword arguments) for every named URL of every ModelAdmin of ours."""
    found = []
    for model, model_admin in _our_model_admins():
        for pattern in model_admin.urls:
            if pattern.name is None:  # the old "<object_id>/" address, a redirect to the change page
                continue
            found.append((model._meta.label_lower, pattern.name, tuple(pattern.pattern.converters)))
    return sorted(found)


def app_labels() -> list[str]:
    return sorted({model._meta.app_label for model, _admin in _our_model_admins()})


def namespace_urls(namespace: str) -> list[tuple[str, tuple[str, ...]]]:
    """(name, keyword arguments) of every URL in a namespace of the project's URL configuration."""
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == namespace:
            return sorted((f"{namespace}:{p.name}", tuple(p.pattern.converters)) for p in resolver.url_patterns)
    return []


def api_operations() -> list[tuple[str, str, bool]]:
    """(method, path, needs a token) for every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path, bool(operation.get("security")))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    )


PARTICIPANT_NAMESPACES = ["registration", "privacy", "assignment"]
PARTICIPANT_URLS = [url for namespace in PARTICIPANT_NAMESPACES for url in namespace_urls(namespace)]


def test_the_walk_finds_the_urls():
    names = {name for _label, name, _kwargs in admin_urls()}
    assert {
        "registration_registration_changelist",
        "registration_registration_change",
        "registration_registration_dashboard",
        "registration_registration_export_xlsx",
        "events_event_change",
        "reference_municipality_change",
        "assignment_assignmentrun_event",
        "assignment_assignmentrun_people",
    } <= names
    assert len(names) >= 60
    # The participant pages and the API (the hooks for new ones: they are picked up from the URLs and schema).
    assert "registration:manage" in dict(PARTICIPANT_URLS)
    assert ("GET", "/api/events/{slug}/registrations", True) in api_operations()


def test_every_model_in_the_back_office_is_declared():
    labels = {model._meta.label_lower for model, _admin in _our_model_admins()}
    assert labels - set(ACCESS) == set(), "say in ACCESS who may see these models"
    for model, model_admin in _our_model_admins():
        scoped = hasattr(model_admin, "event_path")
        assert scoped == (ACCESS[model._meta.label_lower].audience == EVENT), model._meta.label_lower


# --- The situation ---------------------------------------------------------------------------------------------


@pytest.fixture
def walk(filled_event, elsewhere_event, organiser, other_organiser, plain_staff, superuser):
    """One object of every kind for filled_event, and the five users."""
    ErasedRegistrations.objects.create(event=filled_event, role="raadslid", status="confirmed", count=1)
    ErasedRegistrations.objects.create(event=elsewhere_event, role="raadslid", status="confirmed", count=1)
    OutboxMessage.objects.create(
        recipient="zoe@tynaarlo.nl",
        subject="Aanmelding Werkconferentie Zuidlaren",
        body_text="Beste Zoë Jansen,",
        message_id="<walk-1@werkconferentie.test>",
    )
    ApiToken.create_for(superuser, name="walk")
    runs.publish(runs.run_engine(filled_event))
    render_pending()  # the programme mails, as the mail worker renders them (with their .ics)
    runs.run_engine(elsewhere_event)
    users = {
        "anonymous": None,
        "plain_staff": plain_staff,
        "other_organiser": other_organiser,
        "organiser": organiser,
        "superuser": superuser,
    }
    board = live_rules.set_open(next(b for b in live_rules.ensure_boards(filled_event) if b.kind == "workshop"), True)
    first = live_rules.submit_answer(board, live_rules.Submission(text="Speelplekken", idempotency_key="w1"))[0]
    second = live_rules.submit_answer(board, live_rules.Submission(text="Meer speelplekken", idempotency_key="w2"))[0]
    suggestion = DuplicateSuggestion.objects.create(board=board, answer=second, other=first, score=0.9, method="text")
    theme = outcome_themes.create_theme(filled_event, "Speelplekken", [first.pk], user=organiser)
    point = outcome_points.point_from_theme(theme, user=organiser)
    outcome_report.publish(filled_event, user=organiser)
    GriffieAddress.objects.create(municipality_id="GM1730", email="griffie@tynaarlo.example")
    from werkconferentie.followup.commitments import create_commitment, municipality_for
    from werkconferentie.followup.history import Actor

    commitment = create_commitment(
        filled_event, municipality_for("GM1730"), Actor(user=organiser), title="Kinderraad", status_note="Toegezegd."
    )
    # A programme mail of this event (with its .ics) and a message to its participants.
    message = mailings.event_messages(filled_event).filter(attachments__isnull=False).first()
    mailing = mailings.send(filled_event, mailings.Draft("Praktisch", "Beste allemaal"), mailings.Audience())
    return SimpleNamespace(
        message=message,
        mailing=mailing,
        event=filled_event,
        users=users,
        zoe=Registration.objects.get(name="Zoë Jansen"),
        live={
            "{code}": board.code,
            "{answer_id}": str(first.pk),
            "{suggestion_id}": str(suggestion.pk),
            "{point_id}": str(point.pk),
            "{commitment_id}": str(commitment.pk),
        },
    )


def sample_object(label: str, event):
    model_admin = next(a for m, a in _our_model_admins() if m._meta.label_lower == label)
    queryset = model_admin.model._default_manager.order_by("pk")
    if label == "registration.privacystatement":
        queryset = queryset.order_by("-version")  # the current one, to which the walk's registrations consented
    path = getattr(model_admin, "event_path", None)
    if path:
        queryset = queryset.filter(**{path: event.pk if path == "pk" else event})
    obj = queryset.first()
    assert obj is not None, f"the walk has no {label} to visit: create one in the walk fixture"
    return obj


def sample_kwargs(walk, label: str | None, kwargs: tuple[str, ...]) -> dict:
    values = {}
    for name in kwargs:
        if name == "object_id":
            values[name] = quote(sample_object(label, walk.event).pk)
        elif name == "slug":
            values[name] = walk.event.slug
        elif name == "token":
            values[name] = links.personal_token(walk.zoe)
        elif name == "version":
            values[name] = PrivacyStatement.current().version
        elif name == "app_label":
            values[name] = label
        elif name == "message_id":
            values[name] = walk.message.pk
        elif name == "attachment_id":
            values[name] = walk.message.attachments.first().pk
        elif name == "mailing_id":
            values[name] = walk.mailing.pk
        else:
            pytest.fail(f"the walk has no sample value for <{name}>: add one to sample_kwargs")
    return values


def login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def leaked(response) -> list[str]:
    if response.status_code != 200 or response.get("Content-Type", "").startswith("application/vnd"):
        return []
    body = response.content.decode("utf-8-sig", errors="replace")
    return [marker for marker in MARKERS if marker in body]


# --- The back office ---------------------------------------------------------------------------------------------


def expected_admin(user: str, access: Access, action: str, about_this_event: bool) -> str:
    """A short description of the allowed answers, checked by `matches`."""
    if user == "anonymous":
        return "login"
    if user == "plain_staff":
        return "refused"
    if user == "superuser":
        return "403" if action in access.superuser_refused else "200"
    if access.audience == SUPERUSERS:
        return "403"
    if user == "other_organiser" and access.audience == EVENT:
        return "not found" if about_this_event else "200 or 403, without this event"
    return "403" if action in access.organiser_refused else "200"


def matches(expected: str, response) -> bool:
    status = response.status_code
    if expected == "login":
        return status == 302 and response["Location"].startswith(reverse("admin:login"))
    if expected == "refused":
        return status in (403, 404) or (status == 302 and response["Location"] == reverse("admin:index"))
    if expected == "not found":
        return status in (403, 404) or (status == 302 and response["Location"] == reverse("admin:index"))
    if expected == "200 or 403, without this event":
        return status == 403 or (status == 200 and not leaked(response))
    return str(status) == expected


@pytest.mark.parametrize(("label", "name", "kwargs"), admin_urls(), ids=lambda value: str(value))
def test_admin_url(walk, client, label, name, kwargs):
    access = ACCESS.get(label)
    if access is None:
        pytest.fail(f"{label} is not in ACCESS")
    action = name.removeprefix(label.replace(".", "_") + "_")
    url = reverse(f"admin:{name}", kwargs=sample_kwargs(walk, label, kwargs))
    about_this_event = bool(kwargs)
    wrong = []
    for user in USERS:
        login(client, walk.users[user])
        response = client.get(url)
        expected = expected_admin(user, access, action, about_this_event)
        if not matches(expected, response):
            wrong.append(f"{user}: expected {expected}, got {response.status_code} {response.get('Location', '')}")
        if user == "other_organiser" and leaked(response):
            wrong.append(f"{user}: sees {leaked(response)}")
    known = KNOWN_LEAKS.get((name, "other_organiser"))
    if known:
        assert wrong, f"fixed: take {name} off KNOWN_LEAKS"
        pytest.xfail(known)
    assert not wrong, f"GET {url}\n" + "\n".join(wrong)


@pytest.mark.parametrize("app_label", app_labels())
def test_admin_app_index(walk, client, app_label):
    audiences = {access.audience for label, access in ACCESS.items() if label.startswith(app_label + ".")}
    for_organisers = bool(audiences & {EVENT, ORGANISERS})
    url = reverse("admin:app_list", kwargs={"app_label": app_label})
    expected = {
        "anonymous": "login",
        "plain_staff": "404",
        "other_organiser": "200" if for_organisers else "404",
        "organiser": "200" if for_organisers else "404",
        "superuser": "200",
    }
    wrong = []
    for user in USERS:
        login(client, walk.users[user])
        response = client.get(url)
        if not matches(expected[user], response) or (user == "other_organiser" and leaked(response)):
            wrong.append(f"{user}: expected {expected[user]}, got {response.status_code}")
    assert not wrong, f"GET {url}\n" + "\n".join(wrong)


# --- The participant pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), PARTICIPANT_URLS, ids=lambda value: str(value))
def test_participant_page(walk, client, name, kwargs):
    url = reverse(name, kwargs=sample_kwargs(walk, None, kwargs))
    for user in USERS:
        login(client, walk.users[user])
        response = client.get(url)
        assert response.status_code == 200, f"{user}: GET {url} answered {response.status_code}"
    if "token" not in kwargs:
        return
    zoe, fenna = walk.zoe, Registration.objects.get(name="Fenna Bakker")
    forged = links.personal_token(zoe)[:-2] + "xx"
    swapped = signing.dumps([fenna.pk, zoe.secret], salt=links.SALT, compress=True)
    for token in [forged, swapped, "niets"]:
        for user in ["anonymous", "organiser"]:
            login(client, walk.users[user])
            response = client.get(reverse(name, kwargs={**sample_kwargs(walk, None, kwargs), "token": token}))
            assert response.status_code == 404, f"{user} with a bad link: {response.status_code}"
            assert "Zoë" not in response.content.decode() and "Fenna" not in response.content.decode()


def test_participant_pages_are_walked():
    """The hook for new participant pages: any URL in these namespaces is walked above."""
    names = dict(PARTICIPANT_URLS)
    assert {"registration:register", "registration:manage", "registration:cancel", "registration:data"} <= set(names)
    assert {"assignment:programme", "assignment:programme_ics"} <= set(names)


# --- The API ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "needs_token"), api_operations(), ids=lambda value: str(value))
def test_api_operation(walk, client, method, path, needs_token):
    url = path.replace("{slug}", walk.event.slug).replace("{number}", "1")  # the walk's published run
    for name, value in {**walk.live, "{action}": "dismiss"}.items():  # a live board of the event, its answer
        url = url.replace(name, value)
    assert "{" not in url, f"the walk has no sample for a parameter in {path}"
    tokens = {user: ApiToken.create_for(account, name="walk")[1] for user, account in walk.users.items() if account}
    for user in USERS:
        headers = {"Authorization": f"Bearer {tokens[user]}"} if user in tokens else {}
        if method == "GET":
            response = client.get(url, headers=headers)
            if not needs_token:
                expected = 200
            elif user == "anonymous":
                expected = 401
            elif user in ("plain_staff", "other_organiser"):
                expected = 404
            else:
                expected = 200
            assert response.status_code == expected, f"{user}: GET {url} answered {response.status_code}"
            if expected != 200 or not needs_token:
                assert not [m for m in MARKERS[:2] if m in response.content.decode("utf-8-sig")], user
        else:
            # Writing operations get an empty body here. Outsiders get a 4xx, never a 2xx; the event's organisers a
            # 4xx with the reason, or a 2xx for operations that need no body (run the engine, publish); no 5xx.
            response = client.generic(method, url, "{}", content_type="application/json", headers=headers)
            status = response.status_code
            if user in ("organiser", "superuser") or not needs_token:  # public: answering and voting are everyone's
                assert 200 <= status < 300 or 400 <= status < 500, f"{user}: {method} {url} answered {status}"
            else:
                assert 400 <= status < 500, f"{user}: {method} {url} answered {status}"
