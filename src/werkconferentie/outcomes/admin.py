"""Outcomes in the admin: for looking things up and repairs by trusted staff. Organisers work on the Opbrengst
page (views.py), which records every change in the history; the history itself is read-only here."""

from django.contrib import admin

from werkconferentie.core.admin import ViewOnlyMixin
from werkconferentie.events.admin import OwnEventsMixin

from . import history
from .models import OutcomeChange, OutcomePoint, OutcomeReport, Theme


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "__iter__") and not isinstance(value, dict):
        return sorted(str(item) for item in value)
    return str(value)


class RecordedMixin:
    """Changes made here are kept in the outcome's history too (the fields the form changed, before and after)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {
            name: [_plain(form.initial.get(name)) if change else None, _plain(form.cleaned_data.get(name))]
            for name in form.changed_data
        }
        history.record(obj.event, request.user, "update" if change else "create", obj, changes)

    def delete_model(self, request, obj):
        history.record(obj.event, request.user, "delete", obj)
        super().delete_model(request, obj)


@admin.register(Theme)
class ThemeAdmin(RecordedMixin, OwnEventsMixin, admin.ModelAdmin):
    list_display = ["title", "event", "order", "accepted"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "accepted"]
    search_fields = ["title"]
    list_select_related = ["event"]


@admin.register(OutcomePoint)
class OutcomePointAdmin(RecordedMixin, OwnEventsMixin, admin.ModelAdmin):
    list_display = ["number", "title_nl", "event", "is_request"]
    list_display_links = ["title_nl"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "is_request"]
    search_fields = ["title_nl", "title_en"]
    list_select_related = ["event"]
    raw_id_fields = ["theme", "answers"]
    filter_horizontal = ["crc_articles", "sdgs"]


@admin.register(OutcomeReport)
class OutcomeReportAdmin(RecordedMixin, OwnEventsMixin, admin.ModelAdmin):
    list_display = ["event", "published_at"]
    list_select_related = ["event"]


@admin.register(OutcomeChange)
class OutcomeChangeAdmin(ViewOnlyMixin, OwnEventsMixin, admin.ModelAdmin):
    list_display = ["created_at", "event", "user", "action", "object_type", "object_label"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "action", "object_type"]
    list_select_related = ["event", "user"]


from . import sending_admin  # noqa: E402, F401 (griffie addresses: registers its admin)
