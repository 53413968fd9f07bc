"""Remove personal details from children's text before it is stored.

Two layers, merged span by span:

* a regex layer that always runs and needs nothing but the standard library: e-mail addresses, URLs, social media
  handles, phone numbers, postcodes, street + house number, long digit runs (BSN-like), full dates of birth, school
  names and names after cues such as "ik heet" or "mijn broertje";
* deduce (Dutch de-identification), when it can be loaded, for names and addresses the regexes cannot know.

What is kept, on purpose, because it makes an idea useful and does not single out a child:

* ages ("ik ben 12"): deduce tags them, but an age alone is not identifying in a group of children;
* place names (towns, municipalities, provinces, parks) and street names *without* a house number
  ("een zebrapad op de Stationsweg"): they say where an idea applies, not where a child lives;
* dates without a year or recent ones ("op 20 november"): the question itself is about a date;
* organisations such as "Jeugdzorg", "GGD" or a hospital;
* single capitalised words that deduce takes for a surname but that are ordinary Dutch words and not first names
  ("meer Groen", "Vrede"), unless a cue such as "heet" or "juf" comes right before them.

What is removed: person names, street + house number, postcodes, phone numbers, e-mail addresses, URLs, social media
handles, BSN-like numbers, dates of birth and named schools (a school name together with an age and a town narrows a
child down to a class).

deduce takes ~7 s and ~1 GB RSS to load, so it is loaded once per process, lazily, under a lock; call `warm_up()` at
start-up to load it in a background thread. Under `serve`, one process holds it for all workers (scrub_service.py).
Set WERKCONFERENTIE_DEDUCE=off (or call `set_deduce_enabled(False)`) to skip it, e.g. for quick starts; the regex
layer still runs.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ENV_VAR = "WERKCONFERENTIE_DEDUCE"
# Set by `serve` for its workers: the Unix socket of the process that holds deduce for all of them (scrub_service.py).
SERVICE_ENV_VAR = "WERKCONFERENTIE_SCRUB_SOCKET"
MAX_CHARS = 2000
"""Longer input is cut off: children's posts are short, and this bounds deduce's and the regexes' work."""

# Kind -> placeholder. Kinds are what `ScrubResult.removed` reports.
PLACEHOLDERS: dict[str, str] = {
    "naam": "[naam]",
    "adres": "[adres]",
    "postcode": "[postcode]",
    "telefoonnummer": "[telefoon]",
    "e-mailadres": "[e-mail]",
    "website": "[website]",
    "account": "[account]",
    "nummer": "[nummer]",
    "datum": "[datum]",
    "school": "[school]",
}
PLACEHOLDER_RE = re.compile(r"\[(?:" + "|".join(re.escape(p[1:-1]) for p in PLACEHOLDERS.values()) + r")\]")


@dataclass(frozen=True)
class ScrubResult:
    text: str
    removed: list[str] = field(default_factory=list)
    """Kinds removed, each once, in order of first appearance, e.g. ["naam", "telefoonnummer"]."""

    @property
    def changed(self) -> bool:
        return bool(self.removed)


# --- input clean-up --------------------------------------------------------------------------------------------------

# Invisible characters that could hide an e-mail address or phone number from the regexes. The zero-width joiner
# (U+200D) stays: emoji sequences need it.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def _clean(text: str) -> str:
    """NFKC (fullwidth "＠" and styled digits become plain), drop invisible, control and lone-surrogate characters."""
    text = text[: MAX_CHARS * 2]  # bound the work before normalising; cut to MAX_CHARS afterwards
    text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return text[:MAX_CHARS]


