"""The back office's "Erase personal data" action on registrations, with a confirmation page.

Add it to the registration admin: `actions = [..., erase_selected]` (from .privacy_admin import erase_selected).
It needs the delete permission on registrations and erases only the registrations the admin's queryset lets
the user select, so an organiser of one event cannot erase anything of another.
"""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from werkconferentie.events.models import Event

from .privacy import erase_registrations


@admin.action(permissions=["delete"], description=gettext_lazy("Erase personal data"))
def erase_selected(modeladmin, request, queryset):
    """First a confirmation page listing who will be erased; on confirmation, erase them in one transaction."""
    registrations = list(queryset.select_related("event"))
    if request.POST.get("post") == "yes" and registrations:
        per_event = Counter(registration.event_id for registration in registrations)
        report = erase_registrations(registrations)
        # The audit trail names the events and the counts, never the people.
        for event in Event.objects.filter(pk__in=per_event):
            LogEntry.objects.log_actions(
                request.user.pk,
                [event],
                CHANGE,
                change_message=f"Erased the personal data of {per_event[event.pk]} registration(s).",
                single_object=True,
            )
        message = ngettext(
            "Erased the personal data of %(count)d registration.",
            "Erased the personal data of %(count)d registrations.",
            report.registrations,
        ) % {"count": report.registrations}
        if report.promoted:
            message += " " + ngettext(
                "%(count)d person moved up from the waiting list.",
                "%(count)d people moved up from the waiting list.",
                len(report.promoted),
            ) % {"count": len(report.promoted)}
        modeladmin.message_user(request, message, messages.SUCCESS)
        return None  # back to the change list

    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Erase personal data"),
        "subtitle": None,
        "registrations": registrations,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "registration/privacy_erase_confirmation.html", context)
