"""The public progress of an event's commitments: per municipality what was promised, its status and updates.

Only public commitments count. The overview takes a fixed number of queries, whatever the number of
municipalities (342) and commitments; its page is kept rendered under `overview_version` (public_views), as
rendering 342 rows costs about 80 ms (bench/followup_progress.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from werkconferentie.events.models import Event
from werkconferentie.reference.models import Municipality

from .commitments import commitments_of, default_target_date, progress_of
from .enums import CommitmentStatus
from .models import Commitment, CommitmentChange


@dataclass
class MunicipalityProgress:
    municipality: Municipality
    counts: dict[str, int] = field(default_factory=dict)  # status → number of commitments
    total: int = 0
    last_update: dt.datetime | None = None

    @property
    def per_status(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.counts.get(value, 0)) for value, label in CommitmentStatus.choices]


def overview_version(event: Event) -> str:
    """Changes whenever a commitment of the event is added, changed or removed: the key of the rendered overview.

    Every change goes through commitments.py, which records a CommitmentChange, so the event's latest change is
    the version. One query on the index of the event (an aggregate over its 3,420 commitments took 3 ms).
    """
    last = CommitmentChange.objects.filter(event=event).order_by("-pk").values_list("pk", flat=True).first()
    return str(last or 0)


def public_commitments(event: Event):
    return Commitment.objects.filter(event=event, parent__isnull=True, is_public=True)


def overview(
    event: Event, *, province: str = "", status: str = "", policy_area: str = ""
) -> tuple[list[MunicipalityProgress], Counter]:
    """One row per municipality with public commitments (filtered), and the totals per status. Three queries."""
    commitments = public_commitments(event)
    if status:
        commitments = commitments.filter(status=status)
    if province:
        commitments = commitments.filter(municipality__province_code=province)
    rows = list(commitments.values("municipality_id", "status").annotate(n=Count("pk"), last=Max("updated_at")))
    if policy_area:
        # JSON "contains" differs per database; the areas are few, so filter in Python (one more query).
        keep = {pk for pk, areas in commitments.values_list("pk", "policy_areas") if policy_area in (areas or [])}
        rows = list(
            commitments.filter(pk__in=keep)
            .values("municipality_id", "status")
            .annotate(n=Count("pk"), last=Max("updated_at"))
        )
    municipalities = Municipality.objects.in_bulk({row["municipality_id"] for row in rows})
    result: dict[str, MunicipalityProgress] = {}
    totals: Counter = Counter()
    for row in rows:
        item = result.setdefault(row["municipality_id"], MunicipalityProgress(municipalities[row["municipality_id"]]))
        item.counts[row["status"]] = item.counts.get(row["status"], 0) + row["n"]
        item.total += row["n"]
        if item.last_update is None or row["last"] > item.last_update:
            item.last_update = row["last"]
        totals[row["status"]] += row["n"]
    return sorted(result.values(), key=lambda item: item.municipality.name), totals


FEED_LENGTH = 50


def public_changes(event: Event, limit: int = FEED_LENGTH) -> list[CommitmentChange]:
    """The latest changes of public commitments and of their milestones (a milestone is public with its
    commitment), newest first: what the public trail shows, for the Atom feed. One query."""
    return list(
        CommitmentChange.objects.filter(event=event)
        .filter(Q(commitment__parent__isnull=True, commitment__is_public=True) | Q(commitment__parent__is_public=True))
        .select_related("commitment", "municipality")
        .order_by("-created_at", "-pk")[:limit]
    )


def provinces_with_commitments(event: Event) -> list[tuple[str, str]]:
    return list(
        public_commitments(event)
        .values_list("municipality__province_code", "municipality__province_name")
        .distinct()
        .order_by("municipality__province_code")
    )


def municipality_commitments(event: Event, municipality: Municipality) -> list[Commitment]:
    """Its public commitments with milestones, progress and their trail of changes (oldest first)."""
    items = list(commitments_of(event, municipality, public_only=True))
    trails = defaultdict(list)
    ids = [item.pk for item in items] + [m.pk for item in items for m in item.milestones.all()]
    for change in CommitmentChange.objects.filter(commitment_id__in=ids).order_by("created_at", "pk"):
        trails[change.commitment_id].append(change)
    for item in items:
        item.shown_progress = progress_of(item, item.milestones.all())
        item.trail = trails[item.pk]
        item.status_updates = [
            c for c in item.trail if c.action == "create" or "status" in c.changes or "status_note" in c.changes
        ]
    return items


def report_data(event: Event) -> dict:
    """The "stand van zaken op <target date>": totals and every municipality with its public commitments."""
    rows, totals = overview(event)
    by_municipality = []
    if rows:
        items = list(commitments_of(event, public_only=True).order_by("municipality__name", "number"))
        grouped = defaultdict(list)
        for item in items:
            item.shown_progress = progress_of(item, item.milestones.all())
            grouped[item.municipality_id].append(item)
        by_municipality = [(row, grouped[row.municipality.pk]) for row in rows]
    return {
        "target_date": default_target_date(event),
        "rows": rows,
        "totals": [(value, label, totals.get(value, 0)) for value, label in CommitmentStatus.choices],
        "total": sum(totals.values()),
        "by_municipality": by_municipality,
    }
