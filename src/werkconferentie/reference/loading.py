"""Load the bundled reference files into the database.

`load_reference()` is idempotent: it inserts missing rows and updates changed ones, keyed by article number,
goal number, target/indicator code and CBS code, and never deletes, so rows that other apps point to stay
put. The data migration calls it with the historical app registry; the `load_reference` command and tests
call it with the live one. A later schema change needs its own migration that calls it again.

Municipality successors: the NLExtract file gives begin and end dates but not where a dissolved municipality
went. "The municipality in the same province that begins on the end date" is wrong for annexations (Weesp
went to Amsterdam, Beemster to Purmerend, while Dijk en Waard began on Beemster's end date) and ambiguous when
several merge on one day. So successors come from `data/successors.csv`, written by hand for every
municipality dissolved since 2010 and checked here against the dates in the CBS data. Municipalities split
over several others (Haaren, Littenseradiel, ...) and those dissolved before 2010 have no successor.
"""

import csv
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"

CRC_FILE = "crc_articles_en_nl.json"
SDG_GOALS_FILE = "sdg_goals_en_nl.csv"
SDG_TARGETS_FILE = "sdg_goals_targets_2025_review_structured.csv"
SDG_INDICATORS_FILE = "sdg_indicators_2025_review_structured.csv"
CHILD_RELATED_FILE = "child_related_sdg_indicators_CANDIDATE.csv"
MUNICIPALITIES_HISTORY_FILE = "nlextract_cbs_gemeentelijke-indeling.csv"
MUNICIPALITIES_2022_FILE = "gemeenten_2022-01-01.csv"
MUNICIPALITIES_CURRENT_FILE = "gemeenten_2026-01-01_current.csv"
SUCCESSORS_FILE = "successors.csv"


class ReferenceDataError(ValueError):
    """A bundled file contradicts itself or another file; loading stops and changes nothing."""


@dataclass
class LoadSummary:
    created: dict
    updated: dict

    def __str__(self):
        return ", ".join(f"{name}: {self.created[name]} new, {self.updated[name]} updated" for name in self.created)


