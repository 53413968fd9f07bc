"""The live boards' fixtures, for the run over the whole API."""

from live.conftest import board, boards, organiser_of_roden  # noqa: F401
