"""What the pages promise about the answers is what happens: the children's page, the about page and the privacy
statement say where the answers go, and link to the outcome report once (and only once) it is published."""

import pytest
from django.urls import reverse

from werkconferentie.live.enums import BoardKind
from werkconferentie.outcomes import report
from werkconferentie.registration.models import PrivacyStatement

pytestmark = pytest.mark.django_db

REPORT_PATH = "/conferenties/roden-2022/opbrengst/"


def test_the_childrens_page_says_what_happens_and_links_the_published_report(client, boards, roden):
    children = next(b for b in boards if b.kind == BoardKind.CHILDREN)
    html = client.get(reverse("live:children", args=[children.code])).content.decode()
    assert "verslag" in html and "brief aan de gemeenteraden" in html
    assert REPORT_PATH not in html and "op deze website" in html
    report.publish(roden)
    html = client.get(reverse("live:children", args=[children.code])).content.decode()
    assert f'href="{REPORT_PATH}"' in html
    report.unpublish(roden)
    assert REPORT_PATH not in client.get(reverse("live:children", args=[children.code])).content.decode()


@pytest.mark.parametrize("path", ["/over/", "/privacy/"])
def test_about_and_privacy_link_published_reports_only(client, roden, path):
    html = client.get(path).content.decode()
    assert REPORT_PATH not in html
    report.publish(roden)
    html = client.get(path).content.decode()
    assert f'href="{REPORT_PATH}"' in html
    roden.published = False  # an unpublished event's report is not listed either
    roden.save()
    assert REPORT_PATH not in client.get(path).content.decode()


def test_the_about_page_says_what_happens_with_the_answers(client):
    html = client.get("/over/").content.decode()
    assert "Wat er met de antwoorden gebeurt" in html and "raadsadres" in html and "griffie" in html
    client.cookies["django_language"] = "en"
    html = client.get("/over/").content.decode()
    assert "What happens with the answers" in html


def test_the_privacy_statement_has_a_new_version_about_outcomes():
    current = PrivacyStatement.current()
    earlier = PrivacyStatement.objects.get(version=current.version - 1)
    assert "Wat er met de antwoorden gebeurt" in current.text_nl and "What happens with the answers" in current.text_en
    assert "Wat er met de antwoorden gebeurt" not in earlier.text_nl
    # The new version is the earlier one plus one paragraph: another change of the statement can merge with it.
    assert current.text_nl.startswith(earlier.text_nl) and current.text_en.startswith(earlier.text_en)
    assert current.text_nl[len(earlier.text_nl) :].count("\n\n") == 1


def test_the_privacy_migration_adds_nothing_when_run_again():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("werkconferentie.outcomes.migrations.0003_sending_privacy_statement_outcomes")
    count = PrivacyStatement.objects.count()
    migration.create(apps, None)
    assert PrivacyStatement.objects.count() == count
