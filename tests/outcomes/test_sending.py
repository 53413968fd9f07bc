"""Sending the raadsadres: the confirmation step, one mail per griffie through the outbox and a real SMTP server,
both attachments, no personal data, the record per letter with "delivered", re-sending, and who may do it."""

import io
import time

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from registration.factories import RegistrationFactory, UserFactory
from werkconferentie.live import access
from werkconferentie.live.boards import update_answer
from werkconferentie.live.enums import BoardKind
from werkconferentie.outbox.enums import MessageState
from werkconferentie.outbox.mailing import send_due
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.outcomes import dispatch, points
from werkconferentie.outcomes.models import CouncilHandling, GriffieAddress, LetterDispatch
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import links
from werkconferentie.registration.enums import Role

pytestmark = pytest.mark.django_db

NAMES = ["Zoë Quackenbush-Ŧest", "Ægidius van 't Oosterwijk", "Xanthippe Blauwvoet"]
EMAILS = ["zoe.quackenbush@unusual-name.example", "aegidius@oosterwijk.example", "xanthippe@blauwvoet.example"]


@pytest.fixture(autouse=True)
def _fresh_facts():
    dispatch.forget_facts()
    yield
    dispatch.forget_facts()


@pytest.fixture
def conference(roden, boards, answer_on):
    """People from Noordenveld, Weesp (Amsterdam since 2022) and Tynaarlo (no griffie e-mail), with answers."""
    noordenveld, weesp, tynaarlo = (Municipality.objects.get(code=c) for c in ("GM1699", "GM0457", "GM1730"))
    people = [
        RegistrationFactory(
            event=roden, name=NAMES[0], email=EMAILS[0], role=Role.COUNCIL_MEMBER, municipality=noordenveld
        ),
        RegistrationFactory(event=roden, name=NAMES[1], email=EMAILS[1], role=Role.ALDERMAN, municipality=weesp),
        RegistrationFactory(event=roden, name=NAMES[2], email=EMAILS[2], role=Role.POLICY_MAKER, municipality=tynaarlo),
    ]
    workshop = next(b for b in boards if b.kind == BoardKind.WORKSHOP)
    children = next(b for b in boards if b.kind == BoardKind.CHILDREN)
    answer_on(
        workshop,
        "Een kinderraad die echt meebeslist",
        votes=3,
        role=Role.COUNCIL_MEMBER,
        municipality=noordenveld,
        registration=people[0],
    )
    answer_on(
        workshop,
        "Speelplekken voor alle kinderen",
        votes=1,
        role=Role.ALDERMAN,
        municipality=weesp,
        registration=people[1],
    )
    update_answer(answer_on(children, "Meer plekken om te spelen na school", from_children=True), status="visible")
    points.create_point(roden, title_nl="Kinderraad", request_nl="Stel een kinderraad in.", is_request=True)
    GriffieAddress.objects.create(
        municipality=noordenveld, email="griffie@noordenveld.example", postal_address="Postbus 109\n9300 AC Roden"
    )
    GriffieAddress.objects.create(municipality_id="GM0363", email="griffie@amsterdam.example")
    GriffieAddress.objects.create(municipality=tynaarlo, postal_address="Postbus 5\n9480 AA Vries")  # no e-mail
    return roden


@pytest.fixture
def organiser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def send_url(event):
    return reverse("outcomes_sending:send", kwargs={"slug": event.slug})


def dispatches_url(event):
    return reverse("outcomes_sending:dispatches", kwargs={"slug": event.slug})


def confirm(client, event, codes, **extra):
    return client.post(send_url(event), {"choice": "default", "province": "", "codes": codes, **extra})


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_page_shows_mail_and_recipients_and_queues_nothing(conference, organiser_client):
    response = organiser_client.get(send_url(conference))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geachte griffie," in html and "GM0363-Amsterdam.pdf" in html and "GM0363-Amsterdam.docx" in html
    assert "griffie@noordenveld.example" in html and "griffie@amsterdam.example" in html
    assert "Niet te versturen" in html and "Tynaarlo" in html and "Postbus 5" in html
    assert not any(name in html for name in NAMES) and not any(email in html for email in EMAILS)
    # Choosing another set of recipients is a GET too: still nothing queued.
    response = organiser_client.get(send_url(conference), {"choice": "province", "province": "Drenthe"})
    assert response.status_code == 200 and "Emmen" in response.content.decode()
    response = organiser_client.get(send_url(conference), {"choice": "province", "province": ""})
    assert response.status_code == 400
    response = organiser_client.get(send_url(conference), {"choice": "nonsense"})
    assert response.status_code == 400
    assert not OutboxMessage.objects.exists() and not LetterDispatch.objects.exists()


