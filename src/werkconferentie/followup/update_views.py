"""The pages where a municipality's commitments are added and updated: through a contact's update link (no
account), or by an organiser of the event. Both see one municipality only and change nothing else.

`Scope` says who acts and for which municipality; the views below serve both. A tampered, expired or revoked
link gets a page that says which of these it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from werkconferentie.documents.downloads import PDF_CONTENT_TYPE, download
from werkconferentie.events.backoffice import event_for
from werkconferentie.events.models import Event
from werkconferentie.reference.models import Municipality

from . import attachments, commitments, links
from .errors import FollowupError
from .forms import AttachmentForm, CommitmentForm
from .history import Actor, trail_of
from .models import Commitment, CommitmentAttachment, UpdateContact


@dataclass
class Scope:
    event: Event
    municipality: Municipality
    actor: Actor
    token: str = ""

    def url(self, name: str, *args) -> str:
        if self.token:
            return reverse(f"followup:{name}", args=[self.token, *args])
        return reverse(f"followup:manage_{name}", args=[self.event.slug, self.municipality.pk, *args])

    @property
    def home_url(self) -> str:
        if self.token:
            return reverse("followup:update", args=[self.token])
        return reverse("followup:manage_update", args=[self.event.slug, self.municipality.pk])

    @property
    def contact(self) -> UpdateContact | None:
        return self.actor.contact


def link_error_page(request, error: Exception):
    kind = {links.ExpiredLink: "expired", links.RevokedLink: "revoked"}.get(type(error), "invalid")
    return render(request, "followup/link_error.html", {"kind": kind}, status=410 if kind != "invalid" else 404)


def _contact_scope(request, token: str) -> tuple[Scope | None, object]:
    try:
        contact = links.contact_from_token(token)
    except (links.InvalidLink, links.ExpiredLink, links.RevokedLink) as error:
        return None, link_error_page(request, error)
    return Scope(contact.event, contact.municipality, Actor(contact=contact), token), None


def _organiser_scope(request, slug: str, code: str) -> Scope:
    event = event_for(request, slug)
    municipality = get_object_or_404(Municipality, pk=code, valid_to__isnull=True)
    return Scope(event, municipality, Actor(user=request.user))


def _commitment(scope: Scope, pk: int) -> Commitment:
    commitment = Commitment.objects.filter(pk=pk, event=scope.event, municipality=scope.municipality).first()
    if commitment is None:  # another municipality's commitment does not exist for this link
        raise Http404
    return commitment


def _language() -> str:
    return get_language() or "nl"


def municipality_page(request, scope: Scope):
    """Her municipality's commitments, the conference's requests, and a form for a new commitment."""
    event = scope.event
    form = CommitmentForm(
        request.POST or None,
        event=event,
        language=_language(),
        initial={"target_date": commitments.default_target_date(event), "progress": 0, "status": "openstaand"},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                commitment = commitments.create_commitment(event, scope.municipality, scope.actor, **form.values())
            except FollowupError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Commitment %(number)d added.") % {"number": commitment.number})
                return redirect(scope.url("commitment", commitment.pk))
    items = list(commitments.commitments_of(event, scope.municipality))
    for item in items:
        item.shown_progress = commitments.progress_of(item, item.milestones.all())
        item.edit_url = scope.url("commitment", item.pk)
    context = {
        "scope": scope,
        "event": event,
        "municipality": scope.municipality,
        "commitments": items,
        "requests": list(event.outcome_points.filter(is_request=True)),
        "form": form,
        "expires_at": links.link_expires_at(scope.contact) if scope.contact else None,
    }
    return render(request, "followup/update_municipality.html", context, status=400 if form.errors else 200)


def commitment_page(request, scope: Scope, pk: int):
    """One commitment: report progress, add a milestone, attach a PDF, see its history."""
    commitment = _commitment(scope, pk)
    language = _language()
    is_milestone = commitment.parent_id is not None
    form = CommitmentForm(
        initial=CommitmentForm.initial_for(commitment), event=scope.event, language=language, milestone=is_milestone
    )
    milestone_form = CommitmentForm(
        prefix="milestone",
        event=scope.event,
        language=language,
        milestone=True,
        initial={"target_date": commitment.target_date, "progress": 0, "status": "openstaand", "weight": 1},
    )
    attachment_form = AttachmentForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                form = CommitmentForm(request.POST, event=scope.event, language=language, milestone=is_milestone)
                if form.is_valid():
                    commitments.update_commitment(commitment, scope.actor, **form.values())
                    messages.success(request, _("Saved."))
                    return redirect(scope.url("commitment", commitment.pk))
            elif action == "milestone" and not is_milestone:
                milestone_form = CommitmentForm(
                    request.POST, prefix="milestone", event=scope.event, language=language, milestone=True
                )
                if milestone_form.is_valid():
                    commitments.create_commitment(
                        scope.event, scope.municipality, scope.actor, parent=commitment, **milestone_form.values()
                    )
                    messages.success(request, _("Milestone added."))
                    return redirect(scope.url("commitment", commitment.pk) + "#milestones")
            elif action == "attach":
                attachment_form = AttachmentForm(request.POST, request.FILES)
                if attachment_form.is_valid():
                    attachments.add_attachment(
                        commitment,
                        scope.actor,
                        attachment_form.cleaned_data["title"],
                        attachment_form.cleaned_data["file"],
                    )
                    messages.success(request, _("The document was added."))
                    return redirect(scope.url("commitment", commitment.pk) + "#evidence")
            elif action == "detach":
                attachment = commitment.attachments.filter(pk=request.POST.get("attachment") or 0).first()
                if attachment is None:
                    raise FollowupError(_("That document no longer exists."))
                attachments.remove_attachment(attachment, scope.actor)
                messages.success(request, _("The document was removed."))
                return redirect(scope.url("commitment", commitment.pk) + "#evidence")
            else:
                raise FollowupError(_("Unknown action; the page has been reloaded."))
        except FollowupError as error:
            target = {"milestone": milestone_form, "attach": attachment_form}.get(action, form)
            if target.is_bound:
                target.add_error(None, str(error))
            else:
                messages.error(request, str(error))
                return redirect(scope.url("commitment", commitment.pk))
    bound = any(f.is_bound and f.errors for f in (form, milestone_form, attachment_form))
    context = {
        "scope": scope,
        "event": scope.event,
        "municipality": scope.municipality,
        "commitment": commitment,
        "progress": commitments.progress_of(commitment),
        "milestones": [(m, scope.url("commitment", m.pk)) for m in commitment.milestones.all()],
        "parent_url": scope.url("commitment", commitment.parent_id) if commitment.parent_id else "",
        "attachment_urls": {a.pk: scope.url("attachment", a.pk) for a in commitment.attachments.all()},
        "form": form,
        "milestone_form": milestone_form,
        "attachment_form": attachment_form,
        "attachments": list(commitment.attachments.all()),
        "trail": list(trail_of(commitment).select_related("user", "contact")),
        "max_mb": attachments.max_bytes() // (1024 * 1024),
    }
    return render(request, "followup/update_commitment.html", context, status=400 if bound else 200)


def attachment_file(scope: Scope, pk: int):
    attachment = get_object_or_404(
        CommitmentAttachment, pk=pk, commitment__event=scope.event, commitment__municipality=scope.municipality
    )
    with attachment.file.open("rb") as handle:
        content = handle.read()
    return download(content, f"{attachment.title[:80]}.pdf", PDF_CONTENT_TYPE, inline=True)


# --- Through the contact's update link ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def update(request, token: str):
    scope, error = _contact_scope(request, token)
    return error or municipality_page(request, scope)


@require_http_methods(["GET", "HEAD", "POST"])
def update_commitment(request, token: str, pk: int):
    scope, error = _contact_scope(request, token)
    return error or commitment_page(request, scope, pk)


@require_safe
def update_attachment(request, token: str, pk: int):
    scope, error = _contact_scope(request, token)
    return error or attachment_file(scope, pk)


# --- By an organiser of the event -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def manage_municipality(request, slug: str, code: str):
    return municipality_page(request, _organiser_scope(request, slug, code))


@require_http_methods(["GET", "HEAD", "POST"])
def manage_commitment(request, slug: str, code: str, pk: int):
    return commitment_page(request, _organiser_scope(request, slug, code), pk)


@require_safe
def manage_attachment(request, slug: str, code: str, pk: int):
    return attachment_file(_organiser_scope(request, slug, code), pk)
