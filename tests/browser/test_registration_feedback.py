"""What a person sees while registering and cancelling (issue 13, point 17): the thank-you page says seat or
waiting list, the error summary names the consent briefly, "in your own words" only for "Other" (and without
script always), and cancelling asks first and then confirms."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "nl": {
        "submit": "Aanmelden",
        "other": "Anders",
        "mayor": "Burgemeester",
        "own_words": "Uw rol, in uw eigen woorden",
        "consent_sentence": "Ik ga ermee akkoord",
        "consent_short": "Toestemming: Zonder uw toestemming",
        "seat": "U hebt een plaats",
        "waitlist": "U staat op de wachtlijst",
        "number": "U bent nummer 1 op de wachtlijst",
    },
    "en": {
        "submit": "Register",
        "other": "Other",
        "mayor": "Mayor",
        "own_words": "Your role, in your own words",
        "consent_sentence": "I agree",
        "consent_short": "Consent: Without your consent",
        "seat": "You have a seat",
        "waitlist": "You are on the waiting list",
        "number": "You are number 1 on the waiting list",
    },
}


@pytest.fixture
def site(live_server, settings):
    event = load_event_file(example_event_file()).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.capacity = 1
    event.save()
    settings.SITE_URL = live_server.url
    return live_server.url


def open_form(new_page, site, language, **options):
    page = new_page(locale="en-GB" if language == "en" else "nl-NL", **options)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    page.goto(site + "/conferenties/roden-2022/aanmelden/")
    return page


def fill_and_send(page, text, n):
    page.locator("#id_name").fill(f"Deelnemer {n}")
    page.locator("#id_email").fill(f"d{n}@example.org")
    page.get_by_label(text["mayor"], exact=True).check()
    page.locator("#id_organisation").fill("Provincie Drenthe")
    page.locator("#id_choice_1").select_option(index=1)
    page.locator("#id_consent").check()
    page.get_by_role("button", name=text["submit"], exact=True).click()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_own_words_only_for_other_and_a_short_consent_in_the_summary(site, new_page, axe_check, language):
    text = TEXTS[language]
    page = open_form(new_page, site, language)
    own_words = page.get_by_label(text["own_words"])
    expect(own_words).to_be_hidden()
    page.get_by_label(text["other"], exact=True).check()
    expect(own_words).to_be_visible()
    axe_check(page)
    page.get_by_label(text["mayor"], exact=True).check()
    expect(own_words).to_be_hidden()

    page.get_by_role("button", name=text["submit"], exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(text["consent_short"])
    expect(summary).not_to_contain_text(text["consent_sentence"])
    axe_check(page)

    # Without script the field is simply there, and a role in one's own words still reaches the server.
    plain = open_form(new_page, site, language, java_script_enabled=False)
    expect(plain.get_by_label(text["own_words"])).to_be_visible()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_thank_you_page_says_seat_or_waiting_list(site, new_page, axe_check, language):
    text = TEXTS[language]
    first = open_form(new_page, site, language)
    fill_and_send(first, text, 1)
    expect(first.get_by_role("heading", level=1)).to_contain_text(text["seat"])
    axe_check(first)
    second = open_form(new_page, site, language)
    fill_and_send(second, text, 2)
    expect(second.get_by_role("heading", level=1)).to_contain_text(text["waitlist"])
    expect(second.locator("main")).to_contain_text(text["number"])
    axe_check(second)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_after_publishing_her_page_shows_her_programme_and_a_change_updates_it(site, new_page, axe_check, language):
    """Issue 13, point 6: the programme on the personal page; a change of choice gives (and shows) a new one."""
    from assignment.helpers import SLUGS, register  # tests/ is on sys.path
    from werkconferentie.assignment import runs
    from werkconferentie.events.models import Event
    from werkconferentie.registration.links import personal_url

    event = Event.objects.get(slug="roden-2022")
    event.capacity = 10
    event.save()
    person = register(event, 1, ranking=SLUGS, language=language)
    runs.publish(runs.run_engine(event))
    third = event.workshops.get(slug=SLUGS[2])
    title = (third.title_en or third.title_nl) if language == "en" else third.title_nl
    page = new_page(locale="en-GB" if language == "en" else "nl-NL")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    page.goto(personal_url(person))
    programme = page.locator("section", has=page.locator("#programme"))
    expect(programme.get_by_role("table")).to_be_visible()
    expect(programme).not_to_contain_text(title)
    axe_check(page)
    page.locator("#id_choice_1").select_option(SLUGS[2])
    page.locator("#id_choice_2").select_option(SLUGS[0])
    page.locator("#id_choice_3").select_option(SLUGS[1])
    page.locator("#choices").locator("xpath=..").get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("programma" if language == "nl" else "programme")
    expect(programme).to_contain_text(title)
    axe_check(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_privacy_statement_of_the_conference_and_her_details_on_her_page(site, new_page, axe_check, language):
    """Issue 13, point 8: the statement names controller, contact and retention; she changes her details."""
    from assignment.helpers import SLUGS, register  # tests/ is on sys.path
    from werkconferentie.events.models import Event
    from werkconferentie.registration.links import personal_url
    from werkconferentie.registration.models import Registration

    event = Event.objects.get(slug="roden-2022")
    person = register(event, 1, ranking=SLUGS, language=language)
    page = new_page(locale="en-GB" if language == "en" else "nl-NL")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    page.goto(personal_url(person))
    page.get_by_role("link", name="Privacyverklaring" if language == "nl" else "Privacy statement").last.click()
    expect(page.locator("main")).to_contain_text("Politiek Netwerk Drenthe")
    expect(page.locator("main")).to_contain_text("info@politieknetwerkdrenthe.nl")
    assert "`" not in page.content()
    axe_check(page)

    page.goto(personal_url(person))
    details = page.locator("section", has=page.locator("#details"))
    details.get_by_label("Naam" if language == "nl" else "Name", exact=True).fill("Anouk de Vriës")
    details.get_by_label("Dieetwensen (niet verplicht)" if language == "nl" else "Dietary needs (optional)").fill(
        "vegetarisch"
    )
    details.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("bewaard" if language == "nl" else "saved")
    axe_check(page)
    person = Registration.objects.get(pk=person.pk)
    assert (person.name, person.dietary_needs) == ("Anouk de Vriës", "vegetarisch")
