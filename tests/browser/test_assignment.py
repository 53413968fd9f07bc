"""The organiser assigns the seed conference's 60 participants, moves one, publishes; a participant reads her
programme by her link, and her mail (through a real SMTP server) carries an .ics with her two sessions."""

import datetime as dt
import re

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from werkconferentie.assignment.models import AssignmentRun, Pin
from werkconferentie.events.examples import example_event_file
from werkconferentie.events.loading import load_event_file
from werkconferentie.events.models import WorkshopSession
from werkconferentie.outbox.mailing import send_due
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWNS = ["GM1730", "GM0106", "GM0353", "GM1680"]
ROLES = [Role.COUNCIL_MEMBER, Role.ALDERMAN, Role.POLICY_MAKER, Role.YOUTH_CARE_WORKER]


@pytest.fixture
def conference(live_server, settings):
    """The seed conference with 60 generated registrations; the first is Anouk, who reads her programme."""
    event = load_event_file(example_event_file()).event
    event.registration_opens = None
    event.registration_closes = timezone.now() + dt.timedelta(days=30)
    event.save()
    settings.SITE_URL = live_server.url
    workshops = list(event.workshops.order_by("number"))
    for n in range(60):
        ranking = workshops[n % 3 :] + workshops[: n % 3]
        signup.register(
            event,
            signup.SignupData(
                name="Anouk de Vriës" if n == 0 else f"Deelnemer {n:02d}",
                email="anouk@tynaarlo.nl" if n == 0 else f"deelnemer{n}@example.org",
                role=ROLES[n % 4],
                municipality=Municipality.objects.get(pk=TOWNS[n % 4]),
                preferences=ranking[: 2 + n % 2],
            ),
        )
    OutboxMessage.objects.all().delete()  # the sign-up confirmations are not what this test reads
    return event


@pytest.fixture
def organiser(conference):
    from registration.factories import PASSWORD, UserFactory

    user = UserFactory(username="organisator", organiser_of=[conference])
    return user.username, PASSWORD


def test_assign_move_publish_and_read_the_programme(
    conference, organiser, live_server, new_page, axe_check, smtp_server
):
    site = live_server.url
    page = new_page()
    assignment_url = f"{site}/beheer/assignment/assignmentrun/event/{conference.slug}/"
    page.goto(f"{site}/beheer/login/?next={assignment_url}")
    page.locator("#id_username").fill(organiser[0])
    page.locator("#id_password").fill(organiser[1])
    page.locator("#id_password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(conference.title_nl)

    # Indelen: the run and its figures.
    page.get_by_role("button", name=re.compile("^(Assign|Indelen)$")).click()
    expect(page.locator(".messagelist")).to_contain_text("1")
    expect(page.locator(".wc-totals dd").first).to_have_text("60")
    expect(page.get_by_role("table").filter(has_text="Zaal 1")).to_be_visible()
    axe_check(page)
    run = AssignmentRun.objects.get(event=conference)

    # Move Anouk in round 1 to the workshop she has in neither round.
    anouk = conference.registrations.get(email="anouk@tynaarlo.nl")
    now = {p.round.key: p.session for p in run.placements.filter(registration=anouk).select_related("round")}
    target = (
        WorkshopSession.objects.filter(round__key="ronde-1", workshop__event=conference)
        .exclude(workshop__in=[now["ronde-1"].workshop_id, now["ronde-2"].workshop_id])
        .get()
    )
    # Her target session is made full, so the page warns and asks first.
    target.capacity = run.placements.filter(session=target).count()
    target.save()
    page.goto(f"{assignment_url}people/?run=1")
    page.locator("#wc-q").fill("Anouk")
    page.locator("#wc-q").press("Enter")
    page.get_by_role("link", name="Anouk de Vriës").click()
    form = page.locator("form").filter(has=page.locator(f"#move-{target.round_id}"))
    form.locator("select").select_option(str(target.pk))
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{target.capacity} ")
    axe_check(page)
    page.locator("form").filter(has=page.locator("input[name=confirm]")).locator("button[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Anouk de Vriës")
    axe_check(page)
    assert run.placements.get(registration=anouk, round=target.round).session == target
    assert Pin.objects.get(registration=anouk).session == target

    # Publiceren: first what would be sent (the count, an example mail, who), then everyone gets the mail.
    page.goto(assignment_url)
    page.get_by_role("button", name=re.compile("^(Publish|Publiceren)$")).click()
    expect(page.locator("#content-main")).to_contain_text("60")
    expect(page.locator(".wc-mail")).to_contain_text("Beste")
    assert not OutboxMessage.objects.filter(subject__icontains="programma").exists()
    axe_check(page)
    page.get_by_role("button", name=re.compile("60")).click()
    expect(page.locator(".messagelist")).to_contain_text("60")
    run.refresh_from_db()
    assert run.is_published
    axe_check(page)

    # The mail, through the SMTP server on loopback, with her two sessions in the .ics.
    send_due()
    mails = [m for m in smtp_server.messages if m["To"] == "anouk@tynaarlo.nl"]
    assert len(mails) == 1 and len(smtp_server.messages) == 60
    (mail,) = mails
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert target.workshop.title_nl in body
    link = re.search(r"http://\S+/aanmelding/\S+/", body).group(0)
    (attachment,) = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"]
    content = attachment.get_content()
    calendar = icalendar.Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
    sessions = [e for e in calendar.walk("VEVENT") if "-ronde-" in str(e["uid"])]
    assert len(sessions) == 2
    assert {str(e["summary"]).split(" (")[0] for e in sessions} == {
        target.workshop.title_nl,
        now["ronde-2"].workshop.title_nl,
    }
    assert any("Zaal" in str(e["location"]) for e in sessions)

    # Her personal link, then her programme.
    participant = new_page()
    participant.goto(link)
    participant.get_by_role("link", name=re.compile("See your programme|programma", re.I)).click()
    programme = participant.get_by_role("table")
    expect(programme).to_contain_text(target.workshop.title_nl)
    expect(programme).to_contain_text(now["ronde-2"].workshop.title_nl)
    expect(programme).to_contain_text(target.room)
    axe_check(participant)
