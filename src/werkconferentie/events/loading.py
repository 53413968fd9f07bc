"""Write a validated event file to the database, all or nothing.

Children are matched on their key (workshops on their slug, sessions on workshop and round), so loading a
changed file updates rows in place: later data that points at a workshop or session keeps pointing at it.
Rows whose key left the file are removed, but only when nothing that people made hangs on them (workshop choices,
placements, live boards and their answers): otherwise the load is refused with the list of what would be lost,
unless it is forced. Programme items have no key and are replaced as a whole.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from django.db import router, transaction
from django.db.models import F
from django.db.models.deletion import Collector

from . import eventfile, models
from .enums import OrganisationRole


@dataclass
class Loss:
    """A row that left the file, and what other apps hold that its removal would delete with it."""

    row: str  # e.g. "workshop 'Spelen en bewegen'"
    counts: dict[str, int]  # verbose name (plural) -> how many

    def __str__(self) -> str:
        held = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"{self.row}: {held}"


class WouldLoseData(Exception):
    """Loading the file would delete what people made; nothing was changed."""

    def __init__(self, losses: list[Loss]):
        super().__init__("; ".join(str(loss) for loss in losses))
        self.losses = losses


@dataclass
class LoadResult:
    event: models.Event
    created: bool
    removed: list[Loss] = field(default_factory=list)  # what a forced load deleted with the rows that left the file


def load_event_file(path: str | Path, *, force: bool = False) -> LoadResult:
    """Read, validate and load one event file; raises eventfile.EventFileError when it is not valid, and
    WouldLoseData when it would delete what people made (unless `force`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise eventfile.EventFileError([eventfile.Problem((), str(error))]) from None
    return load_event(eventfile.parse_event_file(text), force=force)


def _held_by_others(row) -> dict[str, int]:
    """What deleting `row` would delete outside the events app (choices, placements, boards, answers ...)."""
    collector = Collector(using=router.db_for_write(type(row)))
    collector.collect([row])
    by_model: dict = {}
    for model, rows in collector.data.items():
        by_model[model] = by_model.get(model, 0) + len(rows)
    for queryset in collector.fast_deletes:
        by_model[queryset.model] = by_model.get(queryset.model, 0) + queryset.count()
    counts: dict[str, int] = {}
    for model, count in by_model.items():
        meta = model._meta
        if count and meta.app_label != models.Event._meta.app_label and not meta.auto_created:
            counts[str(meta.verbose_name if count == 1 else meta.verbose_name_plural)] = count
    return counts


def _describe(row) -> str:
    meta = row._meta
    return f"{meta.verbose_name} ‘{row}’"


def _removals(event: models.Event, data: eventfile.EventFile) -> list:
    """The rows of the event that the file no longer has (rounds, workshops, sessions, speakers, organisations)."""
    round_keys = {r.key for r in data.rounds}
    sessions = {w.key: {s.round for s in w.sessions} for w in data.workshops}
    rows = [r for r in event.rounds.all() if r.key not in round_keys]
    rows += [w for w in event.workshops.all() if w.slug not in sessions]
    rows += [
        s
        for s in models.WorkshopSession.objects.filter(workshop__event=event).select_related("workshop", "round")
        if s.workshop.slug in sessions and s.round.key in round_keys and s.round.key not in sessions[s.workshop.slug]
    ]
    rows += [s for s in event.speakers.all() if s.key not in {speaker.key for speaker in data.speakers}]
    rows += [o for o in event.organisations.all() if o.key not in {org.key for org in data.organisations}]
    return rows


def _losses(event: models.Event, data: eventfile.EventFile) -> list[Loss]:
    losses = []
    for row in _removals(event, data):
        counts = _held_by_others(row)
        if counts:
            losses.append(Loss(_describe(row), counts))
    return losses


def _text(value: eventfile.Text | None, field: str) -> dict[str, str]:
    value = value or eventfile.OptionalText()
    return {f"{field}_nl": value.nl, f"{field}_en": value.en}


def _aware(moment: dt.datetime | None, tz) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment


def _sync(queryset, key_field: str, wanted: dict[str, dict]) -> dict[str, object]:
    """Make the rows of `queryset` match `wanted` (key -> field values); return key -> row."""
    rows = {getattr(row, key_field): row for row in queryset}
    for key, row in rows.items():
        if key not in wanted:
            row.delete()
    result = {}
    for key, values in wanted.items():
        row = rows.get(key) or queryset.model(**{key_field: key})
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        result[key] = row
    return result


@transaction.atomic
def load_event(data: eventfile.EventFile, *, force: bool = False) -> LoadResult:
    """Create or update the event; refused with WouldLoseData before any change when rows that left the file hold
    what people made, unless `force`, which deletes them and says what went (LoadResult.removed)."""
    existing = models.Event.objects.filter(slug=data.slug).first()
    losses = _losses(existing, data) if existing else []
    if losses and not force:
        raise WouldLoseData(losses)
    tz = zoneinfo.ZoneInfo(data.time_zone)
    fields = {
        **_text(data.title, "title"),
        **_text(data.theme, "theme"),
        **_text(data.description, "description"),
        **_text(data.central_question, "central_question"),
        "date": data.date,
        "start_time": data.start,
        "end_time": data.end,
        "time_zone": data.time_zone,
        "venue_name": data.venue.name,
        "venue_street": data.venue.street,
        "venue_postcode": data.venue.postcode,
        "venue_city": data.venue.city,
        "contact_email": data.contact_email,
        "registration_opens": _aware(data.registration.opens, tz),
        "registration_closes": _aware(data.registration.closes, tz),
        "capacity": data.registration.capacity,
        "target_date": data.target_date.date if data.target_date else None,
        **_text(data.target_date.label if data.target_date else None, "target_date_label"),
        "more_info_url": data.more_info_url,
        "privacy_controller": data.privacy.controller,
        "privacy_contact": data.privacy.contact,
        "retention_days": data.privacy.retention_days,
    }
    event, created = models.Event.objects.update_or_create(slug=data.slug, defaults=fields)

    organisations = _sync(
        event.organisations.all(),
        "key",
        {
            org.key: {
                "event": event,
                **_text(org.name, "name"),
                "url": org.url,
                "role": OrganisationRole.ORGANISER if org.key == data.organiser else org.role,
                "order": index,
            }
            for index, org in enumerate(data.organisations)
        },
    )
    speakers = _sync(
        event.speakers.all(),
        "key",
        {s.key: {"event": event, "name": s.name, **_text(s.affiliation, "affiliation")} for s in data.speakers},
    )
    for speaker in data.speakers:
        speakers[speaker.key].organisations.set([organisations[key] for key in speaker.organisations])
    # Numbers are unique per event: move existing rows out of the way before renumbering.
    event.rounds.update(number=F("number") + 100_000)
    rounds = _sync(
        event.rounds.all(),
        "key",
        {
            r.key: {
                "event": event,
                "number": index + 1,
                **_text(r.title, "title"),
                "start_time": r.start,
                "end_time": r.end,
            }
            for index, r in enumerate(data.rounds)
        },
    )
    workshops_wanted = {
        w.key: {
            "event": event,
            "number": index + 1,
            **_text(w.title, "title"),
            **_text(w.theme, "theme"),
            **_text(w.description, "description"),
        }
        for index, w in enumerate(data.workshops)
    }
    event.workshops.update(number=F("number") + 100_000)
    workshops = _sync(event.workshops.all(), "slug", workshops_wanted)
    for workshop in data.workshops:
        row = workshops[workshop.key]
        row.hosts.set([speakers[key] for key in workshop.hosts])
        row.organisations.set([organisations[key] for key in workshop.organisations])
        existing = {session.round.key: session for session in row.sessions.select_related("round")}
        wanted = {session.round: session for session in workshop.sessions}
        for key, session in existing.items():
            if key not in wanted:
                session.delete()
        for key, session in wanted.items():
            models.WorkshopSession.objects.update_or_create(
                workshop=row, round=rounds[key], defaults={"room": session.room, "capacity": session.capacity}
            )

    event.programme.all().delete()
    for index, item in enumerate(data.programme):
        row = models.ProgrammeItem.objects.create(
            event=event,
            order=index,
            start_time=item.start,
            end_time=item.end,
            kind=item.kind,
            round=rounds[item.round] if item.round else None,
            **_text(item.title, "title"),
            **_text(item.description, "description"),
        )
        for position, key in enumerate(item.speakers):
            models.ProgrammeSpeaker.objects.create(item=row, speaker=speakers[key], order=position)
    return LoadResult(event=event, created=created, removed=losses)
