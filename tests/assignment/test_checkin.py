"""The check-in page and the print downloads: who may use them, and what a scan or a search does."""

import datetime as dt
import os

import pytest
from django.core import signing
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from registration.factories import (
    EventFactory,
    RegistrationFactory,
    RoundFactory,
    UserFactory,
    WorkshopFactory,
    WorkshopSessionFactory,
)
from werkconferentie.assignment import checkin, runs
from werkconferentie.assignment.models import CheckIn
from werkconferentie.registration import links

pytestmark = [pytest.mark.django_db, pytest.mark.urls("assignment.checkin_test_urls")]

JSON = {"headers": {"Accept": "application/json"}}


@pytest.fixture
def event(db):
    event = EventFactory(slug="zuidlaren-2026", title_nl="Werkconferentie Zuidlaren")
    rounds = [RoundFactory(event=event, number=n) for n in (1, 2)]
    for number in (1, 2):
        workshop = WorkshopFactory(event=event, number=number)
        for round_ in rounds:
            WorkshopSessionFactory(workshop=workshop, round=round_, capacity=5)
    workshops = list(event.workshops.all())
    RegistrationFactory(event=event, name="Zoë ’t Hart", preferences=workshops)
    RegistrationFactory(event=event, name="Ĳsbrand van der Veen-Öztürk", organisation_only=True, preferences=workshops)
    RegistrationFactory(event=event, name="Fenna Bakker", waitlisted=True, preferences=workshops)
    return event


@pytest.fixture
def zoe(event):
    return event.registrations.get(name="Zoë ’t Hart")


@pytest.fixture
def organiser(event):
    return UserFactory(username="organisator", organiser_of=[event])


@pytest.fixture
def organiser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def checkin_url(event, name="check_in"):
    return reverse(f"checkin:{name}", kwargs={"slug": event.slug})


# --- Who may use the pages -----------------------------------------------------------------------------------


def checkin_urls() -> list[str]:
    for resolver in get_resolver("assignment.checkin_test_urls").url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == "checkin":
            return sorted(p.name for p in resolver.url_patterns)
    return []


def test_every_page_of_the_day_is_walked():
    assert set(checkin_urls()) == {
        "overview",
        "badges_pdf",
        "lists_pdf",
        "lists_xlsx",
        "page",
        "count",
        "check_in",
        "walk_in",
    }


@pytest.mark.parametrize("name", checkin_urls())
def test_only_organisers_of_the_event_get_in(event, zoe, organiser, client, name):
    runs.publish(runs.run_engine(event))
    other_event = EventFactory(slug="emmen-2026")
    users = {
        "other organiser": UserFactory(username="ander", organiser_of=[other_event]),
        "staff without rights": UserFactory(username="medewerker", organiser=False),
        "organiser": organiser,
        "superuser": UserFactory(username="beheerder", superuser=True),
    }
    url = checkin_url(event, name)
    post = name in ("check_in", "walk_in")

    def ask():
        return client.post(url, {"registration": zoe.pk}, **JSON) if post else client.get(url)

    response = ask()
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    for who, user in users.items():
        client.force_login(user)
        response = ask()
        expected = (400 if name == "walk_in" else 200) if who in ("organiser", "superuser") else 404
        assert response.status_code == expected, f"{who}: {response.status_code}"
        if expected == 404:
            assert "Zoë" not in response.content.decode("utf-8", errors="replace")
    assert not CheckIn.objects.exclude(registration=zoe).exists()


