"""The reference tables in the back office: to look things up, not to edit (they come from bundled files)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.admin import ViewOnlyMixin

from .models import CrcArticle, CrcCluster, Municipality, SdgGoal, SdgIndicator, SdgTarget


class ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """View-only: changes would be overwritten by the next `load_reference` anyway."""


@admin.register(CrcCluster)
class CrcClusterAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_nl", "name_en"]


@admin.register(CrcArticle)
class CrcArticleAdmin(ReadOnlyAdmin):
    list_display = ["number", "title_nl", "title_en", "part", "is_general_principle"]
    list_display_links = ["number", "title_nl"]
    list_filter = ["part", "is_general_principle", "clusters"]
    search_fields = ["title_nl", "title_en", "text_nl", "text_en"]
    filter_horizontal = ["clusters"]


class SdgTargetInline(ViewOnlyMixin, admin.TabularInline):
    model = SdgTarget
    fields = ["code", "text_en"]
    extra = 0
    show_change_link = True


@admin.register(SdgGoal)
class SdgGoalAdmin(ReadOnlyAdmin):
    list_display = ["number", "short_nl", "short_en"]
    list_display_links = ["number", "short_nl"]
    search_fields = ["short_nl", "short_en", "title_en"]
    inlines = [SdgTargetInline]


@admin.register(SdgTarget)
class SdgTargetAdmin(ReadOnlyAdmin):
    list_display = ["code", "goal", "text_en"]
    list_filter = ["goal"]
    list_select_related = ["goal"]
    search_fields = ["code", "text_en"]


@admin.register(SdgIndicator)
class SdgIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "text_en", "child_related", "child_dimension"]
    list_filter = ["child_related", "child_dimension", "target__goal"]
    search_fields = ["code", "unsd_code", "text_en"]


class CurrentFilter(admin.SimpleListFilter):
    title = _("exists now")
    parameter_name = "nu"

    def lookups(self, request, model_admin):
        return [("ja", _("yes")), ("nee", _("no, dissolved"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "nee":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "province_name", "valid_from", "valid_to", "successor"]
    list_filter = [CurrentFilter, "province_name"]
    list_select_related = ["successor"]
    search_fields = ["name", "code"]
    date_hierarchy = "valid_to"
