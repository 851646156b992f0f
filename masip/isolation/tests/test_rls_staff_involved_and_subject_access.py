"""Row-level security (isolation 0003): staff-involved cases and subject access.

Run as a role made by ``masip db_roles``' code inside the test's transaction
(no ownership, row privileges only), never as the superuser that runs the
suite. PostgreSQL only: SQLite has no row-level security (ADR 0013, 0021).
"""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from masip.access.policy import Access
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import (
    Case,
    CaseNote,
    CaseParticipant,
    CaseStaffInvolvement,
)
from masip.disclosure import selectors, services
from masip.disclosure.models import (
    DataSubject,
    DefaultDecision,
    DisclosureItem,
    RequestStatus,
    RequestSubject,
    SourceType,
)
from masip.disclosure.tests.factories import SubjectAccessRequestFactory
from masip.incidents.models import Incident
from masip.isolation import context
from masip.isolation.testing import as_role, make_app_role, reach_of
from masip.people.models import Address, Person, PersonIdentifier
from masip.people.tests.factories import AddressFactory, actor_for
from tests.personas import PERSONAS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row-level security exists on PostgreSQL only; SQLite relies on "
        "the application policy alone.",
    ),
]


@pytest.fixture
def app_role(cast):
    return make_app_role()


@pytest.fixture
def marked(cast):
    """``cast.case`` (led by Police A) marked as involving Police A's staff."""
    return CaseStaffInvolvement.objects.create(
        case=cast.case,
        agency=cast.police_a,
        reason="The suspect is a serving officer.",
        marked_by=cast.lead_manager,
    )


def _children() -> dict[str, set[int]]:
    return {
        "incidents": set(Incident.objects.values_list("case_id", flat=True)),
        "notes": set(CaseNote.objects.values_list("case_id", flat=True)),
        "participants": set(CaseParticipant.objects.values_list("case_id", flat=True)),
        "marks": set(CaseStaffInvolvement.objects.values_list("case_id", flat=True)),
    }


def _raw_case_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM cases_case")
        return {row[0] for row in cursor.fetchall()}


# Staff-involved cases -----------------------------------------------------------


def test_professional_standards_reach_their_agencys_marked_case_and_its_children(
    cast, marked, app_role
):
    with as_role(app_role), reach_of(cast.professional_standards):
        cases = set(Case.objects.values_list("pk", flat=True))
        children = _children()
        people = set(Person.objects.values_list("family_name", flat=True))
        addresses = {a.line_1 for a in Address.objects.all()}

    assert cases == _raw_ids_expected(cast.professional_standards) == {cast.case.pk}
    assert children == {key: {cast.case.pk} for key in children}
    assert people == {"Testvictim", "Testperp"}
    assert addresses == {"1 Sealed Street"}


def _raw_ids_expected(user) -> set[int]:
    return set(Access(user).visible_cases().values_list("pk", flat=True))


def test_professional_standards_reach_nothing_without_a_mark(cast, app_role):
    with as_role(app_role), reach_of(cast.professional_standards):
        assert _raw_case_ids() == set()
        assert Person.objects.count() == 0


def test_a_cleared_mark_closes_the_case_to_professional_standards_again(
    cast, marked, app_role
):
    CaseStaffInvolvement.objects.filter(pk=marked.pk).update(
        cleared_at=timezone.now(), cleared_by=cast.lead_manager, clear_reason="Done."
    )

    with as_role(app_role), reach_of(cast.professional_standards):
        assert _raw_case_ids() == set()
    with as_role(app_role), reach_of(cast.lead_worker):
        assert _raw_case_ids() == {cast.case.pk}


@pytest.mark.parametrize("persona", PERSONAS)
def test_with_a_mark_unscoped_queries_return_only_what_the_policy_shows(
    cast, marked, app_role, persona
):
    user = cast.persona(persona)

    with as_role(app_role), reach_of(user):
        orm = set(Case.objects.values_list("pk", flat=True))
        raw = _raw_case_ids()

    assert orm == raw == _raw_ids_expected(user)


def test_the_involved_agencys_own_staff_see_none_of_the_case_or_its_people(
    cast, marked, app_role
):
    for user in (cast.lead_worker, cast.lead_manager):
        with as_role(app_role), reach_of(user):
            cases = _raw_case_ids()
            children = _children()
            people = Person.objects.count()
            seen = (
                Address.objects.count(),
                PersonIdentifier.objects.count(),
                Incident.objects.filter(pk=cast.incident.pk).count(),
            )

        assert cases == set()
        assert children == {key: set() for key in children}
        assert (people, *seen) == (0, 0, 0, 0)


