"""The registration API: sign-up answers (201, 422, 409, 404), organiser list and CSV export with tokens."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from werkconferentie.core.models import ApiToken, hash_token
from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration.models import Preference, Registration

URL = "/api/events/roden-2022/registrations"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """These tests are about answers, not limits (see test_ratelimit.py); leave no counts behind either."""
    settings.SIGNUP_RATE = None
    yield
    caches[settings.RATELIMIT_CACHE].clear()


@pytest.fixture
def event(db):
    """Roden 2022 with its registration open and three seats."""
    event = load_event_file(str(example_event_file())).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.capacity = 3
    event.save()
    return event


def person(number: int = 1, **changes) -> dict:
    data = {
        "name": f"Anna de Vries {number}",
        "email": f"anna{number}@tynaarlo.nl",
        "role": "raadslid",
        "municipality": "GM1730",
        "preferences": [],
        "language": "nl",
        "consent": True,
    }
    data.update(changes)
    return data


def post(client, data, url=URL, **headers):
    return client.post(url, data, content_type="application/json", headers=headers)


def messages(response) -> dict[str, str]:
    problem = response.json()
    assert problem["code"] == "invalid" and isinstance(problem["detail"], str) and problem["detail"]
    return {error["field"]: error["msg"] for error in problem["errors"]}


def test_sign_up_confirms_until_full_then_waitlists_in_order(client, event):
    slugs = list(event.workshops.values_list("slug", flat=True)[:3])
    answers = [post(client, person(n, preferences=slugs)) for n in range(1, 6)]
    assert [a.status_code for a in answers] == [201] * 5
    bodies = [a.json() for a in answers]
    assert [b["status"] for b in bodies] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [b["position"] for b in bodies] == [None, None, None, 1, 2]
    registration = Registration.objects.get(pk=bodies[0]["id"])
    assert registration.municipality_id == "GM1730"
    assert [w.slug for w in registration.ranked_workshops()] == slugs
    assert OutboxMessage.objects.filter(recipient="anna1@tynaarlo.nl").count() == 1


def test_events_api_counts_the_seats_taken(client, event):
    post(client, person(1))
    assert client.get("/api/events/roden-2022").json()["seats_left"] == 2


def test_organisation_instead_of_municipality_and_other_role(client, event):
    data = person(municipality=None, organisation="Provincie Drenthe", role="anders", role_other="Gedeputeerde")
    assert post(client, data).status_code == 201
    registration = Registration.objects.get()
    assert (registration.organisation, registration.role_other) == ("Provincie Drenthe", "Gedeputeerde")


def test_municipality_code_in_other_spellings(client, event):
    assert post(client, person(municipality="1730")).status_code == 201
    assert Registration.objects.get().municipality_id == "GM1730"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Noordenveld", "GM1699"),  # longer than a CBS code: was refused as string_too_long
        ("Midden-Drenthe", "GM1731"),
        ("borger odoorn", "GM1681"),
        ("Den Haag", "GM0518"),
        ("den bosch", "GM0796"),
        ("Súdwest-Fryslân", "GM1900"),
        ("SUDWEST FRYSLAN", "GM1900"),
        ("GM0003", "GM1979"),  # Appingedam's code: merged into Eemsdelta in 2021, which is offered instead
        ("Roden", "GM1699"),  # a village: its municipality
    ],
)
def test_municipality_by_name_common_name_or_former_code(client, event, typed, code):
    response = post(client, person(municipality=typed))
    assert response.status_code == 201, response.json()
    assert Registration.objects.get().municipality_id == code


def test_unknown_municipality_is_explained_in_the_users_language(client, event):
    response = post(client, person(municipality="Atlantis"))
    assert response.status_code == 422
    assert "Atlantis" in messages(response)["municipality"] and "gemeente" in messages(response)["municipality"]
    client.cookies["django_language"] = "en"
    response = post(client, person(municipality="Atlantis"))
    assert "We do not know a Dutch municipality" in messages(response)["municipality"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"municipality": "GM9999"}, "municipality"),
        ({"municipality": "x" * 101}, "municipality"),
        ({"municipality": None, "organisation": "  "}, "organisation"),
        ({"role": "anders", "role_other": ""}, "role_other"),
        ({"email": "not-an-address"}, "email"),
        ({"name": "   "}, "name"),
        ({"name": "Anna\x00"}, "name"),
        ({"consent": False}, "consent"),
        ({"preferences": ["geen-workshop"]}, "preferences"),
    ],
)
def test_our_checks_give_field_errors_and_save_nothing(client, event, changes, field):
    response = post(client, person(**changes))
    assert response.status_code == 422
    assert field in messages(response)
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_duplicated_preferences_are_refused(client, event):
    slug = event.workshops.first().slug
    response = post(client, person(preferences=[slug, slug]))
    assert response.status_code == 422
    assert "preferences" in messages(response)


def test_workshop_of_another_event_is_unknown(client, event):
    other = load_event_file(str(example_event_file())).event
    other.pk, other.slug = None, "elders-2023"
    other.save()
    workshop = event.workshops.first()
    workshop.pk, workshop.event = None, other
    workshop.slug = "alleen-elders"
    workshop.save()
    response = post(client, person(preferences=["alleen-elders"]))
    assert response.status_code == 422


def test_schema_errors_are_422_in_the_problem_format(client, event):
    response = post(client, {"name": 12, "email": "a@b.nl", "role": "koning", "consent": "ja"})
    assert response.status_code == 422
    assert {"name", "role", "consent"} <= set(messages(response))
    # Explained in the request's language (Dutch by default), never pydantic's English or its raw list.
    assert messages(response)["name"] == "moet tekst zijn"
    assert "Naam: moet tekst zijn" in response.json()["detail"]
    assert post(client, person(name="x" * 201)).status_code == 422
    assert client.post(URL, "{not json", content_type="application/json").status_code == 400


def test_a_body_over_the_limit_is_413_in_the_problem_format(client, event, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, person(dietary_needs="x" * 2000))
    assert response.status_code == 413
    assert response.json() == {"code": "too_large", "detail": "Dit verzoek is te groot."}
    assert not Registration.objects.exists()


def test_our_messages_follow_the_language(client, event):
    dutch = messages(post(client, person(consent=False)))["consent"]
    client.cookies["django_language"] = "en"
    english = messages(post(client, person(consent=False)))["consent"]
    assert english == "Without your consent we cannot register you."
    assert dutch != english or not dutch.isascii()


def test_second_registration_of_an_address_is_409_and_mailed(client, event):
    assert post(client, person(1)).status_code == 201
    response = post(client, person(1, email="ANNA1@Tynaarlo.nl", name="Anna again"))
    assert response.status_code == 409
    assert response.json()["code"] == "already_registered"
    assert Registration.objects.count() == 1
    assert OutboxMessage.objects.filter(recipient="anna1@tynaarlo.nl").count() == 2


def test_closed_registration_is_409_with_a_code(client, event):
    event.registration_closes = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    response = post(client, person())
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed"
    assert not Registration.objects.exists()


def test_unknown_or_unpublished_event_is_404(client, event):
    assert post(client, person(), url="/api/events/bestaat-niet/registrations").status_code == 404
    event.published = False
    event.save()
    assert post(client, person()).status_code == 404


# Organiser endpoints


@pytest.fixture
def organiser(event):
    user = get_user_model().objects.create_user("organisator", is_staff=True)
    event.organisers.add(user)
    return user


def token_for(user) -> dict:
    _record, token = ApiToken.create_for(user, "test")
    return {"Authorization": f"Bearer {token}"}


def test_organiser_lists_registrations_with_rankings_and_waitlist(client, event, organiser, django_assert_num_queries):
    slugs = list(event.workshops.values_list("slug", flat=True)[:2])
    for n in range(1, 6):
        post(client, person(n, preferences=slugs))
    headers = token_for(organiser)
    with django_assert_num_queries(6):  # token, its last use, event, organiser check, registrations, preferences
        response = client.get(URL, headers=headers)
    assert response.status_code == 200
    rows = response.json()
    assert [row["status"] for row in rows] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [row["position"] for row in rows] == [None, None, None, 1, 2]
    assert rows[0]["preferences"] == slugs
    assert rows[0]["municipality_name"] == "Tynaarlo"


def test_csv_export_opens_in_excel_with_dutch_characters(client, event, organiser):
    post(client, person(1, name="Zoë Ölçer", dietary_needs='=HYPERLINK("x")'))
    response = client.get(URL + ".csv", headers=token_for(organiser))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffid;name;email")
    assert "Zoë Ölçer" in text
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("url", [URL, URL + ".csv"])
def test_organiser_endpoints_refuse_without_token_and_hide_other_events(client, event, organiser, url):
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer wkc_wrong"}).status_code == 401
    stranger = get_user_model().objects.create_user("ander", is_staff=True)
    assert client.get(url, headers=token_for(stranger)).status_code == 404
    inactive = get_user_model().objects.create_user("weg", is_staff=True, is_active=False)
    event.organisers.add(inactive)
    assert client.get(url, headers=token_for(inactive)).status_code == 401
    superuser = get_user_model().objects.create_superuser("beheer")
    assert client.get(url, headers=token_for(superuser)).status_code == 200


def test_api_token_command_prints_a_token_once_and_stores_its_hash(organiser, capsys):
    call_command("api_token", "organisator", "--name", "script")
    token = capsys.readouterr().out.strip()
    record = ApiToken.objects.get()
    assert record.name == "script"
    assert record.token_hash == hash_token(token) and token not in record.token_hash
    assert ApiToken.user_for(token) == organiser
    assert ApiToken.objects.get().last_used_at is not None


def test_everything_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/events/{slug}/registrations"])
    assert "get" in paths["/api/events/{slug}/registrations.csv"]
    responses = paths["/api/events/{slug}/registrations"]["post"]["responses"]
    assert {"201", "404", "409", "422", "429"} <= set(responses)


def test_nothing_partly_saved(client, event):
    """Every registration made through the API has exactly its ranking."""
    slugs = list(event.workshops.values_list("slug", flat=True)[:4])
    for n in range(1, 4):
        post(client, person(n, preferences=slugs[:n]))
    for registration in Registration.objects.all():
        assert Preference.objects.filter(registration=registration).count() == int(registration.name.split()[-1])


@pytest.mark.parametrize("slug", ["a%00b", "x" * 300, "%F0%9F%98%80"])
def test_impossible_event_slugs_are_404(client, event, slug):
    assert post(client, person(), url=f"/api/events/{slug}/registrations").status_code == 404


def test_impossible_workshop_slugs_are_field_errors(client, event):
    response = post(client, person(preferences=["a\x00b", "y" * 300]))
    assert response.status_code == 422
    assert "preferences" in messages(response)


def test_tokens_are_listed_in_the_back_office_without_their_secret(client, organiser):
    _record, token = ApiToken.create_for(organiser, "spreadsheet")
    client.force_login(get_user_model().objects.create_superuser("beheer"))
    page = client.get("/beheer/core/apitoken/")
    assert page.status_code == 200
    assert "spreadsheet" in page.content.decode()
    assert token not in page.content.decode()
    assert client.get("/beheer/core/apitoken/add/").status_code == 403