def test_confirmed_letters_reach_each_griffie_with_both_attachments_and_no_personal_data(
    conference, organiser_client, smtp_server
):
    response = confirm(organiser_client, conference, ["GM1699", "GM0363"])
    assert response.status_code == 302 and response["Location"] == dispatches_url(conference)
    records = list(LetterDispatch.objects.order_by("municipality__name"))
    assert [(r.municipality_id, r.email) for r in records] == [
        ("GM0363", "griffie@amsterdam.example"),
        ("GM1699", "griffie@noordenveld.example"),
    ]
    assert all(r.message.state == MessageState.PENDING and r.delivered_at is None for r in records)
    assert records[1].postal_address == "Postbus 109\n9300 AC Roden"

    started = time.perf_counter()
    assert send_due().sent == 2
    seconds = time.perf_counter() - started
    print(f"rendered and sent 2 letters (PDF + docx each) in {seconds:.2f} s")
    mails = {m["To"]: m for m in smtp_server.messages}
    assert set(mails) == {"griffie@noordenveld.example", "griffie@amsterdam.example"}
    for address, name, code in (
        ("griffie@noordenveld.example", "Noordenveld", "1699"),
        ("griffie@amsterdam.example", "Amsterdam", "0363"),
    ):
        mail = mails[address]
        assert name in mail["Subject"] and mail["Content-Language"] == "nl"
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert "Geachte griffie," in body and "ingekomen stukken" in body
        attachments = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
        assert set(attachments) == {f"GM{code}-{name}.pdf", f"GM{code}-{name}.docx"}
        pdf, docx = pdf_text(attachments[f"GM{code}-{name}.pdf"]), docx_text(attachments[f"GM{code}-{name}.docx"])
        assert f"gemeenteraad van {name}" in pdf and f"gemeenteraad van {name}" in docx
        assert "Stel een kinderraad in." in pdf
        everything = "\n".join([mail.as_string(), pdf, docx])
        for secret in NAMES + EMAILS:
            assert secret not in everything
    # Delivered: the list page copies the outbox's "sent" to the records.
    response = organiser_client.get(dispatches_url(conference))
    assert response.status_code == 200 and "Afgeleverd bij de mailserver" in response.content.decode()
    assert all(r.delivered_at is not None for r in LetterDispatch.objects.all())


def test_sending_twice_asks_and_keeps_both_records(conference, organiser_client):
    confirm(organiser_client, conference, ["GM1699"])
    assert LetterDispatch.objects.count() == 1
    html = organiser_client.get(send_url(conference)).content.decode()
    assert 'name="resend"' in html  # the page asks explicitly
    confirm(organiser_client, conference, ["GM1699", "GM0363"])  # without ticking "send again"
    assert sorted(LetterDispatch.objects.values_list("municipality_id", flat=True)) == ["GM0363", "GM1699"]
    confirm(organiser_client, conference, ["GM1699", "GM0363"], resend="1")
    assert LetterDispatch.objects.filter(municipality_id="GM1699").count() == 2
    assert LetterDispatch.objects.filter(municipality_id="GM0363").count() == 2
    assert OutboxMessage.objects.filter(kind=dispatch.KIND).count() == 4


def test_a_changed_or_forged_list_is_refused_and_nothing_queued(conference, organiser_client):
    for codes in ([], ["GM1730"], ["GM0014"], ["GM1699", "GM9999"], ["<script>"]):
        response = confirm(organiser_client, conference, codes)
        assert response.status_code == 400, codes
    assert not LetterDispatch.objects.exists() and not OutboxMessage.objects.exists()


def test_a_failed_mail_shows_as_failed(conference, organiser_client, settings):
    confirm(organiser_client, conference, ["GM1699"])
    OutboxMessage.objects.update(state=MessageState.FAILED)
    html = organiser_client.get(dispatches_url(conference)).content.decode()
    assert "Mislukt" in html


