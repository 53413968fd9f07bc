"""Questions other apps ask about Dutch municipalities: which exist, which one a code means on a date, and a
name search for the registration form's type-ahead."""

import csv
import datetime
import functools
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .models import Municipality

MAX_SEARCH_RESULTS = 20

# Names people type that are not the CBS name (keys as _name_key makes them).
ALIASES = {
    "den haag": "GM0518",
    "the hague": "GM0518",
    "s gravenhage": "GM0518",
    "den bosch": "GM0796",
    "hertogenbosch": "GM0796",
    "bosch": "GM0796",
}

_CODE = re.compile(r"^(?:gm)?\s*(\d{1,4})$", re.IGNORECASE)
# CBS tells apart municipalities of the same name by their province: 'Bergen (NH.)', 'Beek (L.)'.
_PROVINCE_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")

# How long a process keeps its copy of the current municipalities (see current_municipality).
KEEP_CURRENT_SECONDS = 300
# Towns and villages with their municipality (GeoNames, places of about 1,000 inhabitants and more; built by
# scripts/build_places.py).
PLACES_FILE = Path(__file__).resolve().parent / "data" / "places_nl.csv"


@dataclass(frozen=True)
class CurrentCopy:
    made_at: float
    by_code: dict[str, Municipality]
    by_name: dict[str, Municipality]
    # A name without CBS's province suffix ('Bergen' for 'Bergen (NH.)' and 'Bergen (L.)'): one or more.
    by_short_name: dict[str, list[Municipality]]


_current: CurrentCopy | None = None


def normalise_code(code: str) -> str:
    """'106', '0106' and 'gm0106' all become 'GM0106'; anything else is returned stripped and upper-cased."""
    match = _CODE.match(code.strip())
    return f"GM{int(match.group(1)):04d}" if match else code.strip().upper()


def current_municipalities():
    """The municipalities that exist today, by name."""
    return Municipality.objects.current().order_by("name")


def _current_copy() -> CurrentCopy:
    """This process's copy of the current municipalities, by code, by name key and alias, by short name."""
    global _current
    copy = _current
    if copy is None or time.monotonic() - copy.made_at > KEEP_CURRENT_SECONDS:
        by_code = {m.code: m for m in Municipality.objects.current().order_by("name")}
        by_name = {_name_key(m.name): m for m in by_code.values()}
        by_name.update({alias: by_code[code] for alias, code in ALIASES.items() if code in by_code})
        by_short_name: dict[str, list[Municipality]] = {}
        for municipality in by_code.values():
            short = _name_key(_PROVINCE_SUFFIX.sub("", municipality.name))
            if short != _name_key(municipality.name):
                by_short_name.setdefault(short, []).append(municipality)
        copy = _current = CurrentCopy(time.monotonic(), by_code, by_name, by_short_name)
    return copy


def current_municipality(code: str) -> Municipality | None:
    """The current municipality with this CBS code ('106', '0106' and 'gm0106' too), or None.

    Every sign-up asks, and the list changes about once a year, when the reference data is loaded again. So each
    process keeps a copy for KEEP_CURRENT_SECONDS (one query of 342 rows) instead of asking the database each time
    (0.2 ms, a tenth of a sign-up); `load_reference` starts a new copy in its own process.
    """
    return _current_copy().by_code.get(normalise_code(code))


def find_current_municipality(value: str) -> Municipality | None:
    """The current municipality a person typed, or None when nothing or more than one matches.

    Accepted: its CBS code in any spelling ('GM1699', '1699'); its name or a common name ('Den Haag',
    'Den Bosch') with case, accents, spacing and punctuation free ('sudwest fryslan', "s-Hertogenbosch"), also
    without the province CBS adds to a shared name ('Beek' for 'Beek (L.)'); the name or code of a former
    municipality, which gives the current one that took it over (Weesp gives Amsterdam); and the name of a
    town or village in it ('Roden' gives Noordenveld). When a name fits several municipalities ('Bergen'),
    `municipality_candidates` lists them.
    """
    candidates = municipality_candidates(value)
    return candidates[0] if len(candidates) == 1 else None


def municipality_candidates(value: str) -> list[Municipality]:
    """The current municipalities `value` may mean, from the most certain kind of match that finds any."""
    if not value or not value.isprintable():
        return []
    copy = _current_copy()
    key = _name_key(value)
    found = copy.by_code.get(normalise_code(value)) or copy.by_name.get(key)
    if found is not None:
        return [found]
    if not key:
        return []
    if key in copy.by_short_name:
        return copy.by_short_name[key]
    if (successor := _successor_of_former(value, key)) is not None:
        return [successor]
    return [copy.by_code[code] for code in _places().get(key, ()) if code in copy.by_code]


