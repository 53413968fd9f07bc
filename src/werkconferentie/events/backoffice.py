"""What every back-office page of one event starts with: the event, if the user organises it, and the admin's frame.

It lives here, in the lowest app that knows events, so that the day's pages of assignment, live, outcomes and
followup share it without importing each other.
"""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import get_object_or_404

from werkconferentie.core.roles import is_organiser_of

from .models import Event


def event_for(request, slug: str) -> Event:
    """The event, if the user organises it; otherwise 404 (it is not theirs to know it exists)."""
    event = get_object_or_404(Event, slug=slug)
    if not is_organiser_of(request.user, event):
        raise Http404
    return event


def admin_context(request, title: str, **extra) -> dict:
    """The admin's page frame (site header, user links) with a title and this page's own context."""
    return {**admin.site.each_context(request), "title": title, **extra}
