"""The reference tables are visible in the back office but cannot be changed there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = ["crccluster", "crcarticle", "sdggoal", "sdgtarget", "sdgindicator", "municipality"]


@pytest.mark.parametrize("model", MODELS)
def test_changelists_open_and_add_is_refused(admin_client, model):
    assert admin_client.get(reverse(f"admin:reference_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:reference_{model}_changelist"), {"q": "a"}).status_code == 200
    assert admin_client.get(reverse(f"admin:reference_{model}_add")).status_code == 403


def test_detail_pages_are_read_only(admin_client):
    from werkconferentie.reference.models import CrcArticle, Municipality, SdgGoal

    for obj in [CrcArticle.objects.get(number=3), SdgGoal.objects.get(number=4), Municipality.objects.get(pk="GM0457")]:
        url = reverse(f"admin:reference_{obj._meta.model_name}_change", args=[obj.pk])
        response = admin_client.get(url)
        assert response.status_code == 200
        assert b'name="_save"' not in response.content
    assert admin_client.post(url, {"name": "Verkeerd"}).status_code == 403
    assert Municipality.objects.get(pk="GM0457").name == "Weesp"


def test_municipality_filter_on_current(admin_client):
    url = reverse("admin:reference_municipality_changelist")
    assert b"342" in admin_client.get(url, {"nu": "ja"}).content
