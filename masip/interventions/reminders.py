"""Telling the victim's advocate that the person who stalks is to be released.

A period in custody whose expected release falls from today to
``MASIP_RELEASE_ALERT_DAYS`` days on is alerted once for that date: the
advocates allocated to the case are told; with none, the team managers of
the advocacy services leading or sharing the case; with none of those, the
lead agency's team managers, told that no advocate is on the case. Only
people who reach the case are told.

``alert_coming_releases`` is the daily run (``masip reminders``);
``alert_release_if_due`` alerts one period at once, when it is recorded or its
date changes. Each claims the period by a conditional update of
``release_alerted_for`` (the date alerted for), so two runs send one alert,
and a date brought forward or put back alerts again. A release recorded
without such an alert for its date tells the same people it happened.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from masip.access.policy import Access
from masip.access.roles import AgencyKind, RoleName
from masip.accounts import notices
from masip.accounts.models import Membership, Notification, User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case, CaseAllocation, CaseShare
from masip.core.templatetags.govuk import govuk_day
from masip.interventions.models import Custody
from masip.interventions.selectors import CUSTODY_TARGET
from masip.isolation.context import system_work


def alert_days() -> int:
    return int(settings.MASIP_RELEASE_ALERT_DAYS)


# Who is told -----------------------------------------------------------------


def _reaching(case: Case, users: list[User]) -> list[User]:
    """The users (once each, active) who reach the case now."""
    unique = {u.pk: u for u in users if u.is_active}
    return [u for u in unique.values() if Access(u).case_access(case).reaches]


def _managers(agency_ids: list[int]) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            agency_id__in=agency_ids,
            role=RoleName.TEAM_MANAGER,
            is_active=True,
            user__is_active=True,
            agency__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    ]


def release_recipients(case: Case) -> tuple[list[User], bool]:
    """Who is told of the release, and whether they are advocates (or their
    managers) rather than the lead agency's managers standing in."""
    advocates = [
        a.user
        for a in CaseAllocation.objects.filter(
            case=case, ended_at__isnull=True, agency__kind=AgencyKind.ADVOCACY
        )
        .select_related("user")
        .order_by("allocated_at", "id")
    ]
    if found := _reaching(case, advocates):
        return found, True
    services = list(
        CaseShare.objects.active()
        .filter(case=case, agency__kind=AgencyKind.ADVOCACY)
        .values_list("agency_id", flat=True)
    )
    if case.lead_agency.kind == AgencyKind.ADVOCACY:
        services.append(case.lead_agency_id)
    if services and (found := _reaching(case, _managers(services))):
        return found, True
    return _reaching(case, _managers([case.lead_agency_id])), False


def _when(expected: dt.date, today: dt.date) -> str:
    days = (expected - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def _link(custody: Custody) -> str:
    return reverse(
        "interventions:custody-detail",
        kwargs={"reference": custody.case.reference, "public_id": custody.public_id},
    )


def _send(custody: Custody, message: str) -> int:
    recipients, advocates = release_recipients(custody.case)
    if not advocates:
        message += (
            " No advocate is working on this case: make sure the victim is told "
            "and their safety plan reviewed."
        )
    else:
        message += " Review the victim's safety plan with them."
    sent = notices.notify(
        recipients,
        kind=Notification.Kind.RELEASE_COMING,
        message=message,
        case_reference=custody.case.reference,
        link=_link(custody),
    )
    audit.record(
        EventType.RELEASE_ALERT_SENT,
        actor=audit.SYSTEM,
        target_type=CUSTODY_TARGET,
        target_id=custody.public_id,
        case_reference=custody.case.reference,
        changed_fields=["release_alerted_for"],
    )
    return len(sent)


# Before a release --------------------------------------------------------------


def _in_window(expected: dt.date | None, today: dt.date) -> bool:
    return expected is not None and (
        today <= expected <= today + dt.timedelta(days=alert_days())
    )


def _claim(custody: Custody, expected: dt.date) -> bool:
    """Mark the period alerted for ``expected``, unless it is released, its
    date changed, or another run already did."""
    return bool(
        Custody.objects.filter(
            pk=custody.pk, released_on__isnull=True, expected_release_on=expected
        )
        .exclude(release_alerted_for=expected)
        .update(release_alerted_for=expected)
    )


def alert_release_if_due(custody: Custody, *, today: dt.date) -> int:
    """Alert the coming release of one period if it is due and not yet
    alerted for its date; the number of notices left."""
    expected = custody.expected_release_on
    if not custody.in_custody or expected is None or not _in_window(expected, today):
        return 0
    with transaction.atomic():
        if not _claim(custody, expected):
            return 0
        custody.release_alerted_for = expected
        return _send(
            custody,
            f"The person who stalks on {custody.case.reference} is expected to be "
            f"released from custody on {govuk_day(expected)} "
            f"({_when(expected, today)}).",
        )


def alert_coming_releases(*, today: dt.date) -> int:
    """Alert every release expected from ``today`` to MASIP_RELEASE_ALERT_DAYS
    days on and not yet alerted for its date; the number of notices left."""
    with system_work():
        due = list(
            Custody.objects.filter(
                released_on__isnull=True,
                expected_release_on__gte=today,
                expected_release_on__lte=today + dt.timedelta(days=alert_days()),
            )
            .exclude(release_alerted_for=F("expected_release_on"))
            .select_related("case", "case__lead_agency")
            .order_by("expected_release_on", "id")
        )
        return sum(alert_release_if_due(custody, today=today) for custody in due)


# After a release ----------------------------------------------------------------


def alert_release_recorded(custody: Custody, *, today: dt.date) -> int:
    """Tell the advocate of a release just recorded, unless they were alerted
    for that very date beforehand (or it is older than the alert window)."""
    released = custody.released_on
    if released is None or custody.release_alerted_for == released:
        return 0
    if released < today - dt.timedelta(days=alert_days()):
        return 0  # a past period recorded for the history
    how = custody.get_release_kind_display().lower()
    return _send(
        custody,
        f"The person who stalks on {custody.case.reference} was released from "
        f"custody on {govuk_day(released)} ({how}).",
    )
