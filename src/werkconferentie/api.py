"""The JSON API (django-ninja): one NinjaAPI for the whole project; each app adds its router.

Every refusal speaks one language, the problem format `{"code": ..., "detail": ...}`: a short machine code and
a sentence in the request's language. Invalid input (422) adds `errors`, one per field
(`{"loc": [...], "msg": ..., "type": ...}`). This module turns ninja's and Django's own refusals (404, 401, a
body that is not a JSON object, validation) into that format, and lists them in the OpenAPI schema of every
operation they can come from.
"""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from werkconferentie.assignment.api import router as assignment_router
from werkconferentie.core.validation import explain_validation_error, field_label, field_of
from werkconferentie.events.api import router as events_router
from werkconferentie.events.api_access import InvalidInput, Problem
from werkconferentie.followup.api import router as followup_router
from werkconferentie.live.api import router as live_router
from werkconferentie.outcomes.api import router as outcomes_router
from werkconferentie.registration.api import router as registration_router

PROBLEM_REF = "#/components/schemas/Problem"
INVALID_REF = "#/components/schemas/InvalidInput"


class ObjectBodyParser(Parser):
    """Request bodies are JSON objects: `true`, a list or a number is refused (400), not read as empty input."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


class WerkconferentieAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_problems(schema)


def document_problems(schema: dict) -> dict:
    """Add the refusals every operation can answer to its responses in the schema, all in the problem format:
    400 and 413 where a body is read, 401 where a token or session is needed, 404 where the path names something,
    422 where anything is read from the request."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, InvalidInput):
        for name, definition in (
            model.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}).items()
        ):
            components.setdefault(name, definition)
        definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
        definition.pop("$defs", None)
        components[model.__name__] = definition

    def problem(description: str, ref: str = PROBLEM_REF) -> dict:
        return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}

    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            has_body = "requestBody" in operation
            if has_body:
                _body_is_an_object(operation["requestBody"])
            if has_body:
                responses.setdefault(400, problem("The body is not a JSON object"))
                responses.setdefault(413, problem("The body is too large"))
            if operation.get("security"):
                responses.setdefault(401, problem("No valid token or session"))
            if "{" in path:
                responses.setdefault(404, problem("Not found"))
            if has_body or operation.get("parameters"):
                responses[422] = problem("Invalid input: `errors` says what, per field", INVALID_REF)
            for status, response in responses.items():
                if str(status).startswith("4"):
                    # Every refusal is a problem: also those an operation declared with a schema of its own.
                    response.setdefault("content", {}).setdefault("application/json", {})
                    content = response["content"]["application/json"]
                    if content.get("schema", {}).get("$ref") not in {PROBLEM_REF, INVALID_REF}:
                        content["schema"] = {"$ref": INVALID_REF if str(status) == "422" else PROBLEM_REF}
    return schema


def _body_is_an_object(request_body: dict) -> None:
    """An optional body (`payload: X | None = None`) may be left out, but when sent it is an object: the parser
    refuses JSON null as any other non-object, so the schema must not offer null."""
    for content in request_body.get("content", {}).values():
        body = content.get("schema", {})
        variants = body.get("anyOf")
        if variants and any(variant.get("type") == "null" for variant in variants):
            rest = [variant for variant in variants if variant.get("type") != "null"]
            content["schema"] = rest[0] if len(rest) == 1 else {**body, "anyOf": rest}
            request_body["required"] = False


api = WerkconferentieAPI(
    title="werkconferentie API",
    version="1",
    description=(
        "Events, programmes and workshops of children's-rights work conferences; registration for them, and "
        "the registrations for their organisers (bearer token: `werkconferentie api-token USERNAME`); live boards "
        "where participants answer the central question and vote; the outcome points of an event (public once "
        "published) and the organisers' endpoints to change them; the municipalities' commitments after the "
        "conference (public ones for everyone, all of them for organisers). Every refusal (4xx) is a problem: "
        '`{"code": "not_found", "detail": "…"}`, with `errors` per field for invalid input (422).'
    ),
    urls_namespace="api",
    docs_url="/docs",
    parser=ObjectBodyParser(),
)
api.add_router("", events_router)
api.add_router("", registration_router)
api.add_router("", assignment_router)
api.add_router("", live_router)
api.add_router("", outcomes_router)
api.add_router("", followup_router)


def problem_response(request, status: int, code: str, detail: str, **extra):
    return api.create_response(request, {"code": code, "detail": detail, **extra}, status=status)


@api.exception_handler(RequestDataTooBig)
def request_too_large(request, exc):
    """A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the API's problem format, not an HTML page."""
    return problem_response(request, 413, "too_large", _("This request is too large."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem_response(request, 404, "not_found", _("There is nothing at this address, or not for you."))


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    detail = _("Log in, or send a valid token in the Authorization header (Bearer …).")
    return problem_response(request, 401, "unauthorized", detail)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """ninja's own refusals: a body it cannot read (400), and any other it raises, as problems."""
    if exc.status_code == 400:
        return problem_response(request, 400, "invalid_body", _("The body of the request must be a JSON object."))
    return problem_response(request, exc.status_code, f"http_{exc.status_code}", str(exc))


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """Invalid input: 422 in the API's problem format, each error explained in the request's language.

    `detail` is one sentence a page can show as it is; `errors` says per field what is wrong, for forms that mark
    the field. Never pydantic's raw list: a phone page once showed it as "[object Object]".
    """
    errors = []
    for error in exc.errors:
        location = list(error.get("loc", []))
        errors.append(
            {
                "field": field_of(location),
                "loc": location,
                "type": str(error.get("type", "value_error")),
                "msg": explain_validation_error({"ctx": {}, "msg": "", **error}),
            }
        )
    messages = list(dict.fromkeys(f"{field_label(e['field'])}: {e['msg']}" if e["field"] else e["msg"] for e in errors))
    detail = " ".join(messages) if messages else _("The input is not valid.")
    return problem_response(request, 422, "invalid", detail, errors=errors)
