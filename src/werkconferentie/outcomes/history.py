"""The history of an event's outcome: every change made through the domain functions writes one OutcomeChange.

`snapshot` reads the fields that matter before a change, `record` stores what differs afterwards. Values are kept
as JSON (dates as ISO text, related objects as sorted lists of ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models

from werkconferentie.events.models import Event

from .models import TITLE_MAX_LENGTH, OutcomeChange, OutcomePoint, OutcomeReport, Theme


def object_type(obj) -> str:
    if isinstance(obj, Theme):
        return "theme"
    if isinstance(obj, OutcomePoint):
        return "point"
    if isinstance(obj, OutcomeReport):
        return "report"
    raise TypeError(f"no history for {type(obj).__name__}")


def _label(obj) -> str:
    if isinstance(obj, Theme):
        return obj.title
    if isinstance(obj, OutcomePoint):
        return obj.title_nl
    return str(obj.event)


def _json(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_json(v) for v in value) if isinstance(value, set) else [_json(v) for v in value]
    return value


def snapshot(obj, fields: Iterable[str]) -> dict:
    """The current values of `fields` (many-to-many fields as sorted ids), as JSON values."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            values[name] = getattr(obj, field.attname)
        else:
            values[name] = _json(getattr(obj, name))
    return values


def differences(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    event: Event,
    user,
    action: str,
    obj,
    changes: dict | None = None,
    *,
    object_id: int | None = None,
) -> OutcomeChange:
    """Store one change. `changes` is {field: [before, after]} (see `differences`) or any JSON-able detail."""
    return OutcomeChange.objects.create(
        event=event,
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=object_type(obj),
        object_id=object_id if object_id is not None else obj.pk,
        object_label=_label(obj)[:TITLE_MAX_LENGTH],
        changes=changes or {},
    )


def changes_of(event: Event, limit: int | None = None):
    """The event's history, newest first, with the user loaded."""
    changes = OutcomeChange.objects.filter(event=event).select_related("user")
    return changes[:limit] if limit else changes
