"""The panel services: the panel, meetings, the agenda, attendance, the
discussion of each case, information-sharing records and the minutes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masip.accounts.models import Notification
from masip.accounts.tests.factories import AgencyFactory, MembershipFactory
from masip.audit.models import AuditEvent
from masip.cases.models import Case, CaseStatus, RiskLevelChange
from masip.cases.tests.factories import CaseFactory
from masip.core.errors import DomainError, StaleEditError
from masip.panels import services
from masip.panels.models import AgendaItem, Attendance, Meeting, Panel
from masip.panels.services import PanelInputError
from masip.panels.tests.factories import (
    AgendaItemFactory,
    InformationShareFactory,
    MeetingFactory,
    cast_panel,
)
from masip.people.tests.factories import actor_for
from masip.risk.models import PanelQueueEntry

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def events(event_type):
    return AuditEvent.objects.filter(event_type=event_type)


@pytest.fixture
def coordinator(cast):
    return actor_for(cast.panel_coordinator)


@pytest.fixture
def meeting(cast):
    return MeetingFactory(
        panel=cast_panel(cast), held_on=TODAY, created_by=cast.panel_coordinator
    )


@pytest.fixture
def item(cast, meeting):
    return AgendaItemFactory(meeting=meeting, case=cast.case, position=1)


# The panel ------------------------------------------------------------------------


def test_panel_save_sets_up_the_sites_panel_and_audits(cast, coordinator):
    panel = services.panel_save(
        actor=coordinator,
        site=cast.police_a.site,
        name="North stalking panel",
        member_agencies=[cast.police_a, cast.nhs_a, cast.helpline],
        chair=cast.clinician,
    )

    assert panel.site == cast.police_a.site
    assert set(panel.member_agencies.all()) == {
        cast.police_a,
        cast.nhs_a,
        cast.helpline,
    }
    event = events("panel.updated").get()
    assert event.changed_fields == ["chair", "member_agencies", "name"]


def test_panel_save_changes_members_and_records_only_what_changed(cast, coordinator):
    panel = cast_panel(cast)

    services.panel_save(
        actor=coordinator,
        site=panel.site,
        name=panel.name,
        member_agencies=[cast.police_a, cast.probation_a],
        chair=cast.lead_manager,
    )

    assert set(Panel.objects.get().member_agencies.all()) == {
        cast.police_a,
        cast.probation_a,
    }
    assert events("panel.updated").get().changed_fields == ["member_agencies"]


def test_panel_save_refuses_a_chair_outside_the_member_agencies(cast, coordinator):
    with pytest.raises(PanelInputError) as refused:
        services.panel_save(
            actor=coordinator,
            site=cast.police_a.site,
            name="Panel",
            member_agencies=[cast.police_a],
            chair=cast.clinician,
        )

    assert refused.value.errors == {
        "chair": "Select a chair who works for one of the member agencies."
    }


def test_panel_save_refuses_another_sites_agency(cast, coordinator):
    with pytest.raises(PanelInputError) as refused:
        services.panel_save(
            actor=coordinator,
            site=cast.police_a.site,
            name="Panel",
            member_agencies=[cast.police_a, cast.police_b],
            chair=cast.lead_manager,
        )

    assert "member_agencies" in refused.value.errors


def test_panel_save_is_refused_to_another_sites_coordinator(cast):
    programme_b = AgencyFactory(kind="programme_office", site=cast.police_b.site)
    other = MembershipFactory(agency=programme_b, role="panel_coordinator").user

    with pytest.raises(PermissionDenied):
        services.panel_save(
            actor=actor_for(other),
            site=cast.police_a.site,
            name="Panel",
            member_agencies=[cast.police_a],
            chair=cast.lead_manager,
        )


# Meetings -------------------------------------------------------------------------


def test_scheduling_tells_the_member_agencies_staff_the_date_only(cast, coordinator):
    panel = cast_panel(cast)

    meeting = services.meeting_schedule(
        actor=coordinator,
        panel=panel,
        kind=Meeting.Kind.SCHEDULED,
        held_on=TODAY + dt.timedelta(days=7),
        starts_at=dt.time(10, 0),
        location="Committee room 2",
        today=TODAY,
    )

    notices = Notification.objects.filter(kind=Notification.Kind.MEETING_SCHEDULED)
    assert {n.recipient for n in notices} == {
        cast.lead_worker,
        cast.lead_manager,
        cast.partner_worker,
        cast.clinician,
        cast.advocate,
    }
    notice = notices.first()
    assert notice.message == "A panel meeting is scheduled for 9 March 2026."
    assert notice.case_reference == ""
    assert notice.link == f"/panels/meetings/{meeting.public_id}/"
    assert events("panel.meeting_scheduled").get().target_id == str(meeting.public_id)


def test_a_scheduled_meeting_cannot_be_in_the_past(cast, coordinator):
    with pytest.raises(PanelInputError) as refused:
        services.meeting_schedule(
            actor=coordinator,
            panel=cast_panel(cast),
            kind=Meeting.Kind.SCHEDULED,
            held_on=TODAY - dt.timedelta(days=1),
            starts_at=None,
            location="",
            today=TODAY,
        )

    assert "today or in the future" in refused.value.errors["held_on"]
    assert not Meeting.objects.exists()


def test_an_emergency_meeting_may_be_recorded_on_a_past_date(cast, coordinator):
    meeting = services.meeting_schedule(
        actor=coordinator,
        panel=cast_panel(cast),
        kind=Meeting.Kind.EMERGENCY,
        held_on=TODAY - dt.timedelta(days=1),
        starts_at=None,
        location="",
        today=TODAY,
    )

    assert meeting.kind == Meeting.Kind.EMERGENCY
    assert Notification.objects.filter(
        message="An emergency panel meeting is scheduled for 1 March 2026."
    ).exists()


def test_meeting_update_saves_a_new_version_and_tells_of_a_new_date(
    cast, coordinator, meeting
):
    updated = services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        version=1,
        today=TODAY,
        held_on=TODAY + dt.timedelta(days=1),
        location="Room 4",
    )

    assert updated.version == 2
    assert events("panel.meeting_updated").get().changed_fields == [
        "held_on",
        "location",
    ]
    assert (
        Notification.objects.filter(
            message="The panel meeting on 2 March 2026 has moved to 3 March 2026."
        ).count()
        == 5
    )


def test_meeting_update_refuses_a_stale_version(cast, coordinator, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(version=2, location="Room 9")

    with pytest.raises(StaleEditError) as stale:
        services.meeting_update(
            actor=coordinator, meeting=meeting, version=1, location="Room 4"
        )

    assert stale.value.current_version == 2
    assert stale.value.current["location"] == "Room 9"


def test_a_meeting_is_marked_held_only_from_its_date(cast, coordinator, meeting):
    with pytest.raises(DomainError):
        services.meeting_mark_held(
            actor=coordinator,
            meeting=meeting,
            version=1,
            today=TODAY - dt.timedelta(days=1),
        )

    held = services.meeting_mark_held(
        actor=coordinator, meeting=meeting, version=1, today=TODAY
    )

    assert held.status == Meeting.Status.HELD
    assert held.version == 2


def test_cancelling_tells_the_members_and_closes_the_records(
    cast, coordinator, meeting
):
    services.meeting_cancel(actor=coordinator, meeting=meeting, version=1)

    assert Meeting.objects.get().status == Meeting.Status.CANCELLED
    assert Notification.objects.filter(
        message="The panel meeting on 2 March 2026 is cancelled."
    ).exists()
    with pytest.raises(DomainError, match="cancelled"):
        services.agenda_add(
            actor=coordinator,
            meeting=meeting,
            case=cast.case,
            reason="high_risk",
        )


# The agenda -----------------------------------------------------------------------


def test_adding_a_case_lists_it_last_and_takes_it_from_the_panel_queue(
    cast, coordinator, meeting, item
):
    case = CaseFactory(lead_agency=cast.probation_a, created_by=cast.partner_worker)
    entry = PanelQueueEntry.objects.create(case=case, reason="Rated high risk.")

    added = services.agenda_add(
        actor=coordinator,
        meeting=meeting,
        case=case,
        reason=AgendaItem.Reason.QUEUED,
        reason_detail="Rated high risk.",
    )

    assert added.position == 2
    entry.refresh_from_db()
    assert entry.taken_at is not None
    event = events("panel.agenda_changed").get()
    assert (event.case_reference, event.changed_fields) == (case.reference, ["added"])


@pytest.mark.parametrize(
    ("make_case", "message"),
    [
        (lambda cast: cast.case, "already on the agenda"),
        (lambda cast: cast.other_case, "led in this site"),
        (
            lambda cast: CaseFactory(
                lead_agency=cast.police_a,
                status=CaseStatus.CLOSED,
                closure_reason="risk_reduced",
                closed_on=TODAY,
            ),
            "is closed",
        ),
    ],
)
def test_agenda_add_refuses_cases_that_cannot_be_listed(
    cast, coordinator, meeting, item, make_case, message
):
    with pytest.raises(PanelInputError, match=message):
        services.agenda_add(
            actor=coordinator,
            meeting=meeting,
            case=make_case(cast),
            reason=AgendaItem.Reason.HIGH_RISK,
        )


def test_a_case_added_by_hand_needs_a_reason(cast, coordinator, meeting):
    with pytest.raises(PanelInputError) as refused:
        services.agenda_add(
            actor=coordinator,
            meeting=meeting,
            case=cast.case,
            reason=AgendaItem.Reason.ADDED,
            reason_detail="  ",
        )

    assert refused.value.errors == {
        "reason_detail": "Enter why the panel should discuss the case."
    }


def test_moving_and_removing_keep_the_order_continuous(
    cast, coordinator, meeting, item
):
    second = AgendaItemFactory(
        meeting=meeting,
        case=CaseFactory(lead_agency=cast.police_a),
        position=2,
    )
    third = AgendaItemFactory(
        meeting=meeting,
        case=CaseFactory(lead_agency=cast.police_a),
        position=3,
    )

    services.agenda_move(actor=coordinator, meeting=meeting, item=third, up=True)
    assert list(meeting.items.values_list("pk", flat=True)) == [
        item.pk,
        third.pk,
        second.pk,
    ]
    services.agenda_remove(actor=coordinator, meeting=meeting, item=item)

    assert list(meeting.items.values_list("pk", "position")) == [
        (third.pk, 1),
        (second.pk, 2),
    ]
    assert events("panel.agenda_changed").count() == 2


def test_moving_the_first_item_up_changes_nothing(cast, coordinator, meeting, item):
    services.agenda_move(actor=coordinator, meeting=meeting, item=item, up=True)

    assert not events("panel.agenda_changed").exists()


def test_removing_a_queued_case_puts_it_back_in_the_queue(cast, coordinator, meeting):
    entry = PanelQueueEntry.objects.create(case=cast.case, reason="Rated high risk.")
    listed = services.agenda_add(
        actor=coordinator,
        meeting=meeting,
        case=cast.case,
        reason=AgendaItem.Reason.QUEUED,
        reason_detail="Rated high risk.",
    )

    services.agenda_remove(actor=coordinator, meeting=meeting, item=listed)

    entry.refresh_from_db()
    assert entry.taken_at is None


def test_a_case_with_records_stays_on_the_agenda(cast, coordinator, meeting, item):
    InformationShareFactory(
        item=item, from_agency=cast.police_a, recorded_by=cast.lead_worker
    )

    with pytest.raises(DomainError, match="stays on the agenda"):
        services.agenda_remove(actor=coordinator, meeting=meeting, item=item)


# Attendance -----------------------------------------------------------------------


def test_attendance_is_recorded_per_member_agency(cast, coordinator, meeting):
    services.attendance_record(
        actor=coordinator,
        meeting=meeting,
        entries={
            cast.police_a.pk: ("present", "Sam Example (detective sergeant)"),
            cast.nhs_a.pk: ("apologies", "ignored"),
        },
    )
    services.attendance_record(
        actor=coordinator,
        meeting=meeting,
        entries={cast.police_a.pk: ("absent", "")},
    )

    rows = {a.agency: a for a in Attendance.objects.all()}
    assert (rows[cast.police_a].status, rows[cast.police_a].attendees) == ("absent", "")
    assert (rows[cast.nhs_a].status, rows[cast.nhs_a].attendees) == ("apologies", "")
    assert events("panel.attendance_recorded").count() == 2


def test_attendance_refuses_a_present_agency_without_names_and_a_non_member(
    cast, coordinator, meeting
):
    with pytest.raises(PanelInputError) as refused:
        services.attendance_record(
            actor=coordinator,
            meeting=meeting,
            entries={
                cast.police_a.pk: ("present", " "),
                cast.police_b.pk: ("absent", ""),
            },
        )

    assert refused.value.errors == {
        f"attendees_{cast.police_a.pk}": (
            "Enter who attended for Police A, with their roles."
        ),
        "": "Record attendance for the panel's member agencies only.",
    }


# The discussion -------------------------------------------------------------------


def discuss(actor, meeting, item, level="high", today=TODAY):
    return services.discussion_record(
        actor=actor,
        meeting=meeting,
        item=item,
        summary="Contact escalated after the court date.",
        victim_voice="She wants the police to know he has a new car.",
        decisions="Apply for a stalking protection order.",
        agreed_risk_level=level,
        today=today,
    )


def test_the_agreed_level_becomes_the_cases_level(cast, coordinator, meeting, item):
    version = Case.objects.get(pk=cast.case.pk).version

    discuss(coordinator, meeting, item, level="high")

    case = Case.objects.get(pk=cast.case.pk)
    assert (case.risk_level, case.version) == ("high", version + 1)
    change = RiskLevelChange.objects.get(case=case)
    assert change.reason == "Agreed at the panel meeting on 2 March 2026"
    assert (change.from_level, change.to_level) == ("not_assessed", "high")
    assert change.changed_by == cast.panel_coordinator
    assert events("case.risk_changed").get().case_reference == case.reference
    recorded = events("panel.discussion_recorded").get()
    assert "agreed_risk_level" in recorded.changed_fields
    item.refresh_from_db()
    assert item.discussed
    assert item.settled
    assert item.victim_voice.startswith("She wants")


def test_an_accepted_case_discussed_at_panel_becomes_active(
    cast, coordinator, meeting, item
):
    Case.objects.filter(pk=cast.case.pk).update(status="accepted")

    discuss(coordinator, meeting, item)

    case = Case.objects.get(pk=cast.case.pk)
    assert case.status == "active"
    change = case.status_changes.get(to_status="active")
    assert change.from_status == "accepted"
    assert change.reason == "Discussed at the panel meeting on 2 March 2026"
    assert events("case.status_changed").get().case_reference == case.reference


def test_a_case_already_active_keeps_its_status_when_discussed(
    cast, coordinator, meeting, item
):
    Case.objects.filter(pk=cast.case.pk).update(status="monitoring")

    discuss(coordinator, meeting, item)

    assert Case.objects.get(pk=cast.case.pk).status == "monitoring"
    assert not events("case.status_changed").exists()


def test_agreeing_the_level_the_case_has_changes_nothing_on_the_case(
    cast, coordinator, meeting, item
):
    Case.objects.filter(pk=cast.case.pk).update(risk_level="medium")

    discuss(coordinator, meeting, item, level="medium")

    assert not RiskLevelChange.objects.exists()
    assert not events("case.risk_changed").exists()
    assert events("panel.discussion_recorded").count() == 1


def test_the_discussion_needs_every_part(cast, coordinator, meeting, item):
    with pytest.raises(PanelInputError) as refused:
        services.discussion_record(
            actor=coordinator,
            meeting=meeting,
            item=item,
            summary=" ",
            victim_voice="",
            decisions="",
            agreed_risk_level="not_assessed",
            today=TODAY,
        )

    assert set(refused.value.errors) == {
        "summary",
        "victim_voice",
        "decisions",
        "agreed_risk_level",
    }


def test_the_discussion_is_recorded_from_the_day_of_the_meeting(
    cast, coordinator, meeting, item
):
    with pytest.raises(DomainError, match="from the day of the meeting"):
        discuss(coordinator, meeting, item, today=TODAY - dt.timedelta(days=1))


def test_an_item_not_discussed_is_settled_with_its_reason(
    cast, coordinator, meeting, item
):
    with pytest.raises(PanelInputError):
        services.item_mark_not_discussed(
            actor=coordinator, meeting=meeting, item=item, reason=""
        )

    services.item_mark_not_discussed(
        actor=coordinator, meeting=meeting, item=item, reason="Ran out of time."
    )

    item.refresh_from_db()
    assert item.settled
    assert not item.discussed
    assert item.not_discussed_reason == "Ran out of time."


def test_a_discussed_item_cannot_be_marked_not_discussed(
    cast, coordinator, meeting, item
):
    discuss(coordinator, meeting, item)

    with pytest.raises(DomainError, match="is recorded"):
        services.item_mark_not_discussed(
            actor=coordinator, meeting=meeting, item=item, reason="Ran out of time."
        )


# Information sharing --------------------------------------------------------------


def share(actor, meeting, item, cast, **overrides):
    values = {
        "from_agency": cast.nhs_a,
        "to_agencies": [cast.police_a, cast.probation_a],
        "categories": ["health", "risk"],
        "lawful_basis": "public_task",
        "condition": "safeguarding",
        "consent": "not_sought",
        "consent_reason": "Seeking consent would put the victim at risk.",
        "necessity": "The panel needed the clinical picture to plan actions.",
        "today": TODAY,
    }
    values.update(overrides)
    return services.information_share_record(
        actor=actor, meeting=meeting, item=item, **values
    )


def test_an_information_share_is_recorded_and_audited(cast, coordinator, meeting, item):
    recorded = share(coordinator, meeting, item, cast)

    assert recorded.case == cast.case
    assert set(recorded.to_agencies.all()) == {cast.police_a, cast.probation_a}
    assert recorded.category_labels == [
        "Health and clinical information",
        "Risk assessments",
    ]
    event = events("panel.information_shared").get()
    assert (event.target_id, event.case_reference) == (
        str(recorded.public_id),
        cast.case.reference,
    )


@pytest.mark.parametrize("category", ["health", "police_intel", "victim_location"])
def test_sensitive_categories_need_a_condition(
    cast, coordinator, meeting, item, category
):
    with pytest.raises(PanelInputError) as refused:
        share(coordinator, meeting, item, cast, categories=[category], condition="")

    message = refused.value.errors["condition"]
    assert message.startswith("Select the condition for sharing")
    assert "health, police intelligence and victim location details need" in message


@pytest.mark.parametrize("consent", ["given", "refused", "withdrawn", "not_sought"])
def test_every_consent_answer_needs_its_reason(
    cast, coordinator, meeting, item, consent
):
    with pytest.raises(PanelInputError) as refused:
        share(coordinator, meeting, item, cast, consent=consent, consent_reason=" ")

    assert set(refused.value.errors) == {"consent_reason"}


def test_a_share_must_go_from_one_member_to_others(cast, coordinator, meeting, item):
    with pytest.raises(PanelInputError) as refused:
        share(
            coordinator,
            meeting,
            item,
            cast,
            from_agency=cast.police_b,
            to_agencies=[cast.nhs_a],
            necessity="",
            categories=[],
            lawful_basis="",
        )

    assert set(refused.value.errors) == {
        "from_agency",
        "categories",
        "lawful_basis",
        "necessity",
    }
    with pytest.raises(PanelInputError) as to_itself:
        share(coordinator, meeting, item, cast, to_agencies=[cast.nhs_a])
    assert "other than the one" in to_itself.value.errors["to_agencies"]


# The minutes ----------------------------------------------------------------------


def test_minutes_need_a_held_meeting_with_every_item_settled(
    cast, coordinator, meeting, item
):
    with pytest.raises(DomainError, match="Mark the meeting as held"):
        services.minutes_issue(actor=coordinator, meeting=meeting, version=1)
    services.meeting_mark_held(
        actor=coordinator, meeting=meeting, version=1, today=TODAY
    )
    with pytest.raises(DomainError, match=cast.case.reference):
        services.minutes_issue(actor=coordinator, meeting=meeting, version=2)

    discuss(coordinator, meeting, item)
    issued = services.minutes_issue(actor=coordinator, meeting=meeting, version=2)

    assert issued.minutes_issued_at is not None
    assert events("panel.meeting_updated").last().changed_fields == [
        "minutes_issued_at"
    ]


def test_after_the_minutes_the_records_are_read_only(cast, coordinator, meeting, item):
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, minutes_issued_at=timezone.now()
    )
    meeting.refresh_from_db()
    attempts = [
        lambda: discuss(coordinator, meeting, item),
        lambda: share(coordinator, meeting, item, cast),
        lambda: services.agenda_remove(actor=coordinator, meeting=meeting, item=item),
        lambda: services.attendance_record(
            actor=coordinator, meeting=meeting, entries={}
        ),
        lambda: services.minutes_issue(actor=coordinator, meeting=meeting, version=1),
    ]

    for attempt in attempts:
        with pytest.raises(DomainError):
            attempt()
    assert not AuditEvent.objects.filter(event_type__startswith="panel.").exists()


def test_a_worker_cannot_run_the_panel(cast, meeting, item):
    with pytest.raises(PermissionDenied):
        discuss(actor_for(cast.lead_manager), meeting, item)
