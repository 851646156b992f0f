"""Build the demo: organisations and staff, then about sixty hand-shaped cases.

``load_demo`` is what ``masip demo`` runs. It is idempotent: organisations,
teams and staff are found or created by slug and email, and cases by their
reference, which the fixed random seed makes the same on every run. Dates are
laid out backwards from the day the demo is loaded, so the demo always looks
current.

Rows are written with ``bulk_create``. Their timestamps (``created_at``,
``changed_at`` and the like) are normally set by Django to "now"; the demo
sets them to the dates in the story instead, inside ``explicit_timestamps``.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.demo import data
from masip.demo.cases import DemoCases
from masip.demo.helpline import ensure_helpline
from masip.demo.interventions import ensure_interventions
from masip.demo.orders import ensure_orders
from masip.demo.panels import ensure_panels
from masip.demo.referrals import ensure_referrals
from masip.demo.safety import ensure_safety
from masip.demo.structure import Structure, demo_password, ensure_structure
from masip.demo.synth import WRITE_ORDER, explicit_timestamps

__all__ = ["DemoResult", "load_demo"]


@dataclass(frozen=True)
class DemoResult:
    structure: Structure
    created_cases: int
    existing_cases: int
    password: str


def load_demo(
    *, password: str | None = None, anchor: dt.date | None = None
) -> DemoResult:
    """Load the demo in one transaction; a second run adds nothing."""
    password = password or demo_password()
    anchor = anchor or timezone.localdate()
    with transaction.atomic():
        structure = ensure_structure(password=password)
        planner = DemoCases(
            structure,
            anchor=anchor,
            seed=data.DEMO_RANDOM_SEED,
            count=data.DEMO_CASE_COUNT,
        )
        existing = set(
            Case.objects.filter(reference__in=planner.references).values_list(
                "reference", flat=True
            )
        )
        new_cases: list[Case] = []
        if len(existing) < len(planner.references):
            with explicit_timestamps(WRITE_ORDER):
                new_cases = planner.build(skip=existing)
                planner.batch.save()
        ensure_panels(structure, anchor=anchor)
        ensure_orders(structure, anchor=anchor)
        ensure_interventions(structure, anchor=anchor)
        ensure_safety(structure, anchor=anchor)
        ensure_referrals(structure, now=timezone.now())
        # After the referrals: a site with a referral gets no demo referrals.
        ensure_helpline(structure, anchor=anchor)
        for case in new_cases:
            audit.record(
                EventType.CASE_CREATED,
                actor=audit.SYSTEM,
                target_type="case",
                target_id=case.pk,
                case_reference=case.reference,
            )
    return DemoResult(structure, len(new_cases), len(existing), password)
