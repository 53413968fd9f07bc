"""The back office for organisers: an event with its parts as inlines, limited to the events one organises."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.admin import LabelledInlineMixin, name_date_and_time
from werkconferentie.core.roles import is_organiser_of

from .models import Event, Organisation, ProgrammeItem, Round, Speaker, Workshop, WorkshopSession


def organised_event_or_404(request, model_admin, slug: str) -> Event:
    """For back-office views of one event: the admin's view right, then organisers of this event only (others get
    404, as if it did not exist)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    event = get_object_or_404(Event, slug=slug)
    if not is_organiser_of(request.user, event):
        raise Http404
    return event


class OwnEventsMixin:
    """Organisers see and change only the events they organise (superusers see all)."""

    event_path = "event"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.event_path}__organisers": request.user}).distinct()

    def _event_of(self, obj):
        for part in self.event_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or is_organiser_of(request.user, self._event_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or is_organiser_of(request.user, self._event_of(obj)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event" and not request.user.is_superuser:
            kwargs["queryset"] = Event.objects.filter(organisers=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OrganisationInline(LabelledInlineMixin, admin.TabularInline):
    model = Organisation
    extra = 0
    fields = ["key", "name_nl", "name_en", "role", "url", "order"]


class SpeakerInline(LabelledInlineMixin, admin.TabularInline):
    model = Speaker
    extra = 0
    fields = ["key", "name", "affiliation_nl", "affiliation_en"]


class RoundInline(LabelledInlineMixin, admin.TabularInline):
    model = Round
    extra = 0
    fields = ["key", "number", "title_nl", "title_en", "start_time", "end_time"]


class WorkshopInline(LabelledInlineMixin, admin.TabularInline):
    model = Workshop
    extra = 0
    fields = ["number", "slug", "title_nl", "title_en"]
    show_change_link = True


class ProgrammeItemInline(LabelledInlineMixin, admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["start_time", "end_time", "kind", "title_nl", "title_en", "round", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "round":
            # Rounds are edited in their own inline below: no add/change links crowding every programme row.
            widget = field.widget
            widget.can_add_related = widget.can_change_related = widget.can_view_related = False
            widget.can_delete_related = False
        return field


@admin.register(Event)
class EventAdmin(OwnEventsMixin, admin.ModelAdmin):
    event_path = "pk"
    list_display = ["title_nl", "date", "venue_city", "capacity", "published"]
    list_filter = ["published"]
    search_fields = ["title_nl", "title_en", "slug", "venue_city"]
    date_hierarchy = "date"
    # No filter_horizontal: its script names a span with aria-label (axe: aria-prohibited-attr); a plain list
    # with its label serves the few organisers of an event.
    inlines = [ProgrammeItemInline, RoundInline, WorkshopInline, SpeakerInline, OrganisationInline]
    fieldsets = [
        (None, {"fields": ["slug", "published", "title_nl", "title_en", "theme_nl", "theme_en"]}),
        (
            _("Date and place"),
            {
                "fields": [
                    "date",
                    "start_time",
                    "end_time",
                    "time_zone",
                    "venue_name",
                    "venue_street",
                    "venue_postcode",
                    "venue_city",
                ]
            },
        ),
        (_("Registration"), {"fields": ["capacity", "registration_opens", "registration_closes", "contact_email"]}),
        (_("Personal data"), {"fields": ["privacy_controller", "privacy_contact", "retention_days"]}),
        (
            _("Content"),
            {
                "fields": [
                    "description_nl",
                    "description_en",
                    "central_question_nl",
                    "central_question_en",
                    "target_date",
                    "target_date_label_nl",
                    "target_date_label_en",
                    "more_info_url",
                ]
            },
        ),
        (_("Access"), {"fields": ["organisers"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return name_date_and_time(super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_superuser else queryset.filter(organisers=request.user)

    def _event_of(self, obj):
        return obj

    def has_add_permission(self, request):
        # New events come from an event file or from a superuser; an organiser manages the events given to them.
        return request.user.is_superuser and super().has_add_permission(request)


class WorkshopSessionInline(LabelledInlineMixin, admin.TabularInline):
    model = WorkshopSession
    extra = 0
    fields = ["round", "room", "capacity"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        workshop = getattr(request, "_workshop_being_edited", None)
        if db_field.name == "round" and workshop is not None:
            kwargs["queryset"] = Round.objects.filter(event=workshop.event)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Workshop)
class WorkshopAdmin(OwnEventsMixin, admin.ModelAdmin):
    list_display = ["__str__", "event"]
    # Only events the user can see in the list: a plain filter would name every event to every organiser.
    list_filter = [("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title_nl", "title_en"]
    inlines = [WorkshopSessionInline]
    fields = [
        "event",
        "number",
        "slug",
        "title_nl",
        "title_en",
        "theme_nl",
        "theme_en",
        "description_nl",
        "description_en",
        "hosts",
        "organisations",
    ]

    def get_form(self, request, obj=None, **kwargs):
        request._workshop_being_edited = obj
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        workshop = getattr(request, "_workshop_being_edited", None)
        if workshop is not None and db_field.name == "hosts":
            kwargs["queryset"] = Speaker.objects.filter(event=workshop.event)
        if workshop is not None and db_field.name == "organisations":
            kwargs["queryset"] = Organisation.objects.filter(event=workshop.event)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
