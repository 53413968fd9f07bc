"""Read-only JSON API for events: `GET /api/events/` and `GET /api/events/{slug}`."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from .models import Event
from .seats import seats_left
from .views import programme_of, workshops_of

router = Router(tags=["events"])


class Text(Schema):
    nl: str
    en: str


def text(obj, field: str) -> Text:
    return Text(nl=getattr(obj, f"{field}_nl"), en=getattr(obj, f"{field}_en"))


class Venue(Schema):
    name: str
    street: str
    postcode: str
    city: str


class EventSummary(Schema):
    slug: str
    title: Text
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    venue: Venue
    capacity: int
    seats_left: int
    registration_open: bool
    url: str


class Person(Schema):
    key: str
    name: str
    affiliation: Text


class Organisation(Schema):
    key: str
    name: Text
    url: str
    role: str


class Round(Schema):
    key: str
    number: int
    title: Text
    start: dt.datetime
    end: dt.datetime


class Session(Schema):
    workshop: str
    round: str
    room: str
    capacity: int


class Workshop(Schema):
    slug: str
    number: int
    title: Text
    theme: Text
    description: Text
    hosts: list[str]
    organisations: list[str]
    url: str


class ProgrammeItem(Schema):
    start: dt.datetime
    end: dt.datetime | None
    kind: str
    title: Text
    description: Text
    speakers: list[str]
    round: str | None


class EventDetail(EventSummary):
    theme: Text
    description: Text
    time_zone: str
    contact_email: str = Field(json_schema_extra={"format": "email"})
    registration_opens: dt.datetime | None
    registration_closes: dt.datetime
    central_question: Text
    target_date: dt.date | None
    target_date_label: Text
    organisations: list[Organisation]
    speakers: list[Person]
    programme: list[ProgrammeItem]
    workshops: list[Workshop]
    rounds: list[Round]
    sessions: list[Session]


def summary(request, event: Event) -> dict:
    return {
        "slug": event.slug,
        "title": text(event, "title"),
        "date": event.date,
        "start": event.starts_at,
        "end": event.ends_at,
        "venue": Venue(
            name=event.venue_name, street=event.venue_street, postcode=event.venue_postcode, city=event.venue_city
        ),
        "capacity": event.capacity,
        "seats_left": seats_left(event),
        "registration_open": event.registration_is_open(),
        "url": request.build_absolute_uri(event.get_absolute_url()),
    }


@router.get("/events/", response=list[EventSummary], summary="List published events")
def list_events(request):
    return [summary(request, event) for event in Event.objects.filter(published=True)]


@router.get("/events/{slug}", response=EventDetail, summary="One event with its programme, workshops and sessions")
def event_detail(request, slug: str):
    event = get_object_or_404(Event, slug=slug, published=True)
    workshops = list(workshops_of(event))
    rounds = list(event.rounds.all())
    return {
        **summary(request, event),
        "theme": text(event, "theme"),
        "description": text(event, "description"),
        "time_zone": event.time_zone,
        "contact_email": event.contact_email,
        "registration_opens": event.registration_opens,
        "registration_closes": event.registration_closes_at,
        "central_question": text(event, "central_question"),
        "target_date": event.target_date,
        "target_date_label": text(event, "target_date_label"),
        "organisations": [
            Organisation(key=o.key, name=text(o, "name"), url=o.url, role=o.role) for o in event.organisations.all()
        ],
        "speakers": [Person(key=s.key, name=s.name, affiliation=text(s, "affiliation")) for s in event.speakers.all()],
        "programme": [
            ProgrammeItem(
                start=event.at(item.start_time),
                end=event.at(item.end_time) if item.end_time else None,
                kind=item.kind,
                title=text(item, "title"),
                description=text(item, "description"),
                speakers=[speaker.key for speaker in item.ordered_speakers],
                round=item.round.key if item.round else None,
            )
            for item in programme_of(event)
        ],
        "workshops": [
            Workshop(
                slug=w.slug,
                number=w.number,
                title=text(w, "title"),
                theme=text(w, "theme"),
                description=text(w, "description"),
                hosts=[h.key for h in w.hosts.all()],
                organisations=[o.key for o in w.organisations.all()],
                url=request.build_absolute_uri(w.get_absolute_url()),
            )
            for w in workshops
        ],
        "rounds": [
            Round(
                key=r.key,
                number=r.number,
                title=text(r, "title"),
                start=event.at(r.start_time),
                end=event.at(r.end_time),
            )
            for r in rounds
        ],
        "sessions": [
            Session(workshop=w.slug, round=s.round.key, room=s.room, capacity=s.capacity)
            for w in workshops
            for s in w.sessions.all()
        ],
    }
