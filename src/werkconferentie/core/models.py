"""API tokens for the organiser endpoints of the JSON API.

Only a SHA-256 hash of a token is stored: the token itself is shown once, when it is made
(`werkconferentie api-token USERNAME`), and cannot be read back from the database or a dump. A token acts as
its user: it sees the events that user organises.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "wkc_"
# last_used_at is written at most once per this interval, so reading the API does not write on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the script using it."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def create_for(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """Make a token for `user`; returns the stored record and the token, which is not kept anywhere."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = cls.objects.create(user=user, name=name or "API", token_hash=hash_token(token))
        return record, token

    @classmethod
    def user_for(cls, token: str):
        """The active user a token belongs to, or None."""
        record = cls.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if record is None or not record.user.is_active:
            return None
        now = timezone.now()
        if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
            cls.objects.filter(pk=record.pk).update(last_used_at=now)
        return record.user
