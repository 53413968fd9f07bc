"""Commitments as CSV: export, edit, import; every wrong row listed and nothing half-imported; who may do it."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from werkconferentie.followup import spreadsheet
from werkconferentie.followup.commitments import create_commitment
from werkconferentie.followup.history import Actor
from werkconferentie.followup.models import Commitment, CommitmentChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(conference, noordenveld, tynaarlo, organiser, commitment):
    """Noordenveld 1 (with a milestone 2) and Tynaarlo 1, whose title starts like a formula."""
    actor = Actor(user=organiser)
    create_commitment(conference, noordenveld, actor, parent=commitment, title="Verordening", status_note="Concept.")
    create_commitment(conference, tynaarlo, actor, title="=Jeugdlintje", status_note="-nog niets")
    return commitment


def read(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def write(rows: list[dict], delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_export_has_one_row_per_commitment_excel_safe(conference, two):
    rows = read(spreadsheet.export_csv(conference))
    assert [(r["municipality"], r["number"], r["milestone_of"], r["title"]) for r in rows] == [
        ("Noordenveld", "1", "", "Kinderraad per 1 september"),
        ("Noordenveld", "2", "1", "Verordening"),
        ("Tynaarlo", "1", "", "'=Jeugdlintje"),
    ]
    assert list(rows[0]) == list(spreadsheet.COLUMNS)
    assert rows[0]["status"] == "openstaand" and rows[0]["public"] == "yes" and rows[0]["target_date"] == "2022-11-20"


def test_export_edit_import_round_trip(conference, two, organiser):
    rows = read(spreadsheet.export_csv(conference))
    rows[0].update(status="in-uitvoering", status_note="Raadsvoorstel in december.", progress="40")
    rows[1].update(status="Voldaan", progress="")  # a Dutch label; empty progress: the status's default
    rows[0]["title"] = "Changed titles are not read"
    changed = spreadsheet.import_csv(conference, write(rows), Actor(user=organiser))
    assert changed == 2
    first = Commitment.objects.get(pk=two.pk)
    assert (first.status, first.status_note, first.progress, first.title) == (
        "in-uitvoering",
        "Raadsvoorstel in december.",
        40,
        "Kinderraad per 1 september",
    )
    milestone = first.milestones.get()
    assert (milestone.status, milestone.progress) == ("voldaan", 100)
    tynaarlo = Commitment.objects.get(municipality_id="GM1730")
    assert tynaarlo.status_note == "-nog niets"  # the apostrophe of the export is taken off again
    assert CommitmentChange.objects.filter(action="update", user=organiser).count() == 2
    # The same file again changes nothing.
    assert spreadsheet.import_csv(conference, write(rows), Actor(user=organiser)) == 0


def test_every_bad_row_is_listed_and_nothing_is_imported(conference, two, organiser):
    rows = read(spreadsheet.export_csv(conference))
    rows[0].update(status="in-uitvoering", status_note="Goed.")  # a good row, which must not be imported either
    rows[1].update(status="bijna klaar")
    rows[2].update(progress="120")
    bad = [
        {**rows[0], "number": "9"},
        {**rows[0], "municipality_code": "GM9999"},
        {**rows[0], "number": "een"},
        rows[0],
    ]
    with pytest.raises(spreadsheet.ImportErrors) as refused:
        spreadsheet.import_csv(conference, write(rows + bad), Actor(user=organiser))
    lines = refused.value.lines
    assert [line.split(":")[0] for line in lines] == [f"Regel {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "bijna klaar" in lines[0] and "120" not in lines[1] and "100" in lines[1]
    assert "geen afspraak 9" in lines[2] and "GM9999" in lines[3] and "een" in lines[4]
    assert "ook op regel 2" in lines[5]
    assert Commitment.objects.get(pk=two.pk).status == "openstaand"
    assert not CommitmentChange.objects.filter(action="update").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "leeg"),
        (b"municipality_code;number\r\nGM1699;1\r\n", "status, status_note, progress"),
        (b"%PDF-1.4\0\0\0", "geen CSV"),
        (b"x" * (spreadsheet.MAX_BYTES + 1), "2 MB"),
    ],
)
def test_bad_files_get_a_clear_message(conference, two, organiser, data, message):
    with pytest.raises(spreadsheet.ImportErrors, match=message):
        spreadsheet.import_csv(conference, data, Actor(user=organiser))


def test_comma_separated_and_windows_encoded_files_are_read(conference, two, organiser):
    rows = read(spreadsheet.export_csv(conference))
    rows[0].update(status_note="Één stap verder, café", status="in-uitvoering")
    spreadsheet.import_csv(conference, write(rows, ",", "cp1252"), Actor(user=organiser))
    assert Commitment.objects.get(pk=two.pk).status_note == "Één stap verder, café"


def test_export_and_import_only_for_the_events_organisers(world, conference, two):
    export = reverse("followup:manage_export", args=[conference.slug])
    upload = reverse("followup:manage_import", args=[conference.slug])
    data = spreadsheet.export_csv(conference)
    rows = read(data)
    rows[0].update(status="aangehouden", status_note="Wacht op de begroting.")
    edited = write(rows)
    for who, client in world.items():
        response = client.get(export)
        posted = client.post(upload, {"file": SimpleUploadedFile("a.csv", edited, "text/csv")})
        if who in ("anonymous", "participant", "host"):
            for r in (response, posted):
                assert r.status_code == 302 and r["Location"].startswith(reverse("admin:login")), who
        elif who == "organiser":
            assert response.status_code == 200 and response.content == data
            assert response["Content-Type"].startswith("text/csv")
            assert posted.status_code == 302
        else:
            assert response.status_code == 404 and posted.status_code == 404, who
        expected = "aangehouden" if who == "organiser" else "openstaand"
        assert Commitment.objects.get(pk=two.pk).status == expected, who


def test_the_page_lists_the_bad_rows(world, conference, two):
    rows = read(spreadsheet.export_csv(conference))
    rows[1].update(status_note="")
    url = reverse("followup:manage_import", args=[conference.slug])
    response = world["organiser"].post(url, {"file": SimpleUploadedFile("a.csv", write(rows), "text/csv")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is niets ingelezen" in html and "Regel 3: Stand van zaken" in html
    response = world["organiser"].post(url, {})
    assert response.status_code == 400 and "Kies een CSV-bestand" in response.content.decode()
