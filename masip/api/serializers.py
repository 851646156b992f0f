"""Cases as JSON: the case-level facts every role that reaches a case may read.

Nothing from a sealed compartment is here, nor any person's details or free
text (summary, notes): the API returns only what a caller needs to find and
track cases (ASVS 15.3.1). ``openapi.py`` describes the same shapes.
"""

import datetime as dt
from typing import Any

from django.urls import reverse

from masip.cases.models import Case


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def case_summary_json(case: Case) -> dict[str, Any]:
    """A case as the list returns it."""
    return {
        "reference": case.reference,
        "url": reverse("api:case-detail", kwargs={"reference": case.reference}),
        "status": case.status,
        "risk_level": case.risk_level,
        "lead_agency": case.lead_agency.name,
        "referred_on": _date(case.referred_on),
    }


def case_detail_json(case: Case) -> dict[str, Any]:
    """A case as its own endpoint returns it."""
    return {
        **case_summary_json(case),
        "relationship_type": case.relationship_type,
        "referral_source": case.referral_source,
        "closure_reason": case.closure_reason or None,
        "behaviour_started_on": _date(case.behaviour_started_on),
        "first_reported_on": _date(case.first_reported_on),
        "review_due_on": _date(case.review_due_on),
        "closed_on": _date(case.closed_on),
        "version": case.version,
    }
