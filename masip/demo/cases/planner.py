"""The demo case planner: one draft per planned reference, in a fixed order."""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models

from masip.access.roles import RoleName
from masip.accounts.models import Agency, User
from masip.cases.models import Case, CaseStatus, ReferralSource, RiskLevel
from masip.demo import data
from masip.demo.cases._base import Draft
from masip.demo.cases.history import HistoryPlanner
from masip.demo.cases.incidents import IncidentPlanner
from masip.demo.cases.people import PeoplePlanner
from masip.demo.cases.risk import RiskPlanner
from masip.demo.structure import Structure
from masip.demo.synth import (
    LEAD_WEIGHTS,
    REFERRAL_SOURCE_FOR,
    REFERRED_DAYS_AGO,
    RISK_WEIGHTS,
    SITE_WEIGHTS,
    STATUS_WEIGHTS,
    Batch,
    aware,
    day_between,
    planned_references,
    stamped,
    weighted,
)
from masip.people.models import Person


class DemoCases(PeoplePlanner, HistoryPlanner, IncidentPlanner, RiskPlanner):
    """Plans the demo cases from a fixed seed and adds their rows to a batch."""

    def __init__(
        self, structure: Structure, *, anchor: dt.date, seed: int, count: int
    ) -> None:
        self.s = structure
        self.rng = random.Random(seed)
        self.references = planned_references(seed, count)
        self.anchor = anchor
        self.batch = Batch()
        self.perpetrators: dict[str, list[list[Any]]] = defaultdict(list)
        self.start_user = structure.users[data.START_EMAIL]

    def build(self, *, skip: Iterable[str] = ()) -> list[Case]:
        """Plan every case; add rows for those whose reference is not in ``skip``.

        Every case is planned, so the random sequence never depends on what is
        already in the database; the rows of skipped cases are dropped.
        """
        skip = set(skip)
        new_cases = []
        for index, reference in enumerate(self.references):
            lengths = {model: len(rows) for model, rows in self.batch.rows.items()}
            draft = self._draft(index, reference)
            if reference in skip:
                self._drop_since(lengths)
            else:
                new_cases.append(draft.case)
        return new_cases

    def _drop_since(self, lengths: dict[type[models.Model], int]) -> None:
        for model, rows in self.batch.rows.items():
            del rows[lengths.get(model, 0) :]
        kept = {id(p) for p in self.batch.rows.get(Person, [])}
        for entries in self.perpetrators.values():
            entries[:] = [e for e in entries if id(e[0]) in kept]

    def _draft(self, index: int, reference: str) -> Draft:
        rng = self.rng
        site = rng.choices(data.SITES, weights=SITE_WEIGHTS)[0]
        via_helpline = index % 20 == 7
        suffix = "advocacy" if via_helpline else weighted(rng, LEAD_WEIGHTS)
        lead = self.s.site_agency(site.slug, suffix)
        worker = self._lead_worker(lead)
        status = weighted(rng, STATUS_WEIGHTS)
        draft = Draft(
            case=self._case(reference, lead, status, via_helpline, worker),
            site=site,
            lead=lead,
            worker=worker,
            manager=self.s.manager(lead.slug),
            end=self.anchor - dt.timedelta(days=1),
        )
        if draft.case.closed_on:
            draft.end = draft.case.closed_on
        self._people(draft)
        draft.case.summary = data.SUMMARIES[draft.case.relationship_type].format(
            month=draft.started.strftime("%B %Y"), **draft.names()
        )
        self._history(draft)
        self._sharing(draft)
        self._incidents(draft)
        self._notes(draft)
        self._assessments(draft)
        return draft

    def _lead_worker(self, lead: Agency) -> User:
        if lead.slug == "london-police":
            other = self.s.users[data.SECOND_LONDON_WORKER]
            return self.start_user if self.rng.random() < 0.65 else other
        return self.s.worker(lead.slug)

    def _case(
        self,
        reference: str,
        lead: Agency,
        status: str,
        via_helpline: bool,
        worker: User,
    ) -> Case:
        rng = self.rng
        low, high = REFERRED_DAYS_AGO[status]
        referred = self.anchor - dt.timedelta(days=rng.randint(low, high))
        started = referred - dt.timedelta(days=rng.randint(14, 240))
        closed = None
        if status == CaseStatus.CLOSED:
            closed = min(
                referred + dt.timedelta(days=rng.randint(60, 400)),
                self.anchor - dt.timedelta(days=7),
            )
        creator = (
            self.s.staff("national-helpline", RoleName.HELPLINE_ADVISER)[0]
            if via_helpline
            else worker
        )
        return self.batch.add(
            stamped(
                Case,
                aware(referred, 9, rng.randint(0, 59)),
                reference=reference,
                lead_agency=lead,
                relationship_type=weighted(rng, data.RELATIONSHIP_WEIGHTS),
                referral_source=ReferralSource.HELPLINE
                if via_helpline
                else REFERRAL_SOURCE_FOR[lead.kind],
                status=status,
                closure_reason=weighted(rng, data.CLOSURE_WEIGHTS) if closed else "",
                risk_level=self._risk(status),
                behaviour_started_on=started,
                first_reported_on=day_between(rng, started, referred),
                referred_on=referred,
                review_due_on=None
                if closed
                else self.anchor + dt.timedelta(days=rng.randint(-10, 60)),
                closed_on=closed,
                created_by=creator,
            )
        )

    def _risk(self, status: str) -> str:
        if status == CaseStatus.REFERRED or (
            status == CaseStatus.SCREENING and self.rng.random() < 0.5
        ):
            return RiskLevel.NOT_ASSESSED
        return weighted(self.rng, RISK_WEIGHTS)
