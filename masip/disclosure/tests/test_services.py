import datetime as dt

import pytest
from django.utils import timezone

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import ParticipantRole
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory
from masip.core.errors import DomainError
from masip.disclosure import selectors, services
from masip.disclosure.models import (
    Decision,
    DisclosureItem,
    Regime,
    RequestStatus,
)
from masip.disclosure.tests.factories import SubjectAccessRequestFactory
from masip.people.tests.factories import PersonFactory, actor_for


@pytest.fixture
def sar(cast):
    cast.perpetrator.date_of_birth = dt.date(1985, 6, 1)
    cast.perpetrator.save()
    return SubjectAccessRequestFactory(
        agency=cast.police_a, recorded_by=cast.lead_manager
    )


def _verified(cast, sar):
    return services.sar_verify_identity(
        actor=actor_for(cast.lead_manager),
        sar=sar,
        method="in_person",
        evidence="Driving licence",
    )


def _built(cast, sar):
    sar = _verified(cast, sar)
    manager = actor_for(cast.lead_manager)
    services.sar_link_subjects(actor=manager, sar=sar, person_ids=[cast.perpetrator.pk])
    services.sar_draft_build(actor=manager, sar=sar)
    sar.refresh_from_db()
    return sar


def test_sar_record_sets_the_deadline_and_audits(cast):
    received = dt.date(2025, 1, 31)

    sar = services.sar_record(
        actor=actor_for(cast.lead_manager),
        agency=cast.police_a,
        regime=Regime.UK_GDPR,
        requester_given_name="Blake",
        requester_family_name="Testperp",
        requester_date_of_birth=None,
        received_on=received,
    )

    assert sar.due_on == dt.date(2025, 2, 28)
    assert sar.reference.startswith("SAR-")
    event = AuditEvent.objects.get(event_type=EventType.SAR_RECORDED)
    assert event.target_id == sar.reference
    assert "Testperp" not in str(event.changed_fields)


def test_sar_record_refuses_another_agency(cast):
    with pytest.raises(DomainError):
        services.sar_record(
            actor=actor_for(cast.lead_manager),
            agency=cast.police_b,
            regime=Regime.UK_GDPR,
            requester_given_name="Blake",
            requester_family_name="Testperp",
            requester_date_of_birth=None,
            received_on=timezone.localdate(),
        )


def test_sar_extend_gives_three_months_under_uk_gdpr_only(cast, sar):
    actor = actor_for(cast.lead_manager)

    extended = services.sar_extend(actor=actor, sar=sar, reason="Many records.")

    assert extended.due_on > sar.due_on
    with pytest.raises(DomainError, match="already"):
        services.sar_extend(actor=actor, sar=extended, reason="Again.")
    part3 = SubjectAccessRequestFactory(
        agency=cast.police_a, regime=Regime.LAW_ENFORCEMENT
    )
    with pytest.raises(DomainError, match="Part 3"):
        services.sar_extend(actor=actor, sar=part3, reason="Complex.")


def test_sar_extend_refused_after_the_deadline(cast):
    late = SubjectAccessRequestFactory(
        agency=cast.police_a, due_on=timezone.localdate() - dt.timedelta(days=1)
    )

    with pytest.raises(DomainError, match="before it passes"):
        services.sar_extend(actor=actor_for(cast.lead_manager), sar=late, reason="x")


def test_identity_evidence_arriving_later_restarts_the_clock(cast, sar):
    sar.received_on = dt.date(2025, 3, 3)
    sar.save()

    verified = services.sar_verify_identity(
        actor=actor_for(cast.lead_manager),
        sar=sar,
        method="document_copies",
        evidence="Passport copy",
        evidence_received_on=dt.date(2025, 3, 10),
    )

    assert verified.clock_started_on == dt.date(2025, 3, 10)
    assert verified.due_on == dt.date(2025, 4, 10)
    assert verified.status == RequestStatus.IDENTITY_VERIFIED


def test_identity_evidence_before_the_request_is_refused(cast, sar):
    with pytest.raises(DomainError, match="on or after"):
        services.sar_verify_identity(
            actor=actor_for(cast.lead_manager),
            sar=sar,
            method="in_person",
            evidence="Passport",
            evidence_received_on=sar.received_on - dt.timedelta(days=1),
        )


def test_candidates_match_name_and_birth_date_on_the_agencys_cases_only(cast, sar):
    # The same person's namesake on a Police B case is never offered.
    elsewhere = PersonFactory(
        given_name="Blake", family_name="Testperp", date_of_birth=dt.date(1985, 6, 1)
    )
    CaseParticipantFactory(
        case=cast.other_case, person=elsewhere, role=ParticipantRole.PERPETRATOR
    )

    candidates = selectors.subject_candidates(sar)

    assert [c.person for c in candidates] == [cast.perpetrator]
    assert candidates[0].matched_on == "name and date of birth"
    with pytest.raises(DomainError):
        services.sar_link_subjects(
            actor=actor_for(cast.lead_manager), sar=sar, person_ids=[elsewhere.pk]
        )


