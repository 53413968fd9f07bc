"""Themes: groups of an event's public answers about one subject, proposed by meaning and then arranged by the
organiser (accept, rename, split, join, move answers). Every change is recorded in the history.

`propose_themes` clusters the answers with the live boards' sentence encoder (live.similarity); see its docstring
for the method and docs/outcomes.md for how well it does on a Dutch set.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from werkconferentie.events.models import Event
from werkconferentie.live import embeddings

from . import history
from .answers import OutcomeAnswer, public_answer_queryset, public_answers
from .errors import OutcomeError, has_bad_characters, valid_id
from .grouping import MIN_THEME_SIZE, THEME_THRESHOLD, group_by_meaning
from .models import TITLE_MAX_LENGTH, OutcomeReport, Theme, ThemeAnswer


def lock(event: Event) -> None:
    """Serialise changes to an event's themes and points (two organisers at once, a double click): every
    changing transaction first locks the event's OutcomeReport row. Call inside transaction.atomic()."""
    OutcomeReport.objects.select_for_update().get_or_create(event=event)


def themes_of(event: Event):
    """The event's themes in order, with their answer ids prefetched."""
    return Theme.objects.filter(event=event).prefetch_related("memberships").order_by("order", "pk")


# --- Proposing themes -------------------------------------------------------------------------------------------


def propose_themes(event: Event, user=None, *, threshold: float = THEME_THRESHOLD) -> list[Theme]:
    """Propose themes over all public answers of the event that are not in an accepted theme.

    Themes not yet accepted are replaced; accepted ones stay as the organiser left them. Each new theme holds at
    least MIN_THEME_SIZE answers and is named after its most-voted answer; answers in no theme stay outside for
    the organiser to place. Returns the new themes in order (largest first, by votes on a tie).
    """
    answers = public_answers(event)  # most-voted first
    accepted = _accepted_answer_ids(event)
    free: list[OutcomeAnswer] = [a for a in answers if a.id not in accepted]
    # Grouping takes seconds: done before the lock, then checked against what changed meanwhile.
    # Vectors kept when the answers arrived (live.embeddings); only answers without one are encoded now.
    vectors = embeddings.answer_embeddings([(a.id, a.text) for a in free]) if free else []
    texts = [a.text for a in free]
    groups = [g for g in group_by_meaning(texts, threshold=threshold, vectors=vectors) if len(g) >= MIN_THEME_SIZE]
    with transaction.atomic():
        lock(event)
        kept = _accepted_answer_ids(event)
        removed = list(Theme.objects.filter(event=event, accepted=False).values_list("pk", flat=True))
        Theme.objects.filter(pk__in=removed).delete()
        # Order: most answers first, then most votes; each group's answers most-voted first.
        rank = {a.id: n for n, a in enumerate(answers)}
        groups = [sorted((free[i] for i in g if free[i].id not in kept), key=lambda a: rank[a.id]) for g in groups]
        groups = [g for g in groups if len(g) >= MIN_THEME_SIZE]
        groups.sort(key=lambda g: (-len(g), -sum(a.votes for a in g), g[0].id))
        order = _next_order(event)
        themes = Theme.objects.bulk_create(
            [Theme(event=event, title=g[0].text[:TITLE_MAX_LENGTH], order=order + n) for n, g in enumerate(groups)]
        )
        ThemeAnswer.objects.bulk_create(
            [ThemeAnswer(theme=theme, answer_id=a.id) for theme, g in zip(themes, groups, strict=True) for a in g],
            batch_size=500,
        )
        if themes or removed:
            history.record(
                event,
                user,
                "propose",
                themes[0] if themes else Theme(event=event, title=""),
                {
                    "themes": [len(removed), len(themes)],
                    "answers": sum(len(g) for g in groups),
                    "threshold": threshold,
                },
                object_id=None if not themes else themes[0].pk,
            )
    return themes