# --- regex layer -----------------------------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-ÞĀ-ŽŞ"  # capitals, roughly; names are checked with str.isupper() where it matters
_WORD = r"[^\W\d_][\w'’-]*"
_CAP_WORD = rf"[{_UP}][\w'’-]*"
_PARTICLE = r"(?:van|de|der|den|het|ter|ten|te|in\s+'t|'t|la|le|el|al|da|di|du|von)"
_MONTHS = r"(?:jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun[i]?|jul[i]?|aug(?:ustus)?|sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|january|february|march|may|june|july|october|december)"  # noqa: E501
_STREET_SUFFIX = (
    r"(?:straat|str\.|weg|laan|plein|dreef|gracht|kade|singel|dijk|pad|steeg|hof|ring|markt|dam|baan|wal|erf|veld"
    r"|akker|hoven|plantsoen|boulevard|allee|haven|burg|berg|park|pleintje|straatje|weide|horst|hoek|kamp|dal|oord"
    r"|zoom|rode|donk|hout|laantje|stede|brink|es|vaart|wijk|kwartier|zijde|lei|street|road|avenue|lane)"
)
_HOUSE_NUMBER = r"\d{1,5}(?:\s?-?\s?[a-zA-Z](?![\w]))?(?:\s?(?:-|hs|bis)\s?\d{0,4})?"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
_URL = re.compile(
    r"(?:\b(?:https?://|www\.)|\b(?=[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|net|be|eu|info|io|tv|me|app|gg|de|uk)\b))"
    r"[^\s<>\"]*[^\s<>\".,;:!?)\]'’]",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[\w.]{2,30}(?<!\.)")
_SOCIAL = re.compile(
    r"\b(?:insta(?:gram)?|snap(?:chat)?|tiktok|tik\s?tok|discord|twitter|youtube|twitch|facebook|fb|roblox|fortnite"
    r"|whatsapp|telegram|threads|bluesky)(?:\s*(?:naam|account|username|gebruikersnaam|handle))?"
    r"\s*(?::|=|is)\s*(@?[\w.]{2,30}(?<!\.))",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?\d{2,3}[\s.-]?(?:\(0\)[\s.-]?)?\d(?:[\s.\-/()]{0,2}\d){7,10}"
    r"|\(?0\d(?:[\s.\-/()]{0,2}\d){8})(?![\d])"
)
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
_STREET_PREFIX = (
    rf"(?:(?!(?:In|Op|Aan|Bij|Naar|Voor|Langs|Over|Ik|Wij|We|Mijn|Onze|Het|De|Dat|Die|Een|En)\s)[{_UP}][\w'’.-]*\s+"
    rf"(?:{_PARTICLE}\s+)*){{0,2}}"
)
_STREET_NUMBER = re.compile(
    rf"\b{_STREET_PREFIX}(?:[{_UP}][\w'’-]*{_STREET_SUFFIX}|[\w'’-]+(?:straat|weg|laan|plein|dreef|gracht|kade|singel"
    rf"|dijk|steeg))\s*{_HOUSE_NUMBER}(?![\d])"
)
# "ik woon op de Brink 5": a house number after "woon" names an address even without a street-like suffix.
_LIVE_AT = re.compile(
    rf"\b(?i:woon|wonen|woont|adres\s+is|adres:)\s+(?i:(?:op|aan|in|bij)\s+)?(?i:(?:de|het|'t)\s+)?"
    rf"([{_UP}][\w'’-]*(?:\s+{_WORD}){{0,2}}\s+{_HOUSE_NUMBER})(?![\d])"
)
_LONG_DIGITS = re.compile(r"(?<![\d])(?:\d{7,}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d])")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})\b")
_WRITTEN_DATE = re.compile(rf"\b\d{{1,2}}\s+{_MONTHS}\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_BIRTH_CUE = re.compile(
    r"(?:geboren|geb\.|jarig|verjaardag|born|birthday)\s*(?:is|ben|op|on|:)?\s*(?:op\s*)?$", re.IGNORECASE
)
_SCHOOL = re.compile(
    rf"\b(?:(?:OBS|CBS|PCBS|RKBS|IKC|KC|SBO|VSO|Obs|Cbs|[Bb]asisschool|[Kk]indcentrum|[Ss]cholengemeenschap|[Ll]yceum"
    rf"|[Gg]ymnasium|[Ss]chool(?=\s+(?:De|Het|'t|Het)\s))\s+(?:{_PARTICLE}\s+|De\s+|Het\s+)?{_CAP_WORD}"
    rf"(?:\s+{_CAP_WORD}){{0,2}}"
    rf"|(?:{_CAP_WORD}\s+){{0,2}}[{_UP}][\w'’-]+(?:school|lyceum|college|gymnasium)\b)"
)
_NAME_CUE_WORDS = (
    rf"(?i:ik\s+heet|mijn\s+naam\s+is|naam:|my\s+name\s+is|ik\s+ben(?=\s+[{_UP}])|i\s+am(?=\s+[{_UP}])"
    r"|groetjes|groeten|groet|liefs|doei|xoxo|getekend"
    r"|(?:mijn|m'n|onze|ons|my)\s+(?:broer(?:tje)?|zus(?:je)?|vriend(?:je|in|innetje)?|moeder|vader|mama|papa|oma|opa"
    r"|juf|meester|leraar|lerares|neef(?:je)?|nicht(?:je)?|buurman|buurvrouw|buurjongen|buurmeisje|tante|oom"
    r"|stiefvader|stiefmoeder|mentor|coach|trainer|begeleider|brother|sister|friend|mum|mom|dad)(?:\s+heet)?"
    r"|juf|meester|meneer|mevrouw|dhr\.?|mw\.?|mevr\.?)"
)
_NAME_AFTER_CUE = re.compile(
    rf"\b{_NAME_CUE_WORDS}[\s,:]+({_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_CAP_WORD}){{0,2}})",
)
# Words after a cue that are not names: "ik ben Nederlander" is fine to remove, but "ik heet niet" is not a name.
_NOT_NAMES = frozenset(
    "niet nog ook wel al een de het en of maar dus want dat die dit deze is ben was heet heel erg zo jaar jaren"
    " alle iedereen jullie u jij je we wij zij ze hij zij allemaal".split()
)

