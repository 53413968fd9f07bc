"""Keyword tag suggestions: policy areas, CRC articles and SDGs from Dutch and English text."""

import pytest

from werkconferentie.live.tagging import POLICY_AREA_KEYS, POLICY_AREAS, RULES, suggest_tags


@pytest.mark.parametrize(
    ("text", "area", "crc", "sdg"),
    [
        ("Meer speeltuinen in Roden!", "spelen-en-openbare-ruimte", 31, 11),
        ("Kinderarmoede aanpakken, meer geld voor minima", "armoede", 27, 1),
        ("Kortere wachtlijsten in de jeugdzorg", "jeugdhulp", 3, 3),
        ("Een kinderraad zodat kinderen kunnen meepraten", "participatie", 12, 16),
        ("De kinderburgemeester moet gehoord worden", "participatie", 12, 16),
        ("Minder scholen die sluiten, beter onderwijs", "onderwijs", 28, 4),
        ("Hulp bij mentale gezondheid voor jongeren", "gezondheid", 24, 3),
        ("Stop met pesten en geweld", "veiligheid", 19, 16),
        ("Betaalbare woningen en minder daklozen", "wonen-en-leefomgeving", 27, 11),
        ("Meer bomen en groen tegen hittestress", "klimaat-en-natuur", None, 13),
        ("Geen discriminatie", "inclusie", 2, 10),
        ("Ook kinderen met een beperking moeten mee kunnen doen", "inclusie", 23, 10),
        ("Een zebrapad bij de bushalte", "verkeer-en-vervoer", None, 11),
        ("Gratis zwemles en muziekles", "sport-en-cultuur", 31, None),
        ("More playgrounds and less bullying", "spelen-en-openbare-ruimte", 31, 11),
        ("Shorter waiting lists for mental health care", "gezondheid", 24, 3),
    ],
)
def test_suggestions(text, area, crc, sdg):
    tags = suggest_tags(text)
    assert area in tags.policy_areas
    if crc is not None:
        assert crc in tags.crc_articles
    if sdg is not None:
        assert sdg in tags.sdgs


def test_inflections_and_compounds():
    assert suggest_tags("Ik werd gepest").policy_areas == ["veiligheid"]
    assert suggest_tags("Een speeltuintje").policy_areas == ["spelen-en-openbare-ruimte"]
    assert suggest_tags("Meer in het openbaar vervoer").policy_areas == ["verkeer-en-vervoer"]


def test_strongest_first_and_unique():
    tags = suggest_tags("Speeltuin, speelplek, skatebaan en een veilige oversteek")
    assert tags.policy_areas[0] == "spelen-en-openbare-ruimte"
    assert tags.crc_articles[0] == 31
    for values in (tags.policy_areas, tags.crc_articles, tags.sdgs):
        assert len(values) == len(set(values))


def test_max_areas():
    text = "Speeltuin, school, jeugdzorg, armoede, pesten, bomen, sport, discriminatie, kinderraad, fietspad"
    assert len(suggest_tags(text).policy_areas) == 3
    assert len(suggest_tags(text, max_areas=None).policy_areas) >= 9


@pytest.mark.parametrize(
    "text", ["", "   ", "Wat wil je op 20 november geregeld hebben?", "Ik ben boven over de overal", "🏞️ \ud800"]
)
def test_nothing_to_suggest(text):
    tags = suggest_tags(text)
    assert not tags
    assert tags.policy_areas == [] and tags.crc_articles == [] and tags.sdgs == []


def test_no_false_friends():
    assert "armoede" not in suggest_tags("Het is te warm in de klas").policy_areas
    assert "klimaat-en-natuur" not in suggest_tags("Meer speeltuinen").policy_areas


@pytest.mark.django_db
def test_tables_consistent():
    """Every rule names policy areas of the table and CRC articles and SDGs of the bundled reference data."""
    from werkconferentie.reference.models import CrcArticle, SdgGoal

    crc_articles = set(CrcArticle.objects.values_list("number", flat=True))
    sdgs = set(SdgGoal.objects.values_list("number", flat=True))
    assert len(crc_articles) == 54 and len(sdgs) == 17
    assert len(POLICY_AREA_KEYS) == len(set(POLICY_AREA_KEYS)) == len(POLICY_AREAS)
    assert all(key == key.lower() and " " not in key for key in POLICY_AREA_KEYS)
    for rule in RULES:
        assert rule.area is None or rule.area in POLICY_AREA_KEYS
        assert set(rule.crc) <= crc_articles
        assert set(rule.sdg) <= sdgs
