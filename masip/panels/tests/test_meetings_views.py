"""Meeting pages: who may read and run them, the agenda, attendance, the
discussion of a case, and bad input."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.audit.models import AuditEvent
from masip.cases.models import Case
from masip.cases.tests.factories import CaseFactory
from masip.panels.models import (
    Action,
    AgendaItem,
    Attendance,
    InformationShare,
    Meeting,
)
from masip.panels.tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    PanelFactory,
    cast_panel,
)

pytestmark = pytest.mark.django_db


def url(name, meeting, item=None):
    kwargs = {"public_id": meeting.public_id}
    if item is not None:
        kwargs["item_id"] = item.public_id
    return reverse(f"panels:{name}", kwargs=kwargs)


def date_fields(name, day):
    return {
        f"{name}_day": day.day,
        f"{name}_month": day.month,
        f"{name}_year": day.year,
    }


@pytest.fixture
def meeting(cast):
    """Site A's meeting, today (so its discussion can be recorded)."""
    return MeetingFactory(
        panel=cast_panel(cast),
        held_on=timezone.localdate(),
        created_by=cast.panel_coordinator,
    )


@pytest.fixture
def item(cast, meeting):
    return AgendaItemFactory(
        meeting=meeting, case=cast.case, reason="high_risk", position=1
    )


# Scheduling -----------------------------------------------------------------------


