"""Example commitments for the demo's conference (data/demo-commitments.yaml): written for the demo, not what any
council decided. They go through commitments.py like an organiser's, so the history, the public progress pages, the
"stand van zaken" and the trails of the example answers can be seen at once."""

from __future__ import annotations

from importlib import resources

import yaml

from werkconferentie.events.models import Event
from werkconferentie.outcomes.models import OutcomePoint
from werkconferentie.reference.models import Municipality

from .commitments import create_commitment, update_commitment
from .history import Actor
from .models import Commitment


def read_data() -> dict:
    path = resources.files("werkconferentie.followup") / "data" / "demo-commitments.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_demo_commitments(event: Event) -> int:
    """Add the example commitments to `event` once (only when it has none and has the example's outcome points)."""
    if Commitment.objects.filter(event=event).exists():
        return 0
    points = {p.number: p for p in OutcomePoint.objects.filter(event=event)}
    actor = Actor.system()
    count = 0
    for item in read_data()["commitments"]:
        point = points.get(item["point"])
        if point is None:
            continue
        values = {k: v for k, v in item.items() if k not in ("municipality", "point", "updates")}
        commitment = create_commitment(
            event,
            Municipality.objects.get(code=item["municipality"]),
            actor,
            outcome_points=[point.pk],
            is_public=True,
            **values,
        )
        for update in item.get("updates", []):
            update_commitment(commitment, actor, **update)
        count += 1
    return count
