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
    from .models import AssignmentRun

    if not AssignmentRun.objects.filter(event_id=instance.event_id, published_at__isnull=False).exists():
        return  # nothing published yet: the next run of the engine takes everyone into account
    if instance.status == Status.CANCELLED:
        runs.free_seats_of(instance)
    elif instance.status == Status.CONFIRMED:
        # After the preferences are saved (same transaction), so the late placement can follow the ranking.
        transaction.on_commit(lambda: runs.place_late(Registration.objects.get(pk=instance.pk)))
