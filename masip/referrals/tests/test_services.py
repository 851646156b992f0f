"""Referral services: sending, answering, and the three triage decisions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from masip.accounts.models import Notification
from masip.audit.models import AuditEvent
from masip.cases.models import (
    Case,
    CaseParticipant,
    CaseShare,
    CaseStatus,
    ClosureReason,
    LawfulBasis,
    StatusChange,
)
from masip.core.errors import DomainError
from masip.crypto.blind import identifier_index
from masip.people.models import PersonIdentifier
from masip.people.tests.factories import actor_for
from masip.referrals import services
from masip.referrals.models import Referral, ReferralQuestion, ReferralStatus
from masip.referrals.tests.factories import ReferralIdentifierFactory, referral_from

pytestmark = pytest.mark.django_db


def _people(**extra):
    values = {
        "victim_given_name": "Quilla",
        "victim_family_name": "Testvictima",
        "victim_date_of_birth": dt.date(1990, 4, 1),
        "perpetrator_given_name": "Rowan",
        "perpetrator_family_name": "Testsuspecta",
        "perpetrator_aliases": ("Ro Testsuspecta", "  "),
        "identifiers": (("phone", "07700 900555"), ("vehicle", "ZZ99 TST")),
    }
    values.update(extra)
    return services.ReferredPeople(**values)


def _submit(cast, user=None, **extra):
    values = {
        "site": cast.police_a.site,
        "source": "police",
        "urgency": "urgent",
        "reason": "Daily messages and waiting outside the victim's home.",
        "actions_taken": "Crime report made.",
        "consent": "given",
        "consent_reason": "The victim wants support.",
        "people": _people(),
    }
    values.update(extra)
    return services.referral_submit(actor=actor_for(user or cast.lead_worker), **values)


def _events(event_type):
    return AuditEvent.objects.filter(event_type=event_type)


# Sending -------------------------------------------------------------------------


def test_referral_submit_keeps_the_referral_sealed_and_tells_the_coordinators(cast):
    referral = _submit(cast)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    assert referral.referring_agency == cast.police_a
    assert referral.victim_name == "Quilla Testvictima"
    assert referral.alias_list == ["Ro Testsuspecta"]
    phone = referral.identifiers.get(kind="phone")
    assert phone.value_index == identifier_index("phone", "+44 7700 900555")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reason, victim_given_name FROM referrals_referral WHERE id = %s",
            [referral.pk],
        )
        stored = cursor.fetchone()
    assert all(value.startswith("v1.") for value in stored)
    notice = Notification.objects.get(recipient=cast.panel_coordinator)
    assert notice.kind == Notification.Kind.REFERRAL_WAITING
    assert notice.message == "A referral is waiting for triage (urgent)."
    assert notice.link == f"/referrals/triage/{referral.public_id}/"
    assert not Notification.objects.exclude(recipient=cast.panel_coordinator).exists()
    assert _events("referral.submitted").get().target_id == str(referral.public_id)


def test_referral_submit_refused_without_the_verb(cast):
    with pytest.raises(PermissionDenied):
        _submit(cast, user=cast.panel_coordinator)
    assert not Referral.objects.exists()


def test_referral_submit_refuses_a_blank_reason(cast):
    with pytest.raises(DomainError, match="Enter why you are making the referral"):
        _submit(cast, reason="   ")
    assert not Referral.objects.exists()


# Asking for more, and the answer -----------------------------------------------------


def test_referral_request_info_then_answer_puts_it_back_in_the_queue(cast):
    referral = referral_from(cast)
    coordinator = actor_for(cast.panel_coordinator)

    services.referral_request_info(
        actor=coordinator, referral=referral, question="Is the victim safe tonight?"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MORE_INFO
    assert referral.info_request == "Is the victim safe tonight?"
    asked = Notification.objects.get(recipient=cast.lead_worker)
    assert asked.kind == Notification.Kind.REFERRAL_DECIDED
    assert referral.short_reference in asked.message

    services.referral_answer(
        actor=actor_for(cast.lead_worker), referral=referral, answer="Yes, at family."
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    assert referral.info_response == "Yes, at family."
    waiting = Notification.objects.get(recipient=cast.panel_coordinator)
    assert waiting.kind == Notification.Kind.REFERRAL_WAITING
    assert _events("referral.info_requested").count() == 1
    assert _events("referral.updated").count() == 1


def test_a_second_question_keeps_the_first_exchange(cast):
    referral = referral_from(cast)
    coordinator = actor_for(cast.panel_coordinator)
    worker = actor_for(cast.lead_worker)
    services.referral_request_info(actor=coordinator, referral=referral, question="Q1")
    services.referral_answer(actor=worker, referral=referral, answer="A1")

    services.referral_request_info(actor=coordinator, referral=referral, question="Q2")

    exchanges = [(q.question, q.answer) for q in ReferralQuestion.objects.all()]
    assert exchanges == [("Q1", "A1"), ("Q2", "")]


def test_referral_request_info_refused_while_a_question_waits(cast):
    referral = referral_from(cast)
    coordinator = actor_for(cast.panel_coordinator)
    services.referral_request_info(actor=coordinator, referral=referral, question="Q1")

    with pytest.raises(DomainError, match="already been asked"):
        services.referral_request_info(
            actor=coordinator, referral=referral, question="Q2"
        )
    assert ReferralQuestion.objects.count() == 1


def test_referral_answer_refused_when_no_question_waits(cast):
    referral = referral_from(cast)

    with pytest.raises(DomainError, match="No question is waiting"):
        services.referral_answer(
            actor=actor_for(cast.lead_worker), referral=referral, answer="Unasked."
        )


def test_referral_answer_refused_to_anyone_but_the_referrer(cast):
    referral = referral_from(cast)
    services.referral_request_info(
        actor=actor_for(cast.panel_coordinator), referral=referral, question="Q1"
    )

    with pytest.raises(PermissionDenied):
        services.referral_answer(
            actor=actor_for(cast.lead_manager), referral=referral, answer="Not mine."
        )


# Declining -------------------------------------------------------------------------


def test_referral_decline_records_the_reason_and_tells_the_referrer(cast):
    referral = referral_from(cast)

    services.referral_decline(
        actor=actor_for(cast.panel_coordinator),
        referral=referral,
        reason="Harassment by a neighbour: refer to the local authority.",
    )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decision_reason.startswith("Harassment by a neighbour")
    assert referral.triaged_by == cast.panel_coordinator
    notice = Notification.objects.get(recipient=cast.lead_worker)
    assert "declined" in notice.message
    assert "neighbour" not in notice.message
    assert sorted(_events("referral.declined").get().changed_fields) == [
        "decision_reason",
        "status",
    ]


def test_referral_decline_needs_a_reason(cast):
    referral = referral_from(cast)

    with pytest.raises(DomainError, match="Enter why the referral is declined"):
        services.referral_decline(
            actor=actor_for(cast.panel_coordinator), referral=referral, reason=" "
        )


def test_a_decided_referral_cannot_be_decided_again(cast):
    referral = referral_from(cast)
    coordinator = actor_for(cast.panel_coordinator)
    services.referral_decline(actor=coordinator, referral=referral, reason="No.")

    with pytest.raises(DomainError, match="already declined"):
        services.referral_accept(
            actor=coordinator, referral=referral, lead_agency=cast.police_a
        )
    with pytest.raises(DomainError, match="already declined"):
        services.referral_request_info(
            actor=coordinator, referral=referral, question="More?"
        )
    assert not Case.objects.exclude(pk__in=[cast.case.pk, cast.other_case.pk]).exists()


def test_triage_refused_outside_the_coordinators_site(cast):
    referral = referral_from(cast, site=cast.police_b.site)

    with pytest.raises(PermissionDenied):
        services.referral_decline(
            actor=actor_for(cast.panel_coordinator), referral=referral, reason="No."
        )


def test_triage_refused_without_the_verb(cast):
    referral = referral_from(cast)

    with pytest.raises(PermissionDenied):
        services.referral_decline(
            actor=actor_for(cast.lead_manager), referral=referral, reason="No."
        )


# Accepting ---------------------------------------------------------------------------


def _accept_new(cast, referral, **extra):
    values = {
        "lead_agency": cast.police_a,
        "agencies": [cast.probation_a, cast.advocacy_a, cast.police_a],
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
    }
    values.update(extra)
    return services.referral_accept(
        actor=actor_for(cast.panel_coordinator), referral=referral, **values
    )


def test_referral_accept_opens_an_accepted_case_with_the_people_and_shares(cast):
    referral = referral_from(
        cast,
        victim_given_name="Quilla",
        victim_family_name="Testvictima",
        victim_date_of_birth=dt.date(1990, 4, 1),
        perpetrator_aliases="Ro Testsuspecta",
    )
    ReferralIdentifierFactory(referral=referral, kind="phone", value="07700 900555")

    case = _accept_new(cast, referral)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.case_reference == case.reference
    assert (case.lead_agency, case.status) == (cast.police_a, CaseStatus.ACCEPTED)
    assert case.summary == referral.reason
    assert case.created_by == cast.panel_coordinator
    steps = list(
        StatusChange.objects.filter(case=case)
        .order_by("id")
        .values_list("from_status", "to_status")
    )
    assert steps == [
        ("", "referred"),
        ("referred", "screening"),
        ("screening", "accepted"),
    ]
    people = {p.role: p.person for p in CaseParticipant.objects.filter(case=case)}
    assert people["victim"].full_name == "Quilla Testvictima"
    assert people["victim"].date_of_birth == dt.date(1990, 4, 1)
    assert people["perpetrator"].aliases.get().name == "Ro Testsuspecta"
    identifier = PersonIdentifier.objects.get(person=people["perpetrator"])
    assert identifier.value_index == identifier_index("phone", "07700900555")
    shares = CaseShare.objects.filter(case=case).order_by("agency__name")
    assert [s.agency for s in shares] == [cast.advocacy_a, cast.probation_a]
    for share in shares:
        assert share.compartments == []
        assert share.reason == f"Accepted at triage: {referral.short_reference}"
        assert share.lawful_basis == LawfulBasis.PUBLIC_TASK
        expected = timezone.localdate() + dt.timedelta(days=365)
        assert timezone.localdate(share.expires_at) == expected


def test_referral_accept_tells_the_referrer_the_lead_and_the_involved(cast):
    referral = referral_from(cast)

    case = _accept_new(cast, referral, lead_agency=cast.police_a)

    to_referrer = Notification.objects.get(recipient=cast.lead_worker)
    assert to_referrer.kind == Notification.Kind.REFERRAL_DECIDED
    assert to_referrer.case_reference == case.reference
    to_lead = Notification.objects.get(recipient=cast.lead_manager)
    assert to_lead.case_reference == case.reference
    assert referral.victim_given_name not in to_lead.message
    assert not Notification.objects.filter(recipient=cast.outsider_manager).exists()


def test_referral_accept_audits_every_write(cast):
    referral = referral_from(cast)

    case = _accept_new(cast, referral)

    for event_type, count in [
        ("case.created", 1),
        ("case.status_changed", 1),
        ("person.added", 2),
        ("case.shared", 2),
        ("referral.accepted", 1),
    ]:
        events = _events(event_type).filter(case_reference=case.reference)
        assert events.count() == count, event_type
        assert events.first().actor_id == cast.panel_coordinator.pk


def test_referral_accept_without_a_perpetrator_adds_only_the_victim(cast):
    referral = referral_from(
        cast, perpetrator_given_name="", perpetrator_family_name=""
    )

    case = _accept_new(cast, referral, agencies=[])

    roles = list(
        CaseParticipant.objects.filter(case=case).values_list("role", flat=True)
    )
    assert roles == ["victim"]
    assert not CaseShare.objects.filter(case=case).exists()


def test_referral_accept_into_an_existing_case_shares_it_once(cast):
    referral = referral_from(cast)
    before = CaseShare.objects.filter(case=cast.case).count()

    case = services.referral_accept(
        actor=actor_for(cast.panel_coordinator),
        referral=referral,
        case=cast.case,
        agencies=[cast.probation_a],  # already shared: not shared again
        lawful_basis=LawfulBasis.PUBLIC_TASK,
    )

    assert case == cast.case
    assert CaseShare.objects.filter(case=cast.case).count() == before
    assert (
        not CaseParticipant.objects.filter(case=cast.case)
        .exclude(person__in=[cast.victim, cast.perpetrator])
        .exists()
    )
    referral.refresh_from_db()
    assert referral.case_reference == cast.case.reference


def test_referral_accept_into_a_closed_case_is_refused(cast):
    Case.objects.filter(pk=cast.case.pk).update(
        status=CaseStatus.CLOSED,
        closure_reason=ClosureReason.OTHER,
        closed_on=timezone.localdate(),
    )
    cast.case.refresh_from_db()
    referral = referral_from(cast)

    with pytest.raises(DomainError, match="is closed"):
        services.referral_accept(
            actor=actor_for(cast.panel_coordinator), referral=referral, case=cast.case
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_referral_accept_refuses_a_lead_agency_outside_the_site(cast):
    referral = referral_from(cast)

    with pytest.raises(DomainError, match="lead agency"):
        _accept_new(cast, referral, lead_agency=cast.police_b, agencies=[])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_referral_accept_refuses_agencies_off_the_list(cast):
    referral = referral_from(cast)

    with pytest.raises(DomainError, match="Select agencies from the list"):
        _accept_new(cast, referral, agencies=[cast.police_b])


def test_referral_accept_needs_a_lawful_basis_to_involve_agencies(cast):
    referral = referral_from(cast)

    with pytest.raises(DomainError, match="lawful basis"):
        _accept_new(cast, referral, lawful_basis="")


def test_the_second_of_two_acceptances_is_refused(cast):
    referral = referral_from(cast)
    first = _accept_new(cast, referral, agencies=[])
    stale = Referral.objects.get(pk=referral.pk)
    stale.status = ReferralStatus.WAITING  # as the second coordinator loaded it

    with pytest.raises(
        DomainError, match=f"already accepted \\(case {first.reference}"
    ):
        _accept_new(cast, stale, agencies=[])
    assert Referral.objects.get(pk=referral.pk).case_reference == first.reference
    assert _events("case.created").count() == 1


def test_referral_matches_shown_is_recorded_only_when_matches_were_shown(cast):
    referral = referral_from(cast)
    actor = actor_for(cast.panel_coordinator)

    services.referral_matches_shown(actor=actor, referral=referral, count=0)
    services.referral_matches_shown(actor=actor, referral=referral, count=2)
    services.referral_matches_shown(actor=actor, referral=None, count=1)

    events = _events("referral.matches_shown").order_by("seq")
    assert [(e.target_type, e.target_id) for e in events] == [
        ("referral", str(referral.public_id)),
        ("referral_draft", ""),
    ]
