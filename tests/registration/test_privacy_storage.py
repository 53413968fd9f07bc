"""Erasure reaches sessions and the SQLite write-ahead log; the data directory is the owner's only (issue 14.5)."""

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from werkconferentie.registration import privacy
from werkconferentie.registration.models import Registration

from .test_views import form_data, register_url

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.django_db
def test_erasure_removes_the_address_from_the_thank_you_pages_session(open_event, client, settings):
    settings.SIGNUP_RATE = None
    response = client.post(register_url(open_event), form_data(email="Zwaantje@Voorbeeld.nl"))
    assert response.status_code == 302
    assert "zwaantje@voorbeeld.nl" in client.get(response["Location"]).content.decode().lower()
    other = SessionStore()
    other["registration.thanks"] = "iemand@example.org"
    other.create()

    privacy.erase_registration(Registration.objects.get(email="zwaantje@voorbeeld.nl"))

    for session in Session.objects.all():
        assert "voorbeeld.nl" not in json.dumps(SessionStore().decode(session.session_data)).lower()
    assert "voorbeeld.nl" not in client.get(response["Location"]).content.decode().lower()
    assert SessionStore(other.session_key)["registration.thanks"] == "iemand@example.org"


SCRIPT = textwrap.dedent(
    """
    import json, os, django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    from werkconferentie.events.models import Event
    from werkconferentie.registration import privacy, signup
    event = Event.objects.create(slug="wal", title_nl="WAL", date="2099-01-01", start_time="10:00",
                                 end_time="12:00", venue_name="Zaal", venue_city="Assen", capacity=10,
                                 contact_email="info@example.org", published=True)
    connection.close()  # a checkpoint: what follows is in the write-ahead log only
    registration = signup.register(event, signup.SignupData(
        name="Zwaantje Walbestand", email="zwaantje.wal@voorbeeld.nl", role="raadslid", municipality=None,
        organisation="Provincie", preferences=[])).registration
    database = connection.settings_dict["NAME"]
    def traces():
        found = []
        for suffix in ("", "-wal"):
            if os.path.exists(database + suffix):
                raw = open(database + suffix, "rb").read()
                found += [suffix or "db"] if b"Walbestand" in raw or b"zwaantje.wal" in raw else []
        return found
    before = traces()
    modes = {name: oct(os.stat(os.path.join(os.path.dirname(database), name)).st_mode & 0o777)
             for name in os.listdir(os.path.dirname(database)) if name.startswith("werkconferentie.sqlite3")}
    privacy.erase_registration(registration)
    print(json.dumps({"before": before, "after": traces(), "modes": modes,
                      "dir": oct(os.stat(os.path.dirname(database)).st_mode & 0o777)}))
    """
)


@pytest.mark.slow
def test_erasure_leaves_no_copy_in_the_wal_and_files_are_the_owners_only(tmp_path):
    data_dir = tmp_path / "nieuw" / "data"
    env = {
        **os.environ,
        "WERKCONFERENTIE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "werkconferentie.settings",
        "PYTHONPATH": str(SRC),
    }
    env.pop("DATABASE_URL", None)
    old = os.umask(0o022)  # the usual umask: without care, files would be readable by everyone
    try:
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120, check=True
        )
    finally:
        os.umask(old)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["before"], "the person is not in the files before erasure: the test would prove nothing"
    assert report["after"] == []
    assert report["dir"] == "0o700"
    assert set(report["modes"]) >= {"werkconferentie.sqlite3", "werkconferentie.sqlite3-wal"}
    assert set(report["modes"].values()) == {"0o600"}
    assert stat.S_IMODE(os.stat(data_dir / "secret_key").st_mode) == 0o600
