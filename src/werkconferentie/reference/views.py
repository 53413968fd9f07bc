"""Public reference pages ("Meer weten over kinderrechten") and the municipality type-ahead."""

import datetime

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import crc, sdg
from .models import CrcArticle, Municipality, SdgGoal
from .municipalities import MAX_SEARCH_RESULTS, current_by_province, search_municipalities

KINDERRECHTEN_GEMEENTE_URL = "https://www.kinderrechten.nl/gemeente/"
# Municipalities dissolved since the example conference's year, shown under the current list.
DISSOLVED_SINCE = datetime.date(2022, 1, 1)


@require_safe
def index(request):
    return render(
        request,
        "reference/index.html",
        {
            "general_principles": crc.general_principles(),
            "parts": crc.articles_by_part(),
            "clusters": crc.clusters_with_articles(),
            "goals": sdg.goals_with_counts(),
            "kinderrechten_url": KINDERRECHTEN_GEMEENTE_URL,
        },
    )


@require_safe
def crc_article(request, number: int):
    article = get_object_or_404(CrcArticle.objects.prefetch_related("clusters"), number=number)
    previous, following = crc.neighbours(article)
    return render(
        request,
        "reference/crc_article.html",
        {"article": article, "clusters": article.clusters.all(), "previous": previous, "next": following},
    )


@require_safe
def sdg_goal(request, number: int):
    goal = get_object_or_404(SdgGoal, number=number)
    return render(
        request,
        "reference/sdg_goal.html",
        {
            "goal": goal,
            "targets": sdg.targets_with_indicators(goal),
            "child_related": sdg.child_related_indicators(goal),
        },
    )


@require_safe
def municipalities(request):
    provinces = current_by_province()
    dissolved = (
        Municipality.objects.filter(valid_to__gt=DISSOLVED_SINCE)
        .select_related("successor")
        .order_by("valid_to", "name")
    )
    return render(
        request,
        "reference/municipalities.html",
        {
            "provinces": provinces,
            "count": sum(len(items) for _, _, items in provinces),
            "dissolved": dissolved,
            "dissolved_since": DISSOLVED_SINCE,
        },
    )


@require_safe
@cache_control(max_age=300, public=True)
def municipalities_json(request):
    """Type-ahead: `?q=tyn` gives at most 20 municipalities; `&date=2022-04-22` searches those of that day."""
    on = None
    if request.GET.get("date"):
        try:
            on = datetime.date.fromisoformat(request.GET["date"])
        except ValueError:
            return JsonResponse({"error": "date must be YYYY-MM-DD"}, status=400)
    query = request.GET.get("q", "")[:100]
    results = search_municipalities(query, on=on, limit=MAX_SEARCH_RESULTS)
    return JsonResponse(
        {
            "results": [
                {
                    "code": m.code,
                    "name": m.name,
                    "province": m.province_name,
                    "province_code": m.province_code,
                    "current": m.is_current,
                }
                for m in results
            ]
        }
    )
