"""The organiser's form for a message to participants: the text in one or both languages, and who gets it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.i18n import localized
from werkconferentie.events.models import Event, WorkshopSession
from werkconferentie.reference.models import Municipality

from .enums import Role, Status
from .mailings import Audience, Draft


class MailingForm(forms.Form):
    subject_nl = forms.CharField(label=_("Subject (Dutch)"), max_length=200)
    body_nl = forms.CharField(
        label=_("Message (Dutch)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text. Each mail starts with the person's name and ends with her personal link."),
    )
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Message (English)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Optional. People who registered in English get this; without it they get the Dutch text."),
    )
    statuses = forms.MultipleChoiceField(
        label=_("Status"),
        choices=[(Status.CONFIRMED, _("Confirmed")), (Status.WAITLISTED, _("On the waiting list"))],
        initial=[Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Role"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Municipality"), required=False, help_text=_("None chosen: every municipality and organisation.")
    )
    sessions = forms.MultipleChoiceField(
        label=_("Workshop session"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only people placed there in the published programme. None ticked: everyone."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        codes = event.registrations.exclude(municipality=None).values("municipality")
        self.fields["municipalities"].choices = list(
            Municipality.objects.filter(pk__in=codes).order_by("name").values_list("pk", "name")
        )
        self.fields["municipalities"].widget.attrs["size"] = min(8, max(2, len(self.fields["municipalities"].choices)))
        sessions = WorkshopSession.objects.filter(workshop__event=event).select_related("workshop", "round")
        self.fields["sessions"].choices = [
            (str(s.pk), f"{s.workshop.number}. {localized(s.workshop, 'title')} ({localized(s.round, 'title')})")
            for s in sessions.order_by("round__number", "workshop__number")
        ]

    def clean(self):
        data = super().clean()
        if bool(data.get("subject_en")) != bool(data.get("body_en")):
            raise forms.ValidationError(_("Write both the English subject and the English message, or neither."))
        return data

    @property
    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(data["subject_nl"], data["body_nl"], data.get("subject_en", ""), data.get("body_en", ""))

    @property
    def audience(self) -> Audience:
        data = self.cleaned_data
        return Audience(
            statuses=list(data["statuses"]),
            roles=list(data.get("roles") or []),
            municipalities=list(data.get("municipalities") or []),
            sessions=[int(pk) for pk in data.get("sessions") or []],
        )
