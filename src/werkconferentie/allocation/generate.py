"""Random instances with a fixed seed, for benchmarks, tests and demos.

Popularity is Zipf-like (weight 1/(i+1) over a shuffled workshop list), each participant ranks a few more
workshops than there are rounds, and seats run about 5 % above attendance. The "general" kind has workshops
that skip rounds, capacities that differ per round, people who miss rounds and a few pinned hosts.
"""

from __future__ import annotations

import math

import numpy as np

from .model import Instance


def _preferences(rng: np.random.Generator, n: int, n_workshops: int, length: int) -> list[list[int]]:
    order = rng.permutation(n_workshops)
    weight = np.empty(n_workshops)
    weight[order] = 1.0 / (np.arange(n_workshops) + 1.0)
    # Gumbel top-k: sampling without replacement proportional to weight, vectorised.
    keys = np.log(weight)[None, :] + rng.gumbel(size=(n, n_workshops))
    return np.argsort(-keys, axis=1)[:, :length].tolist()


def uniform_instance(n: int, n_workshops: int, n_rounds: int, seed: int = 1, slack: float = 1.05) -> Instance:
    rng = np.random.default_rng(seed)
    rounds = [f"r{k + 1}" for k in range(n_rounds)]
    workshops = [f"w{k + 1}" for k in range(n_workshops)]
    cap = math.ceil(n * slack / n_workshops)
    prefs = _preferences(rng, n, n_workshops, min(n_workshops, n_rounds + 2))
    return Instance.from_dict(
        {
            "rounds": rounds,
            "workshops": workshops,
            "sessions": [{"workshop": w, "round": r, "capacity": cap} for w in workshops for r in rounds],
            "participants": [{"id": f"p{i + 1}", "preferences": [workshops[w] for w in prefs[i]]} for i in range(n)],
        }
    )


def general_instance(
    n: int,
    n_workshops: int,
    n_rounds: int,
    seed: int = 1,
    slack: float = 1.05,
    skip: float = 0.2,
    absent: float = 0.1,
    pinned: float = 0.005,
) -> Instance:
    rng = np.random.default_rng(seed)
    rounds = [f"r{k + 1}" for k in range(n_rounds)]
    workshops = [f"w{k + 1}" for k in range(n_workshops)]
    prefs = _preferences(rng, n, n_workshops, min(n_workshops, n_rounds + 2))
    attends = rng.random((n, n_rounds)) >= absent
    attends[~attends.any(axis=1), 0] = True
    runs = rng.random((n_workshops, n_rounds)) >= skip
    runs[~runs.any(axis=1), 0] = True
    sessions = []
    for r in range(n_rounds):
        active = np.nonzero(runs[:, r])[0]
        share = rng.uniform(0.5, 1.5, size=len(active))
        seats = attends[:, r].sum() * slack * share / share.sum()
        for w, s in zip(active, seats, strict=True):
            sessions.append({"workshop": workshops[w], "round": rounds[r], "capacity": int(math.ceil(s))})
    people = []
    for i in range(n):
        p = {
            "id": f"p{i + 1}",
            "preferences": [workshops[w] for w in prefs[i]],
            "rounds": [rounds[r] for r in range(n_rounds) if attends[i, r]],
        }
        if rng.random() < pinned:
            first = prefs[i][0]
            options = [r for r in range(n_rounds) if attends[i, r] and runs[first, r]]
            if options:
                p["fixed"] = [{"round": rounds[options[0]], "workshop": workshops[first]}]
        people.append(p)
    return Instance.from_dict({"rounds": rounds, "workshops": workshops, "sessions": sessions, "participants": people})
