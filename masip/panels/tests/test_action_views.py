"""Action pages: the case tab, one action and its forms, adding one, the
user's actions, the overdue lists, and the actions on the case timeline."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.tests.factories import CaseFactory
from masip.panels.models import Action
from masip.panels.tests.clock import frozen_at
from masip.panels.tests.factories import ActionFactory, PanelFactory


@pytest.fixture
def now():
    """The clock stopped now (sessions made by ``client_for`` stay valid)."""
    with frozen_at(timezone.now()) as moment:
        yield moment


@pytest.fixture
def today(now):
    return timezone.localdate()


def _action(cast, **kwargs):
    values = {
        "case": cast.case,
        "owner_agency": cast.police_a,
        "owner": cast.lead_worker,
        "created_by": cast.lead_manager,
        "description": "Apply for an interim stalking protection order.",
    }
    values.update(kwargs)
    return ActionFactory(**values)


def _url(case, name="list", action=None):
    base = f"/cases/{case.reference}/actions/"
    if name == "list":
        return base
    if name == "create":
        return base + "new/"
    path = f"{base}{action.public_id}/"
    return path if name == "detail" else f"{path}{name}/"


def _with_purpose(client, case):
    session = client.session
    session[PURPOSE_SESSION_PREFIX + case.reference] = "Preparing the panel agenda"
    session.save()
    return client


# The case tab ------------------------------------------------------------


def test_case_actions_tab_lists_overdue_first_with_days(cast, client_for, today):
    _action(cast, description="Later action", due_on=today + dt.timedelta(days=3))
    _action(cast, description="Late action", due_on=today - dt.timedelta(days=2))
    _action(cast, description="Due today action", due_on=today)

    html = client_for("partner_worker").get(_url(cast.case)).content.decode()

    assert html.index("Late action") < html.index("Due today action")
    assert html.index("Due today action") < html.index("Later action")
    assert html.count("govuk-tag--red") == 1
    assert 'Overdue</strong> <span class="govuk-body-s">by 2 days' in html
    assert 'aria-current="page" href="' + _url(cast.case) in html


def test_case_actions_tab_offers_adding_only_to_action_updaters(cast, client_for):
    worker = client_for("lead_worker").get(_url(cast.case)).content.decode()
    coordinator = _with_purpose(client_for("panel_coordinator"), cast.case)
    read_only = coordinator.get(_url(cast.case)).content.decode()

    assert "Add an action" in worker
    assert "Add an action" not in read_only


def test_case_actions_tab_refused_to_a_reader_without_the_verb(cast, client_for):
    client = _with_purpose(client_for("auditor"), cast.case)

    assert client.get(_url(cast.case)).status_code == 403


@pytest.mark.parametrize("name", ["list", "create", "detail", "complete", "cancel"])
def test_outsider_gets_404_on_every_action_page(cast, client_for, name):
    action = _action(cast)

    response = client_for("outsider").get(_url(cast.case, name, action))

    assert response.status_code == 404


def test_an_action_of_another_case_is_not_found_under_this_case(cast, client_for):
    elsewhere = _action(
        cast, case=cast.other_case, owner_agency=cast.police_b, owner=None
    )

    client = client_for("lead_worker")

    assert client.get(_url(cast.case, "detail", elsewhere)).status_code == 404
    response = client.post(
        _url(cast.case, "complete", elsewhere),
        {"complete-completion_note": "Done.", "complete-version": "1"},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Action.Status.OPEN


def test_case_action_list_runs_a_constant_number_of_queries(cast, client_for, today):
    client = client_for("lead_worker")
    client.get(_url(cast.case))  # the first audit event starts the chain

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(cast.case)).status_code == 200
        return len(queries)

    for _ in range(2):
        _action(cast, due_on=today)
    few = count()
    for _ in range(18):
        _action(cast, due_on=today - dt.timedelta(days=1), owner=None)
    many = count()

    assert few == many


# One action ----------------------------------------------------------------


def test_action_page_shows_the_forms_to_the_owner_agency_and_records_a_view(
    cast, client_for
):
    action = _action(cast)

    html = client_for("lead_worker").get(_url(cast.case, "detail", action)).content
    html = html.decode()

    assert "Apply for an interim stalking protection order." in html
    assert "Update progress" in html
    assert "Mark as completed" in html
    assert "Cancel the action" in html
    event = AuditEvent.objects.filter(event_type=EventType.ACTION_VIEWED).get()
    assert event.target_id == str(action.public_id)
    assert event.case_reference == cast.case.reference


def test_action_page_offers_no_forms_to_another_agency(cast, client_for):
    action = _action(cast)

    html = client_for("clinician").get(_url(cast.case, "detail", action)).content
    html = html.decode()

    assert "Apply for an interim stalking protection order." in html
    assert "Mark as completed" not in html
    assert "Cancel the action" not in html


def test_the_owner_completes_the_action(cast, client_for, now):
    action = _action(cast)
    client = client_for("lead_worker")

    response = client.post(
        _url(cast.case, "complete", action),
        {
            "complete-completion_note": "Interim order granted.",
            "complete-version": "1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _url(cast.case, "detail", action)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.completed_by == cast.lead_worker
    assert action.completed_at == now
    page = client.get(response["Location"]).content.decode()
    assert "Action completed." in page
    assert "Interim order granted." in page


def test_another_agency_worker_cannot_complete_the_action(cast, client_for):
    action = _action(cast)

    response = client_for("partner_worker").post(
        _url(cast.case, "complete", action),
        {"complete-completion_note": "Done.", "complete-version": "1"},
    )

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_the_coordinator_without_the_update_verb_cannot_complete(cast, client_for):
    action = _action(cast)
    client = _with_purpose(client_for("panel_coordinator"), cast.case)

    response = client.post(
        _url(cast.case, "complete", action),
        {"complete-completion_note": "Done.", "complete-version": "1"},
    )

    assert response.status_code == 403


def test_completing_without_a_note_shows_the_error_on_the_page(cast, client_for):
    action = _action(cast)

    response = client_for("lead_worker").post(
        _url(cast.case, "complete", action), {"complete-version": "1"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_complete-completion_note">Enter what was done.' in html
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_completing_a_stale_version_keeps_the_note_and_shows_the_saved_values(
    cast, client_for
):
    action = _action(cast, version=2, status=Action.Status.IN_PROGRESS)

    response = client_for("lead_worker").post(
        _url(cast.case, "complete", action),
        {"complete-completion_note": "My careful note.", "complete-version": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in html
    assert "My careful note." in html
    assert 'name="complete-version" value="2"' in html
    assert "masip-conflict" in html


def test_updating_progress_and_reassigning_within_the_agency(cast, client_for, today):
    action = _action(cast, due_on=today + dt.timedelta(days=4))
    due = action.due_on

    response = client_for("lead_worker").post(
        _url(cast.case, "update", action),
        {
            "update-status": "in_progress",
            "update-owner": str(cast.lead_manager.pk),
            "update-due_on_day": str(due.day),
            "update-due_on_month": str(due.month),
            "update-due_on_year": str(due.year),
            "update-version": "1",
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.owner == cast.lead_manager


def test_moving_the_due_date_without_a_reason_is_refused_on_the_field(
    cast, client_for, today
):
    action = _action(cast, due_on=today + dt.timedelta(days=4))
    later = today + dt.timedelta(days=20)

    response = client_for("lead_worker").post(
        _url(cast.case, "update", action),
        {
            "update-status": "open",
            "update-owner": str(cast.lead_worker.pk),
            "update-due_on_day": str(later.day),
            "update-due_on_month": str(later.month),
            "update-due_on_year": str(later.year),
            "update-version": "1",
        },
    )

    assert response.status_code == 200
    assert 'href="#id_update-due_reason">Enter why the due date is changing.' in (
        response.content.decode()
    )


def test_posting_empty_forms_re_renders_them(cast, client_for):
    action = _action(cast)
    client = client_for("lead_worker")

    for name in ("update", "complete", "cancel"):
        response = client.post(_url(cast.case, name, action))
        assert response.status_code == 200, name
        assert "There is a problem" in response.content.decode(), name


def test_the_coordinator_cancels_an_action(cast, client_for):
    action = _action(cast)
    client = _with_purpose(client_for("panel_coordinator"), cast.case)

    response = client.post(
        _url(cast.case, "cancel", action),
        {"cancel-reason": "The panel changed its plan.", "cancel-version": "1"},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED


def test_another_agency_cannot_cancel(cast, client_for):
    action = _action(cast)

    response = client_for("advocate").post(
        _url(cast.case, "cancel", action),
        {"cancel-reason": "Not ours.", "cancel-version": "1"},
    )

    assert response.status_code == 403


# Adding --------------------------------------------------------------------


def test_adding_an_action_for_a_partner_agency(cast, client_for, today):
    due = today + dt.timedelta(days=10)

    response = client_for("lead_worker").post(
        _url(cast.case, "create"),
        {
            "description": "Review the licence conditions.",
            "owner_agency": str(cast.probation_a.pk),
            "owner": str(cast.partner_worker.pk),
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )

    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(cast.case, "detail", action)
    assert action.owner_agency == cast.probation_a
    assert action.owner == cast.partner_worker
    assert action.due_on == due


def test_add_form_offers_the_case_agencies_and_their_people(cast, client_for):
    html = client_for("lead_worker").get(_url(cast.case, "create")).content.decode()

    for name in ("Police A", "Probation A", "NHS Trust A", "Advocacy A"):
        assert name in html
    assert "Police B" not in html
    assert '<optgroup label="Probation A">' in html
    assert cast.partner_worker.full_name in html
    assert cast.outsider.full_name not in html


def test_adding_with_a_person_of_another_agency_is_refused_on_the_field(
    cast, client_for, today
):
    due = today + dt.timedelta(days=10)

    response = client_for("lead_worker").post(
        _url(cast.case, "create"),
        {
            "description": "Review the licence conditions.",
            "owner_agency": str(cast.police_a.pk),
            "owner": str(cast.partner_worker.pk),
            "due_on_day": str(due.day),
            "due_on_month": str(due.month),
            "due_on_year": str(due.year),
        },
    )

    assert response.status_code == 200
    assert "Select someone who works for Police A" in response.content.decode()
    assert not Action.objects.exists()


def test_adding_with_a_past_due_date_is_refused(cast, client_for, today):
    past = today - dt.timedelta(days=1)

    response = client_for("lead_worker").post(
        _url(cast.case, "create"),
        {
            "description": "Review the licence conditions.",
            "owner_agency": str(cast.police_a.pk),
            "due_on_day": str(past.day),
            "due_on_month": str(past.month),
            "due_on_year": str(past.year),
        },
    )

    assert response.status_code == 200
    assert "The due date must be today or in the future." in response.content.decode()


def test_adding_with_nothing_filled_in_shows_each_error(cast, client_for):
    response = client_for("lead_worker").post(_url(cast.case, "create"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter what the action is." in html
    assert "Select the agency that owns the action." in html
    assert "Enter the date the action is due." in html


# Your actions ------------------------------------------------------------------


def test_my_actions_shows_mine_then_my_agency_overdue_first(cast, client_for, today):
    _action(cast, description="Mine later", due_on=today + dt.timedelta(days=5))
    _action(cast, description="Mine late", due_on=today - dt.timedelta(days=3))
    _action(cast, description="Colleague's", owner=cast.lead_manager, due_on=today)
    _action(
        cast,
        description="Probation's",
        owner_agency=cast.probation_a,
        owner=cast.partner_worker,
    )

    response = client_for("lead_worker").get("/actions/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Mine late") < html.index("Mine later")
    assert html.index("Mine later") < html.index("Colleague&#x27;s")
    assert "Probation&#x27;s" not in html
    assert "by 3 days" in html
    assert AuditEvent.objects.filter(
        event_type=EventType.CASE_LIST_VIEWED, target_type="actions"
    ).exists()


def test_my_actions_leaves_out_cases_no_longer_reached(cast, client_for, today):
    # Police A's action on a case Police A neither leads nor shares any more.
    unreached = CaseFactory(lead_agency=cast.police_b, created_by=cast.outsider)
    _action(cast, case=unreached, description="Old share action", due_on=today)

    html = client_for("lead_worker").get("/actions/").content.decode()

    assert "Old share action" not in html
    assert unreached.reference not in html


def test_my_actions_runs_a_constant_number_of_queries(cast, client_for, today):
    client = client_for("lead_worker")
    client.get("/actions/")  # the first audit event starts the chain

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/actions/").status_code == 200
        return len(queries)

    _action(cast, due_on=today)
    _action(cast, due_on=today, owner=cast.lead_manager)
    few = count()
    for i in range(9):
        _action(cast, due_on=today - dt.timedelta(days=i))
        _action(cast, due_on=today, owner=None)
    many = count()

    assert few == many


# Overdue -------------------------------------------------------------------


def _overdue_set(cast, today):
    _action(cast, description="Police late", due_on=today - dt.timedelta(days=1))
    _action(cast, description="Police due today", due_on=today)
    _action(
        cast,
        description="NHS late",
        owner_agency=cast.nhs_a,
        owner=cast.clinician,
        due_on=today - dt.timedelta(days=6),
    )
    _action(
        cast,
        case=cast.other_case,
        owner_agency=cast.police_b,
        owner=cast.outsider,
        description="Site B late",
        due_on=today - dt.timedelta(days=2),
    )


def test_overdue_for_the_coordinator_counts_per_agency_on_the_site(
    cast, client_for, today
):
    _overdue_set(cast, today)

    response = client_for("panel_coordinator").get("/actions/overdue/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "NHS late" in html
    assert "Police late" in html
    assert "Police due today" not in html
    assert "Site B late" not in html
    assert html.index("NHS late") < html.index("Police late")
    assert '<th scope="row" class="govuk-table__header">NHS Trust A</th>' in html
    assert '<th scope="row" class="govuk-table__header">Police A</th>' in html


def test_overdue_for_a_team_manager_is_their_agency_only(cast, client_for, today):
    _overdue_set(cast, today)

    html = client_for("lead_manager").get("/actions/overdue/").content.decode()

    assert "Police late" in html
    assert "NHS late" not in html


def test_overdue_for_the_panel_chair_withholds_cases_they_do_not_reach(
    cast, client_for, today
):
    _overdue_set(cast, today)
    # The chair manages Police B's team, in another site: the site A panel's
    # overdue actions are theirs to chase, the case details are not.
    PanelFactory(site=cast.police_a.site, chair=cast.outsider_manager)

    html = client_for("outsider_manager").get("/actions/overdue/").content.decode()

    assert cast.case.reference in html
    assert "NHS late" not in html
    assert "Police late" not in html
    assert "Withheld: you do not work on this case." in html
    # Their own agency's overdue action, on a case they reach, is shown.
    assert "Site B late" in html


def test_overdue_for_a_case_worker_sends_them_to_their_own_list(cast, client_for):
    response = client_for("lead_worker").get("/actions/overdue/")

    assert response.status_code == 302
    assert response["Location"] == "/actions/"


def test_overdue_runs_a_constant_number_of_queries(cast, client_for, today):
    client = client_for("panel_coordinator")
    client.get("/actions/overdue/")  # the first audit event starts the chain

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/actions/overdue/").status_code == 200
        return len(queries)

    for _ in range(2):
        _action(cast, due_on=today - dt.timedelta(days=1))
    few = count()
    for i in range(18):
        _action(
            cast,
            owner_agency=[cast.nhs_a, cast.probation_a][i % 2],
            owner=None,
            due_on=today - dt.timedelta(days=i + 1),
        )
    many = count()

    assert few == many


# The case timeline ---------------------------------------------------------


def test_case_timeline_shows_actions_agreed_and_completed(cast, client_for, now):
    _action(
        cast,
        description="Fit a video doorbell.",
        status=Action.Status.DONE,
        completed_at=now,
        completed_by=cast.lead_worker,
        completion_note="Fitted on Tuesday.",
    )

    html = (
        client_for("advocate")
        .get(f"/cases/{cast.case.reference}/incidents/")
        .content.decode()
    )

    assert "Action agreed for Police A" in html
    assert "Action completed by Police A" in html
    assert "Fit a video doorbell." in html
    assert "Fitted on Tuesday." in html


def test_case_timeline_leaves_actions_out_for_readers_without_the_verb(
    cast, client_for
):
    _action(cast, description="Fit a video doorbell.")
    client = _with_purpose(client_for("auditor"), cast.case)

    html = client.get(f"/cases/{cast.case.reference}/incidents/").content.decode()

    assert "Fit a video doorbell." not in html
