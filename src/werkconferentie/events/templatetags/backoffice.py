"""Template helpers for the back office's own pages."""

from django import template

from ..models import Event

register = template.Library()


@register.simple_tag
def events_organised_by(user):
    """The events this user organises (every event for a superuser), newest first: the home page's "On the day"."""
    if not user.is_authenticated or not user.is_staff:
        return Event.objects.none()
    events = Event.objects.all() if user.is_superuser else Event.objects.filter(organisers=user)
    return events.order_by("-date", "pk")
