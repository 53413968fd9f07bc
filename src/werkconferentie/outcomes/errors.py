import unicodedata


class OutcomeError(ValueError):
    """A change the rules do not allow; the message is translated and meant for the organiser."""


def has_bad_characters(value: str, *, multiline: bool = False) -> bool:
    """Text no database or document should get: NUL and other control characters, lone surrogates."""
    allowed = {"\n", "\r", "\t"} if multiline else {"\t"}
    return any(
        (unicodedata.category(char) in {"Cc", "Cs"} and char not in allowed) or char in "\u2028\u2029" for char in value
    )


def valid_id(value) -> int | None:
    """A database id from outside (a form, JSON) as int, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**62 else None
