"""Privacy (AVG/GDPR): export, erasure per kind of data, purge after the retention time, the statement page,
and the proof that an erased person leaves no trace in a full database dump."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from glob import glob

import pytest
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import include, path, reverse
from django.utils import timezone

from werkconferentie import urls as project_urls
from werkconferentie.events.models import Event, Workshop
from werkconferentie.outbox.mailing import enqueue, send_due
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import privacy, signup
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import ErasedRegistrations, Preference, PrivacyStatement, Registration
from werkconferentie.registration.privacy_admin import erase_selected

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# The project's URLs plus the privacy pages, until urls.py includes them itself.
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(pattern, "namespace", None) == "privacy" for pattern in urlpatterns):
    urlpatterns.append(path("", include("werkconferentie.registration.privacy_urls")))


# --- Fixtures -------------------------------------------------------------------------------------------------


def make_event(slug: str, *, date: dt.date | None = None, capacity: int = 50) -> Event:
    event = Event.objects.create(
        slug=slug,
        title_nl=f"Werkconferentie {slug}",
        title_en=f"Work conference {slug}",
        date=date or timezone.localdate() + dt.timedelta(days=30),
        start_time="13:00",
        end_time="17:00",
        venue_name="Raadhuis",
        venue_city="Roden",
        contact_email="info@example.org",
        capacity=capacity,
    )
    Workshop.objects.create(event=event, slug="spelen", number=1, title_nl="Buiten spelen", title_en="Playing out")
    Workshop.objects.create(event=event, slug="stem", number=2, title_nl="Een stem", title_en="A voice")
    return event


def register(event: Event, name: str, email: str, **overrides) -> Registration:
    values = {
        "name": name,
        "email": email,
        "role": Role.COUNCIL_MEMBER,
        "municipality": Municipality.objects.get(pk="GM1730"),  # Tynaarlo
        "preferences": list(event.workshops.order_by("-number")),
        "dietary_needs": "vegetarisch",
    }
    values.update(overrides)
    return signup.register(event, signup.SignupData(**values)).registration


@pytest.fixture
def event(db) -> Event:
    return make_event("roden-privacy")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("beheer", "beheer@example.org", "geheim-wachtwoord-123")


def admin_request(user, data: dict | None = None):
    request = RequestFactory().post("/beheer/", data or {})
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def registration_admin() -> ModelAdmin:
    return ModelAdmin(Registration, AdminSite())


# --- Export ---------------------------------------------------------------------------------------------------


def test_export_holds_what_we_know_about_the_registration(event):
    registration = register(event, "Anna Jansen", "Anna.Jansen@Tynaarlo.nl", accessibility_needs="rolstoel")
    data = privacy.export_person(registration)
    json.dumps(data)  # serialisable as it is
    person = data["registration"]
    assert person["name"] == "Anna Jansen"
    assert person["email"] == "anna.jansen@tynaarlo.nl"
    assert person["municipality"] == {"code": "GM1730", "name": "Tynaarlo"}
    assert (person["status"], person["dietary_needs"], person["accessibility_needs"]) == (
        "confirmed",
        "vegetarisch",
        "rolstoel",
    )
    assert data["event"]["slug"] == event.slug
    assert [(p["rank"], p["workshop"], p["title_nl"]) for p in data["preferences"]] == [
        (1, "stem", "Een stem"),
        (2, "spelen", "Buiten spelen"),
    ]
    assert data["consent"]["privacy_statement_version"] == PrivacyStatement.current().version
    assert data["consent"]["consented_at"]
    (sent,) = data["mails"]
    assert sent["subject"] and sent["state"] == "pending" and sent["queued_at"]
    assert "body" not in json.dumps(data["mails"])


def test_export_of_an_address_spans_all_events(event):
    other = make_event("assen-privacy")
    register(event, "Anna Jansen", "anna@example.org")
    register(other, "Anna Jansen", "anna@example.org")
    register(other, "Bert Bakker", "bert@example.org")
    data = privacy.export_email("ANNA@example.org")
    json.dumps(data)
    assert sorted(item["event"]["slug"] for item in data["registrations"]) == ["assen-privacy", "roden-privacy"]
    assert data["other_mails"] == []


# --- Erasure --------------------------------------------------------------------------------------------------


def test_erasure_removes_the_person_from_registrations_preferences_outbox_and_admin_log(event, superuser):
    other_event = make_event("assen-privacy")
    anna = register(event, "Anna Jansen", "anna@example.org")
    anna_elsewhere = register(other_event, "Anna Jansen", "anna@example.org")
    bert = register(event, "Bert Bakker", "bert@example.org")
    registration_admin().log_change(admin_request(superuser), anna, [{"changed": {"fields": ["Dietary needs"]}}])
    LogEntry.objects.log_actions(
        superuser.pk, [anna], ADDITION, change_message=[{"added": {}}], single_object=True
    )  # as when added in the back office
    enqueue("anna@example.org", "Los bericht", "Aan Anna zonder aanmelding")  # mail no registration caused

    report = privacy.erase_email("Anna@Example.org")

    assert report.registrations == 2
    assert not Registration.objects.filter(email="anna@example.org").exists()
    assert not Preference.objects.filter(registration_id__in=[anna.pk, anna_elsewhere.pk]).exists()
    assert not OutboxMessage.objects.filter(recipient__iexact="anna@example.org").exists()
    assert not LogEntry.objects.filter(object_repr__icontains="Anna Jansen").exists()
    assert report.rows["registrations"] == 2 and report.rows["preferences"] == 4 and report.rows["mails"] == 3
    assert report.rows["admin_log"] == 2
    # Nobody else is touched.
    bert.refresh_from_db()
    assert bert.preferences.count() == 2 and OutboxMessage.objects.filter(recipient="bert@example.org").exists()


def test_erasure_keeps_an_anonymous_count_per_event_role_and_status(event):
    event.capacity = 1
    event.save()
    register(event, "Anna Jansen", "anna@example.org")
    register(event, "Bert Bakker", "bert@example.org", role=Role.MAYOR)
    register(event, "Carla de Vries", "carla@example.org", role=Role.MAYOR)

    def tally():
        return {(t.role, t.status): t.count for t in ErasedRegistrations.objects.filter(event=event)}

    privacy.erase_email("bert@example.org")
    assert tally() == {(Role.MAYOR, Status.WAITLISTED): 1}
    privacy.erase_email("carla@example.org")
    privacy.erase_email("anna@example.org")
    # Counted with the status they had when erased, not the cancellation the erasure makes on the way.
    assert tally() == {(Role.MAYOR, Status.WAITLISTED): 2, (Role.COUNCIL_MEMBER, Status.CONFIRMED): 1}


def test_an_erased_seat_goes_to_the_waiting_list_and_the_erased_person_gets_no_mail(event):
    event.capacity = 1
    event.save()
    anna = register(event, "Anna Jansen", "anna@example.org")
    bert = register(event, "Bert Bakker", "bert@example.org")
    assert bert.status == Status.WAITLISTED

    report = privacy.erase_registration(anna)

    bert.refresh_from_db()
    assert bert.status == Status.CONFIRMED and report.promoted == [bert.pk]
    subjects = list(OutboxMessage.objects.filter(recipient="bert@example.org").values_list("subject", flat=True))
    assert len(subjects) == 2  # on the waiting list, then the seat
    assert not OutboxMessage.objects.filter(recipient="anna@example.org").exists()
    send_due()
    assert all("anna@example.org" not in message.to for message in mail.outbox)


def test_erasing_one_registration_keeps_the_persons_registration_for_another_event(event):
    other_event = make_event("assen-privacy")
    anna = register(event, "Anna Jansen", "anna@example.org")
    elsewhere = register(other_event, "Anna Jansen", "anna@example.org")

    privacy.erase_registration(anna)
    assert list(Registration.objects.filter(email="anna@example.org")) == [elsewhere]
    assert OutboxMessage.objects.filter(recipient="anna@example.org", object_id=str(elsewhere.pk)).count() == 1

    privacy.erase_registration(elsewhere)
    assert not OutboxMessage.objects.filter(recipient="anna@example.org").exists()


def test_erasure_scrubs_the_name_from_other_objects_log_entries(event, superuser):
    anna = register(event, "Anna Jansen", "anna@example.org")
    bert = register(event, "Bert Bakker", "bert@example.org")
    # What Django logs on the event when registrations are changed in an inline of the event's admin.
    inline_message = [
        {"changed": {"fields": ["Capacity"]}},
        {"changed": {"name": "registration", "object": str(anna), "fields": ["Status"]}},
        {"changed": {"name": "registration", "object": str(bert), "fields": ["Status"]}},
    ]
    entry = LogEntry.objects.log_actions(
        superuser.pk, [event], CHANGE, change_message=inline_message, single_object=True
    )

    privacy.erase_registration(anna)

    entry.refresh_from_db()
    assert "Anna" not in entry.change_message and "Bert Bakker" in entry.change_message
    assert json.loads(entry.change_message)[1]["changed"]["object"] == privacy.ERASED
    assert entry.get_change_message()  # still a valid message for the admin's history page


def test_later_apps_add_their_own_kind_of_personal_data(event, monkeypatch):
    monkeypatch.setattr(privacy, "_kinds", dict(privacy._kinds))
    erased = []
    privacy.register_personal_data(
        "badges",
        erase=lambda registrations: erased.extend(r.pk for r in registrations) or len(registrations),
        export=lambda registration: {"printed": True},
    )
    anna = register(event, "Anna Jansen", "anna@example.org")
    assert privacy.export_person(anna)["badges"] == {"printed": True}
    report = privacy.erase_email("anna@example.org")
    assert erased == [anna.pk] and report.rows["badges"] == 1


# --- Commands -------------------------------------------------------------------------------------------------


def test_erase_command_erases_and_prints_counts(event):
    register(event, "Anna Jansen", "anna@example.org")
    out = io.StringIO()
    call_command("erase", "anna@example.org", "--yes", stdout=out)
    assert not Registration.objects.filter(email="anna@example.org").exists()
    assert "registrations: 1" in out.getvalue() and "preferences: 2" in out.getvalue()


def test_erase_command_says_so_when_nothing_is_held(db):
    out = io.StringIO()
    call_command("erase", "niemand@example.org", "--yes", stdout=out)
    assert "Nothing is held" in out.getvalue()


def test_erase_command_asks_first_on_a_terminal(event, monkeypatch):
    register(event, "Anna Jansen", "anna@example.org")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    out = io.StringIO()
    call_command("erase", "anna@example.org", stdout=out)
    assert "Nothing erased" in out.getvalue()
    assert Registration.objects.filter(email="anna@example.org").exists()


def test_purge_erases_events_past_the_retention_time_and_dry_run_erases_nothing(db, settings):
    settings.RETENTION_DAYS = 30
    today = timezone.localdate()
    old = make_event("oud", date=today - dt.timedelta(days=31))
    borderline = make_event("net-niet", date=today - dt.timedelta(days=30))
    coming = make_event("komt-nog")
    # Registrations are made while registration is still open, long before the event.
    for number, each in enumerate([old, borderline, coming]):
        Registration.objects.create(
            event=each,
            name=f"Persoon {number}",
            email=f"persoon{number}@example.org",
            role=Role.MAYOR,
            status=Status.CONFIRMED,
            consent_statement=PrivacyStatement.current(),
            consented_at=timezone.now(),
        )
    enqueue("persoon0@example.org", "Tot ziens", "Dank", kind="registration", object_id=old.registrations.get().pk)

    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "oud" in out.getvalue() and "would erase 1" in out.getvalue()
    assert Registration.objects.count() == 3

    call_command("purge", stdout=io.StringIO())
    assert sorted(Registration.objects.values_list("event__slug", flat=True)) == ["komt-nog", "net-niet"]
    assert not OutboxMessage.objects.filter(recipient="persoon0@example.org").exists()
    assert ErasedRegistrations.objects.get(event=old).count == 1

    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "Nothing to purge" in out.getvalue()


# --- Back office ----------------------------------------------------------------------------------------------


def test_admin_action_asks_for_confirmation_then_erases(event, superuser):
    anna = register(event, "Anna Jansen", "anna@example.org")
    register(event, "Bert Bakker", "bert@example.org")
    model_admin = registration_admin()
    selected = Registration.objects.filter(pk=anna.pk)

    response = erase_selected(model_admin, admin_request(superuser), selected)
    response.render()
    assert response.status_code == 200 and "Anna Jansen" in response.content.decode()
    assert Registration.objects.filter(pk=anna.pk).exists()

    request = admin_request(superuser, {"post": "yes"})
    assert erase_selected(model_admin, request, selected) is None
    assert list(Registration.objects.values_list("name", flat=True)) == ["Bert Bakker"]
    assert [str(message) for message in request._messages] == ["De persoonsgegevens van 1 aanmelding zijn gewist."]
    audit = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Event), object_id=str(event.pk))
    assert "1 registration" in audit.change_message and "Anna" not in audit.change_message


def test_admin_action_through_the_back_office(client, event, superuser):
    anna = register(event, "Anna Jansen", "anna@example.org")
    client.force_login(superuser)
    url = reverse("admin:registration_registration_changelist")
    choice = {"action": "erase_selected", "_selected_action": [anna.pk]}
    confirmation = client.post(url, choice)
    assert confirmation.status_code == 200 and "Anna Jansen" in confirmation.content.decode()
    assert client.post(url, {**choice, "post": "yes"}).status_code == 302
    assert not Registration.objects.filter(pk=anna.pk).exists()


# --- The privacy statement page -------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_privacy_statement_page_shows_the_current_version_in_the_visitors_language(client, db, settings):
    PrivacyStatement.objects.create(
        version=PrivacyStatement.current().version + 1,  # whatever versions the migrations made
        effective_from=dt.date(2027, 1, 1),
        text_nl="Nieuw.\n\n**Vet** deel.",
        text_en="New.\n\n**Bold**.",
    )
    page = client.get("/privacy/").content.decode()
    assert "<strong>Vet</strong> deel." in page
    # headings in order: the statement, the follow-up (followup/_privacy.html), earlier versions
    assert re.findall(r"<h([1-6])", page) == ["1", "2", "2", "2"]
    assert 'href="/privacy/v1/"' in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    english = client.get("/privacy/").content.decode()
    assert "<strong>Bold</strong>" in english
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)

    earlier = client.get("/privacy/v1/").content.decode()
    assert "Welke gegevens?" in earlier and 'href="/privacy/"' in earlier
    assert client.get("/privacy/v99/").status_code == 404


# --- The dump: no trace left ----------------------------------------------------------------------------------

NAME = "Zwaantje Achternaamvoorbeeld"
EMAIL = "zwaantje.test@voorbeeld.nl"
TRACES = ["zwaantje achternaamvoorbeeld", "achternaamvoorbeeld", EMAIL]


def traces_in(text: str) -> list[str]:
    """The traces of the person in a dump: as text, case-insensitively, and hex-encoded (SQLite and PostgreSQL
    write binary columns as hex)."""
    lowered = text.lower()
    found = [trace for trace in TRACES if trace in lowered]
    found += [f"hex:{trace}" for trace in TRACES if trace.encode().hex() in lowered]
    return found


def pg_dump_binary() -> str | None:
    candidates = sorted(
        glob("/usr/lib/postgresql/*/bin/pg_dump"), key=lambda p: [int(n) for n in re.findall(r"\d+", p)]
    )
    return candidates[-1] if candidates else shutil.which("pg_dump")


def dump_database() -> str:
    """A full logical dump of the test database: every table, schema and data."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    if connection.vendor == "postgresql":
        binary = pg_dump_binary()
        if binary is None:
            if IN_CI:
                pytest.fail("pg_dump is missing (apt-get install postgresql-client)")
            pytest.skip("pg_dump is missing")
        settings = connection.settings_dict
        command = [binary, "--no-owner", "--no-privileges", "--dbname", settings["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command += [option, str(settings[key])]
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    pytest.skip(f"no dump for {connection.vendor}")


# Committed data: on PostgreSQL the dump is taken by another process. (tests/conftest.py puts the data
# migrations' rows back after the flush.)
@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_trace_of_name_or_email_in_a_full_database_dump():
    user = get_user_model().objects.create_superuser("beheer", "beheer@example.org", "geheim-wachtwoord-123")
    roden = make_event("roden-dump", capacity=1)
    assen = make_event("assen-dump")
    register(roden, "Iemand Anders", "iemand@example.org")  # takes the only seat: Zwaantje is waitlisted there
    on_waitlist = register(roden, NAME, "Zwaantje.Test@Voorbeeld.nl", accessibility_needs=f"Vraag {NAME}")
    confirmed = register(assen, NAME, EMAIL, organisation="Provincie", municipality=None)
    register(assen, NAME, EMAIL)  # a second attempt: another mail with her link
    assert (on_waitlist.status, confirmed.status) == (Status.WAITLISTED, Status.CONFIRMED)

    # The mail goes out (locmem backend in tests) and stays in the outbox as sent.
    assert send_due().sent >= 4
    assert any(EMAIL in message.to for message in mail.outbox)
    # The back office changed her registration, and changed the event with her registration in an inline.
    request = admin_request(user)
    registration_admin().log_change(request, confirmed, [{"changed": {"fields": ["Status"]}}])
    registration_admin().log_addition(request, on_waitlist, [{"added": {}}])
    LogEntry.objects.log_actions(
        user.pk,
        [assen],
        CHANGE,
        change_message=[{"changed": {"name": "registration", "object": str(confirmed), "fields": ["Status"]}}],
        single_object=True,
    )
    # Her export was downloaded (nothing of it is stored, but the call must not leave anything either).
    privacy.export_email(EMAIL)

    before = dump_database()
    assert set(traces_in(before)) >= set(TRACES), "the dump does not see the data: the test would prove nothing"

    report = privacy.erase_email(EMAIL.upper())
    assert report.registrations == 2

    after = dump_database()
    assert traces_in(after) == []
    assert "iemand@example.org" in after.lower()  # the dump is real and others are still there

    if connection.vendor == "sqlite":
        # The dump is logical; the file's free pages could still hold old text. After VACUUM they are gone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
        raw = connection.connection.serialize().lower()
        assert [trace for trace in TRACES if trace.encode() in raw] == []
        assert b"iemand@example.org" in raw
