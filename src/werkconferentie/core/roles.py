"""Who may do what in the back office.

Organisers are staff accounts in the group "Organisatoren": the group gives the model rights, and
`Event.organisers` limits them to their own events (see events.admin). The registration admin narrows the model
rights further: seats change only through its actions, the privacy statement is edited by superusers only.
"""

from django.contrib.auth.models import Group, Permission

ORGANISER_GROUP = "Organisatoren"
ORGANISER_APPS = ("events", "registration", "assignment", "live", "outcomes", "followup")


def ensure_organiser_group() -> Group:
    group, _created = Group.objects.get_or_create(name=ORGANISER_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=ORGANISER_APPS)
    group.permissions.add(*permissions)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="reference", codename__startswith="view_"))
    return group


def is_organiser_of(user, event) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or event.organisers.filter(pk=user.pk).exists()
