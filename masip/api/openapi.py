"""The OpenAPI 3 description of the API, built from the same choices as the code."""

from typing import Any

from django.conf import settings

from masip.api.forms import Q_MAX
from masip.cases.models import (
    CaseStatus,
    ClosureReason,
    ReferralSource,
    RelationshipType,
    RiskLevel,
)

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": _ref("Error")}}}


def _date(nullable: bool = False) -> dict[str, Any]:
    return {"type": "string", "format": "date", "nullable": nullable}


def _enum(values: list[str], nullable: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": values}
    if nullable:
        schema["nullable"] = True
        schema["enum"] = [*values, None]
    return schema


def _schemas() -> dict[str, Any]:
    summary_properties: dict[str, Any] = {
        "reference": {"type": "string"},
        "url": {"type": "string"},
        "status": _enum(CaseStatus.values),
        "risk_level": _enum(RiskLevel.values),
        "lead_agency": {"type": "string"},
        "referred_on": _date(),
    }
    detail_properties: dict[str, Any] = {
        **summary_properties,
        "relationship_type": _enum(RelationshipType.values),
        "referral_source": _enum(ReferralSource.values),
        "closure_reason": _enum(ClosureReason.values, nullable=True),
        "behaviour_started_on": _date(nullable=True),
        "first_reported_on": _date(nullable=True),
        "review_due_on": _date(nullable=True),
        "closed_on": _date(nullable=True),
        "version": {"type": "integer", "minimum": 1},
    }
    return {
        "CaseSummary": _object(summary_properties),
        "Case": _object(detail_properties),
        "CaseList": _object(
            {
                "count": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "pages": {"type": "integer", "minimum": 1},
                "results": {"type": "array", "items": _ref("CaseSummary")},
            }
        ),
        "Error": {
            "type": "object",
            "required": ["detail"],
            "properties": {
                "detail": {"type": "string"},
                "errors": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "string"},
                    },
                },
            },
            "additionalProperties": False,
        },
    }


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _list_operation() -> dict[str, Any]:
    return {
        "operationId": "listCases",
        "summary": "The cases you can open, as the case list page shows them",
        "parameters": [
            _query("status", _enum(CaseStatus.values), "Only cases with this status."),
            _query(
                "risk_level", _enum(RiskLevel.values), "Only cases at this risk level."
            ),
            _query(
                "q",
                # Django refuses NUL characters in form input (400).
                {"type": "string", "maxLength": Q_MAX, "pattern": "^[^\\x00]*$"},
                "A reference (or its start), or a participant's name or alias.",
            ),
            _query(
                "page",
                {"type": "integer", "minimum": 1, "maximum": 1_000_000},
                "The page of results (page size MASIP_PAGE_SIZE).",
            ),
        ],
        "responses": {
            "200": {
                "description": "A page of cases",
                "content": {JSON: {"schema": _ref("CaseList")}},
            },
            "400": _error("A query parameter is not valid"),
            "401": _error("Not signed in"),
            "403": _error("Your roles do not include reading cases"),
            "404": _error("There is no such page"),
        },
    }


def _detail_operation() -> dict[str, Any]:
    return {
        "operationId": "getCase",
        "summary": "One case's case-level facts",
        "parameters": [
            {
                "name": "reference",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,20}$"},
            }
        ],
        "responses": {
            "200": {
                "description": "The case",
                "content": {JSON: {"schema": _ref("Case")}},
            },
            "401": _error("Not signed in"),
            "403": _error(
                "Your role needs a stated purpose: give it on the case page first"
            ),
            "404": _error("No case has this reference, or it is out of your reach"),
        },
    }


def document() -> dict[str, Any]:
    """The OpenAPI document served at ``/api/v1/openapi.json``."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "MASIP API",
            "version": "1.0.0",
            "description": (
                "Read-only access to the cases you can open, through the same "
                "access policy as the web pages. Signed-in sessions only (with "
                "their second factor); nothing from a sealed compartment is ever "
                "returned. Missing cases and cases out of reach both answer 404."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"session": []}],
        "paths": {
            "/cases/": {"get": _list_operation()},
            "/cases/{reference}/": {"get": _detail_operation()},
        },
        "components": {
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                }
            },
            "schemas": _schemas(),
        },
    }
