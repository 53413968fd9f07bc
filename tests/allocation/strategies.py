"""Hypothesis strategies for small allocation instances of both kinds."""

from __future__ import annotations

from hypothesis import strategies as st

from werkconferentie.allocation import Instance


@st.composite
def instances(draw, uniform: bool = False, pins: bool = True, max_people: int = 7) -> Instance:
    n_rounds = draw(st.integers(1, 3))
    n_workshops = draw(st.integers(n_rounds, 5))
    rounds = [f"r{k}" for k in range(n_rounds)]
    workshops = [f"w{k}" for k in range(n_workshops)]
    n_people = draw(st.integers(1, max_people))
    sessions = []
    if uniform:
        cap = draw(st.integers(1, 4))
        sessions = [{"workshop": w, "round": r, "capacity": cap} for w in workshops for r in rounds]
    else:
        for w in workshops:
            for r in rounds:
                if draw(st.integers(0, 4)) > 0:
                    sessions.append({"workshop": w, "round": r, "capacity": draw(st.integers(0, 4))})
    people = []
    for i in range(n_people):
        prefs = draw(st.permutations(workshops))[: draw(st.integers(0, n_workshops))]
        p = {"id": f"p{i}", "preferences": list(prefs)}
        if not uniform:
            mine = [r for r in rounds if draw(st.booleans()) or r == rounds[0]]
            p["rounds"] = mine
            if pins and sessions and draw(st.integers(0, 5)) == 0:
                s = draw(st.sampled_from(sessions))
                if s["round"] in mine:
                    p["fixed"] = [{"round": s["round"], "workshop": s["workshop"]}]
        people.append(p)
    data = {"rounds": rounds, "workshops": workshops, "sessions": sessions, "participants": people}
    if draw(st.booleans()):
        data["rank_costs"] = draw(st.lists(st.integers(0, 9), min_size=1, max_size=4))
        data["unranked_cost"] = draw(st.integers(0, 20))
    return Instance.from_dict(data)
