"""Every page of the follow-up as each kind of visitor: anonymous, participant, host, organiser of another event,
organiser, and the holders of the update links of this and of another municipality."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from werkconferentie.followup import links
from werkconferentie.followup.commitments import update_commitment
from werkconferentie.followup.history import Actor
from werkconferentie.followup.models import Commitment, CommitmentAttachment, CommitmentChange, UpdateContact
from werkconferentie.outbox.mailing import send_due
from werkconferentie.registration import links as personal_links

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2022, 10, 1, 12, tzinfo=dt.UTC)


def test_public_pages_are_open_to_everyone(world, conference, commitment):
    urls = [
        reverse("followup:progress", args=[conference.slug]),
        reverse("followup:municipality", args=[conference.slug, "GM1699"]),
        reverse("followup:report", args=[conference.slug]),
    ]
    for who, client in world.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            expected = "Noordenveld" if url.endswith("/voortgang/") else "Kinderraad per 1 september"
            assert expected in response.content.decode(), (who, url)


def test_unpublished_commitments_stay_out_of_the_public_pages(world, conference, commitment, organiser):
    update_commitment(commitment, Actor(user=organiser), is_public=False)
    html = Client().get(reverse("followup:municipality", args=[conference.slug, "GM1699"])).content.decode()
    assert "Kinderraad" not in html
    html = Client().get(reverse("followup:progress", args=[conference.slug])).content.decode()
    assert "Noordenveld" not in html


def test_the_organiser_pages_only_for_the_events_organisers(world, conference, commitment):
    urls = [
        reverse("followup:manage", args=[conference.slug]),
        reverse("followup:manage_update", args=[conference.slug, "GM1699"]),
        reverse("followup:manage_commitment", args=[conference.slug, "GM1699", commitment.pk]),
    ]
    for who, client in world.items():
        for url in urls:
            response = client.get(url)
            if who in ("anonymous", "participant", "host"):
                assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), who
            elif who == "organiser":
                assert response.status_code == 200, (who, url)
            else:
                assert response.status_code == 404, (who, url)
    response = world["organiser of another event"].post(
        reverse("followup:manage_action", args=[conference.slug]), {"action": "add-proposed"}
    )
    assert response.status_code == 404


def test_the_update_link_opens_her_municipality_only(world, conference, commitment, contact, other_contact):
    mine = links.update_url(contact, absolute=False)
    theirs = links.update_url(other_contact, absolute=False)
    client = Client()
    response = client.get(mine)
    assert response.status_code == 200
    assert "Kinderraad per 1 september" in response.content.decode()
    assert "Kinderraad per 1 september" not in client.get(theirs).content.decode()
    edit = reverse("followup:commitment", args=[links.update_token(contact), commitment.pk])
    assert client.get(edit).status_code == 200
    foreign = reverse("followup:commitment", args=[links.update_token(other_contact), commitment.pk])
    assert client.get(foreign).status_code == 404
    response = client.post(
        foreign,
        {
            "action": "save",
            "title": "Gekaapt",
            "kind": "motie",
            "status": "voldaan",
            "status_note": "x",
            "progress": 100,
            "target_date": "2022-11-20",
        },
    )
    assert response.status_code == 404
    commitment.refresh_from_db()
    assert commitment.title == "Kinderraad per 1 september"


def test_a_contact_adds_and_updates_a_commitment(world, conference, commitment, contact):
    client = Client()
    token = links.update_token(contact)
    response = client.post(
        reverse("followup:update", args=[token]),
        {
            "title": "Jongerenwerker in elke wijk",
            "kind": "eigen-actie",
            "status": "openstaand",
            "status_note": "Besloten in het college.",
            "progress": 0,
            "target_date": "2022-11-20",
            "outcome_points": [str(commitment.outcome_points.get().pk)],
            "is_public": "on",
        },
    )
    added = Commitment.objects.get(title="Jongerenwerker in elke wijk")
    assert response.status_code == 302 and added.municipality_id == "GM1699" and added.number == 2
    edit = reverse("followup:commitment", args=[token, commitment.pk])
    response = client.post(
        edit,
        {
            "action": "save",
            "title": commitment.title,
            "kind": "toezegging",
            "status": "in-uitvoering",
            "status_note": "De eerste kinderraad is op 1 september.",
            "progress": 40,
            "target_date": "2022-09-01",
            "document_links": "Raadsinformatiebrief | https://noordenveld.example/rib-12.pdf",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    change = CommitmentChange.objects.filter(commitment=commitment).first()
    assert change.contact == contact and change.changes["target_date"] == ["2022-11-20", "2022-09-01"]
    public = Client().get(reverse("followup:municipality", args=[conference.slug, "GM1699"])).content.decode()
    assert "De eerste kinderraad is op 1 september." in public and "rib-12.pdf" in public
    # A bad value: the form again, with the message, nothing saved.
    response = client.post(
        edit,
        {
            "action": "save",
            "title": commitment.title,
            "kind": "toezegging",
            "status": "voldaan",
            "status_note": "",
            "progress": 40,
            "target_date": "2022-09-01",
        },
    )
    assert response.status_code == 400
    commitment.refresh_from_db()
    assert commitment.status == "in-uitvoering"


def test_tampered_expired_and_revoked_links_get_a_clear_page(world, conference, contact, commitment):
    token = links.update_token(contact)
    response = Client().get(reverse("followup:update", args=[token[:-2] + "xx"]))
    assert response.status_code == 404 and "werkt niet" in response.content.decode()
    after = links.link_expires_at(contact) + dt.timedelta(seconds=1)
    with pytest.raises(links.ExpiredLink):
        links.contact_from_token(token, now=after)
    links.revoke(contact)
    response = Client().get(reverse("followup:update", args=[token]))
    assert response.status_code == 410 and "ingetrokken" in response.content.decode()
    links.renew(contact)
    assert Client().get(reverse("followup:update", args=[token])).status_code == 410  # the old link stays dead
    assert Client().get(links.update_url(contact, absolute=False)).status_code == 200


def test_expired_link_page(world, conference, contact, settings):
    conference.target_date = dt.date(2010, 1, 1)
    conference.save()
    response = Client().get(links.update_url(contact, absolute=False))
    assert response.status_code == 410 and "verlopen" in response.content.decode()


def test_a_pdf_attachment_is_checked_stored_and_served(world, conference, commitment, contact, tmp_path):
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = BytesIO()
    writer.write(buffer)
    token = links.update_token(contact)
    edit = reverse("followup:commitment", args=[token, commitment.pk])
    client = Client()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("besluit.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    response = client.post(edit, {"action": "attach", "title": "Besluit", "file": fake})
    assert response.status_code == 400 and "geen PDF" in response.content.decode()
    real = SimpleUploadedFile("besluit.pdf", buffer.getvalue(), content_type="application/octet-stream")
    assert client.post(edit, {"action": "attach", "title": "Raadsbesluit", "file": real}).status_code == 302
    attachment = CommitmentAttachment.objects.get()
    assert attachment.file.storage.exists(attachment.file.name)
    public = Client().get(reverse("followup:public_attachment", args=[conference.slug, attachment.pk]))
    assert public.status_code == 200 and public.content.startswith(b"%PDF")
    other = Client().get(reverse("followup:public_attachment", args=["assen-2023", attachment.pk]))
    assert other.status_code == 404


def test_too_large_attachment(world, commitment, contact, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FOLLOWUP_ATTACHMENT_MAX_BYTES = 1000
    big = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    edit = reverse("followup:commitment", args=[links.update_token(contact), commitment.pk])
    response = Client().post(edit, {"action": "attach", "title": "Groot", "file": big})
    assert response.status_code == 400 and "te groot" in response.content.decode()


def test_organiser_names_contacts_and_mails_links(world, conference, smtp_server):
    organiser = world["organiser"]
    url = reverse("followup:manage_action", args=[conference.slug])
    response = organiser.post(
        url,
        {
            "action": "add",
            "municipality": "Weesp",
            "email": "griffie@example.org",
            "name": "",
            "function": "griffier",
            "language": "nl",
        },
        follow=True,
    )
    assert "Contactpersoon toegevoegd voor Amsterdam" in response.content.decode()
    contact = UpdateContact.objects.get(email="griffie@example.org")
    assert contact.municipality_id == "GM0363"  # Weesp became part of Amsterdam
    organiser.post(url, {"action": "add", "municipality": "Nergenshuizen", "email": "x@example.org", "language": "nl"})
    assert not UpdateContact.objects.filter(email="x@example.org").exists()
    organiser.post(url, {"action": "send-all"})
    send_due()
    sent = [m for m in smtp_server.messages if "griffie@example.org" in m["To"]]
    assert len(sent) == 1
    body = (
        sent[0].get_payload(decode=True).decode()
        if not sent[0].is_multipart()
        else sent[0].get_payload()[0].get_payload(decode=True).decode()
    )
    # The token carries the second it was signed, so compare whom the mailed link opens, not its text.
    mailed = re.search(r"/bijwerken/([^/\s]+)/", body)
    assert mailed and links.contact_from_token(mailed.group(1)) == contact


def test_participants_who_agree_are_proposed(world, conference):
    from werkconferentie.followup.contacts import default_contacts
    from werkconferentie.registration.models import Registration

    zoe = Registration.objects.get(email__startswith="zoe")
    assert default_contacts(conference) == []
    url = reverse("followup:my_ideas", args=[personal_links.personal_token(zoe)])
    assert Client().post(url, {"may_be_contact": "on"}).status_code == 302
    proposed = default_contacts(conference)
    assert [(p.email, p.municipality.pk) for p in proposed] == [(zoe.email, "GM1699")]


def test_the_participant_and_the_children_see_what_happened(world, conference, commitment, contact):
    from werkconferentie.registration.models import Registration

    update_commitment(
        commitment,
        Actor(contact=contact),
        status="voldaan",
        status_note="De kinderraad is er.",
        child_summary="Er komt een kinderraad. Daar praten kinderen mee.",
    )
    zoe = Registration.objects.get(email__startswith="zoe")
    # Her answer is in the outcome point that the commitment answers.
    point = commitment.outcome_points.get()
    from werkconferentie.live.models import Answer

    point.answers.add(Answer.objects.get(text="Een kinderraad die echt meebeslist"))
    html = Client().get(reverse("followup:my_ideas", args=[personal_links.personal_token(zoe)])).content.decode()
    assert "Een kinderraad die echt meebeslist" in html
    assert "Onderdeel van verzoek 1 aan de gemeenteraden" in html
    assert "Noordenveld heeft toegezegd: “Kinderraad per 1 september”. Status: Voldaan." in html
    # The children's idea, in the same point: their page says so in very simple words.
    idea = Answer.objects.get(text="Meer plekken om te spelen na school")
    point.answers.add(idea)
    children = idea.board
    html = Client().get(reverse("followup:children", args=[children.code])).content.decode()
    assert "Meer plekken om te spelen na school" in html and "Het is klaar!" in html
    assert "Er komt een kinderraad." in html and "Ben je het er niet mee eens?" in html
    assert NAMES_ABSENT(html)
    # Another board's code leads to its own page; a wrong code is not found.
    assert Client().get(reverse("followup:children", args=["ZZZZZZ"])).status_code == 404
    bad = Client().get(reverse("followup:my_ideas", args=["nonsense"]))
    assert bad.status_code == 404


def NAMES_ABSENT(html: str) -> bool:
    from outcomes.conftest import NAMES

    return not any(name in html for name in NAMES)


def test_the_report_as_pdf(world, conference, commitment):
    from io import BytesIO

    from pypdf import PdfReader

    response = Client().get(reverse("followup:report_pdf", args=[conference.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Stand van zaken op 20 november 2022" in text and "Kinderraad per 1" in text
