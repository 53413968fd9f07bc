"""Griffie addresses in the back office: typed per municipality, or imported from a CSV (griffies.py).

The addresses are public facts about councils, shared by every event, so every organiser (the group's model
rights) may keep them up to date; staff without those rights get 403, people without an account the login.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import griffies
from .models import GriffieAddress


class GriffieAddressForm(forms.ModelForm):
    class Meta:
        model = GriffieAddress
        fields = ["municipality", "email", "postal_address"]

    def clean_municipality(self):
        municipality = self.cleaned_data["municipality"]
        if municipality is not None and municipality.valid_to is not None:
            raise forms.ValidationError(
                _("%(name)s no longer exists; letters go to the municipality that took it over.")
                % {"name": municipality.name}
            )
        return municipality

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not (cleaned.get("postal_address") or "").strip():
            raise forms.ValidationError(_("Give an e-mail address or a postal address (or both)."))
        return cleaned


@admin.register(GriffieAddress)
class GriffieAddressAdmin(admin.ModelAdmin):
    form = GriffieAddressForm
    list_display = ["municipality", "email", "province", "updated_at"]
    list_select_related = ["municipality"]
    list_filter = ["municipality__province_name"]
    search_fields = ["municipality__name", "municipality__code", "email"]
    autocomplete_fields = ["municipality"]
    change_list_template = "outcomes/admin/griffieaddress_change_list.html"

    @admin.display(description=_("province"), ordering="municipality__province_name")
    def province(self, obj):
        return obj.municipality.province_name

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view(self.import_view)
        return [path("importeren/", view, name=f"{name}_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a CSV of griffie addresses: all rows saved, or none and every bad row listed."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                result = griffies.ImportResult(errors=[griffies.RowError(0, _("Choose a CSV file first."))])
            else:
                result = griffies.import_csv(upload.read(griffies.MAX_BYTES + 1))  # larger is refused whole
            if result.ok:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d griffie address imported: %(created)d new, %(updated)d changed, "
                        "%(unchanged)d unchanged.",
                        "%(count)d griffie addresses imported: %(created)d new, %(updated)d changed, "
                        "%(unchanged)d unchanged.",
                        result.created + result.updated + result.unchanged,
                    )
                    % {
                        "count": result.created + result.updated + result.unchanged,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import griffie addresses"),
            "result": result,
        }
        return TemplateResponse(
            request, "outcomes/admin/griffie_import.html", context, status=400 if result is not None else 200
        )
