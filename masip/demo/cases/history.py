"""Demo case history: status and risk changes, shares and allocations."""

import datetime as dt

from masip.access.roles import AgencyKind
from masip.accounts.models import Agency, Notification, User
from masip.cases.models import (
    CaseAllocation,
    CaseShare,
    CaseStatus,
    RiskLevel,
    RiskLevelChange,
    StatusChange,
)
from masip.demo import data
from masip.demo.cases._base import Draft, PlannerBase
from masip.demo.synth import (
    SHARE_COMPARTMENTS,
    STATUS_FLOW,
    aware,
    day_between,
    stamped,
)


class HistoryPlanner(PlannerBase):
    """Adds a case's status and risk history, its shares and allocations."""

    def _history(self, draft: Draft) -> None:
        rng, case = self.rng, draft.case
        path = (
            list(STATUS_FLOW[: STATUS_FLOW.index(case.status) + 1])
            if case.status != CaseStatus.CLOSED
            else [*STATUS_FLOW[: rng.randint(1, len(STATUS_FLOW))], CaseStatus.CLOSED]
        )
        days = sorted(day_between(rng, case.referred_on, draft.end) for _ in path[1:])
        previous = ""
        for status, day in zip(path, [case.referred_on, *days], strict=True):
            self.batch.add(
                stamped(
                    StatusChange,
                    aware(day, rng.randint(9, 17), rng.randint(0, 59)),
                    case=case,
                    from_status=previous,
                    to_status=status,
                    reason=data.STATUS_REASONS.get(status, "Referral received."),
                    changed_by=draft.manager
                    if status == CaseStatus.CLOSED
                    else draft.worker,
                )
            )
            previous = status
        if case.risk_level != RiskLevel.NOT_ASSESSED:
            self._risk_history(draft, days[0] if days else case.referred_on)

    def _risk_history(self, draft: Draft, screened_on: dt.date) -> None:
        rng, case = self.rng, draft.case
        levels = [case.risk_level]
        if rng.random() < 0.35:
            levels.insert(0, rng.choice([RiskLevel.STANDARD, RiskLevel.MEDIUM]))
        previous: str = RiskLevel.NOT_ASSESSED
        for level in levels:
            day = (
                screened_on
                if previous == RiskLevel.NOT_ASSESSED
                else day_between(rng, screened_on, draft.end)
            )
            self.batch.add(
                stamped(
                    RiskLevelChange,
                    aware(day, rng.randint(9, 17), rng.randint(0, 59)),
                    case=case,
                    from_level=previous,
                    to_level=level,
                    reason=rng.choice(data.RISK_REASONS),
                    changed_by=draft.worker,
                )
            )
            previous = level

    # Sharing and allocation -------------------------------------------------

    def _sharing(self, draft: Draft) -> None:
        case, rng = draft.case, self.rng
        self._allocate(draft, draft.lead, draft.worker, draft.manager)
        if case.status in (CaseStatus.REFERRED, CaseStatus.SCREENING):
            return
        if draft.lead.kind == AgencyKind.POLICE:
            chances = {"probation": 0.6, "mental-health": 0.5, "advocacy": 0.8}
        else:
            chances = {"police": 0.9, "advocacy": 0.3}
        for suffix, chance in chances.items():
            partner = self.s.site_agency(draft.site.slug, suffix)
            if partner != draft.lead and rng.random() < chance:
                self._share(draft, partner)

    def _share(self, draft: Draft, partner: Agency) -> None:
        rng, case = self.rng, draft.case
        granted_on = day_between(
            rng,
            case.referred_on,
            min(draft.end, case.referred_on + dt.timedelta(days=45)),
        )
        basis, reason = rng.choice(data.SHARE_REASONS[AgencyKind(partner.kind)])
        revoked = case.closed_on is not None or rng.random() < 0.05
        self.batch.add(
            stamped(
                CaseShare,
                aware(granted_on, 11, rng.randint(0, 59)),
                case=case,
                agency=partner,
                granted_by=draft.manager,
                reason=reason.format(**draft.names()),
                lawful_basis=basis,
                compartments=SHARE_COMPARTMENTS[partner.kind],
                expires_at=aware(
                    max(
                        granted_on + dt.timedelta(days=180),
                        self.anchor + dt.timedelta(days=rng.randint(30, 150)),
                    ),
                    23,
                    59,
                ),
                revoked_at=aware(draft.end, 16, 0) if revoked else None,
                revoked_by=draft.manager if revoked else None,
            )
        )
        if not revoked:
            draft.partners.append(partner)
            self._allocate(
                draft,
                partner,
                self.s.worker(partner.slug),
                self.s.manager(partner.slug),
            )

    def _allocate(self, draft: Draft, agency: Agency, user: User, by: User) -> None:
        case = draft.case
        ended = aware(case.closed_on, 17, 0) if case.closed_on else None
        self.batch.add(
            stamped(
                CaseAllocation,
                case.created_at,
                case=case,
                user=user,
                agency=agency,
                allocated_by=by,
                ended_at=ended,
            )
        )
        if user == self.start_user and ended is None:
            self.batch.add(
                stamped(
                    Notification,
                    case.created_at,
                    recipient=user,
                    kind=Notification.Kind.ALLOCATED,
                    case_reference=case.reference,
                    message=f"Case {case.reference} has been allocated to you.",
                )
            )
