"""The data migration fills the reference tables completely, and the loader can be rerun safely."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command

from werkconferentie.reference.loading import load_reference, municipality_rows
from werkconferentie.reference.models import (
    CrcArticle,
    CrcCluster,
    Municipality,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
)

pytestmark = pytest.mark.django_db


def test_migrate_loads_the_crc():
    assert CrcArticle.objects.count() == 54
    assert list(CrcArticle.objects.filter(is_general_principle=True).values_list("number", flat=True)) == [2, 3, 6, 12]
    assert Counter(CrcArticle.objects.values_list("part", flat=True)) == {"I": 41, "II": 4, "III": 9}
    assert CrcCluster.objects.count() == 9
    article_6 = CrcArticle.objects.get(number=6)
    assert sorted(article_6.clusters.values_list("code", flat=True)) == ["III", "VII"]
    assert article_6.title_nl and article_6.title_en and article_6.text_nl and article_6.text_en


def test_migrate_loads_the_sdgs():
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert SdgIndicator.objects.count() == 251
    assert SdgGoal.objects.get(number=4).short_nl == "Kwaliteitsonderwijs"
    assert SdgTarget.objects.get(code="1.a").goal.number == 1
    assert SdgIndicator.objects.get(code="1.1.1").target.code == "1.1"


def test_child_related_selection_has_44_indicators_in_five_dimensions():
    selection = SdgIndicator.objects.filter(child_related=True)
    assert selection.count() == 44
    assert Counter(selection.values_list("child_dimension", flat=True)) == {
        "survive_thrive": 13,
        "protected": 11,
        "learn": 7,
        "safe_clean_environment": 7,
        "fair_chance": 6,
    }
    stunting = SdgIndicator.objects.get(code="2.2.1")
    assert stunting.child_related and stunting.child_dimension_nl == "Overleven en gedijen"
    assert not SdgIndicator.objects.filter(child_related=False).exclude(child_dimension="").exists()


def test_migrate_loads_municipalities_of_2022_and_now():
    assert Municipality.objects.on(datetime.date(2022, 1, 1)).count() == 345
    assert Municipality.objects.current().count() == 342
    assert Municipality.objects.filter(code="GM0457", valid_to=datetime.date(2022, 3, 24)).exists()
    assert Municipality.objects.get(code="GM0106").name == "Assen"


def test_loader_is_idempotent():
    summary = load_reference()
    assert sum(summary.created.values()) == 0
    assert sum(summary.updated.values()) == 0
    assert CrcArticle.objects.count() == 54
    assert Municipality.objects.count() == len(municipality_rows())


def test_loader_repairs_changed_rows_without_deleting_others():
    Municipality.objects.filter(code="GM0106").update(name="Verkeerd")
    SdgIndicator.objects.filter(code="2.2.1").update(child_related=False, child_dimension="")
    CrcArticle.objects.get(number=6).clusters.clear()
    before_pk = CrcArticle.objects.get(number=3).pk

    summary = load_reference()

    assert summary.updated["municipalities"] == 1
    assert Municipality.objects.get(code="GM0106").name == "Assen"
    assert SdgIndicator.objects.get(code="2.2.1").child_dimension == "survive_thrive"
    assert CrcArticle.objects.get(number=6).clusters.count() == 2
    assert CrcArticle.objects.get(number=3).pk == before_pk


def test_management_command_reruns_the_loader(capsys):
    call_command("load_reference")
    assert "Reference data loaded" in capsys.readouterr().out
    assert SdgIndicator.objects.filter(child_related=True).count() == 44


def test_article_54_ends_where_the_treaty_does():
    from werkconferentie.reference.models import CrcArticle

    article = CrcArticle.objects.get(number=54)
    assert article.text_en.endswith("have signed the present Convention.")
    assert "Verdrag" not in article.text_en
