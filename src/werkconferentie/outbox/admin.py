"""Outgoing mail in the back office: read-only, for superusers, with one action to send again now."""

from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from werkconferentie.core.admin import ViewOnlyMixin

from .mailing import retry_now
from .models import OutboxAttachment, OutboxMessage


class SuperuserReadOnlyMixin(ViewOnlyMixin):
    """Mail holds personal data and is the worker's business: superusers may look, nobody edits."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class AttachmentInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = OutboxAttachment
    fields = ["filename", "mimetype", "size"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("size"))
    def size(self, attachment):
        return filesizeformat(len(attachment.content))


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["subject", "recipient", "state", "attempts", "next_attempt_at", "created_at", "sent_at"]
    list_filter = ["state", "language", "kind"]
    search_fields = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["send_again_now"]
    inlines = [AttachmentInline]
    fields = [
        "recipient",
        "reply_to",
        "subject",
        "language",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "message_id",
        "kind",
        "object_id",
        "template",
        "body_text",
        "body_html",
    ]
    readonly_fields = fields

    def has_retry_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    @admin.action(description=_("Send again now"), permissions=["retry"])
    def send_again_now(self, request, queryset):
        count = retry_now(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent at the next round of the mail worker.",
                "%(count)d messages will be sent at the next round of the mail worker.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
