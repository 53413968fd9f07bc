from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import calendar
from .enums import OrganisationRole
from .models import Event, Speaker, WorkshopSession
from .seats import seats_left


def home(request):
    """The start page lists the published events; with exactly one event, go straight to it."""
    events = list(Event.objects.filter(published=True).order_by("-date"))
    if len(events) == 1:
        return redirect(events[0])
    return render(request, "events/home.html", {"events": events})


def published_event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug, published=True)


def workshops_of(event: Event):
    return event.workshops.select_related("event").prefetch_related(
        Prefetch("hosts", queryset=Speaker.objects.prefetch_related("organisations")),
        "organisations",
        Prefetch("sessions", queryset=WorkshopSession.objects.select_related("round")),
    )


def programme_of(event: Event):
    return event.programme.select_related("round").prefetch_related(
        "speaker_links__speaker",
        Prefetch(
            "round__sessions",
            queryset=WorkshopSession.objects.select_related("workshop__event").prefetch_related("workshop__hosts"),
        ),
    )


def event_detail(request, slug):
    event = published_event(slug)
    context = {
        "event": event,
        "organisers": event.organisations.filter(role=OrganisationRole.ORGANISER),
        "contributors": event.organisations.filter(role=OrganisationRole.CONTRIBUTOR),
        "workshops": workshops_of(event),
        "programme": programme_of(event),
        "registration_open": event.registration_is_open(),
        # Registration open for a conference that is over happens only in the demo: the page says so.
        "has_ended": event.has_ended(),
        "seats_left": seats_left(event),
    }
    return render(request, "events/event_detail.html", context)


def programme(request, slug):
    event = published_event(slug)
    return render(request, "events/programme.html", {"event": event, "programme": programme_of(event)})


def workshop_list(request, slug):
    event = published_event(slug)
    return render(request, "events/workshop_list.html", {"event": event, "workshops": workshops_of(event)})


def workshop_detail(request, slug, workshop):
    event = published_event(slug)
    workshop = get_object_or_404(workshops_of(event), slug=workshop)
    return render(request, "events/workshop_detail.html", {"event": event, "workshop": workshop})


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, slug):
    event = published_event(slug)
    return _ics_response(
        calendar.event_calendar(event, request.build_absolute_uri(event.get_absolute_url())), f"{event.slug}.ics"
    )


def programme_ics(request, slug):
    event = published_event(slug)
    return _ics_response(calendar.programme_calendar(event), f"{event.slug}-programma.ics")
