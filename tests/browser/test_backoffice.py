"""The back office as an organiser uses it, in Debian's chromium: every page passes axe in Dutch and English and
fits a 320 px screen; the check-in page works with a thumb on a phone."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from werkconferentie.assignment import runs
from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.live.boards import ensure_boards
from werkconferentie.reference.models import CrcArticle, Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWNS = ["GM1730", "GM0106", "GM1699"]


@pytest.fixture
def conference(live_server, settings):
    """The example conference with a dozen people (one with a long e-mail address), assigned and published."""
    event = load_event_file(example_event_file()).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.save()
    settings.SITE_URL = live_server.url
    workshops = list(event.workshops.order_by("number"))
    for n in range(12):
        signup.register(
            event,
            signup.SignupData(
                name=f"Deelnemer {n:02d}",
                email=f"deelnemer.met.een.heel.lang.adres.{n}@gemeente-midden-drenthe.example.org",
                role=[Role.COUNCIL_MEMBER, Role.ALDERMAN, Role.POLICY_MAKER][n % 3],
                municipality=Municipality.objects.get(pk=TOWNS[n % 3]),
                preferences=workshops[n % 3 :] + workshops[: n % 3],
            ),
        )
    runs.publish(runs.run_engine(event))
    ensure_boards(event)
    return event


@pytest.fixture
def organiser_cookie(conference, live_server):
    """A logged-in organiser's session cookie, for browser contexts."""
    from registration.factories import UserFactory

    user = UserFactory(username="organisator", organiser_of=[conference])
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def backoffice_pages(event) -> list[str]:
    registration = event.registrations.order_by("pk").first()
    run = event.assignment_runs.first()
    return [
        reverse("admin:index"),
        reverse("admin:events_event_changelist"),
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_workshop_changelist"),
        reverse("admin:events_workshop_change", args=[event.workshops.first().pk]),
        reverse("admin:registration_registration_changelist"),
        reverse("admin:registration_registration_change", args=[registration.pk]),
        reverse("admin:registration_registration_events"),
        reverse("admin:registration_registration_dashboard", args=[event.slug]),
        reverse("admin:assignment_assignmentrun_changelist"),
        reverse("admin:assignment_assignmentrun_event", args=[event.slug]),
        reverse("admin:assignment_assignmentrun_people", args=[event.slug]) + f"?run={run.number}",
        reverse("admin:assignment_assignmentrun_people", args=[event.slug])
        + f"?run={run.number}&person={registration.pk}",
        reverse("checkin:overview", args=[event.slug]),
        reverse("checkin:page", args=[event.slug]) + "?q=deelnemer",
        reverse("live_admin:overview", args=[event.slug]),
        reverse("admin:assignment_assignmentrun_change", args=[run.pk]),
        reverse("admin:registration_erasedregistrations_changelist"),
        reverse("admin:registration_privacystatement_changelist"),
        reverse("admin:reference_municipality_changelist"),
        reverse("admin:reference_municipality_change", args=["GM1699"]),
        reverse("admin:reference_crcarticle_changelist"),
        reverse("admin:reference_crcarticle_change", args=[CrcArticle.objects.get(number=12).pk]),
        reverse("admin:reference_crccluster_changelist"),
        reverse("admin:reference_sdggoal_changelist"),
        reverse("admin:reference_sdgtarget_changelist"),
        reverse("admin:reference_sdgindicator_changelist"),
        reverse("admin:password_change"),
    ]


# Every box that scrolls sideways: focusable by keyboard and named for screen readers (WCAG 2.1.1, 4.1.2).
UNNAMED_SCROLL_BOXES = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth) return false;
  const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  return !(el.getAttribute('tabindex') === '0' && el.getAttribute('role') === 'region' && named);
}).map(el => el.outerHTML.slice(0, 120))"""


def check_page(page, axe_check, failures: list[str], label: str) -> None:
    """axe, no sideways scroll of the page, named scroll boxes: every problem is collected, then failed once."""
    try:
        axe_check(page)
    except BaseException as error:  # pytest's Failed is a BaseException
        failures.append(f"{label}: {error}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        failures.append(f"{label} is {overflow}px wider than the screen")
    unnamed = page.evaluate(UNNAMED_SCROLL_BOXES)
    if unnamed:
        failures.append(f"{label}: scroll boxes without tabindex, role or name: {unnamed}")


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_backoffice_page_passes_axe_and_fits_320_px(
    conference, organiser_cookie, live_server, new_page, axe_check, locale
):
    """The event's change page had 176 unlabelled inputs and 27 selects, empty table headers, an aria-label on a
    span and breadcrumbs at 1.42:1; the dashboard, assignment, people and live pages scrolled sideways at 320 px."""
    failures: list[str] = []
    language = {"name": "django_language", "value": locale, "url": live_server.url}
    for width in (1280, 320):
        page = new_page(viewport={"width": width, "height": 800})
        page.context.add_cookies([language])
        page.goto(live_server.url + reverse("admin:login"))
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check_page(page, axe_check, failures, f"{width}px login")
        page.context.add_cookies([organiser_cookie])
        for path in backoffice_pages(conference):
            response = page.goto(live_server.url + path)
            assert response.ok, f"{path}: {response.status}"
            expect(page.locator("html")).to_have_attribute("lang", locale)
            check_page(page, axe_check, failures, f"{width}px {path}")
    assert not failures, "\n\n".join(failures)


def test_the_event_page_programme_table_is_no_wider_than_a_desktop_screen(
    conference, organiser_cookie, live_server, new_page
):
    """It was 1,954 px wide; now its inputs have sensible widths, and the rest scrolls in its own named box."""
    page = new_page(viewport={"width": 1280, "height": 800})
    page.context.add_cookies([organiser_cookie])
    page.goto(live_server.url + reverse("admin:events_event_change", args=[conference.pk]))
    width = page.locator("#programme-group table").evaluate("table => table.getBoundingClientRect().width")
    assert width <= 1100, f"the programme table is {width}px wide"
    box = page.get_by_role("region", name="Programma")
    expect(box).to_have_attribute("tabindex", "0")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_check_in_on_a_phone(conference, organiser_cookie, live_server, new_page, axe_check):
    """Large enough buttons for a thumb, named apart from the code's; a walk-in registered at the door."""
    conference.capacity = conference.registrations.count() + 1
    conference.save()
    page = new_page(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page.context.add_cookies([organiser_cookie])
    page.goto(live_server.url + reverse("checkin:page", args=[conference.slug]) + "?q=deelnemer 01")
    person = page.get_by_role("button", name="Inchecken Deelnemer 01")
    box = person.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    expect(page.get_by_role("button", name="Deze code inchecken")).to_be_visible()
    axe_check(page)

    page.get_by_label("Naam", exact=True).fill("Wessel aan de Deur")
    page.get_by_label("E-mailadres", exact=True).fill("wessel@example.org")
    page.get_by_label("Rol", exact=True).select_option("raadslid")
    page.get_by_label("Gemeente", exact=True).fill("Noordenveld")
    page.get_by_label("De persoon weet wat er met de gegevens gebeurt (privacyverklaring).").check()
    page.get_by_role("button", name="Aanmelden en inchecken").click()
    expect(page.get_by_role("status")).to_contain_text("Wessel aan de Deur is aangemeld en om")
    expect(page.locator("#wc-count")).to_contain_text("Aanwezig: 1 van 13")
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
