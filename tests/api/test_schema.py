"""The OpenAPI document, generated here as CI does: every operation has a Chinese summary and description,
every field of every schema a Chinese description, every error a problem; the docs page is served from this
server's own static files."""

import re

import pytest
from django.contrib.staticfiles import finders

from api.views.site import api

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def test_every_operation_is_documented_in_chinese(schema):
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for key in ("summary", "description"):
                if not CHINESE.search(operation.get(key) or ""):
                    missing.append(f"{method.upper()} {path}: {key}")
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    continue  # {id}, {code}, {reference}: named in the description
                if not CHINESE.search(parameter.get("description") or ""):
                    missing.append(f"{method.upper()} {path}: parameter {parameter['name']}")
    assert not missing, "\n".join(missing)


def test_every_field_of_every_schema_is_described_in_chinese(schema):
    missing = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            if not CHINESE.search(spec.get("description") or ""):
                missing.append(f"{name}.{field}")
    assert not missing, "\n".join(missing)


def test_the_api_is_described_and_versioned(schema):
    assert schema["info"]["version"] == "1" and CHINESE.search(schema["info"]["title"])
    assert "RFC 9457" in schema["info"]["description"]
    assert {"StaffToken", "WorkerToken"} <= set(schema["components"]["securitySchemes"])
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_the_docs_page_assets_are_local():
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(asset), asset
