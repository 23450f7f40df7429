"""The API reference at ``/api/docs``: the app's OpenAPI document as a page of our own.

FastAPI's default ``/api/docs`` loads Swagger UI from a CDN, which the app's Content Security
Policy (rightly) blocks, so the page stayed blank. This one is rendered on the server from the
same document (``/openapi.json``) by a template, with the app's own stylesheet: no script, no
other origin, the CSP untouched, readable on a phone. Every operation is listed by tag with its
parameters, the fields of its JSON body and its answers; tools (client generators, a local
Swagger UI) read ``/openapi.json`` itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from advocacy.namespaces.access import AuthenticationError
from advocacy.present.web.auth import Caller, identify
from advocacy.present.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    """A parameter or a body field: its name, where it goes, its type, whether required."""

    name: str
    where: str
    type: str
    required: bool
    description: str = ""


@dataclass(frozen=True)
class Operation:
    """One method on one path."""

    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    body_types: list[str]
    body_fields: list[Field]
    answers: list[tuple[str, str]]

    @property
    def anchor(self) -> str:
        """An id for links to the operation: ``get-api-v1-cases-case_id``."""
        return f"{self.method}-{re.sub(r'[^A-Za-z0-9_]+', '-', self.path).strip('-')}"


@dataclass
class Group:
    """The operations of one tag."""

    tag: str
    operations: list[Operation] = field(default_factory=list)


def type_text(schema: dict[str, Any]) -> str:
    """A JSON schema as a short type for people: ``string or null``, ``list of integer``."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(type_text(part) for part in schema[key])
    kind = schema.get("type")
    if kind == "array":
        return "list of " + type_text(schema.get("items") or {})
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    return str(kind or "any")


def _body(operation: dict[str, Any], schemas: dict[str, Any]) -> tuple[list[str], list[Field]]:
    content = (operation.get("requestBody") or {}).get("content") or {}
    fields: list[Field] = []
    for schema in (media.get("schema") or {} for media in content.values()):
        ref = schema.get("$ref")
        if not ref and schema.get("type") == "array":
            ref = (schema.get("items") or {}).get("$ref")
        model = schemas.get(str(ref).rsplit("/", 1)[-1], {}) if ref else {}
        required = set(model.get("required") or ())
        for name, prop in (model.get("properties") or {}).items():
            fields.append(
                Field(name, "body", type_text(prop), name in required, prop.get("description", ""))
            )
        if fields:
            break
    return list(content), fields


def reference(document: dict[str, Any]) -> list[Group]:
    """The operations of an OpenAPI ``document``, grouped by their first tag, in path order."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    groups: dict[str, Group] = {}
    for path, item in (document.get("paths") or {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                Field(
                    str(p["name"]),
                    str(p.get("in", "")),
                    type_text(p.get("schema") or {}),
                    bool(p.get("required")),
                    str(p.get("description") or ""),
                )
                for p in operation.get("parameters") or ()
            ]
            body_types, body_fields = _body(operation, schemas)
            answers = [
                (str(code), str(answer.get("description") or ""))
                for code, answer in (operation.get("responses") or {}).items()
            ]
            tag = (operation.get("tags") or ["general"])[0]
            groups.setdefault(tag, Group(tag)).operations.append(
                Operation(
                    method,
                    path,
                    str(operation.get("summary") or ""),
                    str(operation.get("description") or ""),
                    parameters,
                    body_types,
                    body_fields,
                    answers,
                )
            )
    return list(groups.values())


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The reference, open to all (as ``/openapi.json`` is); with the navigation when signed in."""
    try:
        caller: Caller | None = identify(request)
    except AuthenticationError:
        caller = None
    document = request.app.openapi()
    return render(
        request,
        "api_docs.html.j2",
        {"info": document.get("info") or {}, "groups": reference(document)},
        caller=caller,
    )


__all__ = ["Field", "Group", "Operation", "api_docs", "reference", "router", "type_text"]