def test_the_organiser_notes_what_the_council_did(conference, organiser_client):
    confirm(organiser_client, conference, ["GM1699"])
    record = LetterDispatch.objects.get()
    url = reverse("outcomes_sending:follow_up", kwargs={"slug": conference.slug, "pk": record.pk})
    today = record.queued_at.date().isoformat()
    prefix = f"d{record.pk}-"
    response = organiser_client.post(url, {prefix + "handling": CouncilHandling.OTHER, prefix + "handling_other": ""})
    assert response.status_code == 400 and "in woorden" in response.content.decode()
    response = organiser_client.post(url, {prefix + "listed_on": "2001-01-01"})
    assert response.status_code == 400
    response = organiser_client.post(url, {prefix + "listed_on": "morgen"})
    assert response.status_code == 400
    response = organiser_client.post(
        url,
        {
            prefix + "listed_on": today,
            prefix + "handling": CouncilHandling.EXECUTIVE,
            prefix + "handling_other": "wordt weggelaten",
            prefix + "answer_received_on": today,
            prefix + "answer_summary": "Het college  komt in maart met een plan.",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.listed_on.isoformat() == today and record.handling == CouncilHandling.EXECUTIVE
    assert record.handling_other == "" and record.answer_summary == "Het college komt in maart met een plan."
    assert record.updated_by.username == "organisator"
    html = organiser_client.get(dispatches_url(conference)).content.decode()
    assert "in handen van het college gesteld" in html and "Het college komt in maart met een plan." in html


# --- Who may do what ------------------------------------------------------------------------------------------


@pytest.fixture
def visitors(conference, boards, organiser, other_event):
    workshop = next(b for b in boards if b.kind == BoardKind.WORKSHOP)
    participant = Client()
    person = RegistrationFactory(event=conference)
    participant.get(reverse("live:from_personal_link", args=[links.personal_token(person), workshop.code]))
    host = Client()
    host.get(access.host_url(workshop, absolute=False))
    staff = Client()
    staff.force_login(UserFactory(username="medewerker", organiser=False))
    other = Client()
    other.force_login(UserFactory(username="andere", organiser_of=[other_event]))
    mine = Client()
    mine.force_login(organiser)
    return {
        "anonymous": Client(),
        "participant": participant,
        "host": host,
        "plain staff": staff,
        "organiser of another event": other,
        "organiser": mine,
    }


def test_only_organisers_of_the_event_get_in(conference, visitors, other_event):
    confirm(visitors["organiser"], conference, ["GM1699"])
    record = LetterDispatch.objects.get()
    follow_up = reverse("outcomes_sending:follow_up", kwargs={"slug": conference.slug, "pk": record.pk})
    requests = [
        ("get", send_url(conference), None, 200),
        ("post", send_url(conference), {"choice": "default", "codes": ["GM0363"]}, 302),
        ("get", dispatches_url(conference), None, 200),
        ("post", follow_up, {f"d{record.pk}-answer_summary": "Gelezen."}, 302),
    ]
    for method, url, data, allowed in requests:
        for who, client in visitors.items():
            response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
            if who in ("anonymous", "participant", "host"):
                assert response.status_code == 302, (who, url)
                assert response["Location"].startswith(reverse("admin:login")), (who, url)
            elif who == "organiser":
                assert response.status_code == allowed, (who, url)
            else:
                assert response.status_code == 404, (who, url)
    # Only the organiser's confirmation queued a letter; only her note was saved.
    assert sorted(LetterDispatch.objects.values_list("municipality_id", flat=True)) == ["GM0363", "GM1699"]
    assert LetterDispatch.objects.get(pk=record.pk).updated_by.username == "organisator"
    # A record of another event is not found through one's own event's address.
    other = visitors["organiser of another event"]
    forged = reverse("outcomes_sending:follow_up", kwargs={"slug": other_event.slug, "pk": record.pk})
    assert other.post(forged, {f"d{record.pk}-answer_summary": "x"}).status_code == 404
    assert visitors["organiser"].get(dispatches_url(conference)).status_code == 200
    assert visitors["organiser"].get(send_url(conference)[:-1] + "x/").status_code == 404
