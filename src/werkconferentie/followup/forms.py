"""The form of a commitment, as the update page and the organiser's page show it; the rules are in commitments.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from werkconferentie.outcomes.forms import NumbersField, area_choices

from .enums import CommitmentKind, CommitmentStatus
from .models import NOTE_MAX_LENGTH, REACTION_MAX_LENGTH, TITLE_MAX_LENGTH, Commitment, FollowupSettings


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class LinksField(forms.CharField):
    """One council document a line: its address, or a title, a vertical bar and the address."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value):
        links = []
        for line in (super().to_python(value) or "").splitlines():
            if not line.strip():
                continue
            title, _bar, url = line.rpartition("|")
            links.append({"title": title.strip(), "url": url.strip()})
        return links

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{link['title']} | {link['url']}" for link in value)
        return value


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    status_note = forms.CharField(
        label=_("State of affairs"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In one or two sentences: what has happened, and what is next."),
    )
    progress = forms.IntegerField(label=_("Progress (0 to 100%)"), min_value=0, max_value=100)
    target_date = forms.DateField(label=_("Target date"), widget=DateInput)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    committed_by = forms.CharField(
        label=_("Committed by"), max_length=200, required=False, help_text=_("A function or a party, no names needed.")
    )
    committed_on = forms.DateField(label=_("Date committed"), required=False, widget=DateInput)
    document_links = LinksField(
        label=_("Council documents"),
        required=False,
        help_text=_("One a line: the web address, or a title, a | and the web address."),
    )
    outcome_points = forms.MultipleChoiceField(
        label=_("Requests of the conference it answers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    crc_articles = NumbersField(label=_("CRC articles (numbers)"), required=False)
    sdgs = NumbersField(label=_("SDGs (numbers)"), required=False)
    policy_areas = forms.MultipleChoiceField(
        label=_("Policy areas"), required=False, widget=forms.CheckboxSelectMultiple, choices=area_choices("nl")
    )
    child_summary = forms.CharField(
        label=_("Summary for children"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Very simple words and short sentences, for the children's page."),
    )
    is_public = forms.BooleanField(label=_("Public: show on the progress page"), required=False)

    def __init__(self, *args, event, language: str = "nl", milestone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_areas"].choices = area_choices(language)
        self.fields["outcome_points"].choices = [
            (str(point.pk), f"{point.number}. {point.loc('title')}") for point in event.outcome_points.all()
        ]
        if milestone:
            self.fields["weight"] = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
            for name in ("outcome_points", "crc_articles", "sdgs", "policy_areas", "child_summary", "is_public"):
                del self.fields[name]

    @classmethod
    def initial_for(cls, commitment: Commitment) -> dict:
        initial = {name: getattr(commitment, name) for name in cls.base_fields if hasattr(commitment, name)}
        initial["weight"] = commitment.weight
        initial["outcome_points"] = [str(pk) for pk in commitment.outcome_points.values_list("pk", flat=True)]
        initial["crc_articles"] = ", ".join(str(a.number) for a in commitment.crc_articles.all())
        initial["sdgs"] = ", ".join(str(g.number) for g in commitment.sdgs.all())
        return initial

    def values(self) -> dict:
        values = dict(self.cleaned_data)
        if "outcome_points" in values:
            values["outcome_points"] = [int(pk) for pk in values["outcome_points"]]
        return values


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=TITLE_MAX_LENGTH, required=False)
    file = forms.FileField(label=_("PDF file"), help_text=_("A PDF of at most 5 MB."))


class ContactForm(forms.Form):
    municipality = forms.CharField(label=_("Municipality (name or CBS code)"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the mail"), choices=[("nl", "Nederlands"), ("en", "English")])


class SettingsForm(forms.ModelForm):
    """How long the links work, and the schedule of the mails to the contacts (reminders.py)."""

    link_days_after_target = forms.IntegerField(
        label=_("Days the update links stay valid after the target date"), min_value=0, max_value=3650
    )
    quiet_days = forms.IntegerField(
        label=_("Remind when nothing was updated for this many days"),
        min_value=0,
        max_value=365,
        help_text=_("0: never. 42 is six weeks."),
    )

    class Meta:
        model = FollowupSettings
        fields = [
            "link_days_after_target",
            "invite_after_letter",
            "quiet_days",
            "remind_days_before",
            "remind_days_after",
            "thank_on_target_date",
        ]

    def clean_remind_days_before(self):
        return self._days("remind_days_before")

    def clean_remind_days_after(self):
        return self._days("remind_days_after")

    def _days(self, name: str) -> str:
        parts = [part.strip() for part in (self.cleaned_data.get(name) or "").replace(" ", "").split(",") if part]
        if any(not part.isdigit() or not 0 < int(part) <= 3650 for part in parts):
            raise forms.ValidationError(_("Type whole numbers of days from 1 to 3650, separated by commas."))
        return ",".join(str(day) for day in sorted({int(part) for part in parts}, reverse=True))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("The exported file, edited: status, state of affairs and progress are read."),
    )


class ReactionForm(forms.Form):
    """A reaction to what became of the ideas; `ideas` are the answers it may be about (optional)."""

    idea = forms.TypedChoiceField(label=_("About which idea?"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(
        label=_("Your reaction"),
        max_length=REACTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the organiser reads it."),
    )

    def __init__(self, *args, ideas=(), children: bool = False, **kwargs):
        super().__init__(*args, prefix="reaction", **kwargs)
        ideas = list(ideas)
        self.ideas = {answer.pk: answer for answer in ideas}
        if ideas and not children:
            self.fields["idea"].choices = [("", _("(all ideas)"))] + [(answer.pk, answer.text[:80]) for answer in ideas]
        else:
            del self.fields["idea"]
        if children:
            self.fields["text"].label = _("What do you want to tell us?")
            self.fields["text"].help_text = _("Do not write your name. Only the organiser reads it.")

    def clean_idea(self):
        pk = self.cleaned_data.get("idea")
        return self.ideas.get(pk) if pk is not None else None
