"""Registration follows changes to the event it does not make itself.

When an organiser raises an event's capacity (back office or event file), the waiting list moves up at once, by
the same rules and with the same mails as when someone cancels. The events app knows nothing of registrations
(imports flow events -> registration), so registration listens to the event's saves.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from werkconferentie.events.models import Event


@receiver(pre_save, sender=Event, dispatch_uid="registration.capacity_before")
def remember_capacity(sender, instance: Event, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._capacity_before = None
        return
    instance._capacity_before = Event.objects.filter(pk=instance.pk).values_list("capacity", flat=True).first()


@receiver(post_save, sender=Event, dispatch_uid="registration.capacity_raised")
def fill_seats_after_capacity_raised(sender, instance: Event, created=False, raw=False, **kwargs):
    before = getattr(instance, "_capacity_before", None)
    if raw or created or before is None or instance.capacity <= before:
        return
    from .signup import fill_from_waitlist

    # After the organiser's transaction: the capacity lock must see the new capacity, and a rolled-back
    # change must promote nobody.
    event_id = instance.pk
    transaction.on_commit(lambda: fill_from_waitlist(Event.objects.get(pk=event_id)))
