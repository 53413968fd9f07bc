"""Evidence as PDF files: checked by content (not by the name or the browser's word), limited in size, and
stored through Django's storage API (local files, or an S3-compatible store when configured)."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .commitments import _check_actor, _text
from .errors import FollowupError
from .history import Actor, record
from .models import TITLE_MAX_LENGTH, Commitment, CommitmentAttachment

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_PER_COMMITMENT = 10


def max_bytes() -> int:
    return getattr(settings, "FOLLOWUP_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_pdf(content: bytes) -> None:
    """Refuse anything that is not a readable PDF (a renamed Word file, an image, a broken file)."""
    if not content.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        raise FollowupError(_("This file is not a PDF. Save the document as PDF and try again."))
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(content), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        pages = 0
    if pages < 1:
        raise FollowupError(_("This PDF cannot be read. Save the document as PDF again and try again."))


def add_attachment(commitment: Commitment, actor: Actor, title: str, upload) -> CommitmentAttachment:
    """Store an uploaded PDF (a Django UploadedFile or bytes with a name) as evidence for the commitment."""
    _check_actor(actor, commitment.event, commitment.municipality)
    limit = max_bytes()
    if upload is None:
        raise FollowupError(_("Choose a PDF file."))
    if upload.size > limit:
        raise FollowupError(_("This file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise FollowupError(_("This file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    check_pdf(content)
    title = (
        _text(title, _("Title of the document"), TITLE_MAX_LENGTH)
        or _text(getattr(upload, "name", ""), _("Title of the document"), TITLE_MAX_LENGTH)
        or _("Document")
    )
    if commitment.attachments.count() >= MAX_PER_COMMITMENT:
        raise FollowupError(_("At most %(max)d files per commitment.") % {"max": MAX_PER_COMMITMENT})
    with transaction.atomic():
        attachment = CommitmentAttachment(commitment=commitment, title=title, size=len(content))
        attachment.file.save("document.pdf", ContentFile(content), save=False)
        attachment.save()
        record(commitment, actor, "attach", {"attachment": [None, title]})
    return attachment


def remove_attachment(attachment: CommitmentAttachment, actor: Actor) -> None:
    commitment = attachment.commitment
    _check_actor(actor, commitment.event, commitment.municipality)
    with transaction.atomic():
        record(commitment, actor, "detach", {"attachment": [attachment.title, None]})
        name = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.storage.delete(name))
