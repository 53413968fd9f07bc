"""Codes of the assignment's rules, shared by the domain (runs.py), the back-office views and the API."""

from enum import StrEnum


class MoveRefusal(StrEnum):
    """Why a move is refused; no confirmation overrides it."""

    OTHER_EVENT = "other_event"  # the session or the person belongs to another event
    RUN_PUBLISHED = "run_published"  # participants see this run: changes go into a new run
    WORKSHOP_TWICE = "workshop_twice"  # she has this workshop in another round


class MoveWarning(StrEnum):
    """What a move would do that the organiser may accept."""

    SESSION_FULL = "session_full"
