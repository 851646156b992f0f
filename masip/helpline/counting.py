"""Keeping the monthly counts (``MonthlyCount``) in step with completed
contacts: the statistics page reads these rows, never the contacts.

``count_contact(contact, sign=1)`` adds a completed contact to its month;
``sign=-1`` takes it away again (a completed contact reopened to correct it
is uncounted first, and counted again when completed). Called inside the
completing or reopening service's transaction, so the counts never drift
from the contacts. Each dimension value is one row per month, updated with
an ``F()`` increment (one statement per row; rows are created on first use).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from masip.helpline.areas import region_of
from masip.helpline.models import AdviceTopic, Contact, MonthlyCount

ALL = "all"
HANDOVER = "handover"
# The dimensions a contact is counted under, in the order the page shows them.
DIMENSIONS = (
    "channel",
    "caller_type",
    "region",
    "relationship",
    "duration_band",
    "behaviour",
    "digital",
    "referral",
    "advice_area",
    "risk_level",
    "safeguarding",
)


def month_of(moment: dt.datetime) -> dt.date:
    local = timezone.localtime(moment)
    return dt.date(local.year, local.month, 1)


def dimension_values(contact: Contact) -> Iterator[tuple[str, str]]:
    """(dimension, value) pairs a contact counts under ("" values skipped)."""
    yield "channel", contact.channel
    yield "caller_type", contact.caller_type
    yield "region", region_of(contact.force_area) if contact.force_area else ""
    yield "relationship", contact.relationship
    yield "duration_band", contact.duration_band
    for code in sorted(set(contact.behaviours)):
        yield "behaviour", code
    for code in sorted(set(contact.digital_indicators)):
        yield "digital", code
    for code in sorted(set(contact.referrals_made)):
        yield "referral", code
    if contact.referral_id:  # handed over with consent
        yield "referral", HANDOVER
    areas = AdviceTopic.objects.filter(pk__in=contact.advice.values("pk")).values_list(
        "area", flat=True
    )
    for area in sorted(set(areas)):
        yield "advice_area", area
    yield "risk_level", contact.risk_level
    yield "safeguarding", "override" if contact.safeguarding_override else ""


def _bump(
    month: dt.date, dimension: str, value: str, contacts: int, seconds: int
) -> None:
    changed = MonthlyCount.objects.filter(
        month=month, dimension=dimension, value=value
    ).update(
        contacts=F("contacts") + contacts,
        handling_seconds=F("handling_seconds") + seconds,
    )
    if changed:
        return
    try:
        with transaction.atomic():
            MonthlyCount.objects.create(
                month=month,
                dimension=dimension,
                value=value,
                contacts=contacts,
                handling_seconds=seconds,
            )
    except IntegrityError:  # created by another transaction meanwhile
        _bump(month, dimension, value, contacts, seconds)


def count_contact(contact: Contact, *, sign: int = 1) -> None:
    """Add (``sign=1``) or take away (``sign=-1``) a completed contact."""
    assert sign in (1, -1)
    month = month_of(contact.started_at)
    seconds = sign * (contact.handling_seconds or 0)
    _bump(month, ALL, ALL, sign, seconds)
    for dimension, value in dimension_values(contact):
        if value:
            _bump(month, dimension, value, sign, 0)


def count_handover(contact: Contact, *, sign: int = 1) -> None:
    """Count (or uncount) a completed contact's handover under "referral"."""
    assert sign in (1, -1)
    _bump(month_of(contact.started_at), "referral", HANDOVER, sign, 0)
