"""The OpenAPI document validates and describes exactly the routes the gateway serves."""

from __future__ import annotations

import re
from pathlib import Path

from openapi_spec_validator import validate

from booking_bot.gateway.api.openapi import document
from booking_bot.settings import PROJECT_ROOT
from tests.api.harness import gateway_settings, running_gateway
from tests.api.test_isolation import api_routes


def test_openapi_document_is_valid() -> None:
    validate(document())  # raises on an invalid document


async def test_openapi_document_matches_the_served_routes(gateway_redis_url: str, tmp_path: Path) -> None:
    async with running_gateway(gateway_settings(gateway_redis_url, tmp_path)) as gw:
        served = {(m, p) for m, p in api_routes(gw.app) if p != "/qr/"}
        documented = {(method.upper(), path) for path, ops in document()["paths"].items() for method in ops}
        assert documented == served
        response = await gw.call("GET", "/api/v1/openapi.json")
        assert response.status == 200
        assert await response.json() == document()


def test_every_secured_operation_says_how_it_fails() -> None:
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            if path == "/health":
                assert operation["security"] == []
                continue
            assert operation["security"] == [{"bearer": []}], (method, path)
            assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)


def test_no_route_and_no_field_of_the_session_or_an_opt_in_is_missing_from_docs_api_md() -> None:
    # docs/api.md is what integrators read: a route or a field added to the API and not there is one they never use.
    text = (PROJECT_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    spec = document()
    prefix = "/api/v1/companies/{company_id}"
    for path in spec["paths"]:
        forms = [path.replace("{company_id}", "{id}")]
        if path.startswith(prefix + "/"):
            forms.append("…" + path.removeprefix(prefix))
        assert any(form in text for form in forms), f"{path} is not in docs/api.md"
    schemas = spec["components"]["schemas"]
    for name in ("SessionOut", "NumberHealthOut", "OptInIn", "OptInOut", "SendOut"):
        for field in schemas[name]["properties"]:
            assert re.search(rf"\b{field}\b", text), f"{name}.{field} is not in docs/api.md"