_NAME_PARTICLES = frozenset("op de der den het van ter ten te in 't aan bij la le el al da di du von".split())

_Span = tuple[int, int, str]  # start, end, kind


def _finditer_spans(pattern: re.Pattern[str], text: str, kind: str, group: int = 0) -> list[_Span]:
    return [(m.start(group), m.end(group), kind) for m in pattern.finditer(text) if m.group(group)]


def _is_birth_date(text: str, start: int, year: int) -> bool:
    """Old enough to be someone's date of birth, or announced as one; "op 20 november 2025" stays."""
    return year <= date.today().year - 3 or bool(_BIRTH_CUE.search(text[max(0, start - 30) : start]))


def _name_spans(text: str) -> list[_Span]:
    spans = []
    for m in _NAME_AFTER_CUE.finditer(text):
        words = m.group(1).split()
        first = words[0]
        if first.lower() in _NOT_NAMES or PLACEHOLDER_RE.match(text, m.start(1)):
            continue
        cue = m.group(0)[: m.start(1) - m.start(0)].lower()
        # Lower-case names only after an explicit "heet"/"naam is"/greeting; elsewhere a name is capitalised.
        explicit = any(w in cue for w in ("heet", "naam", "groet", "liefs", "doei", "xoxo", "getekend"))
        if not (first[0].isupper() or explicit):
            continue
        end = m.start(1) + len(first)
        if len(words) > 1:  # keep surname parts only when they look like a surname
            end = m.end(1)
        spans.append((m.start(1), end, "naam"))
    return spans


def _regex_spans(text: str) -> list[_Span]:
    """Spans of personal details the regexes find; the earlier kinds win overlaps (see _merge)."""
    spans: list[_Span] = []
    spans += _finditer_spans(_EMAIL, text, "e-mailadres")
    spans += _finditer_spans(_URL, text, "website")
    spans += _finditer_spans(_SOCIAL, text, "account", 1)
    spans += _finditer_spans(_HANDLE, text, "account")
    spans += _finditer_spans(_PHONE, text, "telefoonnummer")
    for pattern in (_NUMERIC_DATE, _WRITTEN_DATE):
        for m in pattern.finditer(text):
            if _is_birth_date(text, m.start(), int(m.group(m.lastindex or 0))):
                spans.append((m.start(), m.end(), "datum"))
    spans += _finditer_spans(_STREET_NUMBER, text, "adres")
    spans += _finditer_spans(_LIVE_AT, text, "adres", 1)
    spans += _finditer_spans(_POSTCODE, text, "postcode")
    spans += _finditer_spans(_LONG_DIGITS, text, "nummer")
    spans += _finditer_spans(_SCHOOL, text, "school")
    spans += _name_spans(text)
    return spans


# --- deduce layer ----------------------------------------------------------------------------------------------------

_lock = threading.Lock()
_deduce: Any = None
_deduce_failed = False
_first_names: frozenset[str] = frozenset()
_enabled_override: bool | None = None
_warm_up_thread: threading.Thread | None = None


def deduce_enabled() -> bool:
    """False when switched off by `set_deduce_enabled(False)` or WERKCONFERENTIE_DEDUCE=off|0|false|no."""
    if _enabled_override is not None:
        return _enabled_override
    return os.environ.get(ENV_VAR, "on").strip().lower() not in {"off", "0", "false", "no", "disabled"}


def set_deduce_enabled(enabled: bool | None) -> None:
    """Override the environment variable for this process; None goes back to the environment variable."""
    global _enabled_override
    _enabled_override = enabled