def test_partner_agencies_still_reach_the_marked_case(cast, marked, app_role):
    with as_role(app_role), reach_of(cast.partner_worker):
        assert _raw_case_ids() == {cast.case.pk}
        assert Incident.objects.filter(case_id=cast.case.pk).count() == 1


def test_the_involved_agency_cannot_write_to_the_marked_case(cast, marked, app_role):
    with as_role(app_role), reach_of(cast.lead_worker):
        updated = Case.objects.filter(pk=cast.case.pk).update(summary="Changed")
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            CaseNote.objects.create(
                case_id=cast.case.pk,
                text="Planted note",
                author=cast.lead_worker,
                agency=cast.police_a,
            )

    assert updated == 0


def test_a_manager_marking_their_own_agency_closes_the_case_to_themselves(
    cast, app_role
):
    from masip.cases.services.staff_involved import case_staff_involved_mark

    with as_role(app_role), reach_of(cast.lead_manager):
        case_staff_involved_mark(
            actor=actor_for(cast.lead_manager),
            case=Case.objects.get(pk=cast.case.pk),
            agency=cast.police_a,
            reason="A colleague is the suspect.",
        )
        after = _raw_case_ids()

    assert after == set()
    assert CaseStaffInvolvement.objects.filter(case=cast.case).count() == 1


def test_a_blocked_attempt_is_still_recognised_and_audited(
    cast, marked, client_for, app_role
):
    client = client_for("lead_worker")

    with as_role(app_role):
        response = client.get(f"/cases/{cast.case.reference}/")

    assert response.status_code == 404
    event = AuditEvent.objects.get(event_type=EventType.STAFF_INVOLVED_ACCESS_BLOCKED)
    assert event.case_reference == cast.case.reference


def test_the_block_probe_opens_only_a_blocked_case_the_user_would_reach(
    cast, marked, app_role
):
    with as_role(app_role), reach_of(cast.lead_worker):
        with context.block_probe(cast.case.reference):
            probed = _raw_case_ids()
            marks = CaseStaffInvolvement.objects.count()
            incidents = Incident.objects.count()
        after = _raw_case_ids()
    # Not blocked for Police B, and out of their reach: the probe opens nothing.
    with (
        as_role(app_role),
        reach_of(cast.outsider),
        context.block_probe(cast.case.reference),
    ):
        outsider = _raw_case_ids()

    assert (probed, marks, incidents, after) == ({cast.case.pk}, 1, 0, set())
    assert outsider == {cast.other_case.pk}


# Subject access ----------------------------------------------------------------


@pytest.fixture
def sar(cast):
    """A verified request to Police A from the perpetrator, linked to their record."""
    AddressFactory(person=cast.perpetrator, line_1="2 Requester Road")
    request = SubjectAccessRequestFactory(
        agency=cast.police_a,
        recorded_by=cast.agency_admin,
        identity_method="in_person",
        identity_evidence="Passport seen.",
        identity_verified_at=timezone.now(),
        identity_verified_by=cast.agency_admin,
    )
    RequestSubject.objects.create(
        request=request, person=cast.perpetrator, linked_by=cast.agency_admin
    )
    return request


def test_an_agency_admin_builds_a_perpetrators_draft_under_the_app_role(
    cast, sar, app_role
):
    with as_role(app_role), reach_of(cast.agency_admin):
        outside = _raw_case_ids()
        count = services.sar_draft_build(actor=actor_for(cast.agency_admin), sar=sar)

    items = list(DisclosureItem.objects.filter(request=sar))
    text = "\n".join(f"{i.label}\n{i.text}" for i in items)
    assert outside == set()
    assert count == len(items) > 0
    own = [i for i in items if i.default_decision == DefaultDecision.INCLUDE]
    assert any("Blake Testperp" in i.text for i in own)
    assert ("case", "facts") in {(i.source_type, i.field) for i in own}
    assert ("incident", "facts") in {(i.source_type, i.field) for i in own}
    # The victim appears only as a pointer to a third party, with no text.
    third = [i for i in items if i.subject == DataSubject.THIRD_PARTY]
    assert any(i.source_type == SourceType.PARTICIPANT for i in third)
    assert all(i.text == "" for i in third)
    for needle in ("Avery", "Testvictim", "1 Sealed Street", "07700 900123"):
        assert needle not in text


