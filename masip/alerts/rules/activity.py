"""Rules about single sensitive acts and spikes: reveals, emergency access,
exports and refused access."""

from typing import ClassVar

from django.conf import settings

from masip.alerts.models import RuleCode
from masip.alerts.rules.base import EventContext, Finding
from masip.alerts.working_time import is_working_time
from masip.audit.events import EventType


class SealedOffHoursRule:
    """Victim location or contact details revealed outside working hours."""

    code: ClassVar[RuleCode] = RuleCode.SEALED_OFF_HOURS
    event_types: ClassVar[frozenset[str]] = frozenset({EventType.SEALED_REVEALED})

    def evaluate(self, ctx: EventContext) -> Finding | None:
        if is_working_time(ctx.at):
            return None
        reference = ctx.event.case_reference
        where = f" on case {reference}" if reference else ""
        return Finding(
            rule=self.code,
            case_reference=reference,
            summary=(
                f"Revealed victim location or contact details{where} outside "
                "working hours."
            ),
        )


class BreakGlassRule:
    """Every use of break-the-glass, and every attempt on an unknown reference."""

    code: ClassVar[RuleCode] = RuleCode.BREAK_GLASS
    event_types: ClassVar[frozenset[str]] = frozenset(
        {EventType.CASE_BREAK_GLASS, EventType.CASE_BREAK_GLASS_NOT_FOUND}
    )

    def evaluate(self, ctx: EventContext) -> Finding | None:
        reference = ctx.event.case_reference
        if ctx.event.event_type == EventType.CASE_BREAK_GLASS_NOT_FOUND:
            summary = "Tried to break the glass on a reference that no case holds."
        else:
            summary = f"Broke the glass to open case {reference}."
        return Finding(rule=self.code, case_reference=reference, summary=summary)


class ExportSpikeRule:
    """More than ``MASIP_ALERT_EXPORT_LIMIT`` exports within the window."""

    code: ClassVar[RuleCode] = RuleCode.EXPORT_SPIKE
    event_types: ClassVar[frozenset[str]] = frozenset({EventType.EXPORT_CREATED})

    def evaluate(self, ctx: EventContext) -> Finding | None:
        limit = settings.MASIP_ALERT_EXPORT_LIMIT
        minutes = settings.MASIP_ALERT_EXPORT_MINUTES
        exports = ctx.recent(self.event_types, minutes)
        if len(exports) <= limit:
            return None
        return Finding(
            rule=self.code,
            summary=f"Made {len(exports)} exports within {minutes} minutes.",
            evidence=tuple(e.pk for e in exports if e.pk != ctx.event.pk),
        )


class ConflictBlockedRule:
    """Access refused because the user declared a conflict with someone."""

    code: ClassVar[RuleCode] = RuleCode.CONFLICT_BLOCKED
    event_types: ClassVar[frozenset[str]] = frozenset(
        {EventType.CONFLICT_ACCESS_BLOCKED}
    )

    def evaluate(self, ctx: EventContext) -> Finding | None:
        reference = ctx.event.case_reference
        where = f"case {reference}" if reference else "a case"
        return Finding(
            rule=self.code,
            case_reference=reference,
            summary=(
                f"Tried to open {where} involving someone they declared a "
                "conflict of interest with."
            ),
        )


class StaffInvolvedBlockedRule:
    """Access refused because the case involves the user's own agency's staff.

    The alert goes to that same agency's managers, who are barred from the case
    themselves (and one of them may be the member of staff involved), so it
    never names the case: professional standards find it from the audit trail.
    """

    code: ClassVar[RuleCode] = RuleCode.STAFF_INVOLVED_BLOCKED
    event_types: ClassVar[frozenset[str]] = frozenset(
        {EventType.STAFF_INVOLVED_ACCESS_BLOCKED}
    )

    def evaluate(self, ctx: EventContext) -> Finding | None:
        return Finding(
            rule=self.code,
            summary=(
                "Tried to open a case that involves a member of their own "
                "agency's staff."
            ),
        )
