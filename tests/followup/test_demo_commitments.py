"""The demo's example commitments (followup/data/demo-commitments.yaml): loaded once after the example answers,
public, with their history, so that the progress pages, the stand van zaken and the idea trails show something."""

import pytest
from django.test import Client
from django.urls import reverse

from werkconferentie.followup import demo
from werkconferentie.followup.models import Commitment, CommitmentChange
from werkconferentie.live.enums import BoardKind
from werkconferentie.outcomes.demo import load_demo_answers

pytestmark = pytest.mark.django_db


def test_the_example_commitments_load_once_with_their_history(roden):
    assert demo.load_demo_commitments(roden) == 0  # no outcome points yet: nothing to answer
    load_demo_answers(roden)
    expected = len(demo.read_data()["commitments"])
    assert demo.load_demo_commitments(roden) == expected
    assert demo.load_demo_commitments(roden) == 0
    commitments = Commitment.objects.filter(event=roden)
    assert commitments.count() == expected and not commitments.filter(is_public=False).exists()
    assert all("Voorbeeld voor de demo" in c.description for c in commitments)
    assert len(set(commitments.values_list("status", flat=True))) >= 4
    done = commitments.get(title="Kinderraad per 1 september")
    assert done.status == "voldaan" and CommitmentChange.objects.filter(commitment=done).count() == 3


def test_a_newcomer_sees_progress_and_what_happened_to_the_childrens_ideas(roden):
    load_demo_answers(roden)
    demo.load_demo_commitments(roden)
    overview = Client().get(reverse("followup:progress", args=[roden.slug])).content.decode()
    assert all(name in overview for name in ("Noordenveld", "Tynaarlo", "Assen", "Midden-Drenthe"))
    children = roden.boards.get(kind=BoardKind.CHILDREN)
    page = Client().get(reverse("followup:children", args=[children.code])).content.decode()
    assert "Er komt een kinderraad." in page and "Het is klaar!" in page


def test_the_trail_of_updates_says_each_status_in_words(roden):
    load_demo_answers(roden)
    demo.load_demo_commitments(roden)
    page = Client().get(reverse("followup:municipality", args=[roden.slug, "GM1699"])).content.decode()
    assert "status: In uitvoering" in page and "status: Voldaan" in page
    assert "in-uitvoering" not in page.replace('value="in-uitvoering"', "")
