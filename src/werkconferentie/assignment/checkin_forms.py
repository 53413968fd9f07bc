"""The form for a walk-in at the door: the few facts a badge and the lists need, on a phone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from werkconferentie.registration.enums import Role
from werkconferentie.registration.forms import MunicipalityField


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, help_text=_("For the personal link."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    municipality = MunicipalityField(label=_("Municipality"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    told_privacy = forms.BooleanField(
        label=_("The person knows how the data are used (privacy statement)."),
        error_messages={"required": _("Tell the person about the privacy statement first.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", auto_id="walkin-%s", **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("municipality") and not cleaned_data.get("organisation"):
            if not self.has_error("municipality"):
                self.add_error("municipality", _("Fill in a municipality or an organisation."))
        return cleaned_data
