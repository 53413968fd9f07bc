"""Outcome points: what the conference found and asks the councils, each supported by answers and tagged.

Points are numbered 1, 2, 3 … per event without gaps (`number`); those with `is_request` are the conference's
numbered requests to all councils (`requests` numbers them 1, 2, 3 … among themselves). Every change is recorded
in the history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.live.models import Answer
from werkconferentie.live.tagging import POLICY_AREA_KEYS, suggest_tags
from werkconferentie.reference.models import CrcArticle, SdgGoal

from . import history
from .answers import public_answer_queryset
from .errors import OutcomeError
from .models import TITLE_MAX_LENGTH, OutcomePoint, Theme

TEXT_FIELDS = ["title_nl", "title_en", "explanation_nl", "explanation_en", "request_nl", "request_en"]
TAG_FIELDS = ["crc_articles", "sdgs", "policy_areas"]
HISTORY_FIELDS = ["number", *TEXT_FIELDS, "is_request", "theme", "answers", *TAG_FIELDS]
TEXT_MAX_LENGTH = 5000
# Tags proposed for a point: those on at least this share of its answers (weighted by votes), at most MAX_TAGS each.
TAG_SHARE = 0.2
MAX_TAGS = 5


def points_of(event: Event):
    return (
        OutcomePoint.objects.filter(event=event)
        .select_related("theme")
        .prefetch_related("crc_articles", "sdgs", "answers")
        .order_by("number", "pk")
    )


def requests(event: Event) -> list[OutcomePoint]:
    """The conference's requests to all councils, in order, each with `request_number` 1, 2, 3 …"""
    chosen = [point for point in points_of(event) if point.is_request]
    for number, point in enumerate(chosen, start=1):
        point.request_number = number
    return chosen


def propose_tags(answers: Iterable[Answer], votes: dict[int, int] | None = None) -> dict[str, list]:
    """Tags for a point from its answers' tags: {"policy_areas": keys, "crc_articles": numbers, "sdgs": numbers}.

    Each answer weighs 1 + its votes; a tag is proposed when its answers weigh at least TAG_SHARE of the total,
    strongest first. Answers without tags are read for keywords (live.tagging) so that untagged boards still
    give a proposal.
    """
    votes = votes or {}
    counts: dict[str, Counter] = {name: Counter() for name in TAG_FIELDS}
    total = 0.0
    for answer in answers:
        weight = 1 + votes.get(answer.pk, 0)
        total += weight
        areas = list(answer.policy_areas or [])
        crc = [a.number for a in answer.crc_articles.all()]
        sdgs = [g.number for g in answer.sdgs.all()]
        if not (areas or crc or sdgs):
            found = suggest_tags(answer.text)
            areas, crc, sdgs = found.policy_areas, found.crc_articles, found.sdgs
        for name, values in (("policy_areas", areas), ("crc_articles", crc), ("sdgs", sdgs)):
            for value in set(values):
                counts[name][value] += weight
    order = {key: i for i, key in enumerate(POLICY_AREA_KEYS)}
    result = {}
    for name, counter in counts.items():
        kept = [v for v, w in counter.items() if total and w >= TAG_SHARE * total]
        kept.sort(key=lambda v: (-counter[v], order.get(v, 0) if name == "policy_areas" else v))
        result[name] = kept[:MAX_TAGS]
    return result


def _clean_text(name: str, value) -> str:
    value = str(value or "").strip()
    limit = TITLE_MAX_LENGTH if name.startswith("title") else TEXT_MAX_LENGTH
    if name.startswith("title"):
        value = " ".join(value.split())
    if len(value) > limit:
        raise OutcomeError(
            _("%(field)s has at most %(limit)d characters.") % {"field": _field_label(name), "limit": limit}
        )
    return value


def _field_label(name: str) -> str:
    return str(OutcomePoint._meta.get_field(name).verbose_name)


