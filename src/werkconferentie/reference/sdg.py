"""The Sustainable Development Goals with their targets and indicators, and the child-related selection.

The selection is our own, made after UNICEF's five dimensions of child well-being (2018); it is not an
official list and is always shown as "kindgerelateerd (selectie)".
"""

from django.db.models import Count, Prefetch, Q

from .models import SdgGoal, SdgIndicator


def goals_with_counts():
    """All 17 goals, each with `indicator_count` and `child_related_count`."""
    return SdgGoal.objects.annotate(
        indicator_count=Count("targets__indicators"),
        child_related_count=Count("targets__indicators", filter=Q(targets__indicators__child_related=True)),
    ).order_by("number")


def targets_with_indicators(goal: SdgGoal):
    """The goal's targets in UN order, each with its indicators prefetched."""
    return goal.targets.prefetch_related(
        Prefetch("indicators", queryset=SdgIndicator.objects.order_by("position"))
    ).order_by("position")


def child_related_indicators(goal: SdgGoal | None = None):
    """The child-related selection, for one goal or all, in UN order."""
    indicators = SdgIndicator.objects.filter(child_related=True).select_related("target__goal").order_by("position")
    return indicators.filter(target__goal=goal) if goal is not None else indicators
