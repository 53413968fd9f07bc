"""The Convention on the Rights of the Child as the reference pages and tag pickers need it."""

from django.db.models import Prefetch

from .models import CrcArticle, CrcCluster, CrcPart


def general_principles():
    """The four general principles (articles 2, 3, 6 and 12 in the bundled data)."""
    return CrcArticle.objects.filter(is_general_principle=True).order_by("number")


def articles_by_part() -> list[tuple[str, str, list[CrcArticle]]]:
    """(part code, part label, articles) for the three parts of the treaty, in one query."""
    articles = list(CrcArticle.objects.order_by("number"))
    return [(part.value, part.label, [a for a in articles if a.part == part.value]) for part in CrcPart]


def clusters_with_articles():
    """The CRC Committee's reporting clusters, each with its articles in number order."""
    return CrcCluster.objects.prefetch_related(
        Prefetch("articles", queryset=CrcArticle.objects.order_by("number"))
    ).order_by("position")


def neighbours(article: CrcArticle) -> tuple[CrcArticle | None, CrcArticle | None]:
    """The articles before and after this one, for 'previous' and 'next' links."""
    previous = CrcArticle.objects.filter(number__lt=article.number).order_by("-number").first()
    following = CrcArticle.objects.filter(number__gt=article.number).order_by("number").first()
    return previous, following