def _clean(event: Event, values: dict) -> dict:
    """Checked values for a point: texts trimmed, tags and answers from their numbers and ids; a clear message for
    anything else."""
    unknown = set(values) - set(HISTORY_FIELDS)
    if unknown:
        raise OutcomeError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = {}
    for name, value in values.items():
        if name in TEXT_FIELDS:
            cleaned[name] = _clean_text(name, value)
        elif name == "is_request":
            cleaned[name] = bool(value)
        elif name == "number":
            try:
                cleaned[name] = int(value)
            except (TypeError, ValueError):
                raise OutcomeError(_("The number must be a whole number.")) from None
            if cleaned[name] < 1:
                raise OutcomeError(_("The number must be 1 or more."))
        elif name == "theme":
            if value is None or value == "":
                cleaned[name] = None
            else:
                theme = value if isinstance(value, Theme) else Theme.objects.filter(event=event, pk=_int(value)).first()
                if theme is None or theme.event_id != event.pk:
                    raise OutcomeError(_("That theme does not exist in this event."))
                cleaned[name] = theme
        elif name == "answers":
            ids = sorted({_int(a) for a in value or []})
            found = set(public_answer_queryset(event).filter(pk__in=ids).values_list("pk", flat=True))
            if len(found) != len(ids):
                raise OutcomeError(_("Some of the chosen answers are not public answers of this event."))
            cleaned[name] = ids
        elif name == "policy_areas":
            areas = list(dict.fromkeys(str(a) for a in value or []))
            if set(areas) - set(POLICY_AREA_KEYS):
                raise OutcomeError(
                    _("Unknown policy area: %(area)s") % {"area": sorted(set(areas) - set(POLICY_AREA_KEYS))[0]}
                )
            cleaned[name] = areas
        elif name in ("crc_articles", "sdgs"):
            model = CrcArticle if name == "crc_articles" else SdgGoal
            numbers = sorted({_int(n) for n in value or []})
            objects = list(model.objects.filter(number__in=numbers))
            if len(objects) != len(numbers):
                missing = sorted(set(numbers) - {o.number for o in objects})
                message = _("No CRC article %(number)s.") if name == "crc_articles" else _("No SDG %(number)s.")
                raise OutcomeError(message % {"number": missing[0]})
            cleaned[name] = objects
    if "title_nl" in cleaned and not cleaned["title_nl"]:
        raise OutcomeError(_("Give the point a Dutch title."))
    return cleaned


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise OutcomeError(_("%(value)s is not a number.") % {"value": str(value)[:20]}) from None


def _apply(point: OutcomePoint, cleaned: dict) -> None:
    for name, value in cleaned.items():
        if name in ("answers", "crc_articles", "sdgs", "number"):
            continue
        setattr(point, name, value)
    point.save()
    if "answers" in cleaned:
        point.answers.set(cleaned["answers"])
    for name in ("crc_articles", "sdgs"):
        if name in cleaned:
            getattr(point, name).set(cleaned[name])


def _renumber(event: Event, point: OutcomePoint | None = None, number: int | None = None) -> None:
    """Numbers 1..n without gaps, `point` placed at `number` (clamped)."""
    others = list(
        OutcomePoint.objects.filter(event=event).exclude(pk=getattr(point, "pk", None)).order_by("number", "pk")
    )
    if point is not None:
        index = max(0, min(len(others), (number or len(others) + 1) - 1))
        others.insert(index, point)
    for position, item in enumerate(others, start=1):
        if item.number != position:
            OutcomePoint.objects.filter(pk=item.pk).update(number=position)
            item.number = position


def create_point(event: Event, user=None, **values) -> OutcomePoint:
    """A new point (at the end unless `number` is given). Needs `title_nl`."""
    values.setdefault("title_nl", "")
    cleaned = _clean(event, values)
    with transaction.atomic():
        number = cleaned.pop("number", None)
        point = OutcomePoint(
            event=event, number=(OutcomePoint.objects.filter(event=event).aggregate(m=Max("number"))["m"] or 0) + 1
        )
        _apply(point, cleaned)
        if number is not None:
            _renumber(event, point, number)
        after = history.snapshot(point, HISTORY_FIELDS)
        history.record(
            event, user, "create", point, {k: [None, v] for k, v in after.items() if v not in ("", [], None, False)}
        )
    return point


def point_from_theme(theme: Theme, user=None) -> OutcomePoint:
    """A point for a theme: its title, its answers as support, tags proposed from those answers."""
    from .answers import vote_counts

    answers = list(theme.answers.prefetch_related("crc_articles", "sdgs"))
    tags = propose_tags(answers, vote_counts(theme.event))
    return create_point(
        theme.event,
        user,
        title_nl=theme.title[:TITLE_MAX_LENGTH],
        theme=theme,
        answers=[a.pk for a in answers],
        **tags,
    )


def update_point(point: OutcomePoint, user=None, **values) -> OutcomePoint:
    """Change a point's fields (names from HISTORY_FIELDS; tags as numbers/keys, answers as ids)."""
    cleaned = _clean(point.event, values)
    with transaction.atomic():
        point = OutcomePoint.objects.select_for_update().get(pk=point.pk)
        before = history.snapshot(point, HISTORY_FIELDS)
        number = cleaned.pop("number", None)
        _apply(point, cleaned)
        if number is not None and number != before["number"]:
            _renumber(point.event, point, number)
        point.refresh_from_db()
        changes = history.differences(before, history.snapshot(point, HISTORY_FIELDS))
        if changes:
            history.record(point.event, user, "update", point, changes)
    return point


def delete_point(point: OutcomePoint, user=None) -> None:
    with transaction.atomic():
        before = history.snapshot(point, HISTORY_FIELDS)
        history.record(
            point.event,
            user,
            "delete",
            point,
            {k: [v, None] for k, v in before.items() if v not in ("", [], None, False)},
        )
        event = point.event
        point.delete()
        _renumber(event)