def test_check_in_needs_csrf(event, zoe, organiser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    assert client.post(checkin_url(event), {"registration": zoe.pk}).status_code == 403
    assert not CheckIn.objects.exists()


# --- Scanning a badge ------------------------------------------------------------------------------------------


def test_a_badge_checks_in_once_and_then_shows_already_in(event, zoe, organiser_client):
    token = checkin.badge_token(zoe)
    first = organiser_client.post(checkin_url(event), {"token": token}, **JSON)
    assert first.status_code == 200 and first.json()["status"] == "checked_in"
    assert first.json()["present"] == 1 and first.json()["expected"] == 2
    again = organiser_client.post(checkin_url(event), {"token": token}, **JSON).json()
    assert again["status"] == "already" and again["checked_in_at"] in again["message"]
    assert CheckIn.objects.get().checked_in_by.username == "organisator"


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda r: checkin.badge_token(r)[:-3] + "abc", id="forged"),
        pytest.param(lambda r: "geen code", id="not a code"),
        pytest.param(lambda r: links.personal_token(r), id="personal link"),
        pytest.param(lambda r: signing.dumps([r.pk, "0000000000"], salt=checkin.SALT), id="wrong check value"),
        pytest.param(lambda r: signing.dumps("x", salt=checkin.SALT), id="signed nonsense"),
    ],
)
def test_a_bad_code_gets_a_clear_message(event, zoe, organiser_client, make_token):
    response = organiser_client.post(checkin_url(event), {"token": make_token(zoe)}, **JSON)
    assert response.status_code == 400 and response.json()["status"] == "invalid"
    assert "Zoë" not in response.content.decode()
    assert not CheckIn.objects.exists()


def test_an_expired_badge_and_one_of_another_event(event, zoe, organiser_client, monkeypatch):
    token = checkin.badge_token(zoe)
    monkeypatch.setattr(checkin, "MAX_AGE", dt.timedelta(seconds=-1))
    assert organiser_client.post(checkin_url(event), {"token": token}, **JSON).json()["status"] == "expired"
    monkeypatch.undo()
    elsewhere = RegistrationFactory(name="Elders Persoon")
    answer = organiser_client.post(checkin_url(event), {"token": checkin.badge_token(elsewhere)}, **JSON).json()
    assert answer["status"] == "other_event" and "Elders" not in answer["message"]


def test_a_new_personal_secret_revokes_the_badge(event, zoe, organiser_client):
    token = checkin.badge_token(zoe)
    zoe.secret = "nieuw-geheim"
    zoe.save()
    assert organiser_client.post(checkin_url(event), {"token": token}, **JSON).json()["status"] == "invalid"


def test_waitlisted_people_are_not_checked_in(event, organiser_client):
    fenna = event.registrations.get(name="Fenna Bakker")
    response = organiser_client.post(checkin_url(event), {"token": checkin.badge_token(fenna)}, **JSON)
    assert response.status_code == 409 and response.json()["status"] == "not_confirmed"
    assert not CheckIn.objects.exists()


# --- Searching by name, without script --------------------------------------------------------------------------


def test_search_ignores_accents_and_case(event):
    assert [r.name for r in checkin.search(event, "zoe")] == ["Zoë ’t Hart"]
    assert [r.name for r in checkin.search(event, "IJSBRAND ozturk")] == ["Ĳsbrand van der Veen-Öztürk"]
    assert [r.name for r in checkin.search(event, "ĳsselland")] == ["Ĳsbrand van der Veen-Öztürk"]
    assert checkin.search(event, "fenna") == []  # waitlisted: not expected at the door
    assert checkin.search(event, "   ") == []


