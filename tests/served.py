"""A real server for tests that need several worker processes: `werkconferentie serve` as a subprocess on a
database of its own (a SQLite file in a temporary data directory, or a new database on the test run's PostgreSQL
server). Used by the registration concurrency test and the live-board stream tests."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from django.conf import settings

IS_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def werkconferentie(environment: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "werkconferentie", *args], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"werkconferentie {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def own_postgres_database():
    """A new, empty database on the test run's PostgreSQL server; dropped afterwards."""
    import psycopg

    params = settings.DATABASES["default"]
    name = f"wkc_concurrency_{secrets.token_hex(4)}"
    connect = {
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**connect) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    at = "@" if user else ""
    try:
        yield f"postgres://{user}{password}{at}{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}/{name}"
    finally:
        with psycopg.connect(**connect) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server(environment: dict, *, workers: int = 2, env: dict | None = None):
    """`werkconferentie serve --workers N` on a free port; yields its port once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "werkconferentie", "serve", "--workers", str(workers), "--port", str(port)],
        env={**environment, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # serve answers once deduce is loaded for children's ideas (about 7 s; longer on a busy machine).
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/api/events/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not answer within 90 s"
            time.sleep(0.2)
        # Let every worker finish starting, so that a burst meets all of them.
        time.sleep(1.0)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


EVENT_FILE = os.path.join(os.path.dirname(__file__), "..", "src/werkconferentie/events/data/roden-2022.yaml")


@contextmanager
def example_environment(data_dir, extra: dict, *shell: str):
    """The environment of a fresh database holding the example event: SQLite in `data_dir`, or a new database
    on the test run's PostgreSQL server (dropped afterwards); `shell` are Python snippets run on it first."""
    base = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    base.update({"WERKCONFERENTIE_DATA_DIR": str(data_dir), "UVICORN_LOG_LEVEL": "warning", **extra})

    def prepare(environment: dict) -> dict:
        werkconferentie(environment, "migrate", "-v0")
        werkconferentie(environment, "load-event", EVENT_FILE)
        for snippet in shell:
            werkconferentie(environment, "manage", "shell", "-c", snippet)
        return environment

    if IS_POSTGRES:
        with own_postgres_database() as url:
            yield prepare({**base, "DATABASE_URL": url})
    else:
        yield prepare(base)
