"""The live boards' fixtures, for the tests that walk every kind of page."""

from live.conftest import board, boards, children_board, organiser_of_roden  # noqa: F401