def test_the_coordinator_schedules_a_meeting(cast, client_for):
    cast_panel(cast)
    day = timezone.localdate() + dt.timedelta(days=14)

    response = client_for("panel_coordinator").post(
        reverse("panels:meeting-create"),
        {"kind": "scheduled", **date_fields("held_on", day), "starts_at": "2:30pm"},
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting-detail", meeting)
    assert (meeting.held_on, meeting.starts_at) == (day, dt.time(14, 30))


def test_scheduling_with_nothing_entered_says_what_is_missing(cast, client_for):
    cast_panel(cast)

    response = client_for("panel_coordinator").post(reverse("panels:meeting-create"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select the kind of meeting." in page
    assert "Enter the date of the meeting." in page
    assert not Meeting.objects.exists()


def test_a_scheduled_meeting_in_the_past_is_refused_on_the_form(cast, client_for):
    cast_panel(cast)

    response = client_for("panel_coordinator").post(
        reverse("panels:meeting-create"),
        {
            "kind": "scheduled",
            **date_fields("held_on", timezone.localdate() - dt.timedelta(days=1)),
            "starts_at": "ten",
            "location": "Room 1",
        },
    )

    page = response.content.decode()
    assert "Enter a time such as 14:30 or 2:30pm." in page
    assert 'value="Room 1"' in page  # kept


def test_scheduling_without_a_panel_goes_to_set_up(cast, client_for):
    response = client_for("panel_coordinator").get(reverse("panels:meeting-create"))

    assert response.status_code == 302
    assert response["Location"] == reverse("panels:panel-edit")


def test_a_stale_edit_shows_the_saved_values_and_keeps_the_input(
    cast, client_for, meeting
):
    Meeting.objects.filter(pk=meeting.pk).update(version=2, location="Room 9")

    response = client_for("panel_coordinator").post(
        url("meeting-edit", meeting),
        {
            "kind": "scheduled",
            **date_fields("held_on", meeting.held_on),
            "location": "Room 4",
            "version": 1,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "masip-conflict" in page
    assert "Room 9" in page
    assert 'value="Room 4"' in page
    assert 'name="version" value="2"' in page
    assert Meeting.objects.get().location == "Room 9"


# Reading --------------------------------------------------------------------------


def test_a_member_agencys_worker_reads_the_meeting_and_it_is_audited(
    cast, client_for, meeting, item
):
    response = client_for("partner_worker").get(url("meeting-detail", meeting))

    page = response.content.decode()
    assert response.status_code == 200
    assert cast.case.reference in page
    assert "Change the agenda" not in page
    event = AuditEvent.objects.get(event_type="panel.meeting_viewed")
    assert event.actor_id == cast.partner_worker.pk
    assert event.agency_id == cast.probation_a.pk


def test_an_outsider_gets_404_for_another_sites_meeting(cast, client_for, meeting):
    client = client_for("outsider")

    assert client.get(url("meeting-detail", meeting)).status_code == 404
    assert client.get(url("item-detail", meeting, meeting)).status_code == 404


def test_a_missing_meeting_is_404(cast, client_for, meeting):
    missing = MeetingFactory.build(panel=meeting.panel)

    response = client_for("panel_coordinator").get(url("meeting-detail", missing))

    assert response.status_code == 404


def test_another_sites_coordinator_gets_404(cast, client_for):
    meeting_b = MeetingFactory(panel=PanelFactory(site=cast.police_b.site))

    response = client_for("panel_coordinator").get(url("meeting-detail", meeting_b))

    assert response.status_code == 404


def test_a_partner_worker_reads_only(cast, client_for, meeting, item):
    client = client_for("partner_worker")

    for name in ("agenda", "attendance", "meeting-edit", "minutes-issue"):
        assert client.post(url(name, meeting)).status_code == 403
    for name in ("item-discussion", "item-share", "item-action"):
        assert client.post(url(name, meeting, item)).status_code == 403
    page = client.get(url("item-detail", meeting, item)).content.decode()
    assert "Record the discussion" not in page


def test_a_case_not_shared_with_the_reader_shows_only_reference_and_lead(
    cast, client_for, meeting
):
    unshared = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    listed = AgendaItemFactory(
        meeting=meeting, case=unshared, reason_detail="Rated high risk on 1 March."
    )
    AgendaItem.objects.filter(pk=listed.pk).update(discussed=True)
    listed.refresh_from_db()
    listed.summary = "Sealed words about the case."
    listed.save()
    client = client_for("partner_worker")

    page = client.get(url("item-detail", meeting, listed)).content.decode()
    listing = client.get(url("meeting-detail", meeting)).content.decode()

    assert unshared.reference in page
    assert "Police A" in page
    assert "Not shared with your agency" in page
    assert "Sealed words" not in page
    assert "Rated high risk" not in page
    assert "Not shared with your agency" in listing


def test_the_lead_worker_reads_the_discussion(cast, client_for, meeting, item):
    item.discussed = True
    item.summary = "Contact escalated after the court date."
    item.save()

    page = (
        client_for("lead_worker")
        .get(url("item-detail", meeting, item))
        .content.decode()
    )

    assert "Contact escalated after the court date." in page


# The agenda -----------------------------------------------------------------------


def test_the_agenda_suggests_and_adds_one_case(cast, client_for, meeting):
    Case.objects.filter(pk=cast.case.pk).update(risk_level="high")
    client = client_for("panel_coordinator")

    page = client.get(url("agenda", meeting)).content.decode()
    response = client.post(url("agenda", meeting), {"add": cast.case.reference})

    assert cast.case.reference in page
    assert "Risk level is high." in page
    assert response.status_code == 302
    listed = AgendaItem.objects.get()
    assert (listed.case, listed.reason, listed.reason_detail) == (
        cast.case,
        "high_risk",
        "Risk level is high.",
    )


def test_add_all_lists_every_suggestion(cast, client_for, meeting):
    for _ in range(3):
        CaseFactory(lead_agency=cast.nhs_a, risk_level="high")

    response = client_for("panel_coordinator").post(
        url("agenda", meeting), {"add_all": "1"}
    )

    assert response.status_code == 302
    assert list(meeting.items.values_list("position", flat=True)) == [1, 2, 3]


def test_a_case_is_added_by_reference_with_a_reason(cast, client_for, meeting):
    response = client_for("panel_coordinator").post(
        url("agenda", meeting),
        {
            "add_case": "1",
            "reference": cast.case.reference.lower(),
            "reason_detail": "Police asked for a joint plan.",
        },
    )

    assert response.status_code == 302
    listed = AgendaItem.objects.get()
    assert (listed.reason, listed.reason_detail) == (
        "added",
        "Police asked for a joint plan.",
    )


@pytest.mark.parametrize("reference", ["other", "STK-0000-0000"])
def test_a_case_outside_the_site_cannot_be_added(cast, client_for, meeting, reference):
    if reference == "other":
        reference = cast.other_case.reference

    response = client_for("panel_coordinator").post(
        url("agenda", meeting),
        {"add_case": "1", "reference": reference, "reason_detail": "Asked to."},
    )

    assert response.status_code == 200
    assert "Enter the reference of an open case led in this site." in (
        response.content.decode()
    )
    assert not AgendaItem.objects.exists()


def test_adding_by_reference_needs_both_fields(cast, client_for, meeting):
    response = client_for("panel_coordinator").post(
        url("agenda", meeting), {"add_case": "1"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the case reference." in page
    assert "Enter why the panel should discuss the case." in page


def test_an_empty_agenda_post_says_so(cast, client_for, meeting):
    response = client_for("panel_coordinator").post(url("agenda", meeting))

    assert response.status_code == 200
    assert "Choose what to change on the agenda." in response.content.decode()


def test_cases_move_and_are_removed_with_buttons(cast, client_for, meeting, item):
    second = AgendaItemFactory(
        meeting=meeting, case=CaseFactory(lead_agency=cast.police_a), position=2
    )
    client = client_for("panel_coordinator")

    client.post(url("agenda", meeting), {"up": str(second.public_id)})
    order = list(meeting.items.values_list("pk", flat=True))
    client.post(url("agenda", meeting), {"remove": str(item.public_id)})

    assert order == [second.pk, item.pk]
    assert list(meeting.items.values_list("pk", flat=True)) == [second.pk]
    assert AuditEvent.objects.filter(event_type="panel.agenda_changed").count() == 2


# Attendance -----------------------------------------------------------------------


def test_attendance_needs_an_answer_for_each_agency(cast, client_for, meeting):
    response = client_for("panel_coordinator").post(url("attendance", meeting))

    page = response.content.decode()
    assert response.status_code == 200
    for name in ("Police A", "Probation A", "NHS Trust A", "Advocacy A"):
        assert f"Select whether {name} attended." in page


def test_attendance_is_saved(cast, client_for, meeting):
    data = {
        f"status_{cast.police_a.pk}": "present",
        f"attendees_{cast.police_a.pk}": "Sam Example (detective sergeant)",
        f"status_{cast.probation_a.pk}": "apologies",
        f"status_{cast.nhs_a.pk}": "absent",
        f"status_{cast.advocacy_a.pk}": "present",
    }

    response = client_for("panel_coordinator").post(url("attendance", meeting), data)

    page = response.content.decode()
    assert response.status_code == 200  # advocacy present, no names given
    assert "Enter who attended for Advocacy A, with their roles." in page
    data[f"attendees_{cast.advocacy_a.pk}"] = "Robin Sample (stalking advocate)"
    response = client_for("panel_coordinator").post(url("attendance", meeting), data)
    assert response.status_code == 302
    assert Attendance.objects.count() == 4


# The discussion of a case ---------------------------------------------------------


def test_the_discussion_with_nothing_entered_says_what_is_missing(
    cast, client_for, meeting, item
):
    response = client_for("panel_coordinator").post(
        url("item-discussion", meeting, item)
    )

    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter a summary of the discussion.",
        "Enter what the advocate reported of the victim&#x27;s views.",
        "Enter the panel&#x27;s decisions.",
        "Select the risk level the panel agreed.",
    ):
        assert message in page


def test_the_discussion_is_recorded_and_sets_the_cases_risk(
    cast, client_for, meeting, item
):
    response = client_for("panel_coordinator").post(
        url("item-discussion", meeting, item),
        {
            "summary": "Contact escalated after the court date.",
            "victim_voice": "She wants the police to know about the new car.",
            "decisions": "Apply for a stalking protection order.",
            "agreed_risk_level": "high",
        },
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=cast.case.pk).risk_level == "high"
    item.refresh_from_db()
    assert item.discussed


def test_an_information_share_with_nothing_entered_says_what_is_missing(
    cast, client_for, meeting, item
):
    response = client_for("panel_coordinator").post(url("item-share", meeting, item))

    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Select the agency that shared the information.",
        "Select the agencies the information was shared with.",
        "Select what kinds of information were shared.",
        "Select the lawful basis for sharing.",
        "Select whether the person consented to the sharing.",
        "Enter why sharing the information was necessary and proportionate.",
    ):
        assert message in page


def test_health_shared_without_a_condition_is_refused_with_the_reason(
    cast, client_for, meeting, item
):
    response = client_for("panel_coordinator").post(
        url("item-share", meeting, item),
        {
            "from_agency": cast.nhs_a.pk,
            "to_agencies": [cast.police_a.pk],
            "categories": ["health"],
            "lawful_basis": "public_task",
            "consent": "given",
            "necessity": "Needed for the plan.",
        },
    )

    page = response.content.decode()
    assert "Select the condition for sharing health and clinical information" in page
    assert "Enter how and when consent was given." in page
    assert not InformationShare.objects.exists()


def test_an_information_share_is_listed_from_and_to(cast, client_for, meeting, item):
    client = client_for("panel_coordinator")

    response = client.post(
        url("item-share", meeting, item),
        {
            "from_agency": cast.nhs_a.pk,
            "to_agencies": [cast.police_a.pk, cast.probation_a.pk],
            "categories": ["health", "risk"],
            "lawful_basis": "public_task",
            "condition": "safeguarding",
            "consent": "not_sought",
            "consent_reason": "Seeking consent would raise the risk.",
            "necessity": "Needed for the plan.",
        },
    )
    page = client.get(url("item-detail", meeting, item)).content.decode()

    assert response.status_code == 302
    assert "From NHS Trust A to Police A, Probation A" in page
    assert "Health and clinical information, Risk assessments" in page
    assert "Public task (UK GDPR Art 6(1)(e))" in page


def test_an_action_is_added_from_the_discussion_page(cast, client_for, meeting, item):
    due = timezone.localdate() + dt.timedelta(days=14)
    client = client_for("panel_coordinator")

    response = client.post(
        url("item-action", meeting, item),
        {
            "owner_agency": cast.probation_a.pk,
            "owner": cast.partner_worker.pk,
            "description": "Review the licence conditions.",
            **date_fields("due_on", due),
        },
    )
    page = client.get(url("item-detail", meeting, item)).content.decode()

    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.item, action.case, action.owner) == (
        item,
        cast.case,
        cast.partner_worker,
    )
    assert "Review the licence conditions." in page


def test_an_action_needs_its_fields_and_an_owner_from_the_agency(
    cast, client_for, meeting, item
):
    client = client_for("panel_coordinator")

    empty = client.post(url("item-action", meeting, item)).content.decode()
    wrong = client.post(
        url("item-action", meeting, item),
        {
            "owner_agency": cast.probation_a.pk,
            "owner": cast.clinician.pk,
            "description": "Review the licence conditions.",
            **date_fields("due_on", timezone.localdate()),
        },
    ).content.decode()

    assert "Select the agency that owns the action." in empty
    assert "Enter what is to be done." in empty
    assert "Enter the date the action is due." in empty
    assert "Select someone who works for Probation A, or no one." in wrong
    assert not Action.objects.exists()


def test_not_discussed_needs_a_reason(cast, client_for, meeting, item):
    client = client_for("panel_coordinator")

    empty = client.post(url("item-not-discussed", meeting, item))
    done = client.post(
        url("item-not-discussed", meeting, item), {"reason": "Ran out of time."}
    )

    assert empty.status_code == 200
    assert "Enter why the panel did not discuss the case." in empty.content.decode()
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.not_discussed_reason == "Ran out of time."


# Held, minutes --------------------------------------------------------------------


def test_the_minutes_are_issued_once_everything_is_settled(
    cast, client_for, meeting, item
):
    client = client_for("panel_coordinator")

    client.post(url("meeting-held", meeting), {"version": 1})
    refused = client.post(url("minutes-issue", meeting), {"version": 2})
    client.post(
        url("item-not-discussed", meeting, item), {"reason": "Ran out of time."}
    )
    issued = client.post(url("minutes-issue", meeting), {"version": 2})

    assert refused.status_code == 200
    assert cast.case.reference in refused.content.decode()
    assert issued.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_issued_at is not None


def test_a_confirmation_posted_empty_asks_again(cast, client_for, meeting):
    response = client_for("panel_coordinator").post(url("meeting-held", meeting))

    assert response.status_code == 200
    assert "Open the page again." in response.content.decode()
    assert Meeting.objects.get().status == "planned"


def test_after_the_minutes_the_discussion_page_is_read_only(
    cast, client_for, meeting, item
):
    Meeting.objects.filter(pk=meeting.pk).update(
        status="held", minutes_issued_at=timezone.now()
    )
    client = client_for("panel_coordinator")

    response = client.post(
        url("item-discussion", meeting, item),
        {
            "summary": "Late change.",
            "victim_voice": "None.",
            "decisions": "None.",
            "agreed_risk_level": "high",
        },
    )
    page = client.get(url("item-detail", meeting, item)).content.decode()
    agenda = client.get(url("agenda", meeting)).content.decode()

    assert response.status_code == 302
    assert "can no longer be changed" in page
    assert "Record the discussion" not in page
    assert "Add the case" not in agenda
    item.refresh_from_db()
    assert not item.discussed


# Query counts ---------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _list_cases(cast, meeting, count):
    for _ in range(count):
        AgendaItemFactory(
            meeting=meeting,
            case=CaseFactory(lead_agency=cast.police_a, risk_level="high"),
        )


@pytest.mark.parametrize("persona", ["panel_coordinator", "partner_worker"])
def test_the_meeting_page_takes_the_same_queries_for_2_or_20_cases(
    cast, client_for, meeting, persona
):
    client = client_for(persona)
    _list_cases(cast, meeting, 2)
    few = _queries(client, url("meeting-detail", meeting))
    _list_cases(cast, meeting, 18)
    many = _queries(client, url("meeting-detail", meeting))

    assert few == many


def test_the_agenda_page_takes_the_same_queries_for_2_or_20_cases(
    cast, client_for, meeting
):
    client = client_for("panel_coordinator")
    _list_cases(cast, meeting, 2)
    for _ in range(2):
        CaseFactory(lead_agency=cast.police_a, risk_level="high")
    few = _queries(client, url("agenda", meeting))
    _list_cases(cast, meeting, 18)
    for _ in range(18):
        CaseFactory(lead_agency=cast.police_a, risk_level="high")
    many = _queries(client, url("agenda", meeting))

    assert few == many


def test_the_panel_list_takes_the_same_queries_for_2_or_20_meetings(
    cast, client_for, meeting
):
    client = client_for("lead_worker")

    def meetings(count):
        for days in range(count):
            MeetingFactory(
                panel=meeting.panel,
                held_on=timezone.localdate() - dt.timedelta(days=days + 1),
                status="held",
            )

    meetings(1)
    few = _queries(client, reverse("panels:panel-list"))
    meetings(18)
    many = _queries(client, reverse("panels:panel-list"))

    assert few == many


# Row-level security (PostgreSQL) --------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Row-level security is PostgreSQL's."
)
def test_the_coordinator_runs_the_meeting_under_row_level_security(
    cast, client_for, meeting
):
    from masip.isolation.testing import as_role, make_app_role

    client = client_for("panel_coordinator")
    role = make_app_role()
    with as_role(role):
        added = client.post(
            url("agenda", meeting),
            {
                "add_case": "1",
                "reference": cast.case.reference,
                "reason_detail": "Police asked for a joint plan.",
            },
        )
    # Outside a request the application role reaches nothing: read as owner.
    listed = AgendaItem.objects.get(meeting=meeting)
    with as_role(role):
        discussed = client.post(
            url("item-discussion", meeting, listed),
            {
                "summary": "Contact escalated after the court date.",
                "victim_voice": "She wants the police to know about the new car.",
                "decisions": "Apply for a stalking protection order.",
                "agreed_risk_level": "high",
            },
        )

    assert (added.status_code, discussed.status_code) == (302, 302)
    assert Case.objects.get(pk=cast.case.pk).risk_level == "high"
