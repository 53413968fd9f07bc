"""The Atom feed of the public progress: changes of public commitments only, newest first, limited."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from werkconferentie.followup import progress
from werkconferentie.followup.commitments import create_commitment, update_commitment
from werkconferentie.followup.history import Actor

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(slug: str, client=None) -> list[dict]:
    response = (client or Client()).get(reverse("followup:feed", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_public_changes_newest_first_without_who(world, conference, commitment, contact, organiser):
    update_commitment(commitment, Actor(contact=contact), status="in-uitvoering", status_note="Besluit in mei.")
    for who, client in world.items():  # public: everyone gets the same feed
        found = entries(conference.slug, client)
        assert len(found) == 2, who
    newest, first = found
    assert newest["title"] == "Noordenveld: 1. Kinderraad per 1 september — status: In uitvoering"
    assert "Besluit in mei." in newest["summary"] and "In uitvoering" in newest["summary"]
    assert first["title"].endswith("— toegevoegd")
    assert newest["link"].endswith(
        reverse("followup:municipality", args=[conference.slug, "GM1699"]) + f"#c-{commitment.pk}"
    )
    assert newest["link"].startswith("http") and newest["id"] != first["id"]
    for entry in found:  # never who reported it
        assert "Griffie" not in entry["summary"] + entry["title"] and "griffier" not in entry["summary"]


def test_non_public_commitments_never_appear(conference, commitment, noordenveld, organiser):
    actor = Actor(user=organiser)
    secret = create_commitment(conference, noordenveld, actor, title="Geheim plan", status_note="Nog intern.")
    update_commitment(secret, actor, status="in-uitvoering", status_note="Nog steeds intern.")
    create_commitment(conference, noordenveld, actor, parent=secret, title="Geheime stap", status_note="Intern.")
    public_step = create_commitment(
        conference, noordenveld, actor, parent=commitment, title="Openbare stap", status_note="Gepland."
    )
    titles = [entry["title"] for entry in entries(conference.slug)]
    assert not any("Geheim" in title for title in titles)
    assert any("Openbare stap" in title for title in titles)  # a milestone is public with its commitment
    link = next(e["link"] for e in entries(conference.slug) if "Openbare stap" in e["title"])
    assert link.endswith(f"#c-{commitment.pk}") and str(public_step.pk) not in link.rsplit("#", 1)[1]
    # Unpublished again: all of its changes leave the feed.
    update_commitment(commitment, actor, is_public=False)
    assert entries(conference.slug) == []


def test_the_feed_is_limited_and_takes_a_fixed_number_of_queries(
    conference, commitment, organiser, django_assert_max_num_queries
):
    actor = Actor(user=organiser)
    for number in range(progress.FEED_LENGTH + 5):
        update_commitment(commitment, actor, status_note=f"Stap {number}.")
    with django_assert_max_num_queries(6):
        found = entries(conference.slug)
    assert len(found) == progress.FEED_LENGTH
    assert f"Stap {progress.FEED_LENGTH + 4}." in found[0]["summary"]


def test_the_progress_page_links_to_the_feed(conference, commitment):
    url = reverse("followup:feed", args=[conference.slug])
    html = Client().get(reverse("followup:progress", args=[conference.slug])).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{url}"' in html
    assert f'<a href="{url}">' in html
    assert Client().get(reverse("followup:feed", args=["nergens"])).status_code == 404
