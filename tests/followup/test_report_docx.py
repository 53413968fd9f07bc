"""The "stand van zaken" report as a Word file, through the documents module: real headings and tables."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from werkconferentie.followup.commitments import update_commitment
from werkconferentie.followup.history import Actor

pytestmark = pytest.mark.django_db


def test_the_report_as_word_has_headings_and_tables(world, conference, commitment, organiser):
    update_commitment(commitment, Actor(user=organiser), status="in-uitvoering", status_note="Besluit in mei.")
    for client in world.values():  # public, like the PDF
        response = client.get(reverse("followup:report_docx", args=[conference.slug]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert "stand-van-zaken.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Stand van zaken op 20 november 2022"), ("Heading 2", "Noordenveld")]
    assert document.core_properties.title == "Stand van zaken op 20 november 2022"
    totals, noordenveld = document.tables
    assert [cell.text for cell in totals.rows[0].cells] == ["Status", "Aantal"]
    assert ["In uitvoering", "1"] in [[cell.text for cell in row.cells] for row in totals.rows]
    cells = [cell.text for cell in noordenveld.rows[1].cells]
    assert cells[0] == "1. Kinderraad per 1 september" and "Besluit in mei." in cells


def test_unpublished_commitments_stay_out_of_the_word_file(conference, commitment, organiser):
    update_commitment(commitment, Actor(user=organiser), is_public=False)
    response = Client().get(reverse("followup:report_docx", args=[conference.slug]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Kinderraad" not in text and "Noordenveld" not in text


def test_the_report_page_links_to_pdf_and_word(conference, commitment):
    html = Client().get(reverse("followup:report", args=[conference.slug])).content.decode()
    assert reverse("followup:report_pdf", args=[conference.slug]) in html
    assert reverse("followup:report_docx", args=[conference.slug]) in html
    assert "Download als Word-bestand (.docx)" in html
    assert Client().get(reverse("followup:report_docx", args=["nergens"])).status_code == 404
