"""Personal details leave children's text before storage; ideas, towns and ages stay."""

import pytest

from werkconferentie.live import scrub as scrub_module
from werkconferentie.live.scrub import MAX_CHARS, ScrubResult, scrub


@pytest.fixture(scope="module")
def with_deduce():
    """deduce loaded once for this module (~7 s); skipped where it cannot load."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(scrub_module, "_enabled_override", True)
        if scrub_module.load_deduce() is None:
            pytest.skip("deduce cannot be loaded here")
        yield


@pytest.fixture
def regex_only(monkeypatch):
    monkeypatch.setenv("WERKCONFERENTIE_DEDUCE", "off")
    monkeypatch.setattr(scrub_module, "_enabled_override", None)


# --- with deduce ----------------------------------------------------------------------------------------------------


def test_names_and_address_removed_town_and_age_kept(with_deduce):
    result = scrub("Ik ben Jan de Vries, ik woon in de Kerkstraat 12 in Roden. Ik ben 12 jaar.")
    assert result.text == "Ik ben [naam], ik woon in de [adres] in Roden. Ik ben 12 jaar."
    assert result.removed == ["naam", "adres"]


def test_name_without_cue_removed(with_deduce):
    result = scrub("Kinderen moeten meer meepraten. Ook Max en Julia vinden dat.")
    assert "Max" not in result.text and "Julia" not in result.text
    assert result.text.count("[naam]") == 2


def test_common_words_deduce_takes_for_surnames_stay(with_deduce):
    text = "Meer Groen in de wijk. Vrede! Op 20 november wil ik dat de Burgemeester luistert."
    assert scrub(text).text == text
    assert scrub("Mijn juf heet Vrede.").text == "Mijn juf heet [naam]."


def test_contact_details_removed(with_deduce):
    result = scrub("Bel 06-12345678 of +31 6 1234 5678, mail jan@example.nl, kijk op www.sanne.nl of insta @sanne_2012")
    assert result.text == "Bel [telefoon] of [telefoon], mail [e-mail], kijk op [website] of insta [account]"
    assert result.removed == ["telefoonnummer", "e-mailadres", "website", "account"]


def test_postcode_removed_town_kept(with_deduce):
    result = scrub("Mijn adres is Dorpsweg 5, 9301 AB Roden.")
    assert result.text == "Mijn adres is [adres], [postcode] Roden."


def test_place_names_kept(with_deduce):
    text = "Meer bankjes in Leeuwarden, Den Haag, 's-Hertogenbosch en Ter Apel, en een skatebaan in het Vondelpark."
    assert scrub(text).text == text


def test_date_of_birth_and_school_removed(with_deduce):
    result = scrub("Ik ben geboren op 12 maart 2012 en zit op de Sint Jozefschool in Utrecht.")
    assert result.text == "Ik ben geboren op [datum] en zit op de [school] in Utrecht."


def test_idempotent_on_scrubbed_text(with_deduce):
    first = scrub("Ik heet Sanne, woon op de Brink 5 in Assen, bel 0612345678. Groetjes, Noah")
    assert "Sanne" not in first.text and "Noah" not in first.text and "Brink 5" not in first.text
    again = scrub(first.text)
    assert again.text == first.text
    assert again.removed == []


def test_deduce_failure_falls_back_to_regexes(monkeypatch, with_deduce):
    class Broken:
        def deidentify(self, text):
            raise RuntimeError("boom")

    monkeypatch.setattr(scrub_module, "_deduce", Broken())
    assert scrub("Mail me: a@b.nl").text == "Mail me: [e-mail]"


# --- regex layer only -----------------------------------------------------------------------------------------------


def test_regex_layer_without_deduce(regex_only, monkeypatch):
    monkeypatch.setattr(scrub_module, "load_deduce", lambda: pytest.fail("deduce must not load"))
    assert not scrub_module.deduce_enabled()
    result = scrub(
        "Ik heet sanne. Bel 010-1234567 of 0031 6 12345678. Mail sanne@school.nl. "
        "Ik woon op de Brink 5, 9301 AB Roden. Mijn BSN is 123456782. Groetjes, Noah"
    )
    assert result.text == (
        "Ik heet [naam]. Bel [telefoon] of [telefoon]. Mail [e-mail]. "
        "Ik woon op de [adres], [postcode] Roden. Mijn BSN is [nummer]. Groetjes, [naam]"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben 12 jaar en wil meer speeltuinen in Roden.",
        "In onze wijk 3 speeltuinen erbij en de weg 2 keer per jaar vegen.",
        "Op 20 november 2025 moet de gemeente luisteren, 1.000.000 euro voor jeugdzorg.",
        "Het college van B en W moet luisteren. Op school is het te warm.",
        "Een zebrapad op de Stationsweg en de Hoofdstraat.",
    ],
)
def test_regex_layer_keeps_ideas(regex_only, text):
    assert scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://tiktok.com/@sanne.", "[website]."),
        ("snap: sannetje", "snap: [account]"),
        ("Burgemeester de Withstraat 3 en Van Goghstraat 12a", "[adres] en [adres]"),
        ("geboren 03-05-2013", "geboren [datum]"),
        ("OBS De Regenboog is leuk", "[school] is leuk"),
        ("Mijn broertje Daan is 8.", "Mijn broertje [naam] is 8."),
        ("+31 (0)50 123 45 67", "[telefoon]"),
    ],
)
def test_regex_layer_cases(regex_only, text, expected):
    assert scrub(text).text == expected


def test_disabled_by_function(monkeypatch):
    monkeypatch.setattr(scrub_module, "_enabled_override", None)
    monkeypatch.delenv("WERKCONFERENTIE_DEDUCE", raising=False)
    assert scrub_module.deduce_enabled()
    scrub_module.set_deduce_enabled(False)
    assert not scrub_module.deduce_enabled()
    assert scrub_module.warm_up() is None
    scrub_module.set_deduce_enabled(None)
    assert scrub_module.deduce_enabled()


# --- odd input ------------------------------------------------------------------------------------------------------


def test_empty(regex_only):
    assert scrub("") == ScrubResult("", [])
    assert not scrub("").changed


def test_odd_unicode(regex_only):
    text = "Ｍail ｊａｎ＠ｅｘａｍｐｌｅ．ｎｌ, tel 0６1234５678, jan\u200b@test.nl \ud800\x00 🏞️ 👨‍👩‍👧 café"
    result = scrub(text)
    assert result.text == "Mail [e-mail], tel [telefoon], [e-mail]  🏞️ 👨‍👩‍👧 café"
    result.text.encode("utf-8")  # no lone surrogates left


def test_very_long_input_is_capped(regex_only):
    result = scrub("speeltuin " * 100_000 + "jan@example.nl")
    assert len(result.text) <= MAX_CHARS
    assert result.text.startswith("speeltuin speeltuin")


def test_long_input_with_deduce(with_deduce):
    result = scrub("Ik heet Sanne en wil een speeltuin. " * 200)  # 36 characters a sentence
    assert "Sanne" not in result.text
    assert result.text.count("speeltuin") == MAX_CHARS // 36
