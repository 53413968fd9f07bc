from django.contrib import admin
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
