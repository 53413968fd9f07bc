"""The organiser's Opbrengst page of an event: all public answers in themes, the outcome points and the history.

Mounted under /beheer-dag/ (admin_urls.py) behind the admin's login; anyone who does not organise the event gets
404, as on the other pages of an event. Every change is a POST to `action`, which calls the domain functions
(themes.py, points.py) and comes back to the page; a refused change shows the rule's message.
"""

from collections import defaultdict

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkconferentie.events.backoffice import admin_context, event_for
from werkconferentie.registration.enums import Role

from . import history, points, report, themes
from .answers import public_answers
from .errors import OutcomeError, valid_id
from .forms import PointForm, area_choices
from .models import OutcomePoint, Theme

HISTORY_LENGTH = 50
ACTION_LABELS = {
    "create": gettext_lazy("Created"),
    "update": gettext_lazy("Changed"),
    "delete": gettext_lazy("Removed"),
    "rename": gettext_lazy("Renamed"),
    "accept": gettext_lazy("Accepted"),
    "unaccept": gettext_lazy("No longer accepted"),
    "split": gettext_lazy("Split off"),
    "join": gettext_lazy("Joined"),
    "move": gettext_lazy("Answers moved"),
    "reorder": gettext_lazy("Order changed"),
    "propose": gettext_lazy("Themes proposed"),
    "publish": gettext_lazy("Published"),
    "unpublish": gettext_lazy("Unpublished"),
}
OBJECT_LABELS = {
    "theme": gettext_lazy("theme"),
    "point": gettext_lazy("outcome point"),
    "report": gettext_lazy("report"),
}


