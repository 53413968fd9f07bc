"""Seats left on an event: the event page and the event's JSON show them; registration counts them.

Registration depends on events, not the other way round, so it registers its count here at ready()
(docs/development.md, "Layers").
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from .models import Event

_seats_left: Callable[[Event], int] | None = None


def register_seats_left(count: Callable[[Event], int]) -> None:
    """Let `seats_left` ask `count(event)`. Call it from the counting app's AppConfig.ready()."""
    global _seats_left
    _seats_left = count


def seats_left(event: Event) -> int:
    """Seats not yet taken by confirmed registrations."""
    if _seats_left is None:
        raise ImproperlyConfigured("No app counts the seats of an event: is werkconferentie.registration installed?")
    return _seats_left(event)
