"""The Atom feed of an event's public progress: the latest changes of public commitments, newest first.

Built on Django's syndication framework. An entry says what changed (added, new status, new stand van zaken,
new target date) and links to the commitment on its municipality's page; never who made the change.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkconferentie.core.i18n import localized
from werkconferentie.events.models import Event

from . import progress
from .enums import CommitmentStatus
from .models import CommitmentChange

ACTIONS = {
    "create": gettext_lazy("added"),
    "take-over": gettext_lazy("taken over from a merged municipality"),
    "attach": gettext_lazy("document added"),
    "detach": gettext_lazy("document removed"),
}


def _status_label(value) -> str:
    try:
        return str(CommitmentStatus(value).label)
    except ValueError:
        return str(value)


class ProgressFeed(Feed):
    feed_type = Atom1Feed
    description_template = "followup/feed_entry.html"
    item_guid_is_permalink = False

    def get_object(self, request, slug: str) -> Event:
        return get_object_or_404(Event, slug=slug)

    def title(self, event: Event) -> str:
        return _("Progress of the commitments after %(event)s") % {"event": localized(event, "title")}

    def subtitle(self, event: Event) -> str:
        return _("What the municipalities promised for children, and how far they are.")

    def link(self, event: Event) -> str:
        return reverse("followup:progress", args=[event.slug])

    def feed_url(self, event: Event) -> str:
        return reverse("followup:feed", args=[event.slug])

    def items(self, event: Event) -> list[CommitmentChange]:
        changes = progress.public_changes(event)
        for change in changes:
            change.event = event  # all of this event: no query per entry
        return changes

    def item_title(self, change: CommitmentChange) -> str:
        what = ACTIONS.get(change.action)
        if what is None:
            status = change.changes.get("status")
            what = _("status: %(status)s") % {"status": _status_label(status[1])} if status else _("changed")
        return f"{change.municipality.name}: {change.commitment_label} — {what}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = kwargs["item"].changes.get("status")
        context["status"] = _status_label(status[1]) if status else ""
        return context

    def _page(self, change: CommitmentChange) -> str:
        return reverse("followup:municipality", args=[change.event.slug, change.municipality_id])

    def item_link(self, change: CommitmentChange) -> str:
        # A milestone is shown under its commitment.
        return f"{self._page(change)}#c-{change.commitment.parent_id or change.commitment_id}"

    def item_guid(self, change: CommitmentChange) -> str:
        return f"{settings.SITE_URL}{self._page(change)}?wijziging={change.pk}"

    def item_pubdate(self, change: CommitmentChange):
        return change.created_at

    def item_updateddate(self, change: CommitmentChange):
        return change.created_at
