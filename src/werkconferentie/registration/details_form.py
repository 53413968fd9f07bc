"""The personal page's form for her own details: name, organisation, needs and language (AVG: rectification).

E-mail address, role and municipality are not changed here: the address is where the personal link goes, and
role and municipality are what the organiser counts and plans by; she asks the organiser (the page says so).
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class DetailsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    dietary_needs = forms.CharField(
        label=_("Dietary needs (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    language = forms.ChoiceField(
        label=_("Language of your e-mails and pages"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args, registration, **kwargs):
        initial = {
            "name": registration.name,
            "organisation": registration.organisation,
            "dietary_needs": registration.dietary_needs,
            "accessibility_needs": registration.accessibility_needs,
            "language": registration.language,
        }
        super().__init__(*args, initial=initial, prefix="gegevens", label_suffix="", **kwargs)
        self.registration = registration
        if registration.municipality_id:
            # She came for a municipality: the organisation field is not hers to fill (see signup.register).
            del self.fields["organisation"]

    def clean(self):
        data = super().clean()
        if "organisation" in self.fields and not data.get("organisation"):
            self.add_error("organisation", _("Fill in your organisation."))
        return data
