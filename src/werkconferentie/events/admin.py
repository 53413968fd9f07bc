"""The back office for organisers: an event with its parts as inlines, limited to the events one organises."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
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


# How each event-bound model reaches its event; every choice of one in the back office is limited through it.
EVENT_PATHS = {
    Event: "pk",
    Round: "event",
    Speaker: "event",
    Organisation: "event",
    Workshop: "event",
    ProgrammeItem: "event",
    WorkshopSession: "workshop__event",
}
# Set by the admin of an event or a workshop while it builds its form: the event being edited.
EDITED_EVENT = "_event_being_edited"


def limit_choices(request, queryset):
    """The choices of a form field: only rows of the event being edited, else of the events the user organises.

    Models that belong to no event are left as they are, except accounts (the organisers of an event): those are
    limited to the user and the co-organisers of their events, so a list of choices never names other events'
    people or things. Limiting the queryset is the server-side check too: a posted id outside it is refused.
    """
    model = queryset.model
    user = request.user
    if model is get_user_model():
        return queryset.all() if user.is_superuser else queryset.filter(pk__in=_co_organisers(user))
    path = EVENT_PATHS.get(model)
    if path is None:
        return queryset
    event = getattr(request, EDITED_EVENT, None)
    if event is not None:
        return queryset.filter(**{path: event.pk})
    if user.is_superuser:
        return queryset.all()
    return queryset.filter(**{f"{path}__in": Event.objects.filter(organisers=user)})


def _co_organisers(user):
    return (
        get_user_model()
        .objects.filter(organised_events__organisers=user)
        .values("pk")
        .union(get_user_model().objects.filter(pk=user.pk).values("pk"))
    )


class EventChoicesMixin:
    """For admins and inlines: every foreign-key and many-to-many choice limited by limit_choices()."""

    def _limited(self, db_field, request, kwargs):
        model = db_field.remote_field.model
        if "queryset" not in kwargs and (model in EVENT_PATHS or model is get_user_model()):
            queryset = self.get_field_queryset(None, db_field, request)
            kwargs["queryset"] = limit_choices(request, queryset if queryset is not None else model._default_manager)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._limited(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._limited(db_field, request, kwargs))


class SameEventFormSet(forms.BaseInlineFormSet):
    """An inline's rows may only point at things of the parent's event (a session's round, an item's round)."""

    def clean(self):
        super().clean()
        event_id = _event_id_of(self.instance)
        for form in self.forms:
            for name, value in getattr(form, "cleaned_data", {}).items():
                if type(value) in EVENT_PATHS and event_id is not None and _event_id_of(value) != event_id:
                    form.add_error(name, _("Choose one of this event's own."))


def _event_id_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Event):
        return obj.pk
    if isinstance(obj, WorkshopSession):
        return obj.workshop.event_id if obj.workshop_id else None
    return getattr(obj, "event_id", None)


class OwnEventsMixin(EventChoicesMixin):
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


class EventPartInline(EventChoicesMixin, admin.TabularInline):
    formset = SameEventFormSet
    extra = 0


class OrganisationInline(LabelledInlineMixin, EventPartInline):
    model = Organisation
    extra = 0
    fields = ["key", "name_nl", "name_en", "role", "url", "order"]


class SpeakerInline(LabelledInlineMixin, EventPartInline):
    model = Speaker
    extra = 0
    fields = ["key", "name", "affiliation_nl", "affiliation_en"]


class RoundInline(LabelledInlineMixin, EventPartInline):
    model = Round
    extra = 0
    fields = ["key", "number", "title_nl", "title_en", "start_time", "end_time"]


class WorkshopInline(LabelledInlineMixin, EventPartInline):
    model = Workshop
    extra = 0
    fields = ["number", "slug", "title_nl", "title_en"]
    show_change_link = True


class ProgrammeItemInline(LabelledInlineMixin, EventPartInline):
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

    def get_form(self, request, obj=None, **kwargs):
        setattr(request, EDITED_EVENT, obj)
        return super().get_form(request, obj, **kwargs)

    def _event_of(self, obj):
        return obj

    def has_add_permission(self, request):
        # New events come from an event file or from a superuser; an organiser manages the events given to them.
        return request.user.is_superuser and super().has_add_permission(request)


class WorkshopSessionInline(LabelledInlineMixin, EventPartInline):
    model = WorkshopSession
    fields = ["round", "room", "capacity"]


class WorkshopForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        event = cleaned_data.get("event")
        if event is not None:
            for name in ("hosts", "organisations"):
                if any(part.event_id != event.pk for part in cleaned_data.get(name) or ()):
                    self.add_error(name, _("Choose one of this event's own."))
        return cleaned_data


@admin.register(Workshop)
class WorkshopAdmin(OwnEventsMixin, admin.ModelAdmin):
    list_display = ["__str__", "event"]
    # Only events the user can see in the list: a plain filter would name every event to every organiser.
    list_filter = [("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title_nl", "title_en"]
    inlines = [WorkshopSessionInline]
    form = WorkshopForm
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
        # Editing: the workshop's own event's choices. Adding: those of every event the user organises, and
        # WorkshopForm and SameEventFormSet check that they all belong to the event chosen.
        setattr(request, EDITED_EVENT, obj.event if obj is not None else None)
        return super().get_form(request, obj, **kwargs)
