"""Registrations in the back office: organisers see those of their own events, and change seats only by actions.

A seat is taken or freed only under the event's capacity lock (signup.py), so the status is read-only in the form;
cancelling and promoting from the waiting list are actions that call the domain functions, which also queue the
mails. Registrations are made through the public form or the API, not here. The dashboard and downloads per
event are in admin_views.py, mounted below.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from werkconferentie.core.admin import ViewOnlyMixin
from werkconferentie.events.admin import EventAdmin, OwnEventsMixin
from werkconferentie.events.models import Event

from . import admin_views, signup
from .enums import Status
from .models import ErasedRegistrations, Preference, PrivacyStatement, Registration
from .privacy_admin import erase_selected
from .stats import with_waitlist_position

# The admin index gets a link to the dashboards (the template adds one box above the apps).
admin.site.index_template = "registration/admin/index.html"


class ProvinceFilter(admin.SimpleListFilter):
    title = _("province")
    parameter_name = "province"
    NONE = "none"

    def lookups(self, request, model_admin):
        provinces = (
            model_admin.get_queryset(request)
            .filter(municipality__isnull=False)
            .values_list("municipality__province_code", "municipality__province_name")
            .distinct()
            .order_by("municipality__province_name")
        )
        return [*provinces, (self.NONE, _("No municipality (organisation)"))]

    def queryset(self, request, queryset):
        if self.value() == self.NONE:
            return queryset.filter(municipality__isnull=True)
        if self.value():
            return queryset.filter(municipality__province_code=self.value())
        return queryset


class PreferenceInline(ViewOnlyMixin, admin.TabularInline):
    """The ranking as the person gave it; they change it through their personal link."""

    model = Preference
    fields = ["rank", "workshop"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workshop")


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "language",
            "role",
            "role_other",
            "municipality",
            "organisation",
            "dietary_needs",
            "accessibility_needs",
        ]

    def clean_email(self):
        email = signup.normalise_email(self.cleaned_data["email"])
        others = Registration.objects.filter(event=self.instance.event_id, email=email).exclude(pk=self.instance.pk)
        if self.instance.status != Status.CANCELLED and others.exclude(status=Status.CANCELLED).exists():
            raise forms.ValidationError(_("Someone else is registered for this event with this address."))
        return email


@admin.register(Registration)
class RegistrationAdmin(OwnEventsMixin, admin.ModelAdmin):
    form = RegistrationForm
    list_display = [
        "name",
        "email",
        "role_column",
        "affiliation_column",
        "status",
        "created_at",
        "waitlist_position_column",
    ]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "status", "role", ProvinceFilter]
    search_fields = ["name", "email", "municipality__name", "organisation"]
    list_select_related = ["event", "municipality"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["municipality"]
    inlines = [PreferenceInline]
    actions = ["cancel_registrations", "promote_from_waitlist", "export_csv", "export_xlsx", erase_selected]
    change_list_template = "registration/admin/registration_change_list.html"
    fieldsets = [
        (None, {"fields": ["event", "status", "waitlist_position_column", "name", "email", "language"]}),
        (_("Role and place"), {"fields": ["role", "role_other", "municipality", "organisation"]}),
        (_("Needs"), {"fields": ["dietary_needs", "accessibility_needs"]}),
        (
            _("Consent and history"),
            {"fields": ["consent_statement", "consented_at", "created_at", "updated_at", "cancelled_at"]},
        ),
    ]
    readonly_fields = [
        "event",
        "status",
        "waitlist_position_column",
        "consent_statement",
        "consented_at",
        "created_at",
        "updated_at",
        "cancelled_at",
    ]

    def get_queryset(self, request):
        return with_waitlist_position(super().get_queryset(request))

    def get_urls(self):
        def wrap(view):
            def wrapper(request, *args, **kwargs):
                return view(request, self, *args, **kwargs)

            return self.admin_site.admin_view(wrapper)

        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("dashboard/", wrap(admin_views.events), name=f"{name}_events"),
            path("dashboard/<slug:slug>/", wrap(admin_views.dashboard), name=f"{name}_dashboard"),
            path("dashboard/<slug:slug>/export.csv", wrap(admin_views.export_csv), name=f"{name}_export_csv"),
            path("dashboard/<slug:slug>/export.xlsx", wrap(admin_views.export_xlsx), name=f"{name}_export_xlsx"),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        # A registration takes a seat: it is made through the form or the API, under the capacity lock.
        return False

    # The delete permission is the right to erase personal data (privacy_admin.erase_selected), which frees the
    # seat for the waiting list and keeps the anonymous counts. Django's own delete would do neither: its view and
    # bulk action are switched off.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "show_delete": False})

    @admin.display(description=_("role"), ordering="role")
    def role_column(self, registration):
        return registration.role_label

    @admin.display(description=_("municipality or organisation"), ordering="municipality__name")
    def affiliation_column(self, registration):
        return registration.affiliation

    @admin.display(description=_("waiting-list position"), ordering="waitlist_position")
    def waitlist_position_column(self, registration):
        return getattr(registration, "waitlist_position", None) or signup.waitlist_position(registration)

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        active = queryset.exclude(status=Status.CANCELLED).select_related("event")
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Cancel registrations"),
                "registrations": active,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "registration/admin/cancel_confirmation.html", context)
        cancelled = promoted = 0
        for registration in active:
            promoted += len(signup.cancel(registration))
            cancelled += 1
        self.message_user(
            request,
            ngettext(
                "Cancelled %(cancelled)d registration; %(promoted)d moved up from the waiting list.",
                "Cancelled %(cancelled)d registrations; %(promoted)d moved up from the waiting list.",
                cancelled,
            )
            % {"cancelled": cancelled, "promoted": promoted},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Give a seat to the selected people on the waiting list"), permissions=["change"])
    def promote_from_waitlist(self, request, queryset):
        waiting = queryset.filter(status=Status.WAITLISTED).order_by("created_at", "pk").select_related("event")
        promoted = not_promoted = 0
        for registration in waiting:
            if signup.promote(registration):
                promoted += 1
            else:
                not_promoted += 1
        self.message_user(
            request,
            ngettext("%(count)d person got a seat.", "%(count)d people got a seat.", promoted) % {"count": promoted},
            messages.SUCCESS if promoted else messages.INFO,
        )
        if not_promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person stays on the waiting list: the event is full.",
                    "%(count)d people stay on the waiting list: the event is full.",
                    not_promoted,
                )
                % {"count": not_promoted},
                messages.WARNING,
            )

    def _one_event(self, request, queryset):
        events = list(Event.objects.filter(registrations__in=queryset).distinct()[:2])
        if len(events) != 1:
            self.message_user(request, _("Select registrations of one event to export them."), messages.WARNING)
            return None
        return events[0]

    @admin.action(description=_("Export the selected registrations as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        event = self._one_event(request, queryset)
        return admin_views.csv_download(event, queryset) if event else None

    @admin.action(description=_("Export the selected registrations as Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        event = self._one_event(request, queryset)
        return admin_views.xlsx_download(event, queryset) if event else None


@admin.register(PrivacyStatement)
class PrivacyStatementAdmin(admin.ModelAdmin):
    """Superusers write new versions; organisers read them. A version someone consented to is not changed."""

    list_display = ["version", "effective_from"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if not request.user.is_superuser:
            return False
        return obj is None or not Registration.objects.filter(consent_statement=obj).exists()

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(ErasedRegistrations)
class ErasedRegistrationsAdmin(ViewOnlyMixin, OwnEventsMixin, admin.ModelAdmin):
    """The anonymous counts left by erasure: to read, never to edit."""

    list_display = ["event", "role", "status", "count"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "role", "status"]
    list_select_related = ["event"]


class EventWithRegistrationsAdmin(EventAdmin):
    """The events admin, with a link from an event to its registrations dashboard (registration depends on
    events, not the other way round, so the link is added here)."""

    change_form_template = "registration/admin/event_change_form.html"


admin.site.unregister(Event)
admin.site.register(Event, EventWithRegistrationsAdmin)
