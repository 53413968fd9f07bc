"""Links to published outcome reports, for the pages that promise what happens with the answers (the children's
page, the about page, the privacy statement). A report is linked only once its organiser has published it."""

from django import template
from django.urls import reverse

from werkconferentie.events.models import Event

from ..models import OutcomeReport

register = template.Library()


def report_path(event: Event) -> str:
    """The public report page's address (/conferenties/<slug>/opbrengst/)."""
    return reverse("outcomes_report:page", kwargs={"slug": event.slug})


@register.simple_tag
def published_report_url(event) -> str:
    """The address of the event's published report, or "" while there is none."""
    if event is None or not OutcomeReport.objects.filter(event=event, published_at__isnull=False).exists():
        return ""
    return report_path(event)


@register.simple_tag
def published_reports() -> list[dict]:
    """Every published report of a published event, newest event first: [{"event": …, "url": …}]."""
    reports = (
        OutcomeReport.objects.filter(published_at__isnull=False, event__published=True)
        .select_related("event")
        .order_by("-event__date")
    )
    return [{"event": r.event, "url": report_path(r.event)} for r in reports]
