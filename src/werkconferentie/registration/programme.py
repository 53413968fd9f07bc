"""The hook through which the assignment app adds the published programme to the personal page.

Registration does not depend on assignment: the assignment app registers two functions when it starts
(`register_programme`). Without them (assignment not installed) the personal page shows no programme and a change
of choices touches nothing but the ranking.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Programme:
    published: bool = False
    placements: list = field(default_factory=list)


# What a change of choices did to the programme: nothing published yet, the programme changed (and was mailed),
# or it stayed as it was (the workshops she put higher are full).
NOT_PUBLISHED, CHANGED, UNCHANGED = "not_published", "changed", "unchanged"

_programme_of: Callable | None = None
_choices_changed: Callable | None = None


def register_programme(programme_of: Callable, choices_changed: Callable) -> None:
    global _programme_of, _choices_changed
    _programme_of, _choices_changed = programme_of, choices_changed


def programme_of(registration) -> Programme:
    return _programme_of(registration) if _programme_of else Programme()


def choices_changed(registration) -> str:
    return _choices_changed(registration) if _choices_changed else NOT_PUBLISHED
