"""A real server for tests that need several worker processes: `werkconferentie serve` as a subprocess on a
database of its own (a SQLite file in a temporary data directory, or a new database on the test run's PostgreSQL
server). Used by the registration concurrency test and the live-board stream tests."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

from django.conf import settings

IS_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# The test process's own switches that a served server must not inherit.
NOT_PASSED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


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
    # The server runs as in production: Django refuses database access from an event loop's thread there
    # (tests/conftest.py allows it in the test process for Playwright's sake; that must not hide such a call).
    environment = {key: value for key, value in {**environment, **(env or {})}.items() if key not in NOT_PASSED}
    process = subprocess.Popen(
        [sys.executable, "-m", "werkconferentie", "serve", "--workers", str(workers), "--port", str(port)],
        env=environment,
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


class Stream:
    """One EventSource-like reader of a live board's stream on a thread: the events it got, in order.

    wait_for() waits on a condition that every new event signals, so a test waits exactly as long as the event
    takes to come (up to a generous timeout), never a fixed time.
    """

    def __init__(self, port: int, code: str):
        self.events: list[tuple[str, dict]] = []
        self.changed = threading.Condition()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("GET", f"/doe-mee/{code}/stream", headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        assert self.response.status == 200 and self.response.getheader("Content-Type").startswith("text/event-stream")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        kind, data = None, []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line == "" and kind:
                    with self.changed:
                        self.events.append((kind, json.loads("".join(data))))
                        self.changed.notify_all()
                    kind, data = None, []
        except (OSError, ValueError, AttributeError):  # closed under the reader
            pass

    def texts(self) -> set[str]:
        with self.changed:
            return {answer["text"] for _kind, data in self.events for answer in data.get("answers", [])}

    def wait(self, predicate, timeout: float = 20.0) -> bool:
        """Whether predicate(events) came true within `timeout` seconds."""
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self.events), timeout)

    def wait_for_snapshot(self, timeout: float = 20.0) -> bool:
        return self.wait(lambda events: any(kind == "snapshot" for kind, _data in events), timeout)

    def wait_for(self, text: str, timeout: float = 20.0) -> bool:
        """Whether an answer with this text came within `timeout` seconds."""
        return self.wait(
            lambda events: any(answer["text"] == text for _kind, data in events for answer in data.get("answers", [])),
            timeout,
        )

    def close(self):
        # Shut the socket first: a plain close() waits for the reader thread's read, up to the next keep-alive.
        if self.connection.sock is not None:
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()


def post(port: int, path: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
    """POST a JSON body; the status and the JSON answer ({} when there is none, {"raw": …} when it is not JSON)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **(headers or {})}
    )
    response = connection.getresponse()
    content = response.read()
    try:
        return response.status, json.loads(content or b"{}")
    except ValueError:
        return response.status, {"raw": content[:300]}
