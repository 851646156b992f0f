"""The closure pages: the checklist and request, the decision, reopening,
the closure with its follow-ups, and who may open each."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.cases import services
from masip.cases.models import (
    CaseStatus,
    ClosureRequest,
    OutcomeFollowUp,
)
from masip.cases.tests.closure_support import (
    action,
    ask_to_close,
    client_as,
    frozen_at,
    review,
    second_manager,
)
from masip.people.tests.factories import actor_for


def url(name, case, **kwargs):
    return reverse(f"cases:{name}", kwargs={"reference": case.reference, **kwargs})


def closure_url(name, closure):
    return url(name, closure.case, public_id=closure.public_id)


def request_data(**overrides):
    today = timezone.localdate()
    data = {
        "reason": "risk_reduced",
        "note": "No contact for six months; the panel agreed to close.",
        "victim_informed": "on",
        "victim_informed_how": "By phone, through the advocate.",
        "victim_informed_on_day": today.day,
        "victim_informed_on_month": today.month,
        "victim_informed_on_year": today.year,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def approved(cast):
    closure = ask_to_close(cast)
    services.closure_approve(actor=actor_for(cast.lead_manager), closure=closure)
    return closure


# Close the case -----------------------------------------------------------------


def test_close_page_shows_each_item_not_met_with_how_to_meet_it(cast, client_for):
    response = client_for("lead_worker").get(url("case-close", cast.case))

    assert response.status_code == 200
    html = response.text
    assert html.count("govuk-tag--red") == 2  # no risk review; victim not confirmed
    assert html.count("govuk-tag--green") == 1  # no actions
    assert "No risk assessment giving a level is recorded" in html
    assert reverse("risk:picture", kwargs={"reference": cast.case.reference}) in html
    assert 'href="#id_victim_informed"' in html
    assert "Send the request" in html


def test_close_page_names_open_actions(cast, client_for):
    action(cast.case, cast.lead_worker)
    review(cast.case, cast.lead_worker)

    response = client_for("lead_worker").get(url("case-close", cast.case))

    assert "1 action is still open" in response.text


def test_close_page_empty_post_rerenders_with_errors(cast, client_for):
    response = client_for("lead_worker").post(url("case-close", cast.case), {})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Select why the case can close." in response.text
    assert "Confirm that the victim has been told the case is closing." in response.text
    assert "Enter the date the victim was told." in response.text
    assert not ClosureRequest.objects.exists()


def test_close_page_refuses_a_future_date_keeping_the_input(cast, client_for):
    review(cast.case, cast.lead_worker)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_for("lead_worker").post(
        url("case-close", cast.case),
        request_data(
            victim_informed_on_day=tomorrow.day,
            victim_informed_on_month=tomorrow.month,
            victim_informed_on_year=tomorrow.year,
        ),
    )

    assert response.status_code == 200
    assert "must be today or in the past" in response.text
    assert "By phone, through the advocate." in response.text


def test_close_page_refuses_while_the_checklist_is_not_met(cast, client_for):
    response = client_for("lead_worker").post(
        url("case-close", cast.case), request_data()
    )

    assert response.status_code == 200
    assert "The case cannot close yet. Still needed: a final risk review." in (
        response.text
    )
    assert not ClosureRequest.objects.exists()


def test_close_page_sends_the_request(cast, client_for):
    review(cast.case, cast.lead_worker)

    response = client_for("lead_worker").post(
        url("case-close", cast.case), request_data()
    )

    closure = ClosureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == closure_url("closure-detail", closure)
    assert closure.is_pending
    assert closure.victim_informed_on == timezone.localdate()


def test_close_page_points_to_the_waiting_request(cast, client_for):
    closure = ask_to_close(cast)

    response = client_for("lead_manager").get(url("case-close", cast.case))

    assert "is waiting for a team manager of Police A" in response.text
    assert closure_url("closure-detail", closure) in response.text
    assert "Send the request" not in response.text


# The request and the decision ---------------------------------------------------


def test_request_page_offers_the_decision_to_another_manager(cast, client_for):
    closure = ask_to_close(cast)

    manager = client_for("lead_manager").get(closure_url("closure-detail", closure))
    requester = client_for("lead_worker").get(closure_url("closure-detail", closure))

    assert "Save the decision" in manager.text
    assert "Withdraw the request" not in manager.text
    assert "Save the decision" not in requester.text
    assert "Withdraw the request" in requester.text
    assert "By phone, through the advocate." in manager.text


def test_request_page_withholds_how_the_victim_was_told_from_probation(
    cast, client_for
):
    closure = ask_to_close(cast)

    response = client_for("partner_worker").get(closure_url("closure-detail", closure))

    assert response.status_code == 200
    assert "By phone, through the advocate." not in response.text
    assert "How the victim was told withheld" in response.text
    assert "Save the decision" not in response.text


def test_request_page_tells_the_requesting_manager_to_wait(cast, client_for):
    closure = ask_to_close(cast, by=cast.lead_manager)

    response = client_for("lead_manager").get(closure_url("closure-detail", closure))

    assert "another team manager of Police A must decide" in response.text
    assert "Save the decision" not in response.text


def test_decide_empty_post_rerenders_with_errors(cast, client_for):
    closure = ask_to_close(cast)

    response = client_for("lead_manager").post(closure_url("closure-decide", closure))

    assert response.status_code == 200
    assert "Select whether to approve or refuse the request." in response.text
    assert ClosureRequest.objects.get().is_pending


def test_decide_refusing_needs_a_note(cast, client_for):
    closure = ask_to_close(cast)

    response = client_for("lead_manager").post(
        closure_url("closure-decide", closure), {"decision": "refuse", "note": ""}
    )

    assert response.status_code == 200
    assert "Enter why you are refusing the request." in response.text


def test_decide_approve_closes_the_case(cast, client_for):
    client = client_for("lead_manager")
    with frozen_at(2026, 1, 31):
        closure = ask_to_close(cast)
        response = client.post(
            closure_url("closure-decide", closure), {"decision": "approve"}
        )
        page = client.get(response["Location"])

    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.CLOSED
    assert (
        "Case closed. Outcome follow-ups are due on 31 July 2026, 31 January 2027, "
        "31 January 2028." in page.text
    )


def test_decide_refuse_keeps_the_case_open(cast, client_for):
    closure = ask_to_close(cast)

    response = client_for("lead_manager").post(
        closure_url("closure-decide", closure),
        {"decision": "refuse", "note": "Wait for the order hearing."},
    )

    assert response.status_code == 302
    assert ClosureRequest.objects.get().status == ClosureRequest.Status.REFUSED
    cast.case.refresh_from_db()
    assert not cast.case.is_closed


def test_decide_by_the_requester_is_refused_four_eyes(cast, client_for):
    closure = ask_to_close(cast, by=cast.lead_manager)

    response = client_for("lead_manager").post(
        closure_url("closure-decide", closure), {"decision": "approve"}
    )

    assert response.status_code == 200
    assert "You asked for this case to close" in response.text
    cast.case.refresh_from_db()
    assert not cast.case.is_closed


def test_decide_second_manager_after_the_first_is_told_clearly(cast, client_for):
    other = second_manager(cast, "Casey Othermanager")
    closure = ask_to_close(cast)
    first, second = client_for("lead_manager"), client_as(other)
    # Both open the request while it waits, then both press the button.
    assert (
        "Save the decision" in second.get(closure_url("closure-detail", closure)).text
    )

    first.post(closure_url("closure-decide", closure), {"decision": "approve"})
    response = second.post(
        closure_url("closure-decide", closure),
        {"decision": "refuse", "note": "Not yet."},
    )

    assert response.status_code == 200
    assert "Lead Manager approved this request" in response.text
    assert "Your decision was not recorded." in response.text
    assert ClosureRequest.objects.get().status == ClosureRequest.Status.APPROVED
    assert OutcomeFollowUp.objects.count() == 3


def test_decide_is_forbidden_to_workers(cast, client_for):
    closure = ask_to_close(cast)

    for persona in ("lead_worker", "partner_worker"):
        response = client_for(persona).post(
            closure_url("closure-decide", closure), {"decision": "approve"}
        )
        assert response.status_code == 403
    cast.case.refresh_from_db()
    assert not cast.case.is_closed


def test_decide_get_goes_to_the_request_page(cast, client_for):
    closure = ask_to_close(cast)

    response = client_for("lead_manager").get(closure_url("closure-decide", closure))

    assert response.status_code == 302
    assert response["Location"] == closure_url("closure-detail", closure)


def test_withdraw_by_the_requester(cast, client_for):
    closure = ask_to_close(cast)

    response = client_for("lead_worker").post(closure_url("closure-withdraw", closure))

    assert response.status_code == 302
    assert ClosureRequest.objects.get().status == ClosureRequest.Status.WITHDRAWN


def test_withdraw_by_someone_else_is_refused_with_a_message(cast, client_for):
    closure = ask_to_close(cast)
    client = client_for("lead_manager")

    response = client.post(closure_url("closure-withdraw", closure))
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert "Only Lead Worker, who asked, can withdraw this request." in page.text
    assert ClosureRequest.objects.get().is_pending


def test_a_request_of_another_case_answers_404(cast, client_for):
    closure = ask_to_close(cast)
    wrong = reverse(
        "cases:closure-detail",
        kwargs={"reference": cast.other_case.reference, "public_id": closure.public_id},
    )

    response = client_for("outsider").get(wrong)

    assert response.status_code == 404


def test_an_unknown_request_answers_404(cast, client_for):
    response = client_for("lead_worker").get(
        reverse(
            "cases:closure-detail",
            kwargs={
                "reference": cast.case.reference,
                "public_id": "00000000-0000-0000-0000-000000000000",
            },
        )
    )

    assert response.status_code == 404


# The status page no longer closes ----------------------------------------------


def test_status_page_offers_no_closing_and_points_to_the_request(cast, client_for):
    response = client_for("lead_manager").get(url("case-status", cast.case))

    assert 'value="closed"' not in response.text
    assert url("case-close", cast.case) in response.text


def test_status_page_refuses_closed_as_a_status(cast, client_for):
    response = client_for("lead_manager").post(
        url("case-status", cast.case),
        {"to_status": "closed", "closure_reason": "risk_reduced"},
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text
    cast.case.refresh_from_db()
    assert not cast.case.is_closed


def test_status_page_of_a_closed_case_points_to_reopening(cast, client_for):
    approved(cast)

    response = client_for("lead_worker").get(url("case-status", cast.case))

    assert 'name="to_status"' not in response.text
    assert url("case-reopen", cast.case) in response.text


# Reopening ---------------------------------------------------------------------


def test_reopen_empty_post_rerenders_with_errors(cast, client_for):
    approved(cast)

    response = client_for("lead_worker").post(url("case-reopen", cast.case), {})

    assert response.status_code == 200
    assert "Enter why the case is being reopened." in response.text
    cast.case.refresh_from_db()
    assert cast.case.is_closed


def test_reopen_warns_of_and_cancels_the_pending_follow_ups(cast, client_for):
    approved(cast)
    client = client_for("lead_worker")

    page = client.get(url("case-reopen", cast.case))
    response = client.post(
        url("case-reopen", cast.case), {"reason": "The victim reported new contact."}
    )

    assert "(6 months, 12 months, 24 months) will be cancelled" in page.text
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.ACTIVE
    assert set(OutcomeFollowUp.objects.values_list("status", flat=True)) == {
        "cancelled"
    }


def test_reopen_an_open_case_says_there_is_nothing_to_reopen(cast, client_for):
    client = client_for("lead_worker")

    page = client.get(url("case-reopen", cast.case))
    response = client.post(url("case-reopen", cast.case), {"reason": "Why not."})

    assert "nothing to reopen" in page.text
    assert response.status_code == 200
    assert "The case is not closed." in response.text


# The closure and its follow-ups -------------------------------------------------


def test_closure_page_shows_who_approved_and_the_follow_ups(cast, client_for):
    with frozen_at(2025, 8, 31):
        approved(cast)

    response = client_for("partner_worker").get(url("case-closure", cast.case))

    html = response.text
    assert response.status_code == 200
    assert "Risk reduced" in html
    assert "Approved by" in html
    assert "Lead Manager" in html
    assert "28 February 2026" in html
    assert "31 August 2027" in html
    assert html.count("follow-ups/") == 3  # partner workers may record them


def test_case_page_links_to_close_then_to_reopen(cast, client_for):
    client = client_for("lead_worker")

    before = client.get(url("case-detail", cast.case)).text
    approved(cast)
    after = client.get(url("case-detail", cast.case)).text

    assert url("case-close", cast.case) in before
    assert url("case-reopen", cast.case) not in before
    assert url("case-reopen", cast.case) in after
    assert url("case-closure", cast.case) in after


def test_closure_page_runs_the_same_queries_for_2_or_20_rows(cast, client_for):
    client = client_for("lead_worker")

    def rows(count):
        for _ in range(count):
            closure = ask_to_close(cast)
            services.closure_refuse(
                actor=actor_for(cast.lead_manager), closure=closure, reason="No."
            )

    def queries() -> int:
        client.get(url("case-closure", cast.case))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("case-closure", cast.case))
        assert response.status_code == 200
        return len(captured)

    rows(2)
    approved(cast)
    few = queries()
    services.case_reopen(
        actor=actor_for(cast.lead_worker), case=cast.case, reason="New incident."
    )
    rows(17)
    approved(cast)
    many = queries()

    assert ClosureRequest.objects.count() == 21
    assert OutcomeFollowUp.objects.count() == 6
    assert few == many


def test_follow_up_page_before_it_is_due_has_no_form(cast, client_for):
    with frozen_at(2025, 1, 10):
        approved(cast)
    six = OutcomeFollowUp.objects.get(months=6)
    page_url = url("follow-up-record", cast.case, public_id=six.public_id)

    with frozen_at(2025, 7, 9):
        response = client_for("lead_worker").get(page_url)

    assert "can be recorded from 10 July 2025" in response.text
    assert "Record the follow-up" not in response.text


def test_follow_up_page_records_the_answers(cast, client_for):
    with frozen_at(2025, 1, 10):
        approved(cast)
    six = OutcomeFollowUp.objects.get(months=6)
    page_url = url("follow-up-record", cast.case, public_id=six.public_id)
    client = client_for("lead_worker")

    with frozen_at(2025, 7, 10):
        empty = client.post(page_url, {})
        response = client.post(
            page_url,
            {
                "new_report_same_victim": "no",
                "new_report_new_victim": "not_known",
                "order_breaches": "yes",
                "note": "Police records checked.",
            },
        )

    assert empty.status_code == 200
    assert "Select whether any orders were breached, or not known." in empty.text
    assert response.status_code == 302
    assert response["Location"] == url("case-closure", cast.case)
    six.refresh_from_db()
    assert (six.status, six.order_breaches) == ("done", "yes")


def test_follow_up_of_another_case_answers_404(cast, client_for):
    approved(cast)
    six = OutcomeFollowUp.objects.get(months=6)

    response = client_for("outsider").get(
        url("follow-up-record", cast.other_case, public_id=six.public_id)
    )

    assert response.status_code == 404


# Who may open what ---------------------------------------------------------------


CLOSURE_PAGES = (
    "case-close",
    "case-closure",
    "case-reopen",
    "closure-detail",
    "closure-decide",
    "closure-withdraw",
    "follow-up-record",
)


def _page(name, cast, closure, follow_up):
    if name.startswith("closure-"):
        return closure_url(name, closure)
    if name == "follow-up-record":
        return url(name, cast.case, public_id=follow_up.public_id)
    return url(name, cast.case)


@pytest.mark.parametrize("name", CLOSURE_PAGES)
def test_outsider_gets_404_on_every_closure_page(cast, client_for, name):
    closure = approved(cast)
    follow_up = OutcomeFollowUp.objects.first()
    client = client_for("outsider")
    path = _page(name, cast, closure, follow_up)

    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_coordinator_reads_the_closure_but_cannot_ask_to_close(cast, client_for):
    from masip.access.actors import PURPOSE_SESSION_PREFIX

    client = client_for("panel_coordinator")
    session = client.session
    session[PURPOSE_SESSION_PREFIX + cast.case.reference] = "Preparing the agenda."
    session.save()

    assert client.get(url("case-closure", cast.case)).status_code == 200
    assert client.get(url("case-close", cast.case)).status_code == 403
