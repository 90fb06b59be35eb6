"""The OpenAPI 3.1 document, built from `ROUTES` and the pydantic models (so it matches what is served)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel

from booking_bot.gateway.api.auth import Access
from booking_bot.gateway.api.base import Route
from booking_bot.gateway.api.models import ErrorOut
from booking_bot.gateway.api.routes import ROUTES

REF = "#/components/schemas/{model}"
REASONS = {
    400: "Bad request",
    401: "No valid token",
    403: "The token is not allowed here (e.g. another company's)",
    404: "Not found",
    409: "Conflict with the session's state",
    422: "Invalid body",
    429: "Too many attempts: see Retry-After",
    502: "WhatsApp refused",
    503: "Not healthy or not ready",
    504: "The holding gateway or WhatsApp did not answer in time",
}


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=REF)
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _operation(route: Route, components: dict[str, Any]) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": _schema(ErrorOut, components)}}}
    if isinstance(route.response, str):
        content: dict[str, Any] = {route.response: {"schema": {"type": "string"}}}
    elif route.response is not None:
        content = {"application/json": {"schema": _schema(route.response, components)}}
    else:
        content = {}
    responses: dict[str, Any] = {str(route.status): {"description": "OK", **({"content": content} if content else {})}}
    statuses = set(route.errors)
    if route.access is not Access.PUBLIC:
        statuses |= {401, 403, 429}  # 403: a valid token that is not allowed here (staff on admin, another company)
    for status in sorted(statuses):
        responses[str(status)] = {"description": REASONS[status], **error}
    operation: dict[str, Any] = {
        "operationId": route.handler.__name__,
        "summary": route.summary,
        "tags": [route.tag],
        "responses": responses,
        "security": [] if route.access is Access.PUBLIC else [{"bearer": []}],
    }
    if route.access is Access.COMPANY:
        operation["description"] = "The company's staff token or the admin token." + (
            f" Integration tokens need the `{route.scope.value}` scope." if route.scope is not None else ""
        )
    elif route.access is Access.ADMIN:
        operation["description"] = "The admin token."
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", route.path)
    ]
    parameters += [
        {"name": name, "in": "header", "required": True, "description": text, "schema": {"type": "string"}}
        for name, text in route.headers
    ]
    if parameters:
        operation["parameters"] = parameters
    if route.request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema(route.request, components)}},
        }
    return operation


@cache
def document() -> dict[str, Any]:
    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "booking-bot gateway API",
            "version": "1",
            "description": "Companies (admin token), one company's WhatsApp session (its staff token), operations. "
            "Tokens go in `Authorization: Bearer <token>`. See docs/api.md.",
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
