"""The whole path of issue 12, end to end: answers on the day → an outcome point with them → the raadsadres sent →
the contact updates a commitment through her link → the public page and both trail pages show it → the news
digests arrive at a real SMTP server on loopback."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from registration.factories import RegistrationFactory
from werkconferentie.followup.commitments import create_commitment
from werkconferentie.followup.history import Actor
from werkconferentie.followup.models import FollowupSettings, UpdateContact
from werkconferentie.live.boards import update_answer
from werkconferentie.live.enums import BoardKind
from werkconferentie.live.models import Answer
from werkconferentie.outbox.mailing import send_due
from werkconferentie.outcomes import dispatch, points
from werkconferentie.outcomes.models import GriffieAddress, LetterDispatch
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import links as personal_links
from werkconferentie.registration.enums import Role

pytestmark = pytest.mark.django_db


def text_of(message) -> str:
    part = message.get_payload()[0] if message.is_multipart() else message
    return part.get_payload(decode=True).decode()


def mails_to(smtp_server, address: str) -> list:
    return [m for m in smtp_server.messages if address in m["To"]]


def answer_through_the_board(event, registration, board, text: str) -> Answer:
    """A participant opens the board with her personal link and sends an answer, as on the day."""
    client = Client()
    client.get(reverse("live:from_personal_link", args=[personal_links.personal_token(registration), board.code]))
    page = client.get(reverse("live:board", args=[board.code]))
    key = page.context["form"].initial["idempotency_key"]
    client.post(reverse("live:board", args=[board.code]), {"text": text, "idempotency_key": key})
    return client, Answer.objects.get(text=text)


def test_from_answers_on_the_day_to_the_news_digest(roden, boards, organiser, smtp_server):
    noordenveld = Municipality.objects.get(code="GM1699")
    # The target date lies ahead, so no dated reminder is due today; the links work for a year after it.
    roden.target_date = dt.date.today() + dt.timedelta(days=60)
    roden.save()
    FollowupSettings.objects.create(event=roden, link_days_after_target=365)
    workshop = next(b for b in boards if b.kind == BoardKind.WORKSHOP)
    children = next(b for b in boards if b.kind == BoardKind.CHILDREN)
    zoe = RegistrationFactory(
        event=roden, name="Zoë Jansen", email="zoe@example.org", role=Role.COUNCIL_MEMBER, municipality=noordenveld
    )
    piet = RegistrationFactory(event=roden, name="Piet Bakker", email="piet@example.org", municipality=noordenveld)

    # 1. On the day: Zoë answers on the workshop board, Piet votes for it through his personal link, a child
    #    answers on the children's board and the host approves it.
    _zoes_browser, idea = answer_through_the_board(roden, zoe, workshop, "Een kinderraad die echt meebeslist")
    pieter = Client()
    pieter.get(reverse("live:from_personal_link", args=[personal_links.personal_token(piet), workshop.code]))
    assert pieter.post(reverse("live:vote", args=[workshop.code, idea.pk])).status_code in (200, 204, 302)
    assert idea.votes.get().voter == f"r{piet.pk}"
    child = Client()
    page = child.get(reverse("live:children", args=[children.code]))
    key = page.context["form"].initial["idempotency_key"]
    child.post(
        reverse("live:children", args=[children.code]), {"text": "Een plek om te chillen", "idempotency_key": key}
    )
    childs_idea = Answer.objects.get(text="Een plek om te chillen")
    update_answer(childs_idea, status="visible")

    # 2. The outcome: a request to every council, with both answers.
    point = points.create_point(
        roden,
        organiser,
        title_nl="Kinderraad",
        request_nl="Stel een kinderraad in.",
        is_request=True,
        answers=[idea.pk, childs_idea.pk],
    )

    # 3. The raadsadres to Noordenveld, through the outbox, to the griffie.
    GriffieAddress.objects.create(municipality=noordenveld, email="griffie@noordenveld.example")
    dispatch.queue_letters(roden, ["GM1699"], organiser)
    assert send_due().sent == 1
    assert len(mails_to(smtp_server, "griffie@noordenveld.example")) == 1

    # 4. The organiser named the raadsgriffier as contact and made a commitment; the daily job invites her now that
    #    the letter has been delivered, and she updates the commitment through the link in her mail.
    contact = UpdateContact.objects.create(
        event=roden, municipality=noordenveld, name="Raadsgriffier", email="raadsgriffier@noordenveld.example"
    )
    commitment = create_commitment(
        roden,
        noordenveld,
        Actor(user=organiser),
        title="Kinderraad per 1 september",
        status_note="Toegezegd in de raad.",
        outcome_points=[point.pk],
        child_summary="Er komt een kinderraad. Daar praten kinderen mee.",
        is_public=True,
    )
    out = io.StringIO()
    call_command("followup_remind", stdout=out)
    assert "raadsgriffier@noordenveld.example\tinvitation" in out.getvalue()
    assert LetterDispatch.objects.get().message.state == "sent"
    assert send_due().sent == 1
    invitation = text_of(mails_to(smtp_server, "raadsgriffier@noordenveld.example")[0])
    update_path = re.search(r"https?://[^/]+(/bijwerken/[^/\s]+/)", invitation).group(1)
    griffier = Client()
    assert "Kinderraad per 1 september" in griffier.get(update_path).content.decode()
    edit = update_path + f"afspraak/{commitment.pk}/"
    response = griffier.post(
        edit,
        {
            "action": "save",
            "title": commitment.title,
            "kind": "toezegging",
            "status": "in-uitvoering",
            "status_note": "De eerste kinderraad is op 1 september.",
            "progress": 30,
            "target_date": roden.target_date.isoformat(),
            "outcome_points": [str(point.pk)],
            "child_summary": commitment.child_summary,
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    commitment.refresh_from_db()
    assert commitment.status == "in-uitvoering"
    assert commitment.changes.order_by("pk").last().contact == contact  # recorded under her name

    # 5. The public page, Zoë's trail and the children's trail show it.
    public = Client().get(reverse("followup:municipality", args=[roden.slug, "GM1699"])).content.decode()
    assert "Kinderraad per 1 september" in public and "De eerste kinderraad is op 1 september." in public
    my_ideas = reverse("followup:my_ideas", args=[personal_links.personal_token(zoe)])
    trail = Client().get(my_ideas).content.decode()
    assert "Een kinderraad die echt meebeslist" in trail and "Status: In uitvoering" in trail
    kids = Client().get(reverse("followup:children", args=[children.code])).content.decode()
    assert "Een plek om te chillen" in kids and "Er komt een kinderraad." in kids
    assert "Ze zijn er nog mee bezig." in kids

    # 6. Zoë and Piet asked for news on their page; the youth worker's address is on the follow-up page. The next
    #    daily run sends the digests, and they arrive.
    for person in (zoe, piet):
        page = reverse("followup:my_ideas", args=[personal_links.personal_token(person)])
        assert Client().post(page, {"wants_news": "on"}).status_code == 302
    organiser_client = Client()
    organiser_client.force_login(organiser)
    organiser_client.post(
        reverse("followup:manage_groups", args=[roden.slug]),
        {"board": children.pk, "email": "jongerenwerker@example.org", "consent": "on", "action": "save"},
    )
    out = io.StringIO()
    call_command("followup_remind", stdout=out)
    assert "3 nieuwsbrieven" in out.getvalue(), out.getvalue()
    assert send_due().sent == 3
    zoes_news = mails_to(smtp_server, "zoe@example.org")
    assert len(zoes_news) == 1 and str(zoes_news[0]["Subject"]).strip().startswith("Nieuws over uw ideeën")
    text = text_of(zoes_news[0])
    assert "Status: In uitvoering (was: Openstaand)" in text and "Een kinderraad die echt meebeslist" in text
    # The signed token carries the second it was made: compare whose page the mailed link opens, not its text.
    mailed = re.search(r"https?://[^/]+(/aanmelding/\S+/mijn-ideeen/)", text).group(1)
    assert personal_links.registration_from_token(mailed.split("/")[2]) == zoe
    assert "Status: In uitvoering" in text_of(mails_to(smtp_server, "piet@example.org")[0])  # he voted for it
    group_news = text_of(mails_to(smtp_server, "jongerenwerker@example.org")[0])
    assert "Er komt een kinderraad." in group_news and "Ze zijn er nog mee bezig." in group_news
    assert reverse("followup:children", args=[children.code]) in group_news
    assert "Zoë" not in group_news and "Piet" not in group_news
    # The same day again: nothing twice.
    call_command("followup_remind", stdout=io.StringIO())
    assert send_due().sent == 0
