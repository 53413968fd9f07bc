"""The Opbrengst page's form for an outcome point; the rules are in points.py (this only reads the fields)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from werkconferentie.live.tagging import POLICY_AREAS

from .models import TITLE_MAX_LENGTH, OutcomePoint
from .points import TEXT_MAX_LENGTH

_SEPARATOR = re.compile(r"[\s,;]+")


class NumbersField(forms.CharField):
    """Numbers typed with commas or spaces between them: "3, 12 24"."""

    def to_python(self, value):
        value = super().to_python(value)
        parts = [part for part in _SEPARATOR.split(value or "") if part]
        if any(not part.isdigit() or len(part) > 4 for part in parts):
            raise forms.ValidationError(_("Type numbers only, separated by commas."))
        return sorted({int(part) for part in parts})


def area_choices(language: str) -> list[tuple[str, str]]:
    return [(key, name_en if language == "en" else name_nl) for key, name_nl, name_en in POLICY_AREAS]


class PointForm(forms.Form):
    number = forms.IntegerField(label=_("Number in the report"), min_value=1, max_value=10_000)
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=TITLE_MAX_LENGTH)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_MAX_LENGTH, required=False)
    is_request = forms.BooleanField(label=_("One of the conference's requests to all councils"), required=False)
    request_nl = forms.CharField(
        label=_("Request to the council (Dutch)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: De werkconferentie vraagt de gemeenteraad …"),
    )
    request_en = forms.CharField(
        label=_("Request to the council (English)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation_nl = forms.CharField(
        label=_("Explanation (Dutch)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    crc_articles = NumbersField(label=_("CRC articles (numbers)"), required=False)
    sdgs = NumbersField(label=_("SDGs (numbers)"), required=False)
    policy_areas = forms.MultipleChoiceField(
        label=_("Policy areas"), required=False, widget=forms.CheckboxSelectMultiple, choices=area_choices("nl")
    )

    def __init__(self, *args, language: str = "nl", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_areas"].choices = area_choices(language)

    @classmethod
    def for_point(cls, point: OutcomePoint, language: str) -> "PointForm":
        initial = {name: getattr(point, name) for name in cls.base_fields if name not in ("crc_articles", "sdgs")}
        initial["crc_articles"] = ", ".join(str(a.number) for a in point.crc_articles.all())
        initial["sdgs"] = ", ".join(str(g.number) for g in point.sdgs.all())
        return cls(initial=initial, prefix=f"point-{point.pk}", language=language)
