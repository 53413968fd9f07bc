"""Assignment runs in the back office: the list of runs per event, and the assignment page of an event.

The runs are written only by the engine (runs.run_engine), so the admin shows them read-only; the assignment page
and the participant list with moves are custom views (admin_views.py) mounted below, inside the admin's login and
look. Running, moving and publishing need the right to change assignment runs (the organisers' group has it).
"""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.admin import ViewOnlyMixin
from werkconferentie.events.admin import OwnEventsMixin

from . import admin_views
from .models import AssignmentRun


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ViewOnlyMixin, OwnEventsMixin, admin.ModelAdmin):
    list_display = ["__str__", "event", "created_at", "published_at", "objective", "optimal", "page_link"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["event"]
    fields = ["event", "number", "created_at", "created_by", "published_at", "objective", "lower_bound", "optimal"]
    readonly_fields = fields

    def get_urls(self):
        def wrap(view):
            def wrapper(request, *args, **kwargs):
                return view(request, self, *args, **kwargs)

            return self.admin_site.admin_view(wrapper)

        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("event/<slug:slug>/", wrap(admin_views.assignment), name=f"{name}_event"),
            path("event/<slug:slug>/people/", wrap(admin_views.people), name=f"{name}_people"),
            *super().get_urls(),
        ]

    @admin.display(description=_("assignment page"))
    def page_link(self, run):
        url = reverse("admin:assignment_assignmentrun_event", args=[run.event.slug])
        return format_html('<a href="{}?run={}">{}</a>', url, run.number, _("Open"))

    def may_assign(self, request) -> bool:
        """Run the engine, move, pin and publish: the model's change right (the rows themselves are read-only)."""
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")
