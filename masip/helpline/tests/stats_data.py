"""Completed contacts for the statistics tests, counted as the services
count them (``counting.count_contact`` inside the completing transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from masip.helpline.counting import count_contact
from masip.helpline.models import Contact


def completed_contact(cast: Any, month: dt.date, **fields: Any) -> Contact:
    """A completed contact started on the 10th of ``month`` at noon."""
    zone = timezone.get_current_timezone()
    started = dt.datetime(month.year, month.month, 10, 12, 0, tzinfo=zone)
    seconds = fields.pop("handling_seconds", 300)
    values: dict[str, Any] = {
        "agency": cast.helpline,
        "adviser": cast.helpline_adviser,
        "status": Contact.Status.COMPLETE,
        "started_at": started,
        "ended_at": started + dt.timedelta(seconds=seconds),
        "handling_seconds": seconds,
        "channel": "phone",
        "caller_type": "victim",
        "force_area": "kent",
        "relationship": "ex_partner",
        "duration_band": "over_2y",
        "behaviours": ["following"],
        "digital_indicators": [],
        "referrals_made": [],
    }
    values.update(fields)
    with transaction.atomic():
        contact = Contact.objects.create(**values)
        count_contact(contact)
    return contact


def contacts(cast: Any, month: dt.date, n: int, **fields: Any) -> list[Contact]:
    return [completed_contact(cast, month, **fields) for _ in range(n)]
