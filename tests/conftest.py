"""Fixtures shared by the whole test suite.

Browser tests drive Debian's chromium (never a browser downloaded by Playwright) through Playwright's sync API:

    @pytest.mark.browser
    def test_something(live_server, page, axe_check):
        page.goto(live_server.url + "/over/")
        axe_check(page)

`page` is a fresh page in a fresh browser context per test, as a Dutch visitor (Accept-Language nl-NL) on a
1280x800 screen; use `new_page(locale="en-GB", viewport={"width": 320, "height": 640})` for others. When a test
that uses a page fails, a screenshot of each of its pages is written to test-results/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the main thread; Django would then refuse database access from
# tests and from live_server's threads. The loop does not touch the database, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WhiteNoise warns on every request when STATIC_ROOT does not exist yet (collectstatic has not run; the tests
# serve static files through the finders). An empty directory silences that without changing what is served.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see in teardown whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_collection_modifyitems(items):
    """Tests that use the browser are browser tests, marked or not (`-m "not browser"` leaves them out)."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Debian's chromium, headless, one per test session (per xdist worker)."""
    if not Path(CHROMIUM_PATH).exists():
        message = f"no browser at {CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, request) -> Iterator[Callable[..., object]]:
    """Make a page in a fresh context: new_page(locale="en-GB", viewport={"width": 320, "height": 640})."""
    contexts = []

    def make(locale: str = "nl-NL", viewport: dict | None = None, **context_options):
        context = browser.new_context(
            locale=locale, viewport=viewport or {"width": 1280, "height": 800}, **context_options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make

    failed = any(
        getattr(request.node, f"report_{when}", None) and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )
    for number, context in enumerate(contexts):
        if failed:
            _screenshot(context, request.node.nodeid, number)
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context, as a Dutch visitor."""
    return new_page()


def _screenshot(context, nodeid: str, number: int) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    for index, page in enumerate(context.pages):
        suffix = f"-{number}" if number else ""
        suffix += f"-{index}" if index else ""
        path = RESULTS_DIR / f"{name}{suffix}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failed test's page {page.url}: {path}")
        except Exception as error:  # the page may have crashed; the test's own failure matters more
            print(f"no screenshot of {page.url}: {error}")


def format_axe_violations(violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s):"]
    for violation in violations:
        impact, help_text, url = violation.get("impact"), violation.get("help"), violation.get("helpUrl")
        lines.append(f"- {violation['id']} ({impact}): {help_text} <{url}>")
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


@pytest.fixture
def axe_check() -> Callable[..., dict]:
    """Run axe-core (bundled with axe-playwright-python, nothing downloaded) on a page; fail on any violation.

    axe_check(page) checks the whole page with all of axe's rules (WCAG 2.x A/AA and best practices);
    axe_check(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}) narrows them;
    axe_check(page, context="#inhoud") checks a part of the page. Returns axe's results.
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, context: str | dict | None = None, options: dict | None = None) -> dict:
        page.evaluate(axe.axe_script)
        results = page.evaluate(
            "([context, options]) => axe.run(context || document, options || {})",
            [context, {"resultTypes": ["violations"], **(options or {})}],
        )
        violations = results["violations"]
        if violations:
            pytest.fail(f"{page.url}\n" + format_axe_violations(violations))
        return results

    return check


@pytest.fixture
def example_file() -> str:
    """The bundled example event file, as the installed package holds it."""
    from werkconferentie.events.examples import example_event_file

    return str(example_event_file())


@pytest.fixture
def roden(db, example_file):
    """The bundled Roden 2022 conference, loaded from its event file (registration closed: it is 2022)."""
    from werkconferentie.events.loading import load_event_file

    return load_event_file(example_file).event


@pytest.fixture
def open_event(roden):
    """The Roden conference with its registration open, as in the demo."""
    import datetime as dt

    from django.utils import timezone

    roden.registration_opens = None
    roden.registration_closes = timezone.now() + dt.timedelta(days=30)
    roden.save()
    return roden


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server on loopback, with Django's mail settings pointing at it."""
    from smtp_server import SMTPServer, free_port  # tests/smtp_server.py (tests/ is on sys.path via this conftest)

    server = SMTPServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "werkconferentie@example.org"
    yield server
    server.stop()


def commits_to_database(item) -> bool:
    """Whether a test runs as a TransactionTestCase, whose end flushes every table."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _data_migrations_rows(request):
    """Put back the rows data migrations make (reference data, privacy statement) for tests that commit.

    A transactional test ends with a flush of every table; Django then recreates content types and permissions,
    but not what our data migrations loaded. Serialized rollback would, but mixed with other transactional tests
    it fails on SQLite's shared in-memory database, so the rows are loaded again here (about 50 ms).
    """
    if commits_to_database(request.node):
        request.getfixturevalue("_django_db_helper")
        from werkconferentie.reference.loading import load_reference
        from werkconferentie.reference.models import Municipality
        from werkconferentie.registration.models import PrivacyStatement

        if not Municipality.objects.exists():
            load_reference()
        if not PrivacyStatement.objects.exists():
            import importlib

            from django.apps import apps

            statements = (
                "registration.migrations.0002_privacy_statement_v1",
                "live.migrations.0002_privacy_statement_v2",
                "registration.migrations.0004_dayb_privacy_statement_v3",
                "outcomes.migrations.0003_sending_privacy_statement_outcomes",
            )
            for name in statements:
                importlib.import_module(f"werkconferentie.{name}").create(apps, None)
    yield


def uses_database(item) -> bool:
    """Whether a test may use the test database (marked django_db, or asks for a fixture that gives it)."""
    database_fixtures = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    return item.get_closest_marker("django_db") is not None or bool(
        database_fixtures & set(getattr(item, "fixturenames", ()))
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters(request, settings):
    """Every test that uses the database starts with no attempts counted: the rate limits count in a table of
    the database (core/ratelimit.py), which a transactional test's flush leaves alone."""
    if uses_database(request.node):
        from django.core.cache import caches

        request.getfixturevalue("_django_db_helper")
        caches[settings.RATELIMIT_CACHE].clear()


@pytest.fixture
def other_event(db):
    """A second, small event (Assen 2023), for checks that one event's data stays out of another's."""
    from werkconferentie.events.models import Event

    return Event.objects.create(
        slug="assen-2023",
        title_nl="Werkconferentie Assen",
        date="2023-04-21",
        start_time="13:00",
        end_time="17:00",
        venue_name="Stadhuis",
        venue_city="Assen",
        contact_email="info@example.org",
        capacity=50,
    )


@pytest.fixture(autouse=True)
def _fresh_municipality_list():
    """Every test starts without the process's copy of the current municipalities (reference.municipalities)."""
    from werkconferentie.reference.municipalities import forget_current_municipalities

    forget_current_municipalities()


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (Dutch): a test that switched to English must not leak it."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.deactivate()
