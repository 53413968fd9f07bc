"""The organiser's page for publication and the raadsadres: who may use it, the settings form, the downloads."""

import io
import zipfile

import pytest
from django.urls import reverse
from docx import Document

from werkconferentie.outcomes import report
from werkconferentie.outcomes.models import OutcomeChange

from .test_pages import clients, organiser_client, workshop  # noqa: F401 (fixtures)
from .test_raadsadres import pdf_text

pytestmark = pytest.mark.django_db


def url(event, name="letters", **kwargs):
    return reverse(f"outcomes_admin:{name}", kwargs={"slug": event.slug, **kwargs})


def urls(event):
    return [
        ("get", url(event), None),
        ("post", url(event, "publication"), {"action": "publish"}),
        ("post", url(event), {"sender_name": "Iemand anders"}),
        ("get", url(event, "letter", code="GM1699", kind="pdf"), None),
        ("get", url(event, "letter", code="algemeen", kind="docx"), None),
        ("get", url(event, "letters_zip"), None),
    ]


def test_only_organisers_of_the_event_get_in(roden, workshop, organiser, other_event, conference):  # noqa: F811
    visitors = clients(roden, workshop, organiser, other_event)
    for method, address, data in urls(roden):
        for who, client in visitors:
            if who == "organiser":
                continue
            response = client.get(address) if method == "get" else client.post(address, data)
            if who in ("anonymous", "participant", "host"):
                assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), who
            else:
                assert response.status_code == 404, (who, address)
    assert not report.is_published(roden) and report.report_of(roden).sender_name == ""
    assert not OutcomeChange.objects.filter(action__in=["publish", "update"]).exists()


def test_publish_and_make_private_again(roden, organiser_client):  # noqa: F811
    response = organiser_client.post(url(roden, "publication"), {"action": "publish"})
    assert response.status_code == 302 and report.is_published(roden)
    assert "De opbrengst is openbaar sinds" in organiser_client.get(url(roden)).content.decode()
    organiser_client.post(url(roden, "publication"), {"action": "unpublish"})
    assert not report.is_published(roden)
    assert organiser_client.post(url(roden, "publication"), {"action": "iets"}).status_code == 404
    assert list(OutcomeChange.objects.order_by("pk").values_list("action", flat=True)) == ["publish", "unpublish"]


def test_settings_are_saved_and_reach_the_letter(roden, organiser_client, conference):  # noqa: F811
    page = organiser_client.get(url(roden))
    assert page.status_code == 200
    assert "Leeg: de standaardtekst" in page.content.decode()  # the defaults are shown at the empty fields
    data = {name: "" for name in report.EDITABLE_FIELDS}
    data.update(
        sender_name="Politiek Netwerk Drenthe", signatory_name="J. de Vries", intro_nl="Beste raad van {municipality}."
    )
    assert organiser_client.post(url(roden), data).status_code == 302
    change = OutcomeChange.objects.get(action="update")
    assert change.changes["signatory_name"] == ["", "J. de Vries"]
    letter = organiser_client.get(url(roden, "letter", code="GM1699", kind="pdf"))
    text = pdf_text(letter.content)
    assert "J. de Vries" in text and "Beste raad van Noordenveld." in text
    word = organiser_client.get(url(roden, "letter", code="GM1699", kind="docx"))
    assert "Beste raad van Noordenveld." in "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)


def test_bad_settings_are_refused_and_nothing_is_saved(roden, organiser_client):  # noqa: F811
    data = {name: "" for name in report.EDITABLE_FIELDS}
    data.update(contact_email="geen adres", letter_date="31-02-2022", signatory_name="J. de Vries")
    response = organiser_client.post(url(roden), data)
    assert response.status_code == 400
    assert "geldig e-mailadres" in response.content.decode()
    assert report.report_of(roden).signatory_name == ""


def test_unknown_letters_are_not_found(roden, organiser_client):  # noqa: F811
    for code, kind in [("GM9999", "pdf"), ("GM1699", "exe"), ("gm1699", "pdf"), ("GM0457", "pdf")]:
        assert organiser_client.get(url(roden, "letter", code=code, kind=kind)).status_code == 404, code


def test_all_letters_in_a_zip(roden, organiser_client, conference):  # noqa: F811
    response = organiser_client.get(url(roden, "letters_zip"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "algemeen.pdf" in names and "GM1699-Noordenveld.docx" in names and "adressen.csv" in names
    assert "Aan de gemeenteraad van Noordenveld" in pdf_text(
        zipfile.ZipFile(io.BytesIO(response.content)).read("GM1699-Noordenveld.pdf")
    )


def test_the_opbrengst_page_links_here(roden, organiser_client):  # noqa: F811
    assert (
        url(roden) in organiser_client.get(reverse("outcomes_admin:page", kwargs={"slug": roden.slug})).content.decode()
    )
