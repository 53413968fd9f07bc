"""The WSGI bridge of `serve` (server.py): one request in, Django's whole response out, over real ASGI messages."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from werkconferentie import server


def http_scope(method: str, path: str, query: bytes = b"", headers=()) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"127.0.0.1:8000"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


def exchange(scope: dict, messages: list[dict]) -> list[dict]:
    """Run one request through server.application; the messages it sent back."""
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    # In a thread of its own: a browser test's Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, server.application(scope, receive, send)).result()
    return sent


def response(sent: list[dict]) -> tuple[int, dict, bytes]:
    start, body = sent
    assert start["type"] == "http.response.start" and body["type"] == "http.response.body"
    assert not body.get("more_body")
    return start["status"], dict(start["headers"]), body["body"]


@pytest.mark.django_db(transaction=True)
def test_a_body_sent_in_pieces_reaches_django_whole(open_event):
    payload = json.dumps(
        {
            "name": "Anna de Vries",
            "email": "anna@tynaarlo.nl",
            "role": "raadslid",
            "municipality": "GM1730",
            "preferences": [],
            "consent": True,
        }
    ).encode()
    pieces = [payload[:10], payload[10:40], payload[40:]]
    messages = [{"type": "http.request", "body": piece, "more_body": True} for piece in pieces[:-1]]
    messages.append({"type": "http.request", "body": pieces[-1], "more_body": False})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    scope = http_scope("POST", f"/api/events/{open_event.slug}/registrations", headers=headers)

    status, headers, body = response(exchange(scope, messages))

    assert status == 201, body
    assert json.loads(body)["status"] == "confirmed"
    assert headers[b"content-type"] == b"application/json; charset=utf-8"
    assert open_event.registrations.get().name == "Anna de Vries"


@pytest.mark.django_db(transaction=True)
def test_query_string_and_non_ascii_path(open_event):
    status, headers, body = response(
        exchange(http_scope("GET", "/api/events/", query=b"x=%C3%AB"), [{"type": "http.request", "body": b""}])
    )
    assert status == 200 and json.loads(body)[0]["slug"] == open_event.slug
    sent = exchange(http_scope("GET", "/gemeente/Súdwest-Fryslân/"), [{"type": "http.request"}])
    status, _headers, _body = response(sent)
    assert status == 404


@pytest.mark.django_db(transaction=True)
def test_a_body_over_djangos_limit_is_refused_without_reading_the_rest(open_event, monkeypatch):
    monkeypatch.setattr(server, "MAX_BODY", 1001)
    monkeypatch.setattr(server.settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 1000)
    messages = [{"type": "http.request", "body": b"x" * 600, "more_body": True} for _ in range(5)]
    scope = http_scope("POST", f"/api/events/{open_event.slug}/registrations", headers=[(b"content-length", b"3000")])

    status, _headers, body = response(exchange(scope, messages))

    assert status == 413 and json.loads(body)["code"] == "too_large"  # the API's answer (api.py)
    assert len(messages) == 3  # two pieces were enough to go over the limit
    assert not open_event.registrations.exists()


def test_a_client_that_leaves_before_its_body_is_sent_gets_nothing():
    scope = http_scope("POST", "/api/events/x/registrations", headers=[(b"content-length", b"100")])
    assert exchange(scope, [{"type": "http.request", "body": b"{", "more_body": True}]) == []


def test_streams_go_to_the_asgi_handler(monkeypatch):
    seen = []

    async def asgi(scope, receive, send):
        seen.append(scope["path"])

    monkeypatch.setattr(server, "asgi_application", asgi)
    exchange(http_scope("GET", "/live/ABCDEF/stream"), [])
    assert seen == ["/live/ABCDEF/stream"]