def test_search_then_check_in_without_script(event, zoe, organiser_client):
    page = organiser_client.get(checkin_url(event, "page"), {"q": "zoe"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Zoë ’t Hart" in body and f'name="registration" value="{zoe.pk}"' in body
    assert 'role="status"' in body and 'for="wc-q"' in body and 'for="wc-token"' in body

    response = organiser_client.post(checkin_url(event), {"registration": zoe.pk, "q": "zoe"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("?q=zoe")
    body = response.content.decode()
    assert "Zoë ’t Hart" in body and CheckIn.objects.filter(registration=zoe).exists()
    assert f'name="registration" value="{zoe.pk}"' not in body  # shown as in, with the time, no button

    again = organiser_client.post(checkin_url(event), {"registration": zoe.pk}, follow=True).content.decode()
    checked_in_at = CheckIn.objects.get().checked_in_at
    from django.utils import timezone

    assert timezone.localtime(checked_in_at).strftime("%H:%M") in again


def test_a_search_for_someone_without_a_seat_says_why(event, zoe, organiser_client):
    """It said "0 personen gevonden" for someone on the waiting list or cancelled."""
    body = organiser_client.get(checkin_url(event, "page"), {"q": "fenna"}).content.decode()
    assert "Fenna Bakker" in body and "Op de wachtlijst: geen plaats, dus niet inchecken." in body
    assert "0 personen" not in body and 'name="registration"' not in body
    from werkconferentie.registration import signup

    signup.cancel(zoe)
    body = organiser_client.get(checkin_url(event, "page"), {"q": "zoe"}).content.decode()
    assert "Afgemeld: geen plaats, dus niet inchecken." in body and "0 personen" not in body
    body = organiser_client.get(checkin_url(event, "page"), {"q": "niemand"}).content.decode()
    assert "0 personen gevonden" in body


def test_the_person_buttons_are_named_apart_from_the_code_button(event, zoe, organiser_client):
    body = organiser_client.get(checkin_url(event, "page"), {"q": "zoe"}).content.decode()
    assert "Deze code inchecken</button>" in body
    assert 'Inchecken<span class="visually-hidden"> Zoë ’t Hart</span></button>' in body


WALK_IN = {
    "name": "Wessel Walk-in",
    "email": "wessel@example.org",
    "role": "raadslid",
    "municipality": "Tynaarlo",
    "organisation": "",
    "told_privacy": "on",
}


def test_a_walk_in_is_registered_and_checked_in_within_the_capacity(event, organiser, organiser_client):
    from werkconferentie.outbox.models import OutboxMessage
    from werkconferentie.registration.enums import Status

    event.capacity = 3  # Zoë and Ĳsbrand have seats, Fenna waits: one seat is free
    event.save()
    page = organiser_client.get(checkin_url(event, "page")).content.decode()
    assert "Iemand aan de deur aanmelden" in page and "Er is 1 plaats vrij" in page
    response = organiser_client.post(checkin_url(event, "walk_in"), WALK_IN, follow=True)
    assert "Wessel Walk-in is aangemeld en om" in response.content.decode()
    wessel = event.registrations.get(email="wessel@example.org")
    assert wessel.status == Status.CONFIRMED and wessel.municipality.name == "Tynaarlo"
    assert CheckIn.objects.get(registration=wessel).checked_in_by == organiser
    assert OutboxMessage.objects.filter(recipient="wessel@example.org").exists()  # her personal link

    # Full now: the next one is refused with the reason, and nothing is stored.
    other = dict(WALK_IN, name="Nog Iemand", email="nog@example.org")
    refused = organiser_client.post(checkin_url(event, "walk_in"), other)
    assert refused.status_code == 409 and "Alle plaatsen zijn bezet (3 van 3)" in refused.content.decode()
    assert not event.registrations.filter(email="nog@example.org").exists()
    # Twice the same address; a form with holes.
    event.capacity = 10
    event.save()
    twice = organiser_client.post(checkin_url(event, "walk_in"), WALK_IN)
    assert twice.status_code == 409 and "Wessel Walk-in is al aangemeld met dit adres" in twice.content.decode()
    holes = organiser_client.post(checkin_url(event, "walk_in"), {"name": "X", "email": "geen-adres"})
    body = holes.content.decode()
    assert holes.status_code == 400 and "Vul een gemeente of een organisatie in." in body
    assert "Vertel de persoon eerst over de privacyverklaring." in body and event.registrations.count() == 4


def test_count_and_an_empty_post(event, zoe, organiser_client):
    assert organiser_client.get(checkin_url(event, "count")).json() == {"present": 0, "expected": 2}
    checkin.check_in(zoe)
    assert organiser_client.get(checkin_url(event, "count")).json() == {"present": 1, "expected": 2}
    assert organiser_client.post(checkin_url(event), {}, **JSON).json()["status"] == "empty"
    missing = organiser_client.post(checkin_url(event), {"registration": 999999}, **JSON)
    assert missing.status_code == 404 and missing.json()["status"] == "not_found"


# --- The print downloads ------------------------------------------------------------------------------------------


def test_downloads(event, organiser_client):
    badges = organiser_client.get(checkin_url(event, "badges_pdf"), {"order": "municipality"})
    assert badges.status_code == 200 and badges.content.startswith(b"%PDF")
    assert "no-store" in badges["Cache-Control"]
    # Before publishing there are no lists: back to the overview with a message.
    lists = organiser_client.get(checkin_url(event, "lists_xlsx"))
    assert lists.status_code == 302 and lists["Location"] == checkin_url(event, "overview")
    runs.publish(runs.run_engine(event))
    lists = organiser_client.get(checkin_url(event, "lists_xlsx"))
    assert lists.status_code == 200 and lists["Content-Type"].startswith("application/vnd.openxmlformats")
    assert organiser_client.get(checkin_url(event, "lists_pdf")).content.startswith(b"%PDF")
    overview = organiser_client.get(checkin_url(event, "overview")).content.decode()
    assert checkin_url(event, "page") in overview and checkin_url(event, "lists_pdf") in overview


# --- In the browser: the script's paths (typed code, search button, camera) ------------------------------------


def badge_video(tmp_path, registration) -> str:
    """A few frames of a camera looking at a badge's QR code, as Chromium's fake camera reads them (Y4M)."""
    import io

    import segno
    from PIL import Image

    image = io.BytesIO()
    segno.make_qr(checkin.badge_token(registration), error="m").save(image, kind="png", scale=8, border=6)
    code = Image.open(io.BytesIO(image.getvalue())).convert("L")
    frame = Image.new("L", (640, 480), 235)
    code.thumbnail((440, 440))
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    y = frame.tobytes()
    chroma = bytes([128]) * (320 * 240)
    path = tmp_path / "badge.y4m"
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _frame in range(10):
            out.write(b"FRAME\n" + y + chroma + chroma)
    return str(path)


@pytest.fixture
def camera_page(playwright_instance, tmp_path, zoe):
    """Chromium with a fake camera that films Zoë's badge code."""
    from conftest import CHROMIUM_ARGS, CHROMIUM_PATH

    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM_PATH,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={badge_video(tmp_path, zoe)}",
        ],
    )
    context = browser.new_context(locale="nl-NL", permissions=["camera"])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
    browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_camera_typed_code_and_search(event, zoe, organiser, live_server, camera_page, axe_check):
    page = camera_page
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(live_server.url + checkin_url(event, "page"))
    axe_check(page, context="#content-main")

    # The camera reads Zoë's badge (jsQR: headless Chromium on Linux has no BarcodeDetector).
    page.click("#wc-camera-start")
    page.wait_for_selector("#wc-result.wc-checked_in")
    assert "Zoë ’t Hart" in page.locator("#wc-result").inner_text()
    page.wait_for_function("document.getElementById('wc-count').textContent.includes('1')")
    page.click("#wc-camera-stop")

    # The same badge typed (or from a hand scanner): already in, with the time.
    page.fill("#wc-token", checkin.badge_token(zoe))
    page.press("#wc-token", "Enter")
    page.wait_for_selector("#wc-result.wc-already")

    # A name searched and checked in with its button, without leaving the page.
    page.fill("#wc-q", "ijsbrand")
    page.press("#wc-q", "Enter")
    page.locator(".wc-people button").click()
    page.wait_for_selector("#wc-result.wc-checked_in")
    page.wait_for_selector(".wc-people .wc-in")
    assert CheckIn.objects.count() == 2
    if os.environ.get("BADGES_PNG_DIR"):
        page.screenshot(path=os.path.join(os.environ["BADGES_PNG_DIR"], "checkin.png"), full_page=True)


def test_the_back_office_home_has_the_day_of_each_event(event, organiser_client):
    other_event = EventFactory(slug="emmen-2026", title_nl="Werkconferentie Emmen")
    body = organiser_client.get(reverse("admin:index")).content.decode()
    assert "<caption>Op de dag</caption>" in body
    assert f'href="{checkin_url(event, "overview")}"' in body and "inchecken, live borden" in body
    assert checkin_url(other_event, "overview") not in body  # not hers
    superuser = Client()
    superuser.force_login(UserFactory(username="beheerder", superuser=True))
    assert checkin_url(other_event, "overview") in superuser.get(reverse("admin:index")).content.decode()
