"""``masip reminders``: the daily reminders (run once a day, from cron or
after ``masip db_worker --batch``; see docs/operations.md, "Background worker").

It tells action owners (and each panel chair, in one summary) about actions
that have fallen overdue, the lead agency's managers about outcome
follow-ups that are due, an order's police owner about notifications under a
Stalking Protection Order that are overdue, the victim's advocate about a
perpetrator's release coming up, and a safety plan's author about its review
falling due. Each function stamps what it reminds about by a
conditional update, so running the command twice in a day, or again for a
past day with ``--date``, sends nothing twice. The emails go out through the
worker, like every other notice.
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from masip.isolation.context import system_work


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Enter the date as YYYY-MM-DD, not {text!r}.") from exc


class Command(BaseCommand):
    help = (
        "Send the daily reminders: overdue actions, outcome follow-ups due, "
        "overdue order notifications, coming releases and safety plan reviews. "
        "Run once a day."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--date",
            default="",
            help="The day to remind for, YYYY-MM-DD (default: today). For "
            "re-running a missed day; nothing already reminded is sent again.",
        )

    @system_work()  # every case, with no request behind it
    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here: these apps load after this one.
        from masip.cases.services.closure import remind_follow_ups_due
        from masip.interventions.reminders import alert_coming_releases
        from masip.orders.reminders import remind_overdue_notifications
        from masip.panels.reminders import remind_overdue_actions
        from masip.safety.reminders import remind_plan_reviews_due

        today = _day(options["date"]) if options["date"] else timezone.localdate()
        counts = (
            ("Overdue actions", remind_overdue_actions(today=today)),
            ("Follow-ups due", remind_follow_ups_due(today=today)),
            ("Overdue order notifications", remind_overdue_notifications(today=today)),
            ("Releases coming up", alert_coming_releases(today=today)),
            ("Safety plan reviews due", remind_plan_reviews_due(today=today)),
        )
        self.stdout.write(f"Reminders for {today:%Y-%m-%d}:")
        for label, count in counts:
            self.stdout.write(f"{label}: {count}")
