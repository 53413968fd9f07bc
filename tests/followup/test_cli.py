"""`werkconferentie followup remind | import | export | invite`: each action, and bad input that ends with a
message, never a traceback."""

import csv
import io
import json

import pytest
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from werkconferentie.followup import links
from werkconferentie.followup.models import CommitmentChange, UpdateContact
from werkconferentie.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("followup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def write_csv(path, rows: list[dict]) -> str:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_export_to_a_file_and_to_stdout(conference, commitment, tmp_path):
    target = tmp_path / "afspraken.csv"
    out, _err = run("export", conference.slug, "-o", str(target))
    assert str(target) in out
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # as Excel opens it, like the page's download
    rows = rows_of(data.decode("utf-8-sig"))
    assert [(r["municipality_code"], r["number"], r["title"]) for r in rows] == [
        ("GM1699", "1", "Kinderraad per 1 september")
    ]
    out, _err = run("export", conference.slug)
    assert rows_of(out) == rows


def test_export_edit_import(conference, commitment, tmp_path):
    target = tmp_path / "afspraken.csv"
    run("export", conference.slug, "-o", str(target))
    rows = rows_of(target.read_text(encoding="utf-8-sig"))
    rows[0].update(status="in-uitvoering", status_note="Raadsvoorstel in december.", progress="40")
    out, _err = run("import", conference.slug, write_csv(tmp_path / "edited.csv", rows))
    assert "1" in out
    commitment.refresh_from_db()
    assert (commitment.status, commitment.status_note, commitment.progress) == (
        "in-uitvoering",
        "Raadsvoorstel in december.",
        40,
    )
    change = CommitmentChange.objects.filter(action="update").get()
    assert change.user is None and not change.by_contact  # the command line: the system, not a person


def test_import_lists_every_bad_row_and_imports_nothing(conference, commitment, tmp_path):
    target = tmp_path / "afspraken.csv"
    run("export", conference.slug, "-o", str(target))
    good = rows_of(target.read_text(encoding="utf-8-sig"))[0]
    rows = [
        {**good, "status": "voldaan", "status_note": "Klaar."},  # good, but must not be imported either
        {**good, "number": "7"},
        {**good, "progress": "120", "number": "1", "municipality_code": "GM9999"},
        {**good, "status": "bijna klaar"},  # also a second row for commitment 1
    ]
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 fouten in .*bad.csv"):
        call_command("followup", "import", conference.slug, write_csv(tmp_path / "bad.csv", rows), stderr=err)
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["Regel 3", "Regel 4", "Regel 5"]
    assert "7" in lines[0] and "GM9999" in lines[1] and "ook op regel 2" in lines[2]
    commitment.refresh_from_db()
    assert commitment.status == "openstaand"
    assert not CommitmentChange.objects.filter(action="update").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "nergens.csv"),  # no such file
        (b"", "leeg"),
        (b"%PDF-1.4\0\0\0", "geen CSV"),
        (b"municipality_code;number\r\nGM1699;1\r\n", "status_note"),
    ],
)
def test_bad_files_end_with_a_message(conference, commitment, tmp_path, content, message):
    path = tmp_path / "nergens.csv"
    if content is not None:
        path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("followup", "import", conference.slug, str(path), stderr=err)
    assert message in str(refused.value) + err.getvalue()


def test_an_unknown_event_or_action_is_refused(conference, tmp_path):
    for args in (
        ("export", "nergens"),
        ("import", "nergens", str(tmp_path / "a.csv")),
        ("invite", "nergens"),
    ):
        with pytest.raises(CommandError, match="nergens"):
            call_command("followup", *args)
    with pytest.raises(CommandError, match="opruimen"):
        call_command("followup", "opruimen")
    with pytest.raises(CommandError):
        call_command("followup")


def test_export_to_a_directory_that_does_not_exist(conference, commitment, tmp_path):
    with pytest.raises(CommandError, match="bestaat-niet"):
        run("export", conference.slug, "-o", str(tmp_path / "bestaat-niet" / "a.csv"))


