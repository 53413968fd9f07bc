"""The public reference pages in both languages, their accessibility basics and the type-ahead."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("reference:index"),
    reverse("reference:crc_article", args=[1]),
    reverse("reference:crc_article", args=[3]),
    reverse("reference:crc_article", args=[54]),
    reverse("reference:sdg_goal", args=[4]),
    reverse("reference:sdg_goal", args=[17]),
    reverse("reference:municipalities"),
]


def get(client, url, language="nl"):
    """The site is Dutch first: only the language switch's cookie gives English, not Accept-Language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("url", PAGES)
def test_pages_render_in_both_languages_with_one_h1(client, url, language):
    response = get(client, url, language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    assert 'class="breadcrumbs" aria-label=' in html
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        assert "<caption" in table and "</caption>" in table and 'scope="col"' in table


def test_headings_do_not_skip_levels(client):
    for url in PAGES:
        levels = [int(n) for n in re.findall(r"<h([1-6])", get(client, url).content.decode())]
        assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False)), url


@pytest.mark.parametrize(
    "url", ["/kinderrechten/artikel/0/", "/kinderrechten/artikel/55/", "/kinderrechten/artikel/99999/"]
)
def test_unknown_article_is_404(client, url):
    assert get(client, url).status_code == 404


@pytest.mark.parametrize("url", ["/kinderrechten/sdg/0/", "/kinderrechten/sdg/18/", "/kinderrechten/artikel/abc/"])
def test_unknown_goal_is_404(client, url):
    assert get(client, url).status_code == 404


def test_index_lists_articles_principles_goals_and_links_to_kinderrechten_nl(client):
    html = get(client, reverse("reference:index")).content.decode()
    for number in range(1, 55):
        assert reverse("reference:crc_article", args=[number]) in html
    for number in range(1, 18):
        assert reverse("reference:sdg_goal", args=[number]) in html
    assert "Belang van het kind" in html
    assert html.count("(algemeen beginsel)") == 4
    assert "https://www.kinderrechten.nl/gemeente/" in html
    assert "kinderrechten.nl/gemeente" in html


def test_article_page_shows_both_texts_with_their_language(client):
    html = get(client, reverse("reference:crc_article", args=[3])).content.decode()
    assert "Artikel 3: Belang van het kind" in html
    assert '<div class="treaty-text" lang="nl"><p>1. Bij alle maatregelen betreffende kinderen' in html
    assert '<div class="treaty-text" lang="en"><p>1.  In all actions concerning children' in html
    assert "algemene beginselen" in html

    english = get(client, reverse("reference:crc_article", args=[3]), "en").content.decode()
    assert "Best interests of the child" in english


def test_sdg_page_labels_the_child_related_selection_as_unofficial(client):
    html = get(client, reverse("reference:sdg_goal", args=[4])).content.decode()
    assert "kindgerelateerd (selectie)" in html
    assert "geen officiële lijst" in html
    assert "4.1.1" in html and "4.a.1" in html
    assert '<p lang="en">' in html  # UN texts are English only and marked as such
    assert "Leren" in html


def test_municipalities_page_lists_provinces_with_cbs_codes(client):
    html = get(client, reverse("reference:municipalities")).content.decode()
    assert html.count('<section aria-labelledby="provincie-') == 12
    assert '<th scope="row">Tynaarlo</th><td>GM1730</td>' in html
    assert "Weesp" in html and "Amsterdam (GM0363)" in html
    assert "Bron: CBS" in html


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (reverse("reference:index"), 5),
        (reverse("reference:municipalities"), 2),
        (reverse("reference:sdg_goal", args=[3]), 4),
        (reverse("reference:crc_article", args=[12]), 4),
        (reverse("reference:municipalities_json") + "?q=b", 1),
    ],
)
def test_pages_use_a_fixed_number_of_queries(client, django_assert_max_num_queries, url, queries):
    with django_assert_max_num_queries(queries):
        assert get(client, url).status_code == 200


def test_over_page_names_every_source_and_licence(client):
    html = get(client, reverse("core:over")).content.decode()
    for required in [
        "Bron: CBS",
        "CC BY 4.0",
        "NLExtract",
        "BWBV0002508",
        "44/25",
        "A/RES/70/1",
        "A/RES/71/313",
        "Open SDG",
        "UNICEF",
        "geen officiële lijst",
    ]:
        assert required in html, required


def test_typeahead_returns_code_name_and_province(client):
    response = client.get(reverse("reference:municipalities_json"), {"q": "tyn"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [
            {"code": "GM1730", "name": "Tynaarlo", "province": "Drenthe", "province_code": "22", "current": True}
        ]
    }


def test_typeahead_limits_results_and_handles_empty_and_bad_input(client):
    url = reverse("reference:municipalities_json")
    assert len(client.get(url, {"q": "b"}).json()["results"]) == 20
    assert client.get(url).json() == {"results": []}
    assert client.get(url, {"q": "x" * 5000}).status_code == 200
    assert client.get(url, {"q": "wee", "date": "gisteren"}).status_code == 400
    on_2022 = client.get(url, {"q": "weesp", "date": "2022-01-01"}).json()["results"]
    assert on_2022 == [
        {"code": "GM0457", "name": "Weesp", "province": "Noord-Holland", "province_code": "27", "current": False}
    ]


def test_typeahead_is_read_only(client):
    assert client.post(reverse("reference:municipalities_json"), {"q": "tyn"}).status_code == 405


@pytest.mark.parametrize("url", PAGES)
def test_lists_are_balanced(client, url):
    html = get(client, url).content.decode()
    for tag in ["ol", "ul", "table", "section", "dl", "nav"]:
        assert html.count(f"<{tag}") == html.count(f"</{tag}>"), tag
