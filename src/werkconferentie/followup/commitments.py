"""Adding and changing commitments, their progress, and the take-over of merged municipalities' commitments.

Every function checks its values and writes the change to the history (history.py) in one transaction. A
refused value raises FollowupError with a message for the person who typed it. `Actor` says who acts: an
organiser or an update contact, whose changes are limited to her own municipality (checked in `_check_actor`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.live.tagging import POLICY_AREA_KEYS
from werkconferentie.outcomes.answers import public_answer_queryset
from werkconferentie.outcomes.models import OutcomePoint
from werkconferentie.reference.models import CrcArticle, Municipality, SdgGoal
from werkconferentie.reference.municipalities import current_successor

from .enums import DEFAULT_PROGRESS, CommitmentKind, CommitmentStatus
from .errors import FollowupError
from .history import Actor, differences, record, snapshot
from .models import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, Commitment

TEXT_MAX_LENGTH = 5000
MAX_LINKS = 10
SCALAR_FIELDS = (
    "kind",
    "title",
    "description",
    "committed_by",
    "committed_on",
    "target_date",
    "status",
    "status_note",
    "progress",
    "weight",
    "document_links",
    "policy_areas",
    "child_summary",
    "is_public",
)
RELATED_FIELDS = ("crc_articles", "sdgs", "outcome_points", "answers")
HISTORY_FIELDS = (*SCALAR_FIELDS, "municipality", "parent", *RELATED_FIELDS)
_url = URLValidator(schemes=["http", "https"])


def municipality_for(code: str) -> Municipality:
    """The current municipality for a CBS code; a merged municipality's code gives its successor."""
    code = str(code or "")
    # A code with control characters (NUL, which PostgreSQL refuses in a query) or absurdly long is no code.
    municipality = current_successor(code) if len(code) <= 20 and code.isprintable() else None
    if municipality is None:
        raise FollowupError(
            _("There is no current municipality with the code “%(code)s”.") % {"code": code[:20].replace("\0", "")}
        )
    return municipality


def default_target_date(event: Event) -> dt.date:
    return event.target_date or event.date


