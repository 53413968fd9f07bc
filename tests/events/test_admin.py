"""The back office: each kind of user sees exactly what is theirs."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from werkconferentie.core.roles import ensure_organiser_group
from werkconferentie.events.models import Event

pytestmark = pytest.mark.django_db


def make_user(username, *, organiser_of=(), superuser=False):
    user = get_user_model().objects.create_user(username, password="een-lang-wachtwoord-1")
    user.is_staff = True
    user.is_superuser = superuser
    user.save()
    user.groups.add(ensure_organiser_group())
    for event in organiser_of:
        event.organisers.add(user)
    return user


def admin_urls(event):
    workshop = event.workshops.first()
    urls = [reverse("admin:events_event_change", args=[event.pk])]
    if workshop:
        urls.append(reverse("admin:events_workshop_change", args=[workshop.pk]))
    return urls


def test_logged_out_is_sent_to_login(roden, client):
    for url in [reverse("admin:index"), *admin_urls(roden)]:
        response = client.get(url)
        assert response.status_code == 302 and "/beheer/login/" in response["Location"]


def test_organiser_sees_and_changes_own_event_only(roden, other_event, client):
    client.force_login(make_user("anita", organiser_of=[roden]))
    listing = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "Mini-werkconferentie Kinderrechten" in listing and "Werkconferentie Assen" not in listing
    for url in admin_urls(roden):
        assert client.get(url).status_code == 200
    # Another organiser's event is not found (the admin redirects with a message instead of showing it).
    response = client.get(reverse("admin:events_event_change", args=[other_event.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    workshops = client.get(reverse("admin:events_workshop_changelist")).content.decode()
    assert "Betekenisvolle participatie" in workshops


def test_organiser_of_another_event_cannot_reach_this_one(roden, other_event, client):
    client.force_login(make_user("jan", organiser_of=[other_event]))
    for url in admin_urls(roden):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    response = client.post(reverse("admin:events_event_delete", args=[roden.pk]), {"post": "yes"})
    assert Event.objects.filter(pk=roden.pk).exists()


def test_organiser_cannot_create_events_superuser_can(roden, client):
    client.force_login(make_user("anita", organiser_of=[roden]))
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    client.force_login(make_user("root", superuser=True))
    assert client.get(reverse("admin:events_event_add")).status_code == 200


def test_staff_without_rights_is_refused(roden, client):
    user = get_user_model().objects.create_user("gast", password="een-lang-wachtwoord-1", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:events_event_changelist")).status_code == 403


def test_superuser_sees_everything(roden, other_event, client):
    client.force_login(make_user("root", superuser=True))
    listing = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "Mini-werkconferentie Kinderrechten" in listing and "Werkconferentie Assen" in listing


def test_admin_is_in_dutch(roden, client):
    client.force_login(make_user("anita", organiser_of=[roden]))
    page = client.get(reverse("admin:events_event_change", args=[roden.pk])).content.decode()
    assert "Datum en plaats" in page and "Workshoprondes" in page
