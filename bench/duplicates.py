"""How well the live board's duplicate suggestions work, and what they cost, on the Dutch test set.

    .venv/bin/python bench/duplicates.py
    .venv/bin/python bench/duplicates.py --orders 10 --limit 3

Runs the finder the way the app does: answers of tests/live/data/duplicates_nl.yaml arrive one by one in a random
order (several fixed seeds, results summed), and each new answer gets at most --limit suggestions among the earlier
ones. A suggested pair is right when both answers are in the same cluster of the set.

    precision  right suggestions / all suggestions
    recall     right suggestions / what a perfect finder could suggest (per answer: min(limit, earlier duplicates))
    found      share of answers with an earlier duplicate that get at least one right suggestion (what the host
               needs to merge them)
    wrong/ans  wrong suggestions per new answer (the noise the host sees)

Prints text-only, encoder-only and combined at the module's thresholds, the time per suggest() call, and sweeps of
both thresholds that justify the constants in werkconferentie/live/similarity.py.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from werkconferentie.live import similarity  # noqa: E402

DATA = ROOT / "tests" / "live" / "data" / "duplicates_nl.yaml"


@dataclass
class Result:
    suggested: int = 0
    right: int = 0
    possible: int = 0
    with_duplicate: int = 0
    found: int = 0
    answers: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.possible if self.possible else 1.0

    @property
    def found_rate(self) -> float:
        return self.found / self.with_duplicate if self.with_duplicate else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(path: Path = DATA) -> list[tuple[str, int]]:
    """(answer, cluster) pairs."""
    clusters = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(text, cluster) for cluster, answers in enumerate(clusters) for text in answers]


def run(finder, answers: list[tuple[str, int]], orders: int, limit: int, timings: list[float] | None = None) -> Result:
    """Feed the answers one by one in `orders` seeded random orders and score the suggestions."""
    result = Result()
    for seed in range(orders):
        order = list(range(len(answers)))
        random.Random(seed).shuffle(order)
        for position, index in enumerate(order):
            text, cluster = answers[index]
            earlier = [(other, answers[other][0]) for other in order[:position]]
            started = time.perf_counter()
            suggestions = finder.suggest(text, earlier, limit=limit)
            if timings is not None:
                timings.append(time.perf_counter() - started)
            duplicates = sum(answers[other][1] == cluster for other, _ in earlier)
            right = sum(answers[s.other_id][1] == cluster for s in suggestions)
            result.answers += 1
            result.suggested += len(suggestions)
            result.right += right
            result.possible += min(limit, duplicates)
            result.with_duplicate += duplicates > 0
            result.found += right > 0
    return result


def with_thresholds(text: float, meaning: float):
    """Run at other thresholds: the finder reads the module constants on every call."""
    similarity.TEXT_THRESHOLD, similarity.MEANING_THRESHOLD = text, meaning


def timing_row(label: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    return f"{label:<34} {statistics.mean(values) * 1000:>8.2f} {p95 * 1000:>8.2f} {values[-1] * 1000:>8.2f}"


def row(label: str, result: Result) -> str:
    return (
        f"{label:<22} {result.precision:>9.2f} {result.recall:>7.2f} {result.found_rate:>6.2f} {result.f1:>5.2f}"
        f" {(result.suggested - result.right) / result.answers:>9.2f} {result.suggested:>6} {result.right:>6}"
    )


HEADER = f"{'':<22} {'precision':>9} {'recall':>7} {'found':>6} {'F1':>5} {'wrong/ans':>9} {'sugg.':>6} {'right':>6}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=5, help="random arrival orders (seeds 0..n-1)")
    parser.add_argument("--limit", type=int, default=3)
    args = parser.parse_args()

    answers = load()
    clusters = len({cluster for _, cluster in answers})
    pairs = sum(a[1] == b[1] for i, a in enumerate(answers) for b in answers[i + 1 :])
    print(
        f"{len(answers)} answers in {clusters} clusters, {pairs} duplicate pairs; {args.orders} arrival orders, "
        f"limit {args.limit}"
    )
    text_t, meaning_t = similarity.TEXT_THRESHOLD, similarity.MEANING_THRESHOLD

    combined = similarity.DuplicateFinder("auto")
    started = time.perf_counter()
    available = combined.encoder_available
    print(f"encoder available: {available} (load {time.perf_counter() - started:.2f} s)")
    text_only = similarity.DuplicateFinder(None)

    cold: list[float] = []
    run(combined, answers, 1, args.limit, cold)  # first pass fills the embedding cache, as a new board does
    timings: dict[str, list[float]] = {"text-only": [], "encoder-only": [], "combined": []}

    print(f"\nAt TEXT_THRESHOLD={text_t} MEANING_THRESHOLD={meaning_t}")
    print(HEADER)
    print(row("text-only", run(text_only, answers, args.orders, args.limit, timings["text-only"])))
    if available:
        with_thresholds(2.0, meaning_t)  # text can never match
        print(row("encoder-only", run(combined, answers, args.orders, args.limit, timings["encoder-only"])))
        with_thresholds(text_t, meaning_t)
        print(row("combined", run(combined, answers, args.orders, args.limit, timings["combined"])))

    mean_candidates = (len(answers) - 1) / 2
    print(f"\nTime per suggest() call (about {mean_candidates:.0f} candidates on average, up to {len(answers) - 1})")
    print(f"{'':<34} {'mean ms':>8} {'p95 ms':>8} {'max ms':>8}")
    series = [("combined, cold cache (new texts)", cold)] + [(f"{k}, warm cache", v) for k, v in timings.items() if v]
    for label, values in series:
        print(timing_row(label, values))
    board = [(i, f"{text} ({i})") for i, (text, _) in enumerate(answers * 6)]  # a busy board: 540 answers
    for finder, label in ((text_only, "text-only"), (combined, "combined")):
        if label == "combined" and not available:
            continue
        started = time.perf_counter()
        finder.suggest("warm-up", board)  # encodes the 540 answers once, as a board's first new answer would
        first = time.perf_counter() - started
        values = []
        for text, _ in answers:
            started = time.perf_counter()
            finder.suggest(text, board)
            values.append(time.perf_counter() - started)
        print(timing_row(f"{label}, 540 candidates, warm", values))
        if label == "combined":
            print(f"  (first call on that board, encoding all 540: {first * 1000:.0f} ms)")

    print("\nSweep TEXT_THRESHOLD, text-only")
    print(HEADER)
    for value in (0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8, 0.9):
        with_thresholds(value, meaning_t)
        print(row(f"text {value:.2f}", run(text_only, answers, args.orders, args.limit)))
    if available:
        print(f"\nSweep MEANING_THRESHOLD, combined (text at {text_t})")
        print(HEADER)
        for value in (0.5, 0.54, 0.56, 0.58, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.75):
            with_thresholds(text_t, value)
            print(row(f"meaning {value:.2f}", run(combined, answers, args.orders, args.limit)))
        print("\nSweep MEANING_THRESHOLD, encoder-only")
        print(HEADER)
        for value in (0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75):
            with_thresholds(2.0, value)
            print(row(f"meaning {value:.2f}", run(combined, answers, args.orders, args.limit)))
    with_thresholds(text_t, meaning_t)


if __name__ == "__main__":
    main()
