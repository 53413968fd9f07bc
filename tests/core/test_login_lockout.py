"""Brute force on the back-office login: failures are counted per account and per client address (django-axes)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-1"
LOGIN = "/beheer/login/"


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("anita", password=PASSWORD, is_staff=True)
    get_user_model().objects.create_user("bert", password=PASSWORD, is_staff=True)
    return user


def attempt(client, username, password, address="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_an_account_is_locked_after_too_many_wrong_passwords_from_any_address(staff):
    client = Client()
    statuses = [attempt(client, "anita", "fout", address=f"198.51.100.{number}").status_code for number in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the login form again with its message; the fifth locks
    # Even the right password, from yet another address, is refused for now: the account is locked.
    response = attempt(client, "anita", PASSWORD, address="192.0.2.77")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 60
    assert "Te vaak een verkeerd wachtwoord" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    assert attempt(Client(), "bert", PASSWORD, address="192.0.2.78").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=5)
def test_an_address_is_locked_after_too_many_wrong_passwords_for_any_account(staff):
    statuses = [attempt(Client(), f"gok{number}", "fout").status_code for number in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = attempt(Client(), "bert", PASSWORD)
    assert response.status_code == 429
    # The same account from another address still logs in.
    assert attempt(Client(), "bert", PASSWORD, address="192.0.2.9").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_good_login_clears_the_count_of_its_account(staff):
    for _ in range(4):
        attempt(Client(), "anita", "fout")
    assert attempt(Client(), "anita", PASSWORD).status_code == 302
    for _ in range(4):
        attempt(Client(), "anita", "fout", address="192.0.2.10")
    assert attempt(Client(), "anita", PASSWORD, address="192.0.2.11").status_code == 302


def test_the_default_limit_stops_a_password_guesser_long_before_200_tries(staff):
    client = Client()
    statuses = [attempt(client, "anita", f"gok-{number}").status_code for number in range(12)]
    assert statuses.count(200) <= 10 and statuses[-1] == 429
    assert reverse("admin:login") == LOGIN
