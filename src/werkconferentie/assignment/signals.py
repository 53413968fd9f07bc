"""After publishing, registration changes reach the published run without moving anyone else."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from werkconferentie.registration.enums import Status
from werkconferentie.registration.models import Registration


@receiver(post_save, sender=Registration, dispatch_uid="assignment.registration_changed")
def registration_changed(sender, instance: Registration, created: bool, update_fields=None, **kwargs):
    if update_fields is not None and "status" not in update_fields and not created:
        return
    from . import runs

    if instance.status == Status.CANCELLED:
        runs.free_seats_of(instance)  # in the cancellation's own transaction, under its capacity lock
    elif instance.status == Status.CONFIRMED:
        # After commit: the preferences are saved by then (same transaction), so the late placement can follow
        # the ranking, and a sign-up's locked transaction is not made longer by looking for a published run.
        transaction.on_commit(lambda: runs.place_late_by_id(instance.pk, instance.event_id))
