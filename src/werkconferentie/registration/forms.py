"""The public sign-up form and the preference form of the personal page."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from werkconferentie.core.i18n import localized
from werkconferentie.events.models import Event, Workshop
from werkconferentie.reference.municipalities import (
    current_municipalities,
    municipality_candidates,
    unknown_municipality_message,
)

from . import validation
from .enums import Role
from .validation import LIMITS, MAX_RANKS, SignupInput


class MunicipalityField(forms.CharField):
    """A current municipality typed by name (with the browser's type-ahead list), by CBS code or as the town
    or village someone lives in ('Roden' is taken as Noordenveld)."""

    default_error_messages = {"unknown": _("Choose a municipality from the list, or fill in your organisation.")}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        candidates = municipality_candidates(value)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise forms.ValidationError(unknown_municipality_message(value, candidates), code="ambiguous")
        raise forms.ValidationError(self.error_messages["unknown"], code="unknown")


class RankingMixin:
    """Workshop choices as numbered selects ('1st choice', '2nd choice', ...): no script needed to rank."""

    def add_ranking_fields(self, event: Event):
        self.workshops = list(Workshop.objects.filter(event=event).order_by("number"))
        choices = [("", _("(no choice)"))] + [(w.slug, f"{w.number}. {localized(w, 'title')}") for w in self.workshops]
        self.rank_names = []
        for rank in range(1, min(len(self.workshops), MAX_RANKS) + 1):
            name = f"choice_{rank}"
            self.fields[name] = forms.ChoiceField(
                label=_("Choice %(rank)s") % {"rank": rank}, choices=choices, required=rank == 1
            )
            self.rank_names.append(name)

    def clean_ranking(self, cleaned_data) -> list[Workshop]:
        by_slug = {workshop.slug: workshop for workshop in self.workshops}
        ranked, seen = [], set()
        for name in self.rank_names:
            slug = cleaned_data.get(name)
            if not slug:
                continue
            if slug in seen:
                self.add_error(name, _("You already chose this workshop above. Choose each workshop once."))
                continue
            seen.add(slug)
            ranked.append(by_slug[slug])
        return ranked

    def ranking_fields(self):
        return [self[name] for name in self.rank_names]


class RegistrationForm(RankingMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=LIMITS["name"], widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=LIMITS["email"],
        help_text=_("We send your confirmation and personal link here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    role = forms.ChoiceField(label=_("Your role"), choices=Role.choices, widget=forms.RadioSelect)
    role_other = forms.CharField(
        label=_("Your role, in your own words"), max_length=LIMITS["role_other"], required=False
    )
    municipality = MunicipalityField(
        label=_("Municipality"),
        max_length=100,
        required=False,
        help_text=_("Type the first letters and choose from the list."),
        widget=forms.TextInput(attrs={"list": "gemeenten", "autocomplete": "off"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=LIMITS["organisation"],
        required=False,
        help_text=_("Only if you do not come for a municipality, for example for a province or a youth-care provider."),
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs (optional)"),
        max_length=LIMITS["dietary_needs"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        max_length=LIMITS["accessibility_needs"],
        required=False,
        help_text=_("For example a wheelchair-accessible room or a hearing loop."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my data are used for this conference, as the privacy statement says."),
        error_messages={"required": _("Without your consent we cannot register you.")},
    )
    # A field people do not see; bots that fill in every field do. Not a security measure on its own.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.event = event
        self.add_ranking_fields(event)
        # The error summary names a field by its label; the consent's label is a whole sentence.
        self.fields["consent"].summary_label = _("Consent")
        # The error summary lists fields in this order, which is the order on the page.
        self.order_fields(["name", "email", "role", "role_other", "municipality", "organisation", *self.rank_names])

    def clean(self):
        """The sign-up's rules, as the API checks them (validation.py); `cleaned_data["signup"]` is the result."""
        cleaned_data = super().clean()
        ranked = self.clean_ranking(cleaned_data)
        cleaned_data["preferences"] = ranked
        get = cleaned_data.get
        data = SignupInput(
            name=get("name") or "",
            email=get("email") or "",
            role=get("role") or "",
            role_other=get("role_other") or "",
            municipality=get("municipality"),
            organisation=get("organisation") or "",
            preferences=[workshop.slug for workshop in ranked],
            dietary_needs=get("dietary_needs") or "",
            accessibility_needs=get("accessibility_needs") or "",
            consent=bool(get("consent")),
            language=get_language() or "nl",
        )
        try:
            cleaned_data["signup"] = validation.validate_signup(self.event, data)
        except validation.InvalidSignup as invalid:
            for field, problems in invalid.errors.items():
                # A field Django already refused (empty, too long, not an address) keeps that one message.
                if field in self.fields and not self.has_error(field):
                    self.add_error(field, [forms.ValidationError(message, code=code) for message, code in problems])
                elif field == "preferences" and self.rank_names and not self.errors:
                    self.add_error(self.rank_names[0], [message for message, _code in problems])
        return cleaned_data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    @staticmethod
    def municipality_names() -> list[str]:
        return list(current_municipalities().values_list("name", flat=True))


class PreferencesForm(RankingMixin, forms.Form):
    def __init__(self, *args, event: Event, current: list[Workshop] = (), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.add_ranking_fields(event)
        for name, workshop in zip(self.rank_names, current, strict=False):
            self.fields[name].initial = workshop.slug

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["preferences"] = self.clean_ranking(cleaned_data)
        return cleaned_data
