"""Forms of the phone page and the children's page; the rules are in boards.py."""

import uuid

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkconferentie.registration.enums import Role
from werkconferentie.registration.forms import MunicipalityField

from .models import ANSWER_MAX_LENGTH


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The code of six letters and digits on the screen in the room."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


def _answer_help_text() -> str:
    """Translated when shown, not when the module is imported (that gave an English page a Dutch hint)."""
    return gettext("One idea per answer, at most %(limit)d characters. You can send more than one.") % {
        "limit": ANSWER_MAX_LENGTH
    }


answer_help_text = lazy(_answer_help_text, str)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        help_text=answer_help_text(),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": ANSWER_MAX_LENGTH}),
    )
    role = forms.ChoiceField(
        label=_("Your role (optional)"), choices=[("", _("(not given)")), *Role.choices], required=False
    )
    municipality = MunicipalityField(
        label=_("Your municipality (optional)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "gemeenten", "autocomplete": "off"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["municipality"].error_messages["unknown"] = _(
            "Choose a municipality from the list, or leave it empty."
        )
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", new_key())


class ChildrenForm(forms.Form):
    text = forms.CharField(
        label=_("Your idea"),
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("Do not write your name, address or phone number."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": ANSWER_MAX_LENGTH}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", new_key())


def new_key() -> str:
    return uuid.uuid4().hex
