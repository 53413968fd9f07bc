"""Municipality look-ups other apps rely on: current list, successors after mergers, the type-ahead search."""

import datetime

import pytest

from werkconferentie.reference import municipalities
from werkconferentie.reference.loading import load_reference
from werkconferentie.reference.models import Municipality
from werkconferentie.reference.municipalities import (
    current_by_province,
    current_municipalities,
    current_successor,
    municipalities_on,
    municipality_on,
    normalise_code,
    search_municipalities,
)

pytestmark = pytest.mark.django_db

DRENTHE = [
    "Aa en Hunze", "Assen", "Borger-Odoorn", "Coevorden", "De Wolden", "Emmen",
    "Hoogeveen", "Meppel", "Midden-Drenthe", "Noordenveld", "Tynaarlo", "Westerveld",
]  # fmt: skip


def test_counts():
    assert current_municipalities().count() == 342
    assert municipalities_on(datetime.date(2022, 1, 1)).count() == 345


def test_drenthe_has_its_twelve_municipalities():
    drenthe = current_municipalities().filter(province_code="22")
    assert list(drenthe.values_list("name", flat=True)) == DRENTHE
    assert {m.province_name for m in drenthe} == {"Drenthe"}


def test_current_by_province_gives_twelve_provinces():
    provinces = current_by_province()
    assert [code for code, _, _ in provinces] == [str(n) for n in range(20, 32)]
    assert sum(len(items) for _, _, items in provinces) == 342
    assert [m.name for m in dict((c, items) for c, _, items in provinces)["22"]] == DRENTHE


def test_weesp_went_to_amsterdam():
    amsterdam = current_successor("GM0457")
    assert amsterdam.code == "GM0363" and amsterdam.name == "Amsterdam"


@pytest.mark.parametrize(
    ("code", "successor"),
    [
        ("GM0370", "GM0439"),  # Beemster -> Purmerend, not Dijk en Waard that began the same day
        ("GM0398", "GM1980"),  # Heerhugowaard -> Dijk en Waard
        ("GM1685", "GM1991"),  # Landerd -> Maashorst
        ("GM0756", "GM1982"),  # Boxmeer -> Land van Cuijk
        ("GM0501", "GM1992"),  # Brielle -> Voorne aan Zee (2023)
        ("GM0083", "GM1949"),  # Menaldumadeel -> Menameradiel (2011) -> Waadhoeke (2018)
        ("GM0265", "GM1945"),  # Millingen aan de Rijn -> Groesbeek (2015) -> Berg en Dal (2016)
        ("GM0620", "GM1961"),  # Vianen, in two provinces over time -> Vijfheerenlanden
        ("GM0106", "GM0106"),  # Assen still exists
    ],
)
def test_current_successor_follows_mergers(code, successor):
    assert current_successor(code).code == successor


def test_current_successor_is_unknown_for_splits_and_unknown_codes():
    assert current_successor("GM0788") is None  # Haaren, split over four municipalities in 2021
    assert current_successor("GM9999") is None


def test_municipality_on_a_date():
    assert municipality_on("GM0457", datetime.date(2022, 1, 1)).name == "Weesp"
    assert municipality_on("GM0457", datetime.date(2022, 3, 24)).name == "Amsterdam"
    assert municipality_on("GM0501", datetime.date(2022, 4, 22)).name == "Brielle"
    assert municipality_on("GM0501", datetime.date(2023, 1, 1)).name == "Voorne aan Zee"
    assert municipality_on("GM1992", datetime.date(2022, 4, 22)) is None  # did not exist yet


def test_codes_are_normalised():
    assert normalise_code("106") == normalise_code("0106") == normalise_code(" gm0106 ") == "GM0106"
    assert current_successor("457").code == "GM0363"


def test_search_by_name_prefix():
    assert [m.code for m in search_municipalities("tyn")] == ["GM1730"]
    assert [m.name for m in search_municipalities("ASSEN")] == ["Assen"]


def test_search_finds_later_words_accents_codes_and_common_names():
    assert "Aa en Hunze" in [m.name for m in search_municipalities("hunze")]
    assert [m.name for m in search_municipalities("sudwest")] == ["Súdwest-Fryslân"]
    assert [m.name for m in search_municipalities("GM0106")] == ["Assen"]
    assert "'s-Gravenhage" in [m.name for m in search_municipalities("den haag")]


def test_search_puts_name_prefixes_first_and_limits_results():
    names = [m.name for m in search_municipalities("berg")]
    assert names[0].startswith("Berg")
    assert len(search_municipalities("b")) == 20
    assert len(search_municipalities("b", limit=5)) == 5
    assert search_municipalities("  ") == []


def test_search_on_a_date_includes_municipalities_dissolved_since():
    assert "Weesp" not in [m.name for m in search_municipalities("wee")]
    assert "Weesp" in [m.name for m in search_municipalities("wee", on=datetime.date(2022, 1, 1))]


