"""Griffie addresses: the CSV import (all or nothing, every bad row with its line) and the back-office pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from registration.factories import RegistrationFactory, UserFactory
from werkconferentie.live import access
from werkconferentie.live.enums import BoardKind
from werkconferentie.outcomes import griffies
from werkconferentie.outcomes.models import GriffieAddress
from werkconferentie.registration import links

pytestmark = pytest.mark.django_db

GOOD = (
    "CBS-code;e-mail;postadres\n"
    'GM1699;griffie@noordenveld.example;"Postbus 109\n9300 AC Roden"\n'
    "1730;griffie@tynaarlo.example;Postbus 5, 9480 AA Vries\n"
    "gm0106;griffie@assen.example;\n"
)


def test_a_good_file_with_semicolons_imports_every_row():
    result = griffies.import_csv(GOOD.encode())
    assert result.ok and (result.created, result.updated, result.unchanged) == (3, 0, 0)
    noordenveld = GriffieAddress.objects.get(municipality_id="GM1699")
    assert noordenveld.email == "griffie@noordenveld.example"
    assert noordenveld.postal_address == "Postbus 109\n9300 AC Roden"
    assert GriffieAddress.objects.get(municipality_id="GM1730").postal_address == "Postbus 5, 9480 AA Vries"
    assert GriffieAddress.objects.get(municipality_id="GM0106").postal_address == ""


def test_commas_and_a_byte_order_mark_without_header():
    data = '\ufeffGM1699,griffie@noordenveld.example,"Postbus 109, 9300 AC Roden"\r\nGM0106,griffie@assen.example,\r\n'
    result = griffies.import_csv(data.encode("utf-8"))
    assert result.ok and result.created == 2
    assert GriffieAddress.objects.get(municipality_id="GM1699").postal_address == "Postbus 109, 9300 AC Roden"


def test_importing_again_updates_and_counts_unchanged():
    griffies.import_csv(GOOD.encode())
    changed = GOOD.replace("griffie@assen.example", "raad@assen.example")
    result = griffies.import_csv(changed.encode("utf-8-sig"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert GriffieAddress.objects.get(municipality_id="GM0106").email == "raad@assen.example"


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_saved():
    GriffieAddress.objects.create(municipality_id="GM0106", email="oud@assen.example")
    data = (
        "code;e-mail;adres\n"  # 1: header
        'GM1699;griffie@noordenveld.example;"Postbus 109\n9300 AC Roden"\n'  # 2-3: good, over two lines
        "GM9999;griffie@nergens.example;\n"  # 4: unknown code
        "GM0106;geen-adres;\n"  # 5: not an e-mail address
        "GM1699;nog@een.example;\n"  # 6: twice
        "GM0058;griffie@dongeradeel.example;\n"  # 7: merged into Noardeast-Fryslân in 2019
        "GM1730;;\n"  # 8: neither address
        "GM0114;a@b.example;x;y\n"  # 9: four columns
        "\n"  # 10: empty, skipped
        "GM0106;raad@assen.example;\n"  # 11: good
    )
    result = griffies.import_csv(data.encode())
    assert not result.ok
    assert [error.line for error in result.errors] == [4, 5, 6, 7, 8, 9]
    messages = {error.line: str(error) for error in result.errors}
    assert "GM9999" in messages[4]
    assert "geen-adres" in messages[5]
    assert "staat al op regel 2" in messages[6]
    assert "Noardeast-Fryslân" in messages[7]
    assert "3 kolommen" in messages[9] and messages[9].startswith("Regel 9")
    # All or nothing: the good rows were not saved either, the old address is untouched.
    assert not GriffieAddress.objects.filter(municipality_id="GM1699").exists()
    assert GriffieAddress.objects.get(municipality_id="GM0106").email == "oud@assen.example"


def test_a_file_that_is_not_utf8_or_is_empty_is_refused_whole():
    result = griffies.import_csv("GM1699;griffie@noordenveld.example;Brink 1, Roden\nGM0106;é;\n".encode("latin-1"))
    assert not result.ok and "Regel 2" in str(result.errors[0]) and "UTF-8" in str(result.errors[0])
    assert not griffies.import_csv(b"  \n").ok
    assert not griffies.import_csv(b"code;e-mail;adres\n").ok
    assert not griffies.import_csv(b"x" * (griffies.MAX_BYTES + 1)).ok
    assert not GriffieAddress.objects.exists()


def test_broken_quoting_and_control_characters_are_reported_by_line():
    result = griffies.import_csv(b'GM1699;griffie@noordenveld.example;ok\nGM0106;"a@b.example\x00;x\n')
    assert not result.ok and result.errors[0].line == 2
    assert not GriffieAddress.objects.exists()


# --- The back office ---------------------------------------------------------------------------------------


@pytest.fixture
def visitors(roden, boards, organiser, other_event):
    workshop = next(b for b in boards if b.kind == BoardKind.WORKSHOP)
    participant = Client()
    person = RegistrationFactory(event=roden)
    participant.get(reverse("live:from_personal_link", args=[links.personal_token(person), workshop.code]))
    host = Client()
    host.get(access.host_url(workshop, absolute=False))
    staff = Client()
    staff.force_login(UserFactory(username="medewerker", organiser=False))
    other = Client()
    other.force_login(UserFactory(username="andere", organiser_of=[other_event]))
    mine = Client()
    mine.force_login(organiser)
    return {
        "anonymous": Client(),
        "participant": participant,
        "host": host,
        "plain staff": staff,
        "organiser of another event": other,
        "organiser": mine,
    }


URLS = [
    "admin:outcomes_griffieaddress_changelist",
    "admin:outcomes_griffieaddress_add",
    "admin:outcomes_griffieaddress_import",
]


@pytest.mark.parametrize("name", URLS)
def test_griffie_pages_are_for_organisers_of_any_event(visitors, name):
    """The addresses are public facts shared by every event: any organiser keeps them, nobody else."""
    url = reverse(name)
    for who, client in visitors.items():
        response = client.get(url)
        if who in ("anonymous", "participant", "host"):
            assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), who
        elif who == "plain staff":
            assert response.status_code == 403, who
        else:
            assert response.status_code == 200, who


def test_import_page_saves_all_or_lists_the_bad_rows(visitors):
    client = visitors["organiser"]
    url = reverse("admin:outcomes_griffieaddress_import")
    bad = SimpleUploadedFile("griffies.csv", b"GM1699;griffie@noordenveld.example;\nGM9999;x@y.example;\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Regel 2" in response.content.decode() and not GriffieAddress.objects.exists()
    response = client.post(url, {})
    assert response.status_code == 400
    response = client.post(url, {"file": SimpleUploadedFile("griffies.csv", GOOD.encode("utf-8-sig"))})
    assert response.status_code == 302 and GriffieAddress.objects.count() == 3
    # Plain staff may not import.
    response = visitors["plain staff"].post(url, {"file": SimpleUploadedFile("g.csv", GOOD.encode())})
    assert response.status_code == 403


def test_typed_in_the_back_office(visitors):
    client = visitors["organiser"]
    url = reverse("admin:outcomes_griffieaddress_add")
    response = client.post(url, {"municipality": "GM0058", "email": "griffie@example.org", "postal_address": ""})
    assert response.status_code == 200 and not GriffieAddress.objects.exists()  # dissolved in 2019
    response = client.post(url, {"municipality": "GM1699", "email": "", "postal_address": ""})
    assert response.status_code == 200 and not GriffieAddress.objects.exists()
    response = client.post(
        url, {"municipality": "GM1699", "email": "griffie@noordenveld.example", "postal_address": ""}
    )
    assert response.status_code == 302
    assert GriffieAddress.objects.get().email == "griffie@noordenveld.example"


def test_the_command_imports_all_or_nothing(tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.csv"
    bad.write_text("GM1699;griffie@noordenveld.example;\nGM9999;x@y.example;\n", encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_griffies", str(bad), stderr=errors)
    assert "Regel 2" in errors.getvalue() and not GriffieAddress.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8-sig")
    out = StringIO()
    call_command("import_griffies", str(good), stdout=out)
    assert "3 new" in out.getvalue() and GriffieAddress.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("import_griffies", str(tmp_path / "missing.csv"))
