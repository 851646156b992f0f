"""Recording risk assessments (docs/risk.md).

The view has already found the case through the access module and checked
``RISK_ASSESS``; this records what was answered, scored with the instrument
version in force, as a new row that is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from masip.access.actors import Actor
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case, RecordedAs
from masip.core.errors import DomainError
from masip.core.versioning import save_new_version
from masip.risk.instruments import Instrument
from masip.risk.models import Assessment, RecognitionDecision
from masip.risk.scoring import Answer, answer_errors, score
from masip.risk.triggers import assessment_recorded


class AnswerErrors(DomainError):
    """Answers the form must show again, each with what to do."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("Some answers need attention.")


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    case: Case,
    instrument: Instrument,
    answers: Mapping[str, Answer],
    override_level: str = "",
    rationale: str = "",
) -> Assessment:
    """Score and store one completed instrument.

    ``override_level`` is a professional judgement that the level should be
    other than the score gives; it needs the instrument to allow it and a
    rationale of at least the instrument's minimum length.
    """
    if not instrument.available:
        raise DomainError(
            f"{instrument.title} cannot be used here: its licensed wording is "
            "not installed."
        )
    errors = answer_errors(instrument, answers)
    errors.update(_override_errors(instrument, override_level, rationale))
    if errors:
        raise AnswerErrors(errors)
    result = score(instrument, answers)
    assessment = Assessment(
        case=case,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        perspective=instrument.perspective,
        scored_level=result.level or "",
        level=override_level or result.level or "",
        overridden=bool(override_level),
        override_rationale=rationale.strip() if override_level else "",
        completed_by=actor.user,
        agency=actor.membership.agency,
    )
    assessment.answers = dict(answers)
    assessment.result = result.as_dict()
    assessment.save()
    audit.record(
        EventType.RISK_ASSESSED,
        actor=actor.audit,
        target_type="assessment",
        target_id=assessment.public_id,
        case_reference=case.reference,
        changed_fields=["overridden"] if override_level else [],
    )
    assessment_recorded(assessment)
    return assessment


OVERRIDE = "override_level"
RATIONALE = "rationale"


def _override_errors(
    instrument: Instrument, level: str, rationale: str
) -> dict[str, str]:
    if not level:
        return {}
    if not instrument.override_allowed:
        return {OVERRIDE: "This form's result cannot be overridden."}
    if level not in instrument.scoring.levels:
        return {OVERRIDE: "Select a level."}
    if len(rationale.strip()) < instrument.rationale_min_chars:
        return {
            RATIONALE: "Say why the level should differ from the score, in at "
            f"least {instrument.rationale_min_chars} characters."
        }
    return {}


@transaction.atomic
def recognition_decide(
    *, actor: Actor, case: Case, decision: str, reason: str
) -> RecognitionDecision:
    """Record a decision on the recognition prompt; "stalking" also records
    the case's conduct as stalking. Keeping harassment needs a reason."""
    if decision not in RecognitionDecision.Decision.values:
        raise DomainError("Select what to record the conduct as.")
    reason = reason.strip()
    if decision == RecognitionDecision.Decision.HARASSMENT and len(reason) < 10:
        raise DomainError("Say why the conduct is harassment but not stalking.")
    made = RecognitionDecision(
        case=case,
        decision=decision,
        reason=reason,
        decided_by=actor.user,
        agency=actor.membership.agency,
    )
    made.save()
    if decision == RecognitionDecision.Decision.STALKING:
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.recorded_as = RecordedAs.STALKING
        save_new_version(locked, update_fields=["recorded_as"])
        case.recorded_as = locked.recorded_as
    audit.record(
        EventType.CASE_UPDATED,
        actor=actor.audit,
        target_type="recognition",
        target_id=made.public_id,
        case_reference=case.reference,
        changed_fields=["recorded_as"] if decision == "stalking" else [],
    )
    return made
