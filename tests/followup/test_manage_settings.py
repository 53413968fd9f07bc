"""The follow-up page's schedule of mails and the children's group addresses: who may change them, and what a
wrong value does."""

import pytest
from django.urls import reverse

from werkconferentie.followup.models import ChildrenGroupContact, FollowupSettings
from werkconferentie.live.enums import BoardKind

pytestmark = pytest.mark.django_db

SCHEDULE = {
    "link_days_after_target": "90",
    "invite_after_letter": "",  # unticked
    "quiet_days": "21",
    "remind_days_before": "7, 28,14",
    "remind_days_after": "10",
    "thank_on_target_date": "on",
}


def test_only_the_events_organiser_changes_the_schedule_and_the_group_addresses(world, conference):
    board = conference.boards.get(kind=BoardKind.CHILDREN)
    settings_url = reverse("followup:manage_settings", args=[conference.slug])
    groups_url = reverse("followup:manage_groups", args=[conference.slug])
    group = {"board": board.pk, "email": "juf@school.example", "consent": "on", "action": "save"}
    for who, client in world.items():
        for url, data in ((settings_url, SCHEDULE), (groups_url, group)):
            response = client.post(url, data)
            if who in ("anonymous", "participant", "host"):
                assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), who
            elif who == "organiser of another event":
                assert response.status_code == 404, (who, url)
            else:
                assert response.status_code == 302, (who, url)
        if who != "organiser":
            assert FollowupSettings.objects.get(event=conference).link_days_after_target == 3650, who
            assert not ChildrenGroupContact.objects.exists(), who
        assert client.get(settings_url).status_code in (302, 404, 405), who  # POST only
    saved = FollowupSettings.objects.get(event=conference)
    assert (saved.link_days_after_target, saved.invite_after_letter, saved.quiet_days) == (90, False, 21)
    assert (saved.remind_days_before, saved.remind_days_after, saved.thank_on_target_date) == ("28,14,7", "10", True)
    assert ChildrenGroupContact.objects.get().board == board


def test_the_page_shows_the_schedule_and_a_wrong_value_says_why(world, conference):
    organiser = world["organiser"]
    page = organiser.get(reverse("followup:manage", args=[conference.slug])).content.decode()
    assert "Links en herinneringen" in page and 'value="28,7"' in page and 'value="42"' in page
    assert "Nieuws voor kindergroepen" in page and "nooit naar een kind" in page
    response = organiser.post(
        reverse("followup:manage_settings", args=[conference.slug]), {**SCHEDULE, "remind_days_before": "28, x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Niet opgeslagen" in html and "Typ hele aantallen dagen van 1 tot 3650" in html
    assert FollowupSettings.objects.get(event=conference).remind_days_before == "28,7"


def test_a_group_address_needs_the_adults_agreement_and_can_be_removed(world, conference):
    organiser = world["organiser"]
    board = conference.boards.get(kind=BoardKind.CHILDREN)
    url = reverse("followup:manage_groups", args=[conference.slug])
    response = organiser.post(url, {"board": board.pk, "email": "juf@school.example", "action": "save"}, follow=True)
    assert "Vink aan dat de leerkracht" in response.content.decode()
    assert not ChildrenGroupContact.objects.exists()
    workshop = conference.boards.filter(kind=BoardKind.WORKSHOP).first()
    response = organiser.post(url, {"board": workshop.pk, "email": "a@b.example", "consent": "on"}, follow=True)
    assert "Dat bord bestaat niet meer" in response.content.decode()
    response = organiser.post(url, {"board": "x'; drop", "email": "a@b.example", "consent": "on"}, follow=True)
    assert response.status_code == 200 and not ChildrenGroupContact.objects.exists()
    organiser.post(url, {"board": board.pk, "email": "juf@school.example", "consent": "on", "action": "save"})
    page = organiser.get(reverse("followup:manage", args=[conference.slug])).content.decode()
    assert "Het nieuws gaat naar juf@school.example" in page
    organiser.post(url, {"board": board.pk, "action": "remove"})
    assert not ChildrenGroupContact.objects.exists()
