"""Errors get a page in the visitor's language, never a traceback."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_not_found_in_dutch(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_not_found_in_english(client):
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/bestaat-niet/").content.decode()


def test_expired_form_explains_itself():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()


def test_server_error_page_renders_without_context():
    assert "Er ging iets mis" in render_to_string("500.html")