def test_every_municipality_dissolved_since_2010_has_a_successor_or_a_reason():
    from werkconferentie.reference.models import Municipality

    dissolved = Municipality.objects.filter(valid_to__gte=datetime.date(2010, 1, 1))
    assert dissolved.count() > 100
    without = dissolved.filter(successor__isnull=True)
    assert all(m.successor_note.startswith("split") for m in without)
    assert sorted(m.name for m in without) == sorted(
        ["Meerlo-Wanssum", "Boarnsterhim", "Maasdonk", "Littenseradiel", "Haaren"]
    )
    for municipality in dissolved.filter(successor__isnull=False).select_related("successor"):
        successor = municipality.successor
        assert successor.valid_from <= municipality.valid_to
        assert successor.valid_to is None or successor.valid_to > municipality.valid_to


def test_current_municipality_is_read_once_per_process_and_then_again_after_a_while(
    monkeypatch, django_assert_num_queries
):
    clock = [1000.0]
    monkeypatch.setattr(municipalities.time, "monotonic", lambda: clock[0])
    with django_assert_num_queries(1):
        assert municipalities.current_municipality("gm1730").name == "Tynaarlo"
        assert municipalities.current_municipality("106").name == "Assen"
        assert municipalities.current_municipality("GM0457") is None  # Weesp: merged into Amsterdam in 2022
        assert municipalities.current_municipality("Tynaarlo") is None  # a name is not a code
    Municipality.objects.filter(code="GM1730").update(name="Tynaarlo (nieuw)")
    clock[0] += municipalities.KEEP_CURRENT_SECONDS + 1
    with django_assert_num_queries(1):
        assert municipalities.current_municipality("GM1730").name == "Tynaarlo (nieuw)"


def test_loading_the_reference_data_again_forgets_the_copy(django_assert_num_queries):
    municipalities.current_municipality("GM1730")
    load_reference()
    with django_assert_num_queries(1):
        assert municipalities.current_municipality("GM1730").name == "Tynaarlo"


def test_find_current_municipality_by_code_or_name():
    assert municipalities.find_current_municipality("gm1730").name == "Tynaarlo"
    assert municipalities.find_current_municipality("  súdwest-fryslân ").code == "GM1900"
    assert municipalities.find_current_municipality("Atlantis") is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Noordenveld", "GM1699"),
        ("noordenveld ", "GM1699"),
        ("MIDDEN DRENTHE", "GM1731"),
        ("Borger-Odoorn", "GM1681"),
        ("Den Haag", "GM0518"),
        ("the hague", "GM0518"),
        ("'s-Gravenhage", "GM0518"),
        ("s gravenhage", "GM0518"),
        ("Den  Bosch", "GM0796"),
        ("'s-Hertogenbosch", "GM0796"),
        ("Súdwest-Fryslân", "GM1900"),
        ("Sudwest Fryslan", "GM1900"),
        ("Bergen (NH.)", "GM0373"),
        ("bergen nh", "GM0373"),
        ("1699", "GM1699"),
        ("Weesp", "GM0363"),  # merged into Amsterdam in 2022: the current successor is offered
        ("GM0003", "GM1979"),  # Appingedam's code: Eemsdelta since 2021
        ("Beek", "GM0888"),  # CBS writes 'Beek (L.)'; the only current Beek
        ("Roden", "GM1699"),  # a village (and a municipality until 1998): its municipality
        ("nieuw roden", "GM1699"),
        ("Zuidlaren", "GM1730"),
        ("Scheveningen", "GM0518"),
        ("Egmond aan Zee", "GM0373"),
    ],
)
def test_find_current_municipality_takes_names_as_people_type_them(typed, code):
    assert municipalities.find_current_municipality(typed).code == code


@pytest.mark.parametrize("typed", ["Atlantis", "", "   ", "Noorden\x00veld", "x" * 500, "GM9999", "Amsterdam-Noord"])
def test_find_current_municipality_refuses_what_matches_nothing(typed):
    assert municipalities.find_current_municipality(typed) is None


def test_every_current_municipality_is_found_by_its_name_in_any_case_and_spelling():
    for municipality in municipalities.current_municipalities():
        assert municipalities.find_current_municipality(municipality.name.upper()) == municipality
        assert municipalities.find_current_municipality(municipalities._fold(municipality.name)) == municipality


@pytest.mark.parametrize(("typed", "names"), [("Bergen", {"Bergen (L.)", "Bergen (NH.)"}), ("Hoeven", None)])
def test_a_name_of_several_municipalities_is_not_guessed_but_offered(typed, names):
    """'Bergen' is two municipalities; a village name can be in several. Both are listed for the person."""
    candidates = municipalities.municipality_candidates(typed)
    assert len(candidates) > 1 and municipalities.find_current_municipality(typed) is None
    if names:
        assert {m.name for m in candidates} == names
    message = municipalities.unknown_municipality_message(typed)
    assert all(m.name in message for m in candidates)


def test_every_place_in_the_bundled_list_leads_to_a_current_municipality():
    current = {m.code for m in municipalities.current_municipalities()}
    places = municipalities._places()
    assert len(places) > 1000
    assert all(code in current for codes in places.values() for code in codes)
