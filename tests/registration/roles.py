"""Clients as the five kinds of visitor of a back-office page (issue 13): anonymous, a participant (who opened
her personal link), a host (who opened a live board's host link), an organiser of another event, and the
organiser of this event. Only the last may see an event's back-office pages."""

from django.test import Client
from django.urls import reverse

from werkconferentie.live import access
from werkconferentie.live import boards as live_boards
from werkconferentie.registration.links import personal_url

from .factories import UserFactory

ROLES = ["anonymous", "participant", "host", "other_organiser", "organiser"]


def role_client(role: str, event, participant) -> Client:
    client = Client()
    if role == "participant":
        assert client.get(personal_url(participant, absolute=False)).status_code == 200
    elif role == "host":
        board = live_boards.ensure_boards(event)[0]
        assert client.get(access.host_url(board, absolute=False)).status_code == 302
    elif role == "other_organiser":
        client.force_login(UserFactory(username="ander-evenement", organiser_of=[]))
    elif role == "organiser":
        client.force_login(UserFactory(username="deze-organisator", organiser_of=[event]))
    return client


def assert_refused(role: str, response) -> None:
    """Refused as the back office refuses: to the login without an account there, not found for another event's
    organiser."""
    if role in ("anonymous", "participant", "host"):
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), role
    else:
        assert role == "other_organiser" and response.status_code == 404, role


def assert_only_the_organiser(role: str, response) -> None:
    if role == "organiser":
        assert response.status_code == 200, role
    else:
        assert_refused(role, response)
