"""The public overview takes the same number of queries for 3 municipalities as for 30 (and so for 342), with
10 commitments each; bench/followup_progress.py measures its time under load."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkconferentie.followup.enums import CommitmentStatus
from werkconferentie.followup.models import Commitment, CommitmentChange
from werkconferentie.reference.models import Municipality

pytestmark = pytest.mark.django_db


def fill(event, municipalities: int) -> None:
    """`municipalities` municipalities with 10 commitments each (one not public), each with two changes."""
    statuses = CommitmentStatus.values
    chosen = list(Municipality.objects.current().order_by("pk")[:municipalities])
    commitments = Commitment.objects.bulk_create(
        Commitment(
            event=event,
            municipality=municipality,
            number=number,
            title=f"Afspraak {number}",
            status=statuses[(index + number) % len(statuses)],
            status_note="Stand van zaken.",
            target_date=event.date,
            is_public=number != 10,
            policy_areas=["jeugdhulp"] if number % 2 else [],
        )
        for index, municipality in enumerate(chosen)
        for number in range(1, 11)
    )
    CommitmentChange.objects.bulk_create(
        CommitmentChange(
            event=event,
            commitment=commitment,
            municipality_id=commitment.municipality_id,
            commitment_label=commitment.title,
            action=action,
            changes={"status": ["openstaand", commitment.status]} if action == "update" else {},
        )
        for commitment in commitments
        for action in ("create", "update")
    )


def queries(url: str, *, cached: bool = False) -> int:
    client = Client()
    client.get(url)  # the first request of a process reads what it keeps afterwards (municipality list, …)
    if not cached:
        cache.clear()  # the overview's rendered page is kept: count the queries of rendering it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("filters", ["", "?status=voldaan", "?beleidsterrein=jeugdhulp", "?provincie=20"])
def test_the_overview_takes_a_fixed_number_of_queries(roden, filters):
    url = reverse("followup:progress", args=[roden.slug]) + filters
    fill(roden, 3)
    assert Municipality.objects.current().order_by("pk")[0].province_code == "20"  # the filter finds some
    few = queries(url)
    Commitment.objects.all().delete()
    fill(roden, 30)
    many = queries(url)
    assert many == few, (few, many)
    assert few <= 8
    assert queries(url, cached=True) <= 2  # the event and the version of its commitments


def test_the_kept_overview_changes_with_every_change(roden):
    from werkconferentie.followup.commitments import delete_commitment, update_commitment
    from werkconferentie.followup.history import Actor

    url = reverse("followup:progress", args=[roden.slug])
    fill(roden, 3)
    first = Commitment.objects.filter(is_public=True).order_by("pk").first()
    name = reverse("followup:municipality", args=[roden.slug, first.municipality_id])  # its link in the table
    assert name in Client().get(url).content.decode()
    for item in Commitment.objects.filter(municipality=first.municipality):
        update_commitment(item, Actor.system(), is_public=False)
    assert name not in Client().get(url).content.decode()
    update_commitment(first, Actor.system(), is_public=True)
    assert name in Client().get(url).content.decode()
    delete_commitment(first, Actor.system())
    assert name not in Client().get(url).content.decode()
    assert Client(headers={"accept-language": "en"}).get(url + "?provincie=<script>").status_code == 200


def test_the_feed_takes_a_fixed_number_of_queries(roden):
    url = reverse("followup:feed", args=[roden.slug])
    fill(roden, 3)
    few = queries(url)
    Commitment.objects.all().delete()
    fill(roden, 30)
    assert queries(url) == few
