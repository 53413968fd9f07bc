"""`werkconferentie send-mail`: once in this process, and as separate worker processes sharing the database."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from werkconferentie.outbox.enums import MessageState
from werkconferentie.outbox.mailing import enqueue
from werkconferentie.outbox.models import OutboxMessage


def reported(output: str) -> list[tuple[int, int, int]]:
    """The (sent, to be retried, failed) lines of the command's output, in whatever language it speaks."""
    return [tuple(map(int, numbers)) for numbers in re.findall(r"^\D*(\d+)\D+(\d+)\D+(\d+)\.$", output, re.M)]


def test_send_mail_once_sends_what_is_due_and_reports(db, smtp_server):
    enqueue("a@example.org", "Eén", "Tekst")
    enqueue("b@example.org", "Twee", "Tekst")
    out = StringIO()

    call_command("send_mail", "--once", stdout=out)

    assert reported(out.getvalue()) == [(2, 0, 0)]
    assert sorted(message["Subject"] for message in smtp_server.messages) == ["Eén", "Twee"]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MessageState.SENT}


@pytest.fixture
def worker_env(transactional_db, smtp_server, tmp_path):
    """Start `werkconferentie ...` processes that use this test's database and SMTP server.

    PostgreSQL's test database is reachable as it is. SQLite's is in memory, so `share()` copies it to a file
    (the worker processes then use SQLite as in production: a file, WAL, IMMEDIATE transactions).
    """

    def share() -> dict:
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            path = tmp_path / "shared.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(path) as target:
                connection.connection.backup(target)
            database_url = f"sqlite:///{path}"
        else:
            quote = urllib.parse.quote
            credentials = quote(settings_dict["USER"]) + (
                f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
            )
            address = f"{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}"
            database_url = f"postgres://{credentials}@{address}/{quote(settings_dict['NAME'])}"
        environment = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
        environment.update(
            DATABASE_URL=database_url,
            WERKCONFERENTIE_DATA_DIR=str(tmp_path / "data"),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_server.port),
            DEFAULT_FROM_EMAIL="werkconferentie@example.org",
            DJANGO_SETTINGS_MODULE="werkconferentie.settings",
        )
        return environment

    return share


def werkconferentie(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "werkconferentie", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_competing_worker_processes_send_every_message_exactly_once(worker_env, smtp_server):
    queued = {enqueue(f"deelnemer{n}@example.org", f"Bericht {n}", "Tekst").message_id for n in range(40)}
    smtp_server.mailbox.wait_for_clients = 3  # no mail is accepted before all three workers have one in hand
    env = worker_env()

    workers = [werkconferentie("send-mail", "--once", env=env) for _ in range(3)]
    outputs = [worker.communicate(timeout=60) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0, 0], outputs
    received = [message["Message-ID"] for message in smtp_server.messages]
    assert len(received) == 40 and set(received) == queued, "each message arrives once"
    per_worker = [reported(out)[0] for out, _err in outputs]
    assert all(sent > 0 for sent, _retried, _failed in per_worker), "the three workers competed"
    assert tuple(map(sum, zip(*per_worker, strict=True))) == (40, 0, 0)
    print("sent by each worker:", per_worker)


def test_the_worker_keeps_sending_until_sigterm_and_then_stops_cleanly(worker_env, smtp_server):
    message = enqueue("a@example.org", "Eerste", "Tekst")
    worker = werkconferentie("send-mail", "--interval", "0.2", env=worker_env())
    try:
        deadline = time.monotonic() + 20
        while not smtp_server.messages and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
        assert [received["Message-ID"] for received in smtp_server.messages] == [message.message_id]
        assert worker.poll() is None, "the worker keeps running"
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, err
    assert reported(out) == [(1, 0, 0)]
