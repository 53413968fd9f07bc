"""The participant's personal programme behind the signed link: a page and a calendar file (.ics)."""

from django.shortcuts import render

from werkconferentie.documents.downloads import ICS_CONTENT_TYPE, download
from werkconferentie.registration.enums import Status
from werkconferentie.registration.views import registration_or_error_page

from . import runs
from .calendar import personal_calendar


def _placements(registration):
    """The published run's sessions of a confirmed person, and whether anything is published yet."""
    run = runs.published_run(registration.event)
    if run is None or registration.status != Status.CONFIRMED:
        return run, []
    return run, runs.programme_of(run, registration)


def programme(request, token):
    registration, error = registration_or_error_page(request, token)
    if error:
        return error
    run, placements = _placements(registration)
    context = {
        "event": registration.event,
        "registration": registration,
        "token": token,
        "published": run is not None,
        "placements": placements,
    }
    return render(request, "assignment/programme.html", context)


def programme_ics(request, token):
    registration, error = registration_or_error_page(request, token)
    if error:
        return error
    _run, placements = _placements(registration)
    calendar = personal_calendar(registration, placements)
    return download(calendar, f"{registration.event.slug}-mijn-programma.ics", ICS_CONTENT_TYPE)