def unknown_municipality_message(value: str, candidates: list[Municipality] | None = None) -> str:
    """What to tell a person whose municipality was not found, or fits several (`candidates`, looked up when not
    given), in her language."""
    shown = "".join(c for c in value.strip() if c.isprintable())[:60]
    candidates = municipality_candidates(value) if candidates is None else candidates
    if len(candidates) > 1:
        return _("“%(name)s” can mean more than one municipality: %(names)s. Fill in the one you mean.") % {
            "name": shown,
            "names": ", ".join(m.name for m in candidates),
        }
    return _(
        "We do not know a Dutch municipality called “%(name)s”. Check the spelling, or use the name "
        "from the list or its CBS code (such as GM1699)."
    ) % {"name": shown}


@functools.cache
def _places() -> dict[str, tuple[str, ...]]:
    """Name key of a town or village → the CBS codes of the municipalities that have a place of that name."""
    places: dict[str, list[str]] = {}
    with open(PLACES_FILE, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            codes = places.setdefault(_name_key(row["place"]), [])
            if row["municipality_code"] not in codes:
                codes.append(row["municipality_code"])
    return {key: tuple(codes) for key, codes in places.items()}


def _successor_of_former(value: str, key: str) -> Municipality | None:
    """The current successor of a dissolved municipality typed by code or name (the most recent of that name)."""
    if _CODE.match(value.strip()):
        return current_successor(value)
    former = Municipality.objects.filter(valid_to__isnull=False).order_by("-valid_to").values_list("code", "name")
    for code, name in former:
        if _name_key(name) == key and (successor := current_successor(code)) is not None:
            return successor
    return None


def forget_current_municipalities() -> None:
    global _current
    _current = None


def current_by_province() -> list[tuple[str, str, list[Municipality]]]:
    """(province code, province name, municipalities by name) for the twelve provinces, in CBS code order."""
    provinces: dict[str, tuple[str, str, list[Municipality]]] = {}
    for municipality in current_municipalities().order_by("province_code", "name"):
        code = municipality.province_code
        provinces.setdefault(code, (code, municipality.province_name, []))[2].append(municipality)
    return list(provinces.values())


def municipalities_on(date: datetime.date):
    """The municipalities that existed on `date`, by name (e.g. 345 on 1 January 2022)."""
    return Municipality.objects.on(date).order_by("name")


def current_successor(code: str) -> Municipality | None:
    """The current municipality that took over `code` after one or more mergers; itself when still current.

    None for an unknown code, and for a municipality split over several others or dissolved before 2010,
    for which the bundled data records no successor.
    """
    municipality = Municipality.objects.filter(code=normalise_code(code)).first()
    seen = set()
    while municipality is not None and municipality.valid_to is not None:
        if municipality.code in seen:  # a cycle would be a data error; never loop forever
            return None
        seen.add(municipality.code)
        municipality = municipality.successor
    return municipality


def municipality_on(code: str, date: datetime.date) -> Municipality | None:
    """The municipality that `code` stood for on `date`.

    The municipality itself when it existed then; when it had been dissolved by that date, the successor
    that existed on that date (Weesp's code on 1 January 2023 gives Amsterdam); None before it began or
    when no successor is known.
    """
    municipality = Municipality.objects.filter(code=normalise_code(code)).first()
    seen = set()
    while municipality is not None and municipality.code not in seen:
        seen.add(municipality.code)
        if municipality.valid_from > date:
            return None
        if municipality.valid_to is None or municipality.valid_to > date:
            return municipality
        municipality = municipality.successor
    return None


def _fold(text: str) -> str:
    """Lower case without accents, so 'sud' finds Súdwest-Fryslân."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _name_key(name: str) -> str:
    """A name as compared: folded, every run of spaces, hyphens, dots, brackets and apostrophes one space."""
    return " ".join(re.split(r"[^0-9a-z]+", _fold(name))).strip()


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-']+", _fold(name)) if w]


def search_municipalities(query: str, on: datetime.date | None = None, limit: int = MAX_SEARCH_RESULTS):
    """Municipalities whose name, or a word in it, starts with `query`, ignoring case and accents; also by
    CBS code and by a few common names ('Den Haag').

    Names that start with the query come first, then names with a later word that does ('hunze' finds
    Aa en Hunze). Current municipalities by default, or those that existed on `on`. At most `limit`.
    """
    folded = _fold(query.strip())
    if not folded:
        return []
    candidates = list(municipalities_on(on) if on else current_municipalities())
    code = normalise_code(query) if _CODE.match(query.strip()) else None
    aliased = {c for alias, c in ALIASES.items() if alias == folded or (len(folded) >= 3 and alias.startswith(folded))}
    first, second = [], []
    for municipality in candidates:
        if municipality.code == code or _fold(municipality.name).startswith(folded):
            first.append(municipality)
        elif municipality.code in aliased or any(word.startswith(folded) for word in _words(municipality.name)):
            second.append(municipality)
    return (first + second)[:limit]