def _short(value) -> str:
    if isinstance(value, list | dict):
        text = (
            ", ".join(map(str, value)) if isinstance(value, list) else ", ".join(f"{k}→{v}" for k, v in value.items())
        )
    else:
        text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def describe(change) -> None:
    """Labels for the history table: the action in words, per field "before → after"."""
    change.action_label = (
        f"{ACTION_LABELS.get(change.action, change.action)} ({OBJECT_LABELS.get(change.object_type, '')})"
    )
    parts = []
    for field, value in (change.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{field}: {_short(value[0])} → {_short(value[1])}")
        else:
            parts.append(f"{field}: {_short(value)}")
    change.details = "; ".join(parts)


def _theme(event, value) -> Theme | None:
    if value in (None, ""):
        return None
    if valid_id(value) is None:
        raise OutcomeError(_("Choose a theme from the list."))
    theme = Theme.objects.filter(event=event, pk=valid_id(value)).first()
    if theme is None:
        raise OutcomeError(_("That theme no longer exists; the page has been reloaded."))
    return theme


def _point(event, value) -> OutcomePoint:
    point = OutcomePoint.objects.filter(event=event, pk=valid_id(value) or 0).first()
    if point is None:
        raise OutcomeError(_("That outcome point no longer exists; the page has been reloaded."))
    return point


def page(request, slug: str):
    event = event_for(request, slug)
    if themes.ensure_proposed(event, request.user):
        messages.info(request, _("Themes were proposed from the answers. Check them, rename and rearrange them."))
    language = get_language() or "nl"
    answers = public_answers(event)
    by_id = {answer.id: answer for answer in answers}
    theme_list = list(themes.themes_of(event))
    in_theme = defaultdict(list)
    for theme in theme_list:
        for membership in theme.memberships.all():
            if membership.answer_id in by_id:
                in_theme[theme.pk].append(by_id[membership.answer_id])
    rank = {answer.id: n for n, answer in enumerate(answers)}
    placed = {answer.id for group in in_theme.values() for answer in group}
    roles = dict(Role.choices)
    areas = dict(area_choices(language))
    for answer in answers:
        answer.role_labels = [str(roles.get(role, role)) for role in answer.roles]
        answer.area_labels = [areas.get(area, area) for area in answer.policy_areas]
    point_list = list(points.points_of(event))
    context = admin_context(
        request,
        _("Outcome: %(event)s") % {"event": event.loc("title")},
        event=event,
        answer_count=len(answers),
        themes=[
            (theme, sorted(in_theme[theme.pk], key=lambda a: rank[a.id]), sum(a.votes for a in in_theme[theme.pk]))
            for theme in theme_list
        ],
        unplaced=[answer for answer in answers if answer.id not in placed],
        points=[(point, PointForm.for_point(point, language)) for point in point_list],
        new_point_form=PointForm(prefix="new", initial={"number": len(point_list) + 1}, language=language),
        changes=[describe(change) or change for change in history.changes_of(event, HISTORY_LENGTH)],
        outcome_report=report.report_of(event),
    )
    return TemplateResponse(request, "outcomes/opbrengst.html", context)


def _point_values(form: PointForm) -> dict:
    return dict(form.cleaned_data)


def _form_errors(form: PointForm) -> str:
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


@require_POST
def action(request, slug: str):
    event = event_for(request, slug)
    user = request.user
    post = request.POST
    name = post.get("action", "")
    anchor = ""
    try:
        if name == "propose":
            made = themes.propose_themes(event, user)
            messages.success(request, _("Themes proposed: %(count)d.") % {"count": len(made)})
            anchor = "themes"
        elif name in ("rename", "accept", "unaccept", "delete-theme", "make-point"):
            theme = _theme(event, post.get("theme"))
            if theme is None:
                raise OutcomeError(_("Choose a theme from the list."))
            anchor = f"theme-{theme.pk}"
            if name == "rename":
                themes.rename(theme, post.get("title", ""), user)
                messages.success(request, _("Theme renamed."))
            elif name in ("accept", "unaccept"):
                themes.accept(theme, user, accepted=name == "accept")
                messages.success(request, _("Theme accepted.") if name == "accept" else _("Theme no longer accepted."))
            elif name == "delete-theme":
                themes.delete_theme(theme, user)
                messages.success(request, _("Theme removed; its answers are now outside the themes."))
                anchor = "outside"
            else:
                point = points.point_from_theme(theme, user)
                messages.success(request, _("Outcome point %(number)d made from the theme.") % {"number": point.number})
                anchor = f"point-{point.pk}"
        elif name == "move":
            target = _theme(event, post.get("target"))
            count = themes.move(event, post.getlist("answer"), target, user)
            messages.success(request, _("Answers moved: %(count)d.") % {"count": count})
            anchor = f"theme-{target.pk}" if target else "outside"
        elif name == "split":
            theme = _theme(event, post.get("theme"))
            title = post.get("new_title", "")
            if theme is None:
                new = themes.create_theme(event, title, post.getlist("answer"), user)
            else:
                new = themes.split(theme, post.getlist("answer"), title, user)
            messages.success(request, _("New theme made: %(title)s") % {"title": new.title})
            anchor = f"theme-{new.pk}"
        elif name == "join":
            into, other = _theme(event, post.get("into")), _theme(event, post.get("other"))
            if into is None or other is None:
                raise OutcomeError(_("Choose two themes to join."))
            themes.join(into, other, user)
            messages.success(request, _("Themes joined."))
            anchor = f"theme-{into.pk}"
        elif name in ("save-point", "new-point"):
            point = _point(event, post.get("point")) if name == "save-point" else None
            form = PointForm(post, prefix=f"point-{point.pk}" if point else "new", language=get_language() or "nl")
            if not form.is_valid():
                raise OutcomeError(_form_errors(form))
            if point:
                points.update_point(point, user, **_point_values(form))
                messages.success(request, _("Outcome point saved."))
            else:
                point = points.create_point(event, user, **_point_values(form))
                messages.success(request, _("Outcome point %(number)d added.") % {"number": point.number})
            anchor = f"point-{point.pk}"
        elif name == "delete-point":
            points.delete_point(_point(event, post.get("point")), user)
            messages.success(request, _("Outcome point removed."))
            anchor = "points"
        else:
            raise Http404
    except OutcomeError as error:
        messages.error(request, str(error))
    url = reverse("outcomes_admin:page", kwargs={"slug": event.slug})
    return redirect(f"{url}#{anchor}" if anchor else url)


def admin_urls():
    from django.contrib import admin
    from django.urls import path

    return [
        path("<slug:slug>/opbrengst/", admin.site.admin_view(page), name="page"),
        path("<slug:slug>/opbrengst/actie/", admin.site.admin_view(action), name="action"),
    ]