def _text(value, label: str, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise FollowupError(_("%(field)s is required.") % {"field": label})
    if len(text) > max_length:
        raise FollowupError(
            _("%(field)s is too long: at most %(max)d characters.") % {"field": label, "max": max_length}
        )
    if not text.isprintable() and any(c not in "\n\r\t" and not c.isprintable() for c in text):
        raise FollowupError(_("%(field)s contains characters that cannot be shown.") % {"field": label})
    return text


def _date(value, label: str, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise FollowupError(_("%(field)s is required.") % {"field": label})
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FollowupError(_("%(field)s is not a date (use YYYY-MM-DD).") % {"field": label}) from None


def _whole(value, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise FollowupError(_("%(field)s must be a whole number.") % {"field": label}) from None
    if not low <= number <= high:
        raise FollowupError(
            _("%(field)s must be between %(low)d and %(high)d.") % {"field": label, "low": low, "high": high}
        )
    return number


def clean_links(links) -> list[dict]:
    """[{"title", "url"}] with http(s) addresses only; a bare URL is its own title."""
    cleaned = []
    for link in links or []:
        if isinstance(link, str):
            link = {"title": "", "url": link}
        if not isinstance(link, dict):
            raise FollowupError(_("A link to a council document needs an address."))
        url = str(link.get("url", "")).strip()
        if not url:
            continue
        try:
            _url(url)
        except ValidationError:
            raise FollowupError(
                _("“%(url)s” is not a web address (it must start with https://).") % {"url": url[:80]}
            ) from None
        title = _text(link.get("title"), _("Title of the document"), TITLE_MAX_LENGTH) or url
        cleaned.append({"title": title, "url": url})
    if len(cleaned) > MAX_LINKS:
        raise FollowupError(_("At most %(max)d links to council documents.") % {"max": MAX_LINKS})
    return cleaned


def _clean(values: dict) -> dict:
    """The scalar values, checked and converted; raises FollowupError on the first bad one."""
    cleaned = {}
    for name, value in values.items():
        if name == "kind":
            if value not in CommitmentKind.values:
                raise FollowupError(_("Choose a kind from the list."))
            cleaned[name] = value
        elif name == "status":
            if value not in CommitmentStatus.values:
                raise FollowupError(_("Choose a status from the list."))
            cleaned[name] = value
        elif name == "title":
            cleaned[name] = _text(value, _("Title"), TITLE_MAX_LENGTH, required=True)
        elif name == "status_note":
            cleaned[name] = _text(value, _("State of affairs"), NOTE_MAX_LENGTH, required=True)
        elif name in ("description", "child_summary"):
            cleaned[name] = _text(
                value, _("Description") if name == "description" else _("Summary for children"), TEXT_MAX_LENGTH
            )
        elif name == "committed_by":
            cleaned[name] = _text(value, _("Committed by"), 200)
        elif name == "committed_on":
            cleaned[name] = _date(value, _("Date committed"))
        elif name == "target_date":
            cleaned[name] = _date(value, _("Target date"), required=True)
        elif name == "progress":
            cleaned[name] = _whole(value, _("Progress"), 0, 100)
        elif name == "weight":
            cleaned[name] = _whole(value, _("Weight"), 1, 100)
        elif name == "document_links":
            cleaned[name] = clean_links(value)
        elif name == "policy_areas":
            areas = list(dict.fromkeys(value or []))
            if any(area not in POLICY_AREA_KEYS for area in areas):
                raise FollowupError(_("Choose policy areas from the list."))
            cleaned[name] = areas
        elif name == "is_public":
            cleaned[name] = bool(value)
        else:
            raise TypeError(f"unknown commitment field {name!r}")
    return cleaned


def _related(event: Event, values: dict) -> dict:
    """Many-to-many values as objects: CRC articles and SDGs by number, outcome points and answers by id."""
    related = {}
    if "crc_articles" in values:
        numbers = sorted({int(n) for n in values["crc_articles"] or []})
        found = list(CrcArticle.objects.filter(number__in=numbers))
        if len(found) != len(numbers):
            raise FollowupError(_("The Convention has articles 1 to 54 only."))
        related["crc_articles"] = found
    if "sdgs" in values:
        numbers = sorted({int(n) for n in values["sdgs"] or []})
        found = list(SdgGoal.objects.filter(number__in=numbers))
        if len(found) != len(numbers):
            raise FollowupError(_("There are 17 SDGs; use their numbers."))
        related["sdgs"] = found
    if "outcome_points" in values:
        ids = {int(n) for n in values["outcome_points"] or []}
        found = list(OutcomePoint.objects.filter(event=event, pk__in=ids))
        if len(found) != len(ids):
            raise FollowupError(_("Choose outcome points of this conference."))
        related["outcome_points"] = found
    if "answers" in values:
        ids = {int(n) for n in values["answers"] or []}
        found = list(public_answer_queryset(event).filter(pk__in=ids))
        if len(found) != len(ids):
            raise FollowupError(_("Choose public answers of this conference."))
        related["answers"] = found
    return related


def _check_actor(actor: Actor, event: Event, municipality: Municipality) -> None:
    contact = actor.contact
    if contact is not None and (contact.event_id != event.pk or contact.municipality_id != municipality.pk):
        raise FollowupError(_("You can only change the commitments of your own municipality."))


def _parent(event: Event, municipality: Municipality, parent: Commitment | None) -> Commitment | None:
    if parent is None:
        return None
    if parent.event_id != event.pk or parent.municipality_id != municipality.pk:
        raise FollowupError(_("A milestone belongs to a commitment of the same municipality."))
    if parent.parent_id is not None:
        raise FollowupError(_("A milestone cannot have milestones of its own."))
    return parent


def next_number(event: Event, municipality: Municipality) -> int:
    highest = Commitment.objects.filter(event=event, municipality=municipality).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


def create_commitment(
    event: Event, municipality: Municipality, actor: Actor, *, parent: Commitment | None = None, **values
) -> Commitment:
    """A new commitment (or a milestone of `parent`); the target date defaults to the event's."""
    _check_actor(actor, event, municipality)
    related_values = {name: values.pop(name) for name in RELATED_FIELDS if name in values}
    values.setdefault("target_date", (parent.target_date if parent else None) or default_target_date(event))
    values.setdefault("status", CommitmentStatus.OPEN)
    cleaned = _clean(values)
    if "progress" not in cleaned:
        cleaned["progress"] = DEFAULT_PROGRESS.get(cleaned["status"], 0)
    if "status_note" not in cleaned:
        raise FollowupError(_("%(field)s is required.") % {"field": _("State of affairs")})
    related = _related(event, related_values)
    with transaction.atomic():
        commitment = Commitment(
            event=event,
            municipality=municipality,
            parent=_parent(event, municipality, parent),
            number=next_number(event, municipality),
            **cleaned,
        )
        commitment.save()
        for name, objects in related.items():
            getattr(commitment, name).set(objects)
        record(commitment, actor, "create", differences({}, snapshot(commitment, HISTORY_FIELDS)))
    return commitment


def update_commitment(commitment: Commitment, actor: Actor, **values) -> dict:
    """Change fields; returns {field: [before, after]} of what changed (nothing changed: nothing recorded).

    A new target date keeps the old one in the history, as councils' lists keep "oude deadline".
    """
    _check_actor(actor, commitment.event, commitment.municipality)
    related_values = {name: values.pop(name) for name in RELATED_FIELDS if name in values}
    cleaned = _clean(values)
    related = _related(commitment.event, related_values)
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        before = snapshot(locked, HISTORY_FIELDS)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        if "status" in cleaned and "progress" not in cleaned and cleaned["status"] in DEFAULT_PROGRESS:
            if cleaned["status"] == CommitmentStatus.DONE:
                locked.progress = 100
        locked.save()
        for name, objects in related.items():
            getattr(locked, name).set(objects)
        changes = differences(before, snapshot(locked, HISTORY_FIELDS))
        if changes:
            record(locked, actor, "update", changes)
    commitment.refresh_from_db()
    return changes


def delete_commitment(commitment: Commitment, actor: Actor) -> None:
    """Remove a commitment and its milestones; the history keeps what it was."""
    _check_actor(actor, commitment.event, commitment.municipality)
    with transaction.atomic():
        for milestone in commitment.milestones.all():
            record(milestone, actor, "delete", differences(snapshot(milestone, HISTORY_FIELDS), {}))
            milestone.delete()
        record(commitment, actor, "delete", differences(snapshot(commitment, HISTORY_FIELDS), {}))
        commitment.delete()


def take_over_merged(event: Event, actor: Actor | None = None) -> int:
    """Move the commitments of municipalities that no longer exist to their current successor, with a new number
    there (the history keeps the old municipality). Returns how many moved."""
    actor = actor or Actor.system()
    moved = 0
    with transaction.atomic():
        for commitment in Commitment.objects.filter(event=event, municipality__valid_to__isnull=False).order_by(
            "parent_id", "pk"
        ):
            successor = current_successor(commitment.municipality_id)
            if successor is None:
                continue
            before = snapshot(commitment, ("municipality", "number"))
            commitment.municipality = successor
            commitment.number = next_number(event, successor)
            commitment.save(update_fields=["municipality", "number", "updated_at"])
            record(
                commitment, actor, "take-over", differences(before, snapshot(commitment, ("municipality", "number")))
            )
            moved += 1
    return moved


def progress_of(commitment: Commitment, milestones: Iterable[Commitment] | None = None) -> int:
    """A commitment's progress: the weighted average of its milestones' when it has any, else its own."""
    milestones = list(commitment.milestones.all() if milestones is None else milestones)
    total = sum(m.weight for m in milestones)
    if not total:
        return commitment.progress
    return round(sum(m.progress * m.weight for m in milestones) / total)


def commitments_of(event: Event, municipality: Municipality | None = None, *, public_only: bool = False):
    """Top-level commitments with their milestones, tags, points and attachments loaded (a fixed number of queries)."""
    commitments = Commitment.objects.filter(event=event, parent__isnull=True)
    if municipality is not None:
        commitments = commitments.filter(municipality=municipality)
    if public_only:
        commitments = commitments.filter(is_public=True)
    return commitments.select_related("municipality").prefetch_related(
        "milestones", "crc_articles", "sdgs", "outcome_points", "attachments"
    )