def _read_csv(name: str, delimiter: str = ",") -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _sync(model, key: str, rows: list[dict]) -> tuple[int, int]:
    """Insert rows whose `key` is new and update those whose fields differ; return (created, updated)."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=500)
    return len(to_create), len(to_update)


def treaty_text(text: str) -> str:
    """An article's text without what the source scraped along after it.

    In the bundled file the English text of article 54 runs on into the Dutch preamble ("####Verdrag inzake
    de rechten van het kind ..."): the next document's heading marks where the article ends.
    """
    return text.split("####", 1)[0].strip()


def crc_rows() -> tuple[list[dict], list[dict], dict[int, list[str]]]:
    """Clusters, articles and the cluster codes per article from the CRC file."""
    with open(DATA_DIR / CRC_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    clusters = [
        {"code": c["id"], "position": position, "name_nl": c["name_nl"], "name_en": c["name_en"]}
        for position, c in enumerate(data["clusters"], start=1)
    ]
    articles, article_clusters = [], {}
    for a in data["articles"]:
        number = int(a["article"])
        articles.append(
            {
                "number": number,
                "part": a["part"],
                "title_nl": a["title_nl"],
                "title_en": a["title_en"],
                "text_nl": treaty_text(a["text_nl"]),
                "text_en": treaty_text(a["text_en"]),
                "is_general_principle": bool(a["general_principle"]),
            }
        )
        article_clusters[number] = list(a["committee_clusters"])
    return clusters, articles, article_clusters


def municipality_rows() -> list[dict]:
    """One row per CBS code from the NLExtract history, with successors from `successors.csv`.

    Vianen (0620) appears twice because it moved from Zuid-Holland to Utrecht in 2002; one code can hold
    one row, so it gets its first begin date, last end date and last province.
    """
    by_code: dict[str, dict] = {}
    for r in _read_csv(MUNICIPALITIES_HISTORY_FILE, delimiter=";"):
        code = "GM" + r["gemeentecode"]
        row = {
            "code": code,
            "name": r["gemeentenaam"],
            "province_code": r["provinciecode"],
            "province_name": r["provincienaam"],
            "valid_from": _date(r["begindatum"]),
            "valid_to": _date(r["einddatum"]),
            "successor_id": None,
            "successor_note": "",
        }
        earlier = by_code.get(code)
        if earlier is not None:
            first, last = sorted([earlier, row], key=lambda x: x["valid_from"])
            row = {**last, "valid_from": first["valid_from"]}
        by_code[code] = row

    for r in _read_csv(SUCCESSORS_FILE):
        row = by_code.get(r["code"])
        if row is None or row["valid_to"] is None:
            raise ReferenceDataError(f"{SUCCESSORS_FILE}: {r['code']} is not a dissolved municipality")
        successor_code = r["successor_code"] or None
        if successor_code:
            successor = by_code.get(successor_code)
            end = row["valid_to"]
            if successor is None or not (
                successor["valid_from"] <= end and (successor["valid_to"] is None or successor["valid_to"] > end)
            ):
                raise ReferenceDataError(f"{SUCCESSORS_FILE}: {successor_code} did not exist on {end}")
        row["successor_id"] = successor_code
        row["successor_note"] = r["note"]

    # The two snapshot files must agree with the history: same codes, names and provinces on their dates.
    for name, date in ((MUNICIPALITIES_2022_FILE, datetime.date(2022, 1, 1)), (MUNICIPALITIES_CURRENT_FILE, None)):
        snapshot = {r["gemeentecode_gm"]: r for r in _read_csv(name)}
        if date is None:
            known = {code for code, row in by_code.items() if row["valid_to"] is None}
        else:
            known = {
                code
                for code, row in by_code.items()
                if row["valid_from"] <= date and (row["valid_to"] is None or row["valid_to"] > date)
            }
        if set(snapshot) != known:
            raise ReferenceDataError(f"{name} and {MUNICIPALITIES_HISTORY_FILE} list different municipalities")
        for code, r in snapshot.items():
            if (r["gemeentenaam"], r["provinciecode"]) != (by_code[code]["name"], by_code[code]["province_code"]):
                raise ReferenceDataError(f"{name}: {code} differs from {MUNICIPALITIES_HISTORY_FILE}")
    return sorted(by_code.values(), key=lambda row: row["code"])


def load_reference(apps=None) -> LoadSummary:
    """Bring the reference tables in line with the bundled files, in one transaction."""
    apps = apps or global_apps
    model = lambda name: apps.get_model("reference", name)  # noqa: E731
    CrcCluster, CrcArticle = model("CrcCluster"), model("CrcArticle")
    SdgGoal, SdgTarget, SdgIndicator = model("SdgGoal"), model("SdgTarget"), model("SdgIndicator")
    Municipality = model("Municipality")
    created, updated = {}, {}

    def record(name, counts):
        created[name], updated[name] = counts

    clusters, articles, article_clusters = crc_rows()
    municipalities = municipality_rows()
    child_related = {r["indicator"]: r for r in _read_csv(CHILD_RELATED_FILE)}
    targets_file = _read_csv(SDG_TARGETS_FILE)
    indicators_file = _read_csv(SDG_INDICATORS_FILE)
    unknown = set(child_related) - {r["indicator"] for r in indicators_file}
    if unknown:
        raise ReferenceDataError(f"{CHILD_RELATED_FILE}: unknown indicators {sorted(unknown)}")

    with transaction.atomic():
        record("crc clusters", _sync(CrcCluster, "code", clusters))
        record("crc articles", _sync(CrcArticle, "number", articles))
        cluster_ids = dict(CrcCluster.objects.values_list("code", "id"))
        article_ids = dict(CrcArticle.objects.values_list("number", "id"))
        Through = CrcArticle.clusters.through
        wanted = {
            (article_ids[number], cluster_ids[code]) for number, codes in article_clusters.items() for code in codes
        }
        have = set(Through.objects.values_list("crcarticle_id", "crccluster_id"))
        Through.objects.bulk_create([Through(crcarticle_id=a, crccluster_id=c) for a, c in wanted - have])
        for a, c in have - wanted:
            Through.objects.filter(crcarticle_id=a, crccluster_id=c).delete()

        goals = [
            {"number": int(r["goal"]), "short_nl": r["short_nl"], "short_en": r["short_en"], "title_en": r["title_en"]}
            for r in _read_csv(SDG_GOALS_FILE)
        ]
        record("sdg goals", _sync(SdgGoal, "number", goals))
        goal_ids = dict(SdgGoal.objects.values_list("number", "id"))
        targets = [
            {"code": r["target"], "goal_id": goal_ids[int(r["goal"])], "position": position, "text_en": r["text"]}
            for position, r in enumerate((r for r in targets_file if r["level"] == "target"), start=1)
        ]
        record("sdg targets", _sync(SdgTarget, "code", targets))
        target_ids = dict(SdgTarget.objects.values_list("code", "id"))
        indicators = []
        for position, r in enumerate(indicators_file, start=1):
            child = child_related.get(r["indicator"])
            indicators.append(
                {
                    "code": r["indicator"],
                    "target_id": target_ids[r["target"]],
                    "position": position,
                    "unsd_code": r["unsd_code"],
                    "text_en": r["text"],
                    "child_related": child is not None,
                    "child_dimension": child["dimension"] if child else "",
                    "child_dimension_nl": child["dimension_nl"] if child else "",
                }
            )
        record("sdg indicators", _sync(SdgIndicator, "code", indicators))

        # Successors point at rows of the same table: first the rows, then the links.
        plain = [{k: v for k, v in row.items() if k != "successor_id"} for row in municipalities]
        counts = _sync(Municipality, "code", plain)
        links = [{"code": row["code"], "successor_id": row["successor_id"]} for row in municipalities]
        record("municipalities", (counts[0], counts[1] + _sync(Municipality, "code", links)[1]))
    from .municipalities import forget_current_municipalities  # this process's copy of the list is now old

    forget_current_municipalities()
    return LoadSummary(created, updated)
