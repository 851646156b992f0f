"""Receiving the browser's Content Security Policy violation reports.

The policy (``SECURE_CSP``) names ``/csp-report/`` as its ``report-uri``.
Browsers post a JSON report there whenever the policy blocks something; we
keep a count per directive, blocked source and page path (``CspViolation``)
and log each one, so a test, or an operator, can see that the count is zero.
Both the legacy ``application/csp-report`` body and the Reporting API's
``application/reports+json`` list are understood.
"""

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from masip.core.models import CspViolation

logger = logging.getLogger("masip.security.csp")

MAX_REPORT_BYTES = 16 * 1024
# New kinds of violation stop being stored past this many (counts still rise),
# so a flood of made-up reports cannot fill the table.
MAX_DISTINCT = 1000


def _source(value: str) -> str:
    """Scheme and host of a blocked address; keywords such as 'inline' as given."""
    parts = urlsplit(value)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"[:200]
    return (value or "unknown")[:200]


def _path(value: str) -> str:
    return (urlsplit(value).path or "/")[:200]


def parse(body: bytes) -> list[dict[str, str]]:
    """The violations in a report body, reduced to what we keep; [] if unusable."""
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return []
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        reports = [data["csp-report"]]
    elif isinstance(data, list):
        reports = [
            item.get("body")
            for item in data
            if isinstance(item, dict) and item.get("type") == "csp-violation"
        ]
    else:
        return []
    found = []
    for report in reports:
        if not isinstance(report, dict):
            continue
        directive = (
            report.get("effective-directive")
            or report.get("effectiveDirective")
            or report.get("violated-directive", "")
        )
        blocked = report.get("blocked-uri") or report.get("blockedURL") or ""
        page = report.get("document-uri") or report.get("documentURL") or ""
        if not isinstance(directive, str) or not directive:
            continue
        found.append(
            {
                "directive": directive.split()[0][:64],
                "blocked": _source(str(blocked)),
                "page": _path(str(page)),
            }
        )
    return found


def count(violation: dict[str, str]) -> None:
    """Add one to the violation's count, creating its row if there is room."""
    updated = CspViolation.objects.filter(**violation).update(
        count=F("count") + 1, last_seen=timezone.now()
    )
    if updated or CspViolation.objects.count() >= MAX_DISTINCT:
        return
    try:
        with transaction.atomic():
            CspViolation.objects.create(**violation)
    except IntegrityError:  # created meanwhile by another report
        CspViolation.objects.filter(**violation).update(count=F("count") + 1)


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class CspReportView(View):
    """Where browsers send violation reports (no sign-in: the sign-in page has them)."""

    required_permission = None
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        length = request.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_REPORT_BYTES:
            return HttpResponse(status=413)
        for violation in parse(request.body):
            logger.warning(
                "CSP violation: %(directive)s blocked %(blocked)s on %(page)s",
                violation,
            )
            count(violation)
        return HttpResponse(status=204)
