"""The API speaks one error language (issue 14.7): every 4xx is `{"code", "detail"}` and is in the schema."""

import pytest

from werkconferentie.assignment.models import AssignmentRun
from werkconferentie.core.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(organiser_of_roden) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.create_for(organiser_of_roden, 'test')[1]}"}


def problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["code"], str) and isinstance(body["detail"], str) and body["detail"]
    if code:
        assert body["code"] == code
    return body


def test_not_found_and_unauthorised_are_problems(client, open_event):
    problem(client.get("/api/events/bestaat-niet"), 404, "not_found")
    problem(client.get(f"/api/events/{open_event.slug}/registrations"), 401, "unauthorized")
    problem(client.get(f"/api/events/{open_event.slug}/registrations", HTTP_AUTHORIZATION="Bearer fout"), 401)
    problem(client.get("/api/live/ZZZZZZ/answers"), 404, "not_found")


@pytest.mark.parametrize("body", ["true", "[]", "12", '"tekst"', "null", "{niet json", "\x00"])
def test_a_body_that_is_not_a_json_object_is_refused(client, open_event, auth, body):
    url = f"/api/events/{open_event.slug}/assignment-runs"
    response = client.post(url, body, content_type="application/json", **auth)
    problem(response, 400, "invalid_body")
    assert not AssignmentRun.objects.exists()
    # An empty body is no body: the run's defaults.
    assert client.post(url, "", content_type="application/json", **auth).status_code == 201


def test_validation_errors_are_problems_with_errors_per_field(client, open_event, auth):
    body = problem(
        client.post(
            f"/api/events/{open_event.slug}/assignment-runs", {"mix": 0}, content_type="application/json", **auth
        ),
        422,
        "invalid",
    )
    assert [error["loc"][-1] for error in body["errors"]] == ["mix"]
    body = problem(
        client.post(f"/api/events/{open_event.slug}/registrations", {"name": ""}, content_type="application/json"),
        422,
        "invalid",
    )
    assert {"email", "role", "consent"} <= {error["loc"][-1] for error in body["errors"]}


def test_the_schema_lists_every_refusal_as_a_problem(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if "requestBody" in operation:
                assert "400" in responses and "422" in responses, (method, path)
            if operation.get("security"):
                assert "401" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.rsplit("/", 1)[-1] in {"Problem", "InvalidInput"}, (method, path, status)
    registration = schema["components"]["schemas"]["RegistrationIn"]
    assert registration["properties"]["email"]["format"] == "email"
    assert schema["components"]["schemas"]["RegistrationOut"]["properties"]["email"]["format"] == "email"
