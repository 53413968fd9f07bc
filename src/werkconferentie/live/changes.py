"""The live feed: every change to a board is a row in one table, in commit order.

Each server process follows the table (hub.py) instead of being told: one query per tick for all its viewers,
and it works the same with one process or many, on SQLite and on PostgreSQL, without a message broker. A row
says which board changed and, where it applies, which answer (as shown: a merged item rather than its
originals); what changed is read fresh from the database when the process builds the update it sends.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Change

KEEP = dt.timedelta(hours=6)


def record(board_id: int, answer_id: int | None = None) -> None:
    """Note a change; inside the caller's transaction, so it is seen exactly when the change commits."""
    Change.objects.create(board_id=board_id, answer_id=answer_id)


def latest_id() -> int:
    return Change.objects.aggregate(latest=Max("id"))["latest"] or 0


class Follower:
    """Reads the changes after those it has seen, also those that commit late.

    On PostgreSQL ids are handed out when rows are inserted, not when they commit: id 11 can be visible before
    id 10. Ids skipped over are kept as gaps and asked for again until they appear or GAP_SECONDS pass (a
    transaction that rolled back never fills its gap). On SQLite writers commit in id order and no gap stays.
    """

    GAP_SECONDS = 10.0
    MAX_GAP = 1000  # more ids skipped at once than transactions run at once: not gaps (a restart, a jump)

    def __init__(self, last_id: int | None = None):
        self.last_id = latest_id() if last_id is None else last_id
        self.gaps: dict[int, float] = {}

    def poll(self, now: float, limit: int = 5000) -> list[tuple[int, int, int | None]]:
        """(id, board id, answer id) of the changes not seen before, oldest first."""
        self.gaps = {gap: since for gap, since in self.gaps.items() if now - since < self.GAP_SECONDS}
        query = Change.objects.filter(id__gt=self.last_id)
        if self.gaps:
            query = query | Change.objects.filter(id__in=list(self.gaps))
        rows = list(query.order_by("id").values_list("id", "board_id", "answer_id")[:limit])
        for change_id, _board, _answer in rows:
            self.gaps.pop(change_id, None)
            if change_id > self.last_id:
                if change_id - self.last_id <= self.MAX_GAP:
                    self.gaps.update((gap, now) for gap in range(self.last_id + 1, change_id))
                self.last_id = change_id
        return rows


def prune(now: dt.datetime | None = None) -> int:
    """Drop changes older than KEEP: every follower has long seen them."""
    with transaction.atomic():
        deleted, _ = Change.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted
