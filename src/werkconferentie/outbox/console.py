"""A console mail backend that prints one line per mail, for the demo and development.

Django's console backend prints every message whole (with an .ics attachment that is some 60 lines of time-zone
data), which buries the server's log. The mail itself is kept in the outbox; the organiser reads it, rendered
and with its attachments, on the event's mail page in the back office.
"""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend
from django.utils import timezone


def _attachment_name(attachment) -> str:
    if isinstance(attachment, tuple):  # (filename, content, mimetype), also Django's EmailAttachment
        return attachment[0] or "?"
    return attachment.get_filename() or "?"


def summary(message) -> str:
    names = [_attachment_name(a) for a in message.attachments]
    parts = [
        f"{timezone.localtime():%H:%M:%S} mail to {', '.join(message.recipients())}",
        f'"{" ".join(str(message.subject).split())}"',
    ]
    if names:
        parts.append(f"attachments: {', '.join(names)}")
    return " · ".join(parts)


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        self.stream.write(summary(message) + "\n")