def test_a_different_birth_date_is_not_a_candidate(cast, sar):
    sar.requester_date_of_birth = dt.date(1990, 1, 1)
    sar.save()

    assert selectors.subject_candidates(sar) == []


def test_the_draft_only_covers_cases_the_agency_leads(cast, sar):
    led_elsewhere = CaseFactory(lead_agency=cast.probation_a)
    CaseParticipantFactory(
        case=led_elsewhere, person=cast.perpetrator, role=ParticipantRole.PERPETRATOR
    )

    sar = _built(cast, sar)

    references = set(
        DisclosureItem.objects.filter(request=sar).values_list(
            "case_reference", flat=True
        )
    )
    assert references == {"", cast.case.reference}


def test_linking_is_locked_once_the_draft_is_built(cast, sar):
    sar = _built(cast, sar)

    with pytest.raises(DomainError, match="draft has been built"):
        services.sar_link_subjects(
            actor=actor_for(cast.lead_manager),
            sar=sar,
            person_ids=[cast.perpetrator.pk],
        )


def test_item_decide_withhold_needs_an_exemption_and_keeps_no_text(cast, sar):
    sar = _built(cast, sar)
    own = DisclosureItem.objects.filter(request=sar).exclude(text="").first()
    reviewer = actor_for(cast.agency_admin)

    with pytest.raises(DomainError, match="reason"):
        services.item_decide(actor=reviewer, item=own, decision=Decision.WITHHOLD)
    with pytest.raises(DomainError, match="note"):
        services.item_decide(
            actor=reviewer, item=own, decision=Decision.WITHHOLD, exemption="other"
        )
    decided = services.item_decide(
        actor=reviewer, item=own, decision=Decision.WITHHOLD, exemption="crime"
    )

    assert decided.text == ""
    assert decided.decided_by == cast.agency_admin
    event = AuditEvent.objects.filter(event_type=EventType.SAR_ITEM_REVIEWED).last()
    assert event.case_reference == own.case_reference


def test_item_decide_include_redacted_needs_text(cast, sar):
    sar = _built(cast, sar)
    item = DisclosureItem.objects.filter(request=sar, field="narrative").first()

    with pytest.raises(DomainError, match="Enter the text"):
        services.item_decide(
            actor=actor_for(cast.agency_admin),
            item=item,
            decision=Decision.INCLUDE_REDACTED,
            redacted_text="   ",
        )


def test_item_decide_include_takes_the_recorded_text(cast, sar):
    sar = _built(cast, sar)
    item = DisclosureItem.objects.filter(request=sar, field="narrative").first()

    decided = services.item_decide(
        actor=actor_for(cast.agency_admin), item=item, decision=Decision.INCLUDE
    )

    assert decided.text == cast.incident.narrative


def test_the_builder_cannot_decide_items(cast, sar):
    sar = _built(cast, sar)
    item = DisclosureItem.objects.filter(request=sar).first()

    with pytest.raises(DomainError, match="someone else"):
        services.item_decide(
            actor=actor_for(cast.lead_manager), item=item, decision=Decision.INCLUDE
        )


def test_release_refusal_is_audited_and_changes_nothing(cast, sar):
    sar = _built(cast, sar)

    with pytest.raises(services.ReleaseRefused) as refused:
        services.sar_release(
            actor=actor_for(cast.agency_admin), sar=sar, factor_fresh=False
        )

    codes = {b.code for b in refused.value.blockers}
    assert codes == {"undecided_items", "step_up"}
    sar.refresh_from_db()
    assert sar.status == RequestStatus.IN_REVIEW
    event = AuditEvent.objects.get(event_type=EventType.SAR_RELEASE_REFUSED)
    assert set(event.changed_fields) == codes


def test_a_released_request_can_no_longer_change(cast, sar):
    sar = _built(cast, sar)
    admin = actor_for(cast.agency_admin)
    services.items_accept_defaults(actor=admin, sar=sar)
    for item in DisclosureItem.objects.filter(request=sar, decision=""):
        services.item_decide(
            actor=admin, item=item, decision=Decision.WITHHOLD, exemption="crime"
        )
    released = services.sar_release(actor=admin, sar=sar, factor_fresh=True)

    assert released.document_sha256
    with pytest.raises(DomainError, match="released"):
        services.sar_draft_build(actor=admin, sar=released)
    with pytest.raises(services.ReleaseRefused):
        services.sar_release(actor=admin, sar=released, factor_fresh=True)


def test_a_third_partys_location_is_never_shown_to_the_reviewer(cast, sar):
    sar = _built(cast, sar)
    location = DisclosureItem.objects.get(request=sar, field="location")
    own = DisclosureItem.objects.filter(request=sar, field="address").first()

    assert selectors.item_content(location) is None
    assert own is not None or not cast.perpetrator.addresses.exists()
    with pytest.raises(DomainError, match="not shown"):
        services.item_decide(
            actor=actor_for(cast.agency_admin), item=location, decision="include"
        )
