"""Group answers by meaning: the engine behind theme proposals, without Django (the benchmark and the tests use it
directly). It uses the live boards' sentence encoder (live.similarity) and, without it, the keyword tagger.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import simplemma

from werkconferentie.live import tagging

# Average similarity within a proposed theme, at least, on the scale of the duplicate finder's embeddings (centred
# multilingual-e5-small: cosines spread over [-1, 1], unrelated Dutch answers near 0). Chosen with
# `bench/themes.py --evaluate` on the tuning parts only: the tuning half of tests/outcomes/data/themes_nl.yaml and the
# tuning part of tests/live/data/duplicates_nl_v2.yaml with its topics as themes, for the best adjusted Rand index
# averaged over both and over thresholds within 0.05 (a plateau, not a peak). docs/outcomes.md has the sweep and the
# figures on the test parts.
THEME_THRESHOLD = 0.175
# Weight of "these two answers are about the same policy area" (keyword tagger, share of the areas they share) added
# to the cosine. With e5 a little helps (tuning ARI 0.40 -> 0.47 on themes_nl); more makes themes follow the
# keyword tagger's areas, which are coarser than what people see as one theme (weights 0 to 0.8 tried).
AREA_WEIGHT = 0.1
# A proposed theme has at least this many answers; the rest stay outside the themes for the organiser to place.
MIN_THEME_SIZE = 2


def _by_policy_area(texts: Sequence[str]) -> list[list[int]]:
    """Without the sentence encoder: one group per main policy area the keyword tagger finds."""
    from werkconferentie.live.tagging import suggest_tags

    groups: dict[str, list[int]] = defaultdict(list)
    singles = []
    for index, text in enumerate(texts):
        areas = suggest_tags(text, max_areas=1).policy_areas
        if areas:
            groups[areas[0]].append(index)
        else:
            singles.append([index])
    return [*groups.values(), *singles]


@functools.lru_cache(maxsize=50_000)
def _forms(token: str) -> tuple[str, ...]:
    """A word with its Dutch and English lemma; cached, since answers share most of their words."""
    forms = {token}
    for language in ("nl", "en"):
        try:
            forms.add(simplemma.lemmatize(token, lang=language).lower())
        except Exception:
            pass
    return tuple(sorted(forms))


def _pattern(keyword: str) -> str:
    core = re.escape(keyword.strip("*"))
    return ("\\S*" if keyword.startswith("*") else "") + core + ("\\S*" if keyword.endswith("*") else "")


@functools.cache
def _area_patterns(pairs: bool) -> dict[str, re.Pattern]:
    """Per policy area one regular expression over its keywords (live.tagging.RULES) that must match a whole word
    form; with `pairs` only the two-word keywords ("openbare-ruimte"), matched against "word-word" pairs."""
    keywords: dict[str, list[str]] = defaultdict(list)
    for rule in tagging.RULES:
        if rule.area:
            keywords[rule.area] += [k for k in rule.keywords if not pairs or "-" in k]
    return {area: re.compile("(?:" + "|".join(map(_pattern, words)) + ")") for area, words in keywords.items() if words}


@functools.lru_cache(maxsize=50_000)
def _word_areas(token: str) -> frozenset[str]:
    """The areas one word points at (through any of its forms); cached, since answers share most of their words."""
    forms = _forms(token)
    return frozenset(
        area for area, pattern in _area_patterns(False).items() if any(pattern.fullmatch(f) for f in forms)
    )


def policy_areas(text: str) -> set[str]:
    """The policy areas whose keywords occur in `text` (all of them, unranked): the areas tagging.suggest_tags
    finds, faster for many answers."""
    tokens = [t.lower().replace("’", "'") for t in tagging._TOKEN.findall(text[:5000])]
    areas = set().union(*map(_word_areas, tokens))
    for pair in (f"{a}-{b}" for a, b in zip(tokens, tokens[1:], strict=False)):
        areas.update(area for area, pattern in _area_patterns(True).items() if pattern.fullmatch(pair))
    return areas


def _area_similarity(texts: Sequence[str]) -> np.ndarray:
    """Per pair of texts the share of policy areas they share (of the fewer areas of the two); 0 without areas."""
    keys = {key: i for i, key in enumerate(tagging.POLICY_AREA_KEYS)}
    found = np.zeros((len(texts), len(keys)), dtype=np.float32)
    for row, text in enumerate(texts):
        for area in policy_areas(text):
            found[row, keys[area]] = 1.0
    counts = found.sum(axis=1)
    fewer = np.maximum(np.minimum.outer(counts, counts), 1.0)
    return (found @ found.T) / fewer


def average_linkage(similarity: np.ndarray, threshold: float) -> list[list[int]]:
    """Flat clusters of average-linkage agglomerative clustering, merging while the average similarity between two
    clusters is at least `threshold`. `similarity` is a symmetric matrix (it is overwritten).

    The nearest-neighbour-chain algorithm (Murtagh 1983): follow nearest neighbours until two clusters are each
    other's nearest, merge them (Lance-Williams update of one row), go on from the rest of the chain; O(n²) time
    with one numpy row operation per step. A cluster whose nearest neighbour is below the threshold is finished:
    average linkage is reducible, so no later merge can bring another cluster closer to it.
    """
    n = len(similarity)
    sim = similarity
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(n, dtype=np.float32)
    members: list[list[int] | None] = [[i] for i in range(n)]
    active = set(range(n))
    finished: list[list[int]] = []
    chain: list[int] = []
    while active:
        if not chain:
            chain.append(next(iter(active)))
        a = chain[-1]
        b = int(np.argmax(sim[a]))
        best = sim[a, b]
        if len(chain) >= 2 and sim[a, chain[-2]] >= best:
            b = chain[-2]  # on a tie go back down the chain, so that it cannot cycle
        if not best >= threshold:  # also -inf (no other active cluster) and nan
            chain.pop()
            active.discard(a)
            finished.append(members[a])
            sim[a, :] = -np.inf
            sim[:, a] = -np.inf
            continue
        if len(chain) >= 2 and b == chain[-2]:
            chain.pop()
            chain.pop()
            row = (size[a] * sim[a] + size[b] * sim[b]) / (size[a] + size[b])
            sim[a, :] = row
            sim[:, a] = row
            sim[a, a] = -np.inf
            sim[b, :] = -np.inf
            sim[:, b] = -np.inf
            size[a] += size[b]
            members[a] = members[a] + members[b]
            members[b] = None
            active.discard(b)
        else:
            chain.append(b)
    return finished


def group_by_meaning(
    texts: Sequence[str],
    *,
    threshold: float = THEME_THRESHOLD,
    area_weight: float = AREA_WEIGHT,
    finder=None,
    vectors: Sequence | None = None,
) -> list[list[int]]:
    """The indices of `texts` in groups of like meaning, every index in exactly one group (possibly alone),
    largest groups first.

    Average-linkage clustering on the cosine of the sentence embeddings of live.similarity plus `area_weight` times
    the share of policy areas two answers share (keywords of live.tagging), cut where the average similarity
    between two groups would fall below `threshold`: unlike linking every pair above a threshold, one answer that
    touches two subjects does not chain them into one theme. `vectors` are the texts' embeddings when the caller
    has them (live.embeddings keeps them per answer; None for a text without words); else the finder makes them.
    Without the encoder, answers are grouped by their main policy area (live.tagging).
    """
    from werkconferentie.live.similarity import default_finder

    texts = list(texts)
    if not texts:
        return []
    if vectors is None:
        vectors = (finder or default_finder()).embeddings(texts)
    elif len(vectors) != len(texts):
        raise ValueError("one vector (or None) per text")
    if vectors is None:
        return sorted(_by_policy_area(texts), key=lambda g: (-len(g), g[0]))
    usable = [i for i, v in enumerate(vectors) if v is not None]
    groups = [[i] for i, v in enumerate(vectors) if v is None]
    if len(usable) == 1:
        groups.append(usable)
    elif usable:
        matrix = np.asarray([vectors[i] for i in usable], dtype=np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        similarity = matrix @ matrix.T + area_weight * _area_similarity([texts[i] for i in usable])
        for cluster in average_linkage(similarity, threshold):
            groups.append([usable[i] for i in cluster])
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
