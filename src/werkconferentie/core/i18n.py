"""Content that exists in Dutch and English side by side (`title_nl`, `title_en`).

Interface text goes through gettext; content that organisers write (titles, descriptions) is stored in both
languages as pairs of fields and picked here by the active language, falling back to Dutch.
"""

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("nl", "en")
FALLBACK_LANGUAGE = "nl"


def active_content_language() -> str:
    language = (get_language() or FALLBACK_LANGUAGE).split("-")[0]
    return language if language in CONTENT_LANGUAGES else FALLBACK_LANGUAGE


def localized(obj, field: str) -> str:
    """The value of `field_<language>` on obj for the active language, or the Dutch one when that is empty."""
    value = getattr(obj, f"{field}_{active_content_language()}", "")
    return value or getattr(obj, f"{field}_{FALLBACK_LANGUAGE}", "")


def localized_language(obj, field: str) -> str:
    """The language code of the text `localized` returns, for a `lang` attribute when it fell back."""
    language = active_content_language()
    return language if getattr(obj, f"{field}_{language}", "") else FALLBACK_LANGUAGE


class LocalizedMixin:
    """Gives models `obj.loc("title")`, usable in templates through the `loc` filter."""

    def loc(self, field: str) -> str:
        return localized(self, field)