def test_the_draft_is_the_same_with_and_without_row_level_security(cast, sar, app_role):
    owner = selectors.draft_items(sar)
    with as_role(app_role), reach_of(cast.agency_admin):
        app = selectors.draft_items(sar)

    assert app == owner


def test_the_window_opens_the_requesters_records_and_no_one_elses(cast, sar, app_role):
    with as_role(app_role), reach_of(cast.agency_admin):
        with context.subject_access(sar.pk):
            cases = _raw_case_ids()
            people = set(Person.objects.values_list("family_name", flat=True))
            addresses = {a.line_1 for a in Address.objects.all()}
            identifiers = PersonIdentifier.objects.count()
            participants = CaseParticipant.objects.count()
            # Read only.
            updated = Case.objects.update(summary="Changed")
        after = (_raw_case_ids(), Person.objects.count())

    assert cases == {cast.case.pk}
    assert people == {"Testperp"}
    assert addresses == {"2 Requester Road"}
    assert identifiers == 0  # the victim's phone number stays closed
    assert participants == 2  # roles only; the victim's person row is closed
    assert updated == 0
    assert after == (set(), 0)


def test_the_window_stays_shut_for_an_unverified_or_released_request(
    cast, sar, app_role
):
    verified = {
        f: getattr(sar, f)
        for f in (
            "identity_method",
            "identity_evidence",
            "identity_verified_at",
            "identity_verified_by",
        )
    }
    unverified = {
        "identity_method": "",
        "identity_evidence": "",
        "identity_verified_at": None,
        "identity_verified_by": None,
    }
    seen = []
    released = {
        "status": RequestStatus.RELEASED,
        "released_at": timezone.now(),
        "released_by": cast.lead_manager,
        "document": b"%PDF-",
        "document_sha256": "0" * 64,
    }
    for change in (unverified, released):
        type(sar).objects.filter(pk=sar.pk).update(**change)
        with (
            as_role(app_role),
            reach_of(cast.agency_admin),
            context.subject_access(sar.pk),
        ):
            seen.append((_raw_case_ids(), Person.objects.count()))
        type(sar).objects.filter(pk=sar.pk).update(
            **verified,
            status=RequestStatus.RECEIVED,
            released_at=None,
            released_by=None,
            document=None,
            document_sha256="",
        )

    assert seen == [(set(), 0), (set(), 0)]


@pytest.mark.parametrize(
    "persona", ["outsider", "outsider_manager", "analyst", "lead_worker"]
)
def test_the_window_gives_nothing_extra_to_anyone_without_the_agencys_sar_verb(
    cast, sar, app_role, persona
):
    user = cast.persona(persona)
    with as_role(app_role), reach_of(user):
        before = (_raw_case_ids(), Person.objects.count(), Address.objects.count())
        with context.subject_access(sar.pk):
            inside = (_raw_case_ids(), Person.objects.count(), Address.objects.count())

    assert inside == before


def test_another_agencys_request_opens_nothing(cast, app_role):
    other = SubjectAccessRequestFactory(
        agency=cast.police_b,
        recorded_by=cast.outsider_manager,
        identity_method="in_person",
        identity_evidence="Passport seen.",
        identity_verified_at=timezone.now() - dt.timedelta(days=1),
        identity_verified_by=cast.outsider_manager,
    )
    RequestSubject.objects.create(
        request=other, person=cast.perpetrator, linked_by=cast.outsider_manager
    )

    with (
        as_role(app_role),
        reach_of(cast.agency_admin),
        context.subject_access(other.pk),
    ):
        seen = (_raw_case_ids(), Person.objects.count())

    assert seen == (set(), 0)


def test_break_the_glass_on_a_blocked_case_is_seen_as_blocked(cast, app_role):
    from masip.access.policy import Block
    from masip.cases import selectors as case_selectors

    CaseStaffInvolvement.objects.create(
        case=cast.case,
        agency=cast.police_b,
        reason="The suspect works for Police B.",
        marked_by=cast.lead_manager,
    )
    manager = cast.outsider_manager  # Police B, may break the glass

    with as_role(app_role), reach_of(manager):
        case = case_selectors.case_get_for_break_glass(cast.case.reference)
        assert case is not None
        block = Access(manager).block_on(case)
        children = Incident.objects.filter(case_id=cast.case.pk).count()

    assert (block, children) == (Block.STAFF_INVOLVED, 0)
