"""The weekly news about ideas: who gets it (authors, voters through their personal link, children's groups through
an adult's address), once a week at most, each change once, and its personal data."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from werkconferentie.followup import digest
from werkconferentie.followup.commitments import update_commitment
from werkconferentie.followup.errors import FollowupError
from werkconferentie.followup.history import Actor
from werkconferentie.followup.models import (
    ChildrenGroupContact,
    CommitmentChange,
    FollowupSettings,
    ParticipantChoice,
    SentDigest,
)
from werkconferentie.live.boards import vote
from werkconferentie.live.enums import BoardKind
from werkconferentie.live.models import Answer
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.registration.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(conference, commitment, contact):
    """Zoë's answer and the children's idea are in the request that Noordenveld's commitment answers; Ægidius
    voted for Zoë's answer through his personal link; all three participants asked for news."""
    point = commitment.outcome_points.get()
    zoes = Answer.objects.get(text="Een kinderraad die echt meebeslist")
    point.answers.add(zoes, Answer.objects.get(text="Meer plekken om te spelen na school"))
    aegidius = Registration.objects.get(email__startswith="aegidius")
    vote(zoes, f"r{aegidius.pk}")
    for registration in Registration.objects.filter(event=conference):
        ParticipantChoice.objects.create(registration=registration, wants_news=True)
    return commitment


def recipients(due) -> list[str]:
    return sorted(d.email for d in due)


def children_board(conference):
    return conference.boards.get(kind=BoardKind.CHILDREN)


def test_who_gave_or_voted_for_an_idea_hears_of_a_status_change_once_a_week(linked, contact, organiser):
    assert digest.due_digests() == []  # a new commitment is no change of status
    update_commitment(linked, Actor(contact=contact), status="in-uitvoering", status_note="Eerste vergadering.")
    now = timezone.now()
    sent = digest.send_due_digests(now)
    # Zoë gave the idea, Ægidius voted for it; the Weesp participant's idea is not linked: no mail.
    assert recipients(sent) == ["aegidius@oosterwijk.example", "zoe.quackenbush@unusual-name.example"]
    mail = OutboxMessage.objects.get(recipient__startswith="zoe")
    assert mail.kind == "followup.digest"
    assert mail.subject == "Nieuws over uw ideeën van Mini-werkconferentie Kinderrechten"
    assert "Noordenveld: Kinderraad per 1 september" in mail.body_text
    assert "Status: In uitvoering (was: Openstaand)" in mail.body_text
    assert "Uw idee: “Een kinderraad die echt meebeslist”" in mail.body_text
    # The link opens her own "what happened to my ideas" page.
    path = re.search(r"https?://[^/]+(/aanmelding/\S+/mijn-ideeen/)", mail.body_text).group(1)
    page = Client().get(path)
    assert page.status_code == 200 and "Een kinderraad die echt meebeslist" in page.content.decode()
    # A rerun sends nothing; a second change in the same week waits for next week.
    assert digest.send_due_digests(now) == []
    update_commitment(linked, Actor(user=organiser), status="voldaan", status_note="De kinderraad is er.")
    assert digest.send_due_digests(timezone.now()) == []
    next_week = timezone.now() + dt.timedelta(days=7)
    later = digest.send_due_digests(next_week)
    assert recipients(later) == ["aegidius@oosterwijk.example", "zoe.quackenbush@unusual-name.example"]
    second = OutboxMessage.objects.filter(recipient__startswith="zoe").order_by("pk").last()
    assert "Status: Voldaan (was: In uitvoering)" in second.body_text
    assert "was: Openstaand" not in second.body_text  # each change once
    assert digest.send_due_digests(next_week + dt.timedelta(days=7)) == []  # nothing new
    assert SentDigest.objects.count() == 4
    # Once the follow-up is over (the links' period after the target date), no more news.
    update_commitment(linked, Actor(user=organiser), status="aangehouden", status_note="Toch even wachten.")
    CommitmentChange.objects.filter(changes__status=["voldaan", "aangehouden"]).update(
        created_at=next_week + dt.timedelta(days=1)
    )
    assert len(digest.due_digests(next_week + dt.timedelta(days=7))) == 2
    FollowupSettings.objects.filter(event=linked.event).update(link_days_after_target=0)
    assert digest.due_digests(next_week + dt.timedelta(days=7)) == []


def test_no_news_for_who_did_not_ask_nor_from_a_private_commitment(linked, contact, organiser):
    ParticipantChoice.objects.filter(registration__email__startswith="aegidius").update(wants_news=False)
    update_commitment(linked, Actor(user=organiser), is_public=False)
    update_commitment(linked, Actor(user=organiser), status="aangehouden", status_note="Na de verkiezingen.")
    assert digest.due_digests() == []
    update_commitment(linked, Actor(user=organiser), is_public=True)
    assert recipients(digest.due_digests()) == ["zoe.quackenbush@unusual-name.example"]