def test_invite_mails_the_links_not_sent_yet_and_prints_them(conference, contact, other_contact):
    other_contact.link_sent_at = timezone.now()  # had her link already: not again
    other_contact.save()
    UpdateContact.objects.create(
        event=conference,
        municipality=contact.municipality,
        email="ingetrokken@noordenveld.example",
        revoked_at=timezone.now(),
    )
    out, _err = run("invite", conference.slug, "--json")
    printed = json.loads(out)
    assert [(row["municipality"], row["email"]) for row in printed] == [("Noordenveld", "griffie@noordenveld.example")]
    token = printed[0]["link"].rstrip("/").rsplit("/", 1)[1]
    assert links.contact_from_token(token, now=timezone.now().replace(year=2022)) == contact
    assert signing.loads(token, salt=links.SALT)[0] == contact.pk
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["griffie@noordenveld.example"]
    contact.refresh_from_db()
    assert contact.link_sent_at is not None
    # A second run invites nobody.
    out, _err = run("invite", conference.slug, "--json")
    assert json.loads(out) == []
    assert OutboxMessage.objects.count() == 1


def test_invite_as_text_with_the_proposed_contacts(conference, noordenveld):
    from werkconferentie.outcomes.models import GriffieAddress

    GriffieAddress.objects.update_or_create(municipality=noordenveld, defaults={"email": "griffie@noordenveld.nl"})
    out, _err = run("invite", conference.slug)
    assert "griffie@noordenveld.nl" not in out  # not a contact until the organiser adds the proposals
    out, _err = run("invite", conference.slug, "--add-proposed")
    line = next(line for line in out.splitlines() if "griffie@noordenveld.nl" in line)
    municipality, _who, link = line.split("\t")
    assert municipality == "Noordenveld (GM1699)" and "/bijwerken/" in link


def test_remind_is_the_same_as_the_older_command(conference, contact, other_contact, commitment):
    for person in (contact, other_contact):
        person.link_sent_at = timezone.now()
        person.save()
    old, new = io.StringIO(), io.StringIO()
    call_command("followup_remind", "--dry-run", "--date", "2022-11-14", stdout=old)
    call_command("followup", "remind", "--dry-run", "--date", "2022-11-14", stdout=new)
    assert new.getvalue() == old.getvalue() and "griffie@noordenveld.example" in new.getvalue()
    assert not OutboxMessage.objects.exists()
    call_command("followup", "remind", "--date", "2022-11-14", stdout=io.StringIO())
    sent = OutboxMessage.objects.count()
    assert sent >= 1
    call_command("followup", "remind", "--date", "2022-11-14", stdout=io.StringIO())
    assert OutboxMessage.objects.count() == sent
    with pytest.raises(CommandError, match="2022-13-01"):
        call_command("followup", "remind", "--date", "2022-13-01")


def test_the_command_line_exits_non_zero_without_a_traceback(tmp_path):
    import os
    import subprocess
    import sys

    from werkconferentie.cli import DJANGO_COMMANDS

    assert "followup" in DJANGO_COMMANDS
    environment = {
        "WERKCONFERENTIE_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    command = [sys.executable, "-m", "werkconferentie"]
    subprocess.run([*command, "migrate", "-v0"], env=environment, check=True, timeout=300)
    for args, expected in [
        (["followup", "export", "nergens"], "nergens"),
        (["followup", "import", "nergens", "x.csv"], "nergens"),
        (["followup", "remind", "--date", "gisteren"], "gisteren"),
        (["followup", "opruimen"], "opruimen"),
    ]:
        result = subprocess.run([*command, *args], capture_output=True, text=True, env=environment, timeout=120)
        assert result.returncode != 0, args
        assert expected in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
    result = subprocess.run(
        [*command, "followup", "remind", "--dry-run"], capture_output=True, text=True, env=environment, timeout=120
    )
    assert result.returncode == 0, result.stderr