def is_ready() -> bool:
    """True once deduce is loaded, so a scrub will not wait for it."""
    return _deduce is not None


def has_failed() -> bool:
    """True when deduce could not be loaded: scrubbing goes on with the regex layer alone."""
    return _deduce_failed


def load_deduce() -> Any:
    """The process-wide Deduce instance, or None if it is disabled or cannot load. Waits for a load in progress.

    When WERKCONFERENTIE_SCRUB_SOCKET names the scrub service of `serve` (scrub_service.py), a stand-in that asks
    that process instead: deduce is then loaded once for all workers, not in each.
    """
    global _deduce, _deduce_failed, _first_names
    if _deduce is not None or _deduce_failed or not deduce_enabled():
        return _deduce
    with _lock:
        if _deduce is None and not _deduce_failed:
            try:
                service = os.environ.get(SERVICE_ENV_VAR)
                if service:
                    from .scrub_service import RemoteDeduce  # it imports this module

                    instance = RemoteDeduce(service)
                else:
                    instance = _new_deduce()
                _first_names = _deduce_first_names()
                _deduce = instance
            except Exception:  # any failure: the regex layer alone still protects the text
                _deduce_failed = True
                logger.exception("deduce could not be loaded; scrubbing with regexes only")
    return _deduce


CACHE_ENV_VAR = "WERKCONFERENTIE_DEDUCE_CACHE"


def lookup_cache_dir() -> Path | None:
    """Where deduce keeps its lookup data, built once (about two minutes) and loaded in seconds afterwards.

    deduce's own package directory when it can be written (the cache then serves every data directory), else
    WERKCONFERENTIE_DEDUCE_CACHE or the data directory's "deduce" folder: a read-only installation would otherwise
    build the data again at every start, and the first child's idea would wait for it.
    """
    if os.environ.get(CACHE_ENV_VAR):
        return Path(os.environ[CACHE_ENV_VAR])
    spec = importlib.util.find_spec("deduce")
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent / "data/lookup"
        if (package / "cache/lookup_structs.pickle").exists() or os.access(package, os.W_OK):
            return None  # deduce's default
    data_dir = os.environ.get("WERKCONFERENTIE_DATA_DIR")
    return Path(data_dir) / "deduce" if data_dir else None


def _new_deduce() -> Any:
    from deduce import Deduce

    cache = lookup_cache_dir()
    if cache is None:
        return Deduce()
    cache.mkdir(parents=True, exist_ok=True)
    return Deduce(cache_path=cache)


def _deduce_first_names() -> frozenset[str]:
    """deduce's list of first names, read from its package without importing it (a worker may not load it)."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.origin:
        return frozenset()
    try:
        names = Path(spec.origin).parent / "data/lookup/src/names/lst_first_name/items.txt"
        return frozenset(names.read_text(encoding="utf-8").split("\n"))
    except OSError:
        return frozenset()


def warm_up() -> threading.Thread | None:
    """Load deduce in a background daemon thread, so the first child does not wait ~7 s. Safe to call repeatedly."""
    global _warm_up_thread
    if not deduce_enabled() or is_ready() or _deduce_failed:
        return None
    with _lock:  # only to make the check-and-start atomic; load_deduce takes the lock itself in the thread
        if _warm_up_thread is None or not _warm_up_thread.is_alive():
            _warm_up_thread = threading.Thread(target=load_deduce, name="deduce-warm-up", daemon=True)
            _warm_up_thread.start()
        return _warm_up_thread


_KEEP_CUE = re.compile(
    r"(?:heet|naam\s+is|naam:|juf|meester|meneer|mevrouw|broer(?:tje)?|zus(?:je)?|vriend(?:je|in)?|groetjes|groeten"
    r"|liefs|moeder|vader|mama|papa|oma|opa)[\s,:]*$",
    re.IGNORECASE,
)


def _keep_person(text: str, start: int, end: int) -> bool:
    """deduce marks capitalised common words that are also surnames ("meer Groen", "Vrede"); keep those."""
    value = text[start:end]
    if " " in value or "-" in value or value in _first_names or _KEEP_CUE.search(text[max(0, start - 25) : start]):
        return False
    try:
        import simplemma

        return simplemma.is_known(value.lower(), lang="nl")
    except Exception:
        return False


DEDUCE_CHUNK = 250
"""deduce slows down steeply on runs of name-like words (a 600-character run of "Jan Jan ..." takes 0.8 s, 2000
characters 20 s), so it sees the text in pieces of at most this many characters, cut at a sentence end if possible."""


def _chunks(text: str, size: int = DEDUCE_CHUNK) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most `size` characters, cut after a sentence end or else at a space."""
    pieces = []
    pos = 0
    while len(text) - pos > size:
        window = text[pos : pos + size]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "), window.rfind("\n"))
        cut = cut + 1 if cut > size // 3 else window.rfind(" ")
        cut = cut if cut > 0 else size
        pieces.append((pos, text[pos : pos + cut]))
        pos += cut
    pieces.append((pos, text[pos:]))
    return pieces


