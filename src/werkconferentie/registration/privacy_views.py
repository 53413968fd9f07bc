"""The public privacy statement: the current version, or an earlier one by its number; per conference with its
controller, contact and retention (AVG article 13), which come from the event."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from werkconferentie.events.models import Event
from werkconferentie.events.views import published_event

from .models import PrivacyStatement


def privacy_statement(request, version: int | None = None, event: Event | None = None):
    """The statement in the visitor's language (Dutch when it has no translation), with its version, the date
    it took effect, and links to the other versions. Without a conference it lists each conference's controller."""
    current = PrivacyStatement.current()
    if current is None:
        raise Http404("no privacy statement")
    statement = current if version is None else get_object_or_404(PrivacyStatement, version=version)
    others = PrivacyStatement.objects.exclude(pk=statement.pk).order_by("-version")
    context = {
        "statement": statement,
        "current": current,
        "is_current": statement.pk == current.pk,
        "others": others,
        "event": event,
        "events": [] if event else Event.objects.filter(published=True).prefetch_related("organisations"),
    }
    return render(request, "registration/privacy.html", context)


def event_privacy_statement(request, slug: str):
    return privacy_statement(request, event=published_event(slug))
