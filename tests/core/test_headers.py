"""A Content-Security-Policy on every response, no inline script in any page, the API docs from the package, and
X-Forwarded-For believed only from the proxies the operator named (issue 14.6)."""

import ipaddress
import re
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from django.urls import reverse

from werkconferentie.core.middleware import settle_client_address

pytestmark = pytest.mark.django_db


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.handlers, self.sources = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [f"{tag}[{name}]" for name in attrs if name.startswith("on")]
        self.handlers += [f"{tag}[{name}]" for name, value in attrs.items() if (value or "").startswith("javascript:")]
        if tag == "script":
            if attrs.get("src"):
                self.sources.append(attrs["src"])
            elif attrs.get("type") not in {"application/json", "application/ld+json"}:
                self._in_script = True

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data.strip()[:80])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def pages(event, board) -> list[str]:
    workshop = event.workshops.first()
    return [
        "/",
        "/over/",
        "/kinderrechten/",
        reverse("events:detail", args=[event.slug]),
        reverse("events:programme", args=[event.slug]),
        reverse("events:workshop", args=[event.slug, workshop.slug]),
        reverse("registration:register", args=[event.slug]),
        "/doe-mee/",
        f"/doe-mee/{board.code}/",
        f"/doe-mee/{board.code}/scherm/",
        "/bestaat-niet/",
        "/api/docs",
        "/beheer/login/",
        "/beheer/",
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_workshop_add"),
        reverse("admin:registration_registration_changelist"),
        f"/beheer-dag/{event.slug}/inchecken/",
        f"/live/{board.code}/",
    ]


def test_every_page_has_the_policy_and_no_inline_script(open_event, board, children_board, organiser_of_roden, client):
    urls = pages(open_event, board) + [f"/jongeren/{children_board.code}/"]
    for url in urls:
        if url == "/beheer/":
            client.force_login(organiser_of_roden)
        response = client.get(url, follow=True)
        assert response.status_code == (404 if url == "/bestaat-niet/" else 200), url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        parser = Scripts()
        parser.feed(response.content.decode())
        assert parser.inline == [], (url, parser.inline)
        assert parser.handlers == [], (url, parser.handlers)
        assert all(source.startswith("/") for source in parser.sources), (url, parser.sources)


def test_json_and_static_answers_carry_the_policy_too(open_event, client):
    for url in [
        "/api/events/",
        "/api/openapi.json",
        "/static/werkconferentie/site.css",
        "/kinderrechten/gemeenten.json",
    ]:
        response = client.get(url)
        assert response.status_code == (404 if url == "/bestaat-niet/" else 200), url
        assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_api_docs_load_swagger_from_the_package(client):
    page = client.get("/api/docs").content.decode()
    assert "cdn" not in page.lower()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in scripts
    for asset in [*scripts, *re.findall(r'href="(/static/[^"]+\.css)"', page)]:
        assert client.get(asset).status_code == 200, asset


PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1")]


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "address"),
    [
        ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),  # no proxy configured: the header counts for nothing
        ("203.0.113.9", "198.51.100.1", PROXIES, "203.0.113.9"),  # not from a trusted proxy
        ("10.1.2.3", "198.51.100.1", PROXIES, "198.51.100.1"),
        ("10.1.2.3", "1.2.3.4, 198.51.100.1", PROXIES, "198.51.100.1"),  # what the client wrote itself is ignored
        ("127.0.0.1", "1.2.3.4, 198.51.100.1, 10.9.9.9", PROXIES, "198.51.100.1"),  # two proxies
        ("10.1.2.3", "not-an-address", PROXIES, "not-an-address"),
    ],
)
def test_the_client_address_comes_from_forwarded_for_only_through_trusted_proxies(peer, forwarded, proxies, address):
    meta = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded, "HTTP_X_FORWARDED_PROTO": "https"}
    settle_client_address(meta, proxies)
    assert meta["REMOTE_ADDR"] == address
    if proxies and peer.startswith(("10.", "127.")):
        assert meta["HTTP_X_FORWARDED_PROTO"] == "https"
    else:
        assert "HTTP_X_FORWARDED_FOR" not in meta and "HTTP_X_FORWARDED_PROTO" not in meta


def test_a_spoofed_header_does_not_escape_the_sign_up_limit(open_event, client, settings):
    from werkconferentie.core.ratelimit import parse_rate

    settings.SIGNUP_RATE = parse_rate("2/m")
    url = reverse("registration:register", args=[open_event.slug])
    statuses = [
        client.post(url, {}, REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert statuses[-1] == 429
    with override_settings(TRUSTED_PROXIES=[ipaddress.ip_network("203.0.113.50")]):
        # Behind the operator's proxy each forwarded address is a client of its own.
        assert client.post(url, {}, REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 200
