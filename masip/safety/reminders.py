"""The daily reminder that a safety plan's review is due (``masip reminders``).

Each current version whose review date has come is reminded once: the
person who recorded it is told (or, if they no longer work for that agency,
the team managers of the case's lead agency). A run claims each version by
a conditional update of ``review_reminded_on``, so running twice (or two
runs at once) sends each reminder once. A new version of the plan, with its
own review date, is reminded in its turn.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from masip.access.roles import RoleName
from masip.accounts import notices
from masip.accounts.models import Membership, Notification, User
from masip.core.templatetags.govuk import govuk_day
from masip.isolation.context import system_work
from masip.safety.models import SafetyPlanVersion


def remind_plan_reviews_due(*, today: dt.date) -> int:
    """Remind whoever answers for each current plan version whose review is
    due on or before ``today`` and not yet reminded; the number of notices."""
    with system_work():
        return _remind(today)


def _due(today: dt.date) -> list[SafetyPlanVersion]:
    return list(
        SafetyPlanVersion.objects.filter(
            number=F("plan__current_number"),
            review_on__lte=today,
            review_reminded_on__isnull=True,
        )
        .select_related("plan__case", "plan__victim", "recorded_by")
        .order_by("review_on", "id")
    )


def _claim(version: SafetyPlanVersion, today: dt.date) -> bool:
    """Mark the version reminded, unless another run already did."""
    return bool(
        SafetyPlanVersion.objects.filter(
            pk=version.pk, review_reminded_on__isnull=True
        ).update(review_reminded_on=today)
    )


def _still_works_there(version: SafetyPlanVersion) -> bool:
    return version.recorded_by.is_active and (
        Membership.objects.filter(
            user_id=version.recorded_by_id,
            agency_id=version.recorded_by_agency_id,
            is_active=True,
            agency__is_active=True,
        ).exists()
    )


def _lead_managers(agency_id: int) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            agency_id=agency_id,
            role=RoleName.TEAM_MANAGER,
            is_active=True,
            user__is_active=True,
        ).select_related("user")
    ]


def _recipients(version: SafetyPlanVersion) -> list[User]:
    if _still_works_there(version):
        return [version.recorded_by]
    return _lead_managers(version.plan.case.lead_agency_id)


def _link(version: SafetyPlanVersion) -> str:
    return reverse(
        "safety:plan",
        kwargs={
            "reference": version.plan.case.reference,
            "public_id": version.plan.victim.public_id,
        },
    )


def _remind(today: dt.date) -> int:
    sent = 0
    for version in _due(today):
        with transaction.atomic():
            if not _claim(version, today):
                continue  # another run reminded it
            case = version.plan.case
            when = (
                "is due today"
                if version.review_on == today
                else f"was due on {govuk_day(version.review_on)}"
            )
            sent += len(
                notices.notify(
                    _recipients(version),
                    kind=Notification.Kind.SAFETY_PLAN_REVIEW_DUE,
                    message=(
                        f"The review of a victim's safety plan on {case.reference} "
                        f"{when}."
                    ),
                    case_reference=case.reference,
                    link=_link(version),
                )
            )
    return sent
