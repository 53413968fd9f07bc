"""Pydantic's validation errors in words a person reads, in the request's language.

The event-file loader and the JSON API both validate with pydantic (ninja's schemas); both show its errors
through this one table, so that a person never sees "string_too_long" or a raw error list.
"""

import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What a person calls the fields of the public API's forms, for messages shown on the pages.
FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("E-mail address"),
    "role": gettext_lazy("Role"),
    "role_other": gettext_lazy("Your role, in your own words"),
    "municipality": gettext_lazy("Municipality"),
    "organisation": gettext_lazy("Organisation"),
    "preferences": gettext_lazy("Workshop choices"),
    "text": gettext_lazy("Your answer"),
}


def explain_validation_error(detail: dict) -> str:
    """Pydantic's message in the user's language for the common cases; its English text otherwise."""
    kind = detail["type"]
    context = detail.get("ctx") or {}
    messages = {
        "missing": lambda: _("this field is required"),
        "extra_forbidden": lambda: _("unknown field"),
        "string_type": lambda: _("must be text"),
        "int_type": lambda: _("must be a whole number"),
        "int_parsing": lambda: _("must be a whole number"),
        "bool_type": lambda: _("must be true or false"),
        "bool_parsing": lambda: _("must be true or false"),
        "greater_than": lambda: _("must be greater than %(limit)s") % {"limit": context.get("gt")},
        "greater_than_equal": lambda: _("must be at least %(limit)s") % {"limit": context.get("ge")},
        "less_than_equal": lambda: _("must be at most %(limit)s") % {"limit": context.get("le")},
        "string_too_short": lambda: _("may not be empty"),
        "string_too_long": lambda: (
            _("is too long (at most %(limit)s characters)") % {"limit": context.get("max_length")}
        ),
        "string_pattern_mismatch": lambda: _("has an invalid form"),
        "date_from_datetime_parsing": lambda: _("must be a date such as 2022-04-22"),
        "date_parsing": lambda: _("must be a date such as 2022-04-22"),
        "date_type": lambda: _("must be a date such as 2022-04-22"),
        "time_parsing": lambda: _("must be a time such as 13:30"),
        "time_type": lambda: _("must be a time such as 13:30"),
        "datetime_parsing": lambda: _("must be a date and time such as 2022-04-01T09:00:00+02:00"),
        "datetime_type": lambda: _("must be a date and time such as 2022-04-01T09:00:00+02:00"),
        "list_type": lambda: _("must be a list"),
        "dict_type": lambda: _("must be an object"),
        "model_type": lambda: _("must be an object"),
        "model_attributes_type": lambda: _("must be an object"),
        "too_short": lambda: _("must have at least one entry"),
        "too_long": lambda: _("has too many entries (at most %(limit)s)") % {"limit": context.get("max_length")},
        "literal_error": lambda: _("must be one of: %(expected)s") % {"expected": context.get("expected")},
        "enum": lambda: _("must be one of: %(expected)s") % {"expected": context.get("expected")},
        "json_invalid": lambda: _("is not valid JSON"),
        "value_error": lambda: str(context.get("error", detail["msg"])),
    }
    explain = messages.get(kind)
    return explain() if explain else str(detail.get("msg", kind))


def field_of(location) -> str:
    """The field an error is about: the last name in its location (["body", "payload", "email"] -> "email")."""
    names = [str(part) for part in location if not isinstance(part, int)]
    names = [name for name in names if name not in {"body", "payload", "query", "path", "header", "cookie"}]
    return ".".join(names)


def field_label(field: str) -> str:
    """The name of a field as a person calls it, or the field's own name."""
    return str(FIELD_LABELS.get(field, field))


def bad_text(value: str, *, multiline: bool = False) -> bool:
    """Text no database or mail should get: NUL and other control characters, lone surrogates."""
    allowed = {"\n", "\r", "\t"} if multiline else {"\t"}
    return any(
        (unicodedata.category(char) in {"Cc", "Cs"} and char not in allowed) or char in "\u2028\u2029" for char in value
    )