def _deduce_spans(text: str, instance: Any) -> list[_Span]:
    annotations = []
    for offset, piece in _chunks(text):
        for ann in instance.deidentify(piece).annotations:
            annotations.append((offset + ann.start_char, offset + ann.end_char, ann.tag.lower()))
    spans: list[_Span] = []
    for start, end, tag in annotations:
        value = text[start:end]
        end = start + len(value.rstrip())
        if "persoon" in tag and all(w.lower() in _NAME_PARTICLES for w in value.split()):
            continue  # deduce sometimes marks a bare "op de " before a street name
        if "persoon" in tag or "patient" in tag or "naam" in tag:
            if not _keep_person(text, start, end):
                spans.append((start, end, "naam"))
        elif tag in {"locatie", "straat"} or "locatie" in tag:
            if any(c.isdigit() for c in value):  # street + house number, postcode, postbus; town names stay
                postcode = _POSTCODE.match(value)
                if postcode:  # "9301 AB Roden": the town after the postcode stays
                    spans.append((start, start + postcode.end(), "postcode"))
                else:
                    spans.append((start, end, "adres"))
        elif tag == "datum":
            year = re.search(r"(?:19|20)\d{2}", value)
            if _is_birth_date(text, start, int(year.group()) if year else date.today().year):
                spans.append((start, end, "datum"))
        elif tag == "telefoonnummer":
            spans.append((start, end, "telefoonnummer"))
        elif tag == "emailadres":
            spans.append((start, end, "e-mailadres"))
        elif tag == "url":
            spans.append((start, end, "website"))
        elif tag in {"bsn", "id", "patientnummer"}:
            spans.append((start, end, "nummer"))
        # leeftijd, ziekenhuis, zorginstelling: kept (see the module docstring)
    return spans


# --- merging and replacing -------------------------------------------------------------------------------------------


def _merge(spans: list[_Span], protected: list[tuple[int, int]]) -> list[_Span]:
    """Drop spans touching an existing placeholder, then merge overlaps; the longest span names the merged kind."""
    priority = {kind: i for i, kind in enumerate(PLACEHOLDERS)}
    candidates = [
        s for s in spans if s[1] > s[0] and not any(s[0] < p_end and p_start < s[1] for p_start, p_end in protected)
    ]
    candidates.sort(key=lambda s: (s[0], -s[1]))
    merged: list[_Span] = []
    for start, end, kind in candidates:
        if merged and start < merged[-1][1]:
            m_start, m_end, m_kind = merged[-1]
            # The longer span decides the kind; on a tie the earlier one in PLACEHOLDERS.
            if (end - start, -priority[kind]) > (m_end - m_start, -priority[m_kind]):
                m_kind = kind
            merged[-1] = (m_start, max(m_end, end), m_kind)
        else:
            merged.append((start, end, kind))
    return merged


def scrub(text: str, *, use_deduce: bool | None = None) -> ScrubResult:
    """Replace personal details in `text` with placeholders such as "[naam]"; never raises on odd input.

    `use_deduce=None` follows `deduce_enabled()`; False runs the regex layer only.
    """
    if not isinstance(text, str) or not text:
        return ScrubResult(text="" if not isinstance(text, str) else text, removed=[])
    text = _clean(text)
    protected = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
    spans = _regex_spans(text)
    instance = load_deduce() if (deduce_enabled() if use_deduce is None else use_deduce) else None
    if instance is not None:
        try:
            spans += _deduce_spans(text, instance)
        except Exception:
            logger.exception("deduce failed on a text; using the regex layer only for it")
    merged = _merge(spans, protected)
    parts: list[str] = []
    removed: list[str] = []
    pos = 0
    for start, end, kind in merged:
        parts += [text[pos:start], PLACEHOLDERS[kind]]
        pos = end
        if kind not in removed:
            removed.append(kind)
    parts.append(text[pos:])
    return ScrubResult(text="".join(parts), removed=removed)
