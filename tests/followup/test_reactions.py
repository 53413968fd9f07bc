"""Reactions to what became of the ideas: from the personal page, a board's page after the day and the children's
page, read only by the event's organisers; a child's reaction is scrubbed; each visitor kind sees what it may."""

import pytest
from django.test import Client
from django.urls import reverse

from werkconferentie.followup import reactions
from werkconferentie.followup.errors import FollowupError
from werkconferentie.followup.models import Reaction
from werkconferentie.live.boards import set_open
from werkconferentie.live.enums import BoardKind
from werkconferentie.live.models import Answer
from werkconferentie.registration import links as personal_links
from werkconferentie.registration.models import Registration
from werkconferentie.registration.privacy import erase_registration, export_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(conference):
    return Registration.objects.get(email__startswith="zoe")


@pytest.fixture
def children(conference):
    return conference.boards.get(kind=BoardKind.CHILDREN)


def my_ideas_url(registration):
    return reverse("followup:my_ideas", args=[personal_links.personal_token(registration)])


def test_a_participant_reacts_on_one_of_her_ideas_and_the_organiser_reads_it(world, zoe):
    idea = Answer.objects.get(text="Een kinderraad die echt meebeslist")
    page = Client().get(my_ideas_url(zoe)).content.decode()
    assert "Wilt u reageren?" in page and "Alleen de organisator leest het." in page
    response = Client().post(
        my_ideas_url(zoe), {"reaction-idea": idea.pk, "reaction-text": "Dit is niet wat wij bedoelden."}
    )
    assert response.status_code == 302
    reaction = Reaction.objects.get()
    assert (reaction.registration, reaction.answer, reaction.source) == (zoe, idea, "deelnemer")
    url = reverse("followup:manage_reactions", args=[zoe.event.slug])
    page = world["organiser"].get(url).content.decode()
    assert "Dit is niet wat wij bedoelden." in page and zoe.email in page
    world["organiser"].post(url, {"reaction": reaction.pk, "status": "gelezen"})
    reaction.refresh_from_db()
    assert reaction.status == "gelezen" and reaction.handled_by is not None
    assert "Dit is niet wat" not in world["organiser"].get(url + "?status=nieuw").content.decode()


def test_her_choices_form_still_works_beside_the_reaction_form(zoe):
    from werkconferentie.followup.models import ParticipantChoice

    Client().post(my_ideas_url(zoe), {"wants_news": "on"})
    assert ParticipantChoice.objects.get(registration=zoe).wants_news
    assert not Reaction.objects.exists()


def test_only_the_events_organisers_see_and_mark_reactions(world, conference):
    reaction = reactions.submit_reaction(conference, "Graag meer haast", Reaction.Source.BOARD)
    url = reverse("followup:manage_reactions", args=[conference.slug])
    for who, client in world.items():
        response = client.get(url)
        if who in ("anonymous", "participant", "host"):
            assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), who
        elif who == "organiser":
            assert response.status_code == 200 and "Graag meer haast" in response.content.decode()
        else:
            assert response.status_code == 404, who
        client.post(url, {"reaction": reaction.pk, "status": "terzijde"})
        reaction.refresh_from_db()
        assert (reaction.status == "terzijde") == (who == "organiser"), who


@pytest.mark.parametrize("reaction", ["", "0", "x", str(2**70)])
def test_a_wrong_reaction_id_gets_a_message_not_an_error(world, conference, reaction):
    url = reverse("followup:manage_reactions", args=[conference.slug])
    response = world["organiser"].post(url, {"reaction": reaction, "status": "gelezen"}, follow=True)
    assert response.status_code == 200 and "Deze reactie bestaat niet meer." in response.content.decode()


def test_a_childs_reaction_loses_its_personal_details(children):
    url = reverse("followup:children", args=[children.code])
    page = Client().get(url).content.decode()
    assert "Schrijf je naam er niet bij." in page
    text = "Ik ben het niet eens. Bel me op 06-12345678 of mail sanne@school.example"
    assert Client().post(url, {"reaction-text": text}).status_code == 302
    stored = Reaction.objects.get()
    assert stored.source == "kinderen" and stored.board == children and stored.registration is None
    assert "12345678" not in stored.text and "sanne@" not in stored.text and "Ik ben het niet eens." in stored.text


def test_a_boards_page_after_the_day_shows_what_happened_and_takes_a_reaction(conference, workshop):
    url = reverse("followup:board", args=[workshop.code])
    assert Client().get(url).status_code == 404  # while the board is open, the board is the page
    set_open(workshop, False)
    page = Client().get(url).content.decode()
    assert "Wat is er met de ideeën gebeurd?" in page and "Een kinderraad die echt meebeslist" in page
    board_page = Client().get(reverse("live:board", args=[workshop.code])).content.decode()
    assert url in board_page  # the closed board links to it
    assert Client().post(url, {"reaction-text": "Mooi verslag"}).status_code == 302
    assert Reaction.objects.get().source == "bord"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reaction-text": ""}, "Dit veld is verplicht."),
        ({"reaction-text": "   \x07  "}, "Schrijf eerst je reactie."),
        ({"reaction-text": "a\x00b"}, "Null"),
        ({"reaction-text": "x" * 1001}, "1000"),
        ({"reaction-text": "Goed", "reaction-idea": "999999"}, "geldige keuze"),
        ({"reaction-text": "Goed", "reaction-idea": "abc"}, "geldige keuze"),
    ],
)
def test_bad_reactions_are_explained_and_nothing_is_stored(zoe, data, message):
    response = Client().post(my_ideas_url(zoe), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reaction.objects.exists()


def test_an_idea_of_another_event_is_refused_by_the_rule_itself(conference, other_event):
    from werkconferentie.live.boards import ensure_boards

    foreign = ensure_boards(other_event)[0]
    answer = Answer.objects.create(board=foreign, text="Elders", idempotency_key="x1")
    with pytest.raises(FollowupError):
        reactions.submit_reaction(conference, "Hallo", Reaction.Source.BOARD, answer=answer)


def test_one_address_cannot_flood_the_organiser(children, settings):
    url = reverse("followup:children", args=[children.code])
    client = Client()
    codes = [client.post(url, {"reaction-text": f"Reactie {n}"}).status_code for n in range(reactions.RATE.count + 1)]
    assert codes[:-1] == [302] * reactions.RATE.count and codes[-1] == 429
    assert Reaction.objects.count() == reactions.RATE.count


def test_her_reactions_are_in_her_data_and_erased_with_her(zoe):
    reactions.submit_reaction(zoe.event, "Mijn reactie", Reaction.Source.PARTICIPANT, registration=zoe)
    data = export_person(zoe)
    assert data["followup"]["reactions"][0]["text"] == "Mijn reactie"
    erase_registration(zoe)
    assert not Reaction.objects.exists()
