"""The daily reminders about overdue actions (run by ``masip reminders``).

Each overdue action is reminded once a day: its owner (or, with no owner, the
owner agency's team managers) is told, and the chair of the panel of the
case's site gets one summary a day with a count per agency and the case
references, nothing more. A run claims each action by a conditional update of
``overdue_notified_on``, so running twice in a day (or two runs at once)
sends each reminder once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from masip.accounts import notices
from masip.accounts.models import Notification, User
from masip.core.templatetags.govuk import govuk_day
from masip.isolation.context import system_work
from masip.panels.action_services import action_link, agency_managers
from masip.panels.models import Action, Panel


@dataclass
class _ChairSummary:
    chair: User
    # Agency name -> case references of its overdue actions.
    by_agency: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def total(self) -> int:
        return sum(len(refs) for refs in self.by_agency.values())

    def message(self) -> str:
        parts = [
            f"{name}: {len(refs)} ({', '.join(sorted(set(refs)))})"
            for name, refs in sorted(self.by_agency.items())
        ]
        noun = "action is" if self.total == 1 else "actions are"
        return f"{self.total} panel {noun} overdue. " + "; ".join(parts) + "."


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _claim(action: Action, today: dt.date) -> bool:
    """Mark the action reminded today, unless another run already did."""
    not_yet = Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today)
    return bool(
        Action.objects.filter(not_yet, pk=action.pk)
        .overdue(today)
        .update(overdue_notified_on=today)
    )


def remind_overdue_actions(*, today: dt.date) -> int:
    """Remind the owners of every overdue action not yet reminded ``today``,
    and each panel chair once with a summary; the number of notices left."""
    with system_work():
        return _remind(today)


def _remind(today: dt.date) -> int:
    due = list(
        Action.objects.overdue(today)
        .filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
        .select_related("case", "case__lead_agency", "owner", "owner_agency")
        .order_by("due_on", "id")
    )
    if not due:
        return 0
    managers = agency_managers({a.owner_agency_id for a in due if a.owner_id is None})
    chairs = {
        panel.site_id: panel.chair
        for panel in Panel.objects.filter(
            site_id__in={a.case.lead_agency.site_id for a in due},
            chair__isnull=False,
            chair__is_active=True,
        ).select_related("chair")
    }
    summaries: dict[int, _ChairSummary] = {}
    sent = 0
    for action in due:
        with transaction.atomic():
            if not _claim(action, today):
                continue  # another run reminded it today
            recipients = (
                [action.owner]
                if action.owner is not None
                else managers.get(action.owner_agency_id, [])
            )
            late = (today - action.due_on).days
            sent += len(
                notices.notify(
                    recipients,
                    kind=Notification.Kind.ACTION_OVERDUE,
                    message=(
                        f"An action on {action.case.reference} for "
                        f"{action.owner_agency.name} was due on "
                        f"{govuk_day(action.due_on)} and is {_days(late)} overdue."
                    ),
                    case_reference=action.case.reference,
                    link=action_link(action),
                )
            )
        site_id = action.case.lead_agency.site_id
        chair = chairs.get(site_id) if site_id is not None else None
        if chair is not None:
            summary = summaries.setdefault(chair.pk, _ChairSummary(chair=chair))
            summary.by_agency[action.owner_agency.name].append(action.case.reference)
    for summary in summaries.values():
        with transaction.atomic():
            sent += len(
                notices.notify(
                    [summary.chair],
                    kind=Notification.Kind.ACTION_OVERDUE,
                    message=summary.message(),
                    link=reverse("actions:overdue"),
                )
            )
    return sent
