from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class ViewOnlyMixin:
    """For admins and inlines of rows that only code writes (reference data, mail, tallies): look, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LabelledInlineMixin:
    """A tabular inline shows its labels only as column headers, which do not name the inputs below them: every
    input gets its label and its row as an accessible name ("Title (Dutch), workshop 2"; axe: label, select-name).
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        what = self.model._meta.verbose_name

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                row = gettext("new") if index is None else index + 1
                for name, field in form.fields.items():
                    if not field.widget.is_hidden:
                        # A foreign key's select sits in a wrapper (with the add and change links) whose own
                        # attrs are not the select's once the form is copied: name the select itself.
                        widget = getattr(field.widget, "widget", field.widget)
                        widget.attrs["aria-label"] = f"{capfirst(field.label or name)}, {what} {row}"

        return LabelledFormSet


def name_date_and_time(field):
    """Django's split date-and-time inputs have a label for neither part: "Registration opens: date", "...: time"."""
    if field is not None and isinstance(field.widget, forms.MultiWidget):
        for widget, part in zip(field.widget.widgets, (gettext("date"), gettext("time")), strict=False):
            widget.attrs["aria-label"] = f"{capfirst(field.label)}: {part}"
    return field


admin.site.site_header = _("Work conference back office")
admin.site.site_title = _("Work conference back office")
admin.site.index_title = _("Manage")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `werkconferentie api-token USERNAME`; here they can be seen and revoked (deleted)."""

    list_display = ["name", "user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "created_at", "last_used_at"]
    search_fields = ["name", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