def test_a_vote_without_a_personal_link_brings_no_mail(linked, conference, organiser):
    """Votes cast in a browser without a personal link ("b…") cannot be traced to a person."""
    zoe = Registration.objects.get(email__startswith="zoe")
    Answer.objects.filter(registration=zoe).update(registration=None)
    update_commitment(linked, Actor(user=organiser), status="voldaan", status_note="Klaar.")
    assert recipients(digest.due_digests()) == ["aegidius@oosterwijk.example"]  # he voted with his link


def test_the_children_hear_through_their_teacher_in_very_simple_dutch(linked, conference, organiser):
    board = children_board(conference)
    update_commitment(linked, Actor(user=organiser), child_summary="Er komt een kinderraad. Daar praten kinderen mee.")
    update_commitment(linked, Actor(user=organiser), status="voldaan", status_note="De kinderraad is er.")
    assert "juf@school.example" not in recipients(digest.due_digests())  # no address yet
    with pytest.raises(FollowupError, match="niet het adres van een kind"):
        digest.set_group_contact(board, "juf@school.example", consented=False)
    with pytest.raises(FollowupError, match="geen e-mailadres"):
        digest.set_group_contact(board, "juf at school", consented=True)
    workshop = conference.boards.filter(kind=BoardKind.WORKSHOP).first()
    with pytest.raises(FollowupError, match="bord voor kinderen"):
        digest.set_group_contact(workshop, "juf@school.example", consented=True)
    group = digest.set_group_contact(board, "juf@school.example", consented=True, user=organiser)
    assert "niet van een kind" in group.consent_statement and group.consented_by == organiser
    digest.send_due_digests()
    mail = OutboxMessage.objects.get(recipient="juf@school.example")
    assert mail.kind == "followup.group-digest" and mail.language == "nl"
    assert mail.subject.startswith("Nieuws voor uw groep over hun ideeën")
    text = mail.body_text
    assert "Noordenveld heeft er iets over beloofd." in text and "Er komt een kinderraad." in text
    assert "Het is klaar!" in text and "Idee van de groep: “Meer plekken om te spelen na school”" in text
    assert reverse("followup:children", args=[board.code]) in text
    from outcomes.conftest import NAMES

    assert not any(name in text for name in NAMES)  # nothing of any participant
    assert digest.send_due_digests() == []
    # Another adult's address replaces the first one, with its record and mail.
    digest.set_group_contact(board, "meester@school.example", consented=True)
    assert not OutboxMessage.objects.filter(recipient="juf@school.example").exists()
    assert ChildrenGroupContact.objects.get().email == "meester@school.example"


def test_two_runs_at_once_send_each_digest_once(linked, organiser):
    update_commitment(linked, Actor(user=organiser), status="voldaan", status_note="Klaar.")
    first, second = digest.due_digests(), digest.due_digests()
    assert [digest.send(d) for d in first] == [True, True]
    assert [digest.send(d) for d in second] == [False, False]
    assert OutboxMessage.objects.filter(kind="followup.digest").count() == 2


def test_digests_and_group_addresses_are_in_the_data_download_and_erased(linked, conference, organiser):
    from werkconferentie.followup import privacy
    from werkconferentie.registration.privacy import erase_registration

    zoe = Registration.objects.get(email__startswith="zoe")
    # Ægidius is also the youth worker of the children's group.
    aegidius = Registration.objects.get(email__startswith="aegidius")
    digest.set_group_contact(children_board(conference), aegidius.email, consented=True)
    update_commitment(linked, Actor(user=organiser), status="voldaan", status_note="Klaar.")
    digest.send_due_digests()
    exported = privacy.export(zoe)
    assert [d["email"] for d in exported["news_digests"]] == [zoe.email] and exported["wants_news"]
    exported = privacy.export(aegidius)
    assert exported["children_group_addresses"][0]["email"] == aegidius.email
    assert len(exported["children_group_addresses"][0]["digests"]) == 1
    erase_registration(zoe)
    assert not SentDigest.objects.filter(email=zoe.email).exists()
    assert not OutboxMessage.objects.filter(recipient=zoe.email).exists()
    erase_registration(aegidius)
    assert not ChildrenGroupContact.objects.exists() and not SentDigest.objects.exists()
    assert not OutboxMessage.objects.filter(recipient=aegidius.email).exists()


def test_the_my_ideas_page_works_until_the_follow_up_ends(linked, conference, contact):
    from werkconferentie.followup.models import FollowupSettings
    from werkconferentie.registration import links as personal_links

    zoe = Registration.objects.get(email__startswith="zoe")
    url = reverse("followup:my_ideas", args=[personal_links.personal_token(zoe)])
    conference.date = dt.date(2022, 10, 1)  # the event is over; the follow-up runs until 2032 (conftest)
    conference.registration_closes = dt.datetime(2022, 9, 1, tzinfo=dt.UTC)
    conference.save()
    with pytest.raises(personal_links.ExpiredLink):
        personal_links.registration_from_token(personal_links.personal_token(zoe))
    assert Client().get(url).status_code == 200
    FollowupSettings.objects.filter(event=conference).update(link_days_after_target=0)
    response = Client().get(url)
    assert response.status_code == 410
    assert Client().get(url.replace("/aanmelding/", "/aanmelding/x")).status_code == 404