def _accepted_answer_ids(event: Event) -> set[int]:
    return set(ThemeAnswer.objects.filter(theme__event=event, theme__accepted=True).values_list("answer_id", flat=True))


def ensure_proposed(event: Event, user=None) -> bool:
    """Propose themes the first time the event's outcome is opened (no theme and no earlier proposal)."""
    from .models import OutcomeChange

    if (
        Theme.objects.filter(event=event).exists()
        or OutcomeChange.objects.filter(event=event, action="propose").exists()
    ):
        return False
    propose_themes(event, user)
    return True


# --- The organiser's operations ---------------------------------------------------------------------------------


def theme_answer_ids(theme: Theme) -> list[int]:
    return sorted(m.answer_id for m in theme.memberships.all())


def clean_title(title: str) -> str:
    title = " ".join(str(title or "").split())
    if has_bad_characters(title):
        raise OutcomeError(_("The title holds characters that are not allowed."))
    if not title:
        raise OutcomeError(_("Give the theme a title."))
    if len(title) > TITLE_MAX_LENGTH:
        raise OutcomeError(_("A title has at most %(limit)d characters.") % {"limit": TITLE_MAX_LENGTH})
    return title


def _public_ids(event: Event, answer_ids: Iterable) -> list[int]:
    """The ids as ints, each a public answer of the event; anything else is refused with a clear message."""
    ids = sorted({valid_id(a) or 0 for a in answer_ids})
    if 0 in ids:
        raise OutcomeError(_("Choose answers from the list."))
    found = set(public_answer_queryset(event).filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise OutcomeError(_("Some of the chosen answers are not public answers of this event."))
    return ids


def _next_order(event: Event) -> int:
    return (Theme.objects.filter(event=event).aggregate(m=Max("order"))["m"] or 0) + 1


def _own(event: Event, theme: Theme) -> Theme:
    if theme.event_id != event.pk:
        raise OutcomeError(_("That theme belongs to another event."))
    return theme


def _assign(theme: Theme, ids: list[int]) -> dict[int, int | None]:
    """Put the answers in `theme` (out of any other theme); returns per answer its former theme."""
    former = dict(ThemeAnswer.objects.filter(answer_id__in=ids).values_list("answer_id", "theme_id"))
    ThemeAnswer.objects.filter(answer_id__in=ids).exclude(theme=theme).delete()
    ThemeAnswer.objects.bulk_create(
        [ThemeAnswer(theme=theme, answer_id=a) for a in ids if former.get(a) != theme.pk], batch_size=500
    )
    return {a: former.get(a) for a in ids}


def create_theme(event: Event, title: str, answer_ids: Iterable = (), user=None) -> Theme:
    """A new theme with these answers (taken out of their themes)."""
    title = clean_title(title)
    with transaction.atomic():
        lock(event)
        ids = _public_ids(event, answer_ids)
        theme = Theme.objects.create(event=event, title=title, order=_next_order(event))
        former = _assign(theme, ids)
        history.record(event, user, "create", theme, {"title": [None, title], "answers": [former, ids]})
    return theme


def accept(theme: Theme, user=None, accepted: bool = True) -> Theme:
    with transaction.atomic():
        lock(theme.event)
        if theme.accepted != accepted:
            theme.accepted = accepted
            theme.save(update_fields=["accepted", "updated_at"])
            history.record(
                theme.event, user, "accept" if accepted else "unaccept", theme, {"accepted": [not accepted, accepted]}
            )
    return theme


def rename(theme: Theme, title: str, user=None) -> Theme:
    title = clean_title(title)
    with transaction.atomic():
        lock(theme.event)
        if theme.title != title:
            before = theme.title
            theme.title = title
            theme.save(update_fields=["title", "updated_at"])
            history.record(theme.event, user, "rename", theme, {"title": [before, title]})
    return theme


def split(theme: Theme, answer_ids: Iterable, title: str, user=None) -> Theme:
    """Pick answers out of `theme` into a new theme placed right after it."""
    title = clean_title(title)
    with transaction.atomic():
        lock(theme.event)
        ids = _public_ids(theme.event, answer_ids)
        if not ids:
            raise OutcomeError(_("Choose the answers for the new theme."))
        own = set(ThemeAnswer.objects.filter(theme=theme).values_list("answer_id", flat=True))
        if not set(ids) <= own:
            raise OutcomeError(_("Choose answers of this theme only."))
        Theme.objects.filter(event=theme.event, order__gt=theme.order).update(order=F("order") + 1)
        new = Theme.objects.create(event=theme.event, title=title, order=theme.order + 1)
        _assign(new, ids)
        history.record(
            theme.event, user, "split", new, {"title": [None, title], "from_theme": theme.pk, "answers": ids}
        )
    return new


def join(theme: Theme, other: Theme, user=None) -> Theme:
    """Move every answer of `other` into `theme` and remove `other`; its outcome points follow."""
    if theme.pk == other.pk:
        raise OutcomeError(_("Choose two different themes to join."))
    _own(theme.event, other)
    with transaction.atomic():
        lock(theme.event)
        ids = sorted(ThemeAnswer.objects.filter(theme=other).values_list("answer_id", flat=True))
        ThemeAnswer.objects.filter(theme=other).update(theme=theme)
        other.points.update(theme=theme)
        other_pk, other_title = other.pk, other.title
        history.record(
            theme.event,
            user,
            "join",
            theme,
            {"joined_theme": [other_pk, None], "joined_title": other_title, "answers": ids},
        )
        other.delete()
        if other.accepted and not theme.accepted:
            theme.accepted = True
            theme.save(update_fields=["accepted", "updated_at"])
    return theme


def move(event: Event, answer_ids: Iterable, target: Theme | None, user=None) -> int:
    """Move answers into `target` (None: out of every theme); returns how many moved."""
    with transaction.atomic():
        lock(event)
        ids = _public_ids(event, answer_ids)
        if not ids:
            raise OutcomeError(_("Choose the answers to move."))
        if target is None:
            former = dict(ThemeAnswer.objects.filter(answer_id__in=ids).values_list("answer_id", "theme_id"))
            ThemeAnswer.objects.filter(answer_id__in=ids).delete()
            moved = former
            if moved:
                # The history needs an object: the first theme the answers left.
                theme = Theme.objects.filter(pk=min(former.values())).first()
                if theme is not None:
                    history.record(event, user, "move", theme, {"answers": ids, "theme": [former, None]})
            return len(moved)
        _own(event, target)
        former = _assign(target, ids)
        moved = {a: t for a, t in former.items() if t != target.pk}
        if moved:
            history.record(event, user, "move", target, {"answers": sorted(moved), "theme": [moved, target.pk]})
        return len(moved)


def delete_theme(theme: Theme, user=None) -> None:
    """Remove a theme; its answers become unthemed, its outcome points keep their answers."""
    with transaction.atomic():
        lock(theme.event)
        ids = sorted(ThemeAnswer.objects.filter(theme=theme).values_list("answer_id", flat=True))
        history.record(theme.event, user, "delete", theme, {"title": [theme.title, None], "answers": ids})
        theme.delete()


def set_order(event: Event, theme_ids: list[int], user=None) -> None:
    """Put the event's themes in this order (themes not named keep their place after the named ones)."""
    with transaction.atomic():
        lock(event)
        themes = list(themes_of(event))
        position = {pk: i for i, pk in enumerate(theme_ids)}
        ordered = sorted(themes, key=lambda t: (position.get(t.pk, len(position)), t.order, t.pk))
        for number, theme in enumerate(ordered, start=1):
            if theme.order != number:
                before = theme.order
                theme.order = number
                theme.save(update_fields=["order", "updated_at"])
                history.record(event, user, "reorder", theme, {"order": [before, number]})
