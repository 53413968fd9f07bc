"""`werkconferentie serve`: which application uvicorn runs, with which database connections and logging."""

import os
import socket

import pytest
import uvicorn
from django.core.management import CommandError, call_command


@pytest.fixture
def uvicorn_run(monkeypatch, tmp_path, settings, db):
    """uvicorn.run replaced by a recorder; the environment that serve changes is put back afterwards. serve uses
    the database before it starts uvicorn (it creates the rate limits' cache table when missing)."""
    settings.STATIC_ROOT = tmp_path / "static"
    for name in ("DATABASE_CONN_MAX_AGE", "WEB_THREADS", "UVICORN_LOG_LEVEL", "WERKCONFERENTIE_INTERFACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WERKCONFERENTIE_DATA_DIR", os.environ.get("WERKCONFERENTIE_DATA_DIR", str(tmp_path)))
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    yield calls
    for name in ("DATABASE_CONN_MAX_AGE", "WEB_THREADS"):
        os.environ.pop(name, None)


def test_default_is_the_wsgi_handler_in_a_thread_pool_with_kept_connections(uvicorn_run):
    call_command("serve", "--workers", "3", "--threads", "2", "--port", "8123")
    ((app, options),) = uvicorn_run
    assert app == "werkconferentie.server:application"
    assert options["workers"] == 3 and options["port"] == 8123
    assert os.environ["WEB_THREADS"] == "2"
    assert os.environ["DATABASE_CONN_MAX_AGE"] == "600"  # bounded: workers x threads connections
    assert options["access_log"] is True


def test_asgi_keeps_no_connections_and_quiet_logging_skips_the_access_log(uvicorn_run, monkeypatch):
    monkeypatch.setenv("UVICORN_LOG_LEVEL", "warning")
    call_command("serve", "--interface", "asgi")
    ((app, options),) = uvicorn_run
    assert app == "werkconferentie.asgi:application"
    assert "DATABASE_CONN_MAX_AGE" not in os.environ
    assert options["access_log"] is False and options["log_level"] == "warning"


def test_threads_must_be_positive(uvicorn_run):
    with pytest.raises(CommandError, match="--threads"):
        call_command("serve", "--threads", "0")
    assert not uvicorn_run


@pytest.mark.django_db
def test_the_server_module_is_an_asgi_application():
    """`server.application` answers an HTTP request given as ASGI messages (what uvicorn sends it)."""
    from asgiref.testing import ApplicationCommunicator

    from werkconferentie import server

    async def get(path: str) -> list[dict]:
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        }  # fmt: skip
        communicator = ApplicationCommunicator(server.application, scope)
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        messages = [await communicator.receive_output(timeout=30)]
        while messages[-1]["type"] != "http.response.body" or messages[-1].get("more_body"):
            messages.append(await communicator.receive_output(timeout=30))
        return messages

    import asyncio

    messages = asyncio.run(get("/api/events/"))
    assert messages[0]["type"] == "http.response.start" and messages[0]["status"] == 200
    assert b"[" in b"".join(m.get("body", b"") for m in messages[1:])


def test_the_scrub_service_runs_beside_uvicorn_and_stops_with_it(monkeypatch, tmp_path, settings, db):
    """serve starts the process that holds deduce for all workers, names its socket to them, and stops it."""
    from werkconferentie.live import scrub, scrub_service

    settings.STATIC_ROOT = tmp_path / "static"
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(scrub, "_enabled_override", True)
    seen = {}

    def run(app, **options):  # while "uvicorn" runs: the service answers on the socket the workers are told
        path = os.environ[scrub_service.SOCKET_ENV_VAR]
        remote = scrub_service.RemoteDeduce(path)
        with pytest.raises(RuntimeError, match="text"):  # refused as too long: an answer from the service
            remote.deidentify("x" * (scrub.DEDUCE_CHUNK + 1))
        seen["path"] = path

    monkeypatch.setattr(uvicorn, "run", run)
    call_command("serve", "--port", "8124")
    assert seen["path"] == str(tmp_path / "scrub.sock")
    assert scrub_service.SOCKET_ENV_VAR not in os.environ
    with pytest.raises(OSError), socket.socket(socket.AF_UNIX) as connection:
        connection.connect(seen["path"])  # nobody listens any more


def test_no_scrub_service_when_deduce_is_off(uvicorn_run, monkeypatch):
    from werkconferentie.live import scrub, scrub_service

    monkeypatch.setattr(scrub, "_enabled_override", False)
    call_command("serve")
    assert scrub_service.SOCKET_ENV_VAR not in os.environ


def test_serve_creates_the_rate_limits_table_when_it_is_missing(uvicorn_run):
    """migrate makes it (core.apps); serve makes it too when the cache was switched back to the database since."""
    from django.db import connection

    from werkconferentie.core.ratelimit import CACHE_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(CACHE_TABLE)}")
    assert CACHE_TABLE not in connection.introspection.table_names()
    call_command("serve")
    assert CACHE_TABLE in connection.introspection.table_names()
