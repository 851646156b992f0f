"""Referral pages end to end: making one, the referrer's pages, triage."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from masip.accounts.models import Notification
from masip.audit.models import AuditEvent
from masip.cases.models import Case, CaseShare, CaseStaffInvolvement, CaseStatus
from masip.people.tests.factories import actor_for
from masip.referrals import services
from masip.referrals.models import Referral, ReferralQuestion, ReferralStatus
from masip.referrals.tests.factories import referral_from

pytestmark = pytest.mark.django_db
NEW = reverse("referrals:new")
MINE = reverse("referrals:mine")
TRIAGE = reverse("referrals:triage")


def _form(cast, **extra):
    data = {
        "site": str(cast.police_a.site.pk),
        "source": "police",
        "urgency": "urgent",
        "reason": "Daily messages and waiting outside the victim's work.",
        "actions_taken": "Crime report made; safety advice given.",
        "consent": "given",
        "consent_reason": "The victim asked for help.",
        "victim_given_name": "Avery",
        "victim_family_name": "Testvictim",
        "victim_date_of_birth_day": "",
        "victim_date_of_birth_month": "",
        "victim_date_of_birth_year": "",
        "perpetrator_given_name": "Sol",
        "perpetrator_family_name": "Testnewperp",
        "perpetrator_date_of_birth_day": "3",
        "perpetrator_date_of_birth_month": "2",
        "perpetrator_date_of_birth_year": "1980",
        "perpetrator_aliases": "Solly Testnewperp\nS Testnewperp",
        "perpetrator_phone": "07700 900555",
        "perpetrator_email": "",
        "perpetrator_social_media": "",
        "perpetrator_vehicle": "",
    }
    data.update(extra)
    return data


def _page(response):
    return response.content.decode()


def _events(event_type):
    return AuditEvent.objects.filter(event_type=event_type)


# Making a referral ------------------------------------------------------------


def test_the_form_preselects_the_source_from_the_referrers_agency(cast, client_for):
    page = _page(client_for("clinician").get(NEW))

    assert 'value="health" checked' in page
    assert "Site A" in page
    assert "Site B" in page


def test_a_referral_is_checked_with_its_matches_then_sent(cast, client_for):
    client = client_for("outsider")  # Police B: Avery's case is not theirs

    check = client.post(NEW, _form(cast))

    page = _page(check)
    assert check.status_code == 200
    assert "Check your answers before sending the referral" in page
    assert "A possible match exists on a case led by Police A." in page
    assert cast.case.reference not in page
    assert Referral.objects.count() == 0
    assert _events("referral.matches_shown").get().target_type == "referral_draft"

    done = client.post(NEW, _form(cast, confirm="1"))

    referral = Referral.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("referrals:detail", args=[referral.public_id])
    assert referral.referring_agency == cast.police_b
    assert referral.perpetrator_date_of_birth == dt.date(1980, 2, 3)
    assert referral.alias_list == ["Solly Testnewperp", "S Testnewperp"]
    assert referral.identifiers.get().value == "07700 900555"
    notice = Notification.objects.get(recipient=cast.panel_coordinator)
    assert notice.message == "A referral is waiting for triage (urgent)."


def test_the_check_page_names_an_in_reach_match_with_a_link(cast, client_for):
    page = _page(client_for("lead_worker").post(NEW, _form(cast)))

    assert "Avery Testvictim" in page
    assert f'href="/cases/{cast.case.reference}/"' in page
    assert "Same name" in page


def test_change_your_answers_keeps_what_was_typed(cast, client_for):
    response = client_for("lead_worker").post(NEW, _form(cast, change="1"))

    page = _page(response)
    assert response.status_code == 200
    assert "Make a referral" in page
    assert 'value="Testnewperp"' in page
    assert "Solly Testnewperp" in page
    assert Referral.objects.count() == 0


def test_an_empty_referral_form_is_shown_again_with_errors(cast, client_for):
    response = client_for("lead_worker").post(NEW, {})

    page = _page(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Select the programme you are referring to.",
        "Select how urgent the referral is.",
        "Enter why you are making the referral.",
        "Enter what you have already done.",
        "Select whether the victim consented to the referral.",
        "Enter the reason for the consent answer.",
        "Enter the victim&#x27;s given name.",
    ):
        assert message in page, message
    assert Referral.objects.count() == 0


def test_bad_dates_and_email_are_refused_and_the_rest_kept(cast, client_for):
    data = _form(
        cast,
        perpetrator_date_of_birth_day="31",
        perpetrator_date_of_birth_month="2",
        perpetrator_email="not-an-email",
        victim_date_of_birth_day="1",
        victim_date_of_birth_month="1",
        victim_date_of_birth_year="2200",
        confirm="1",
    )

    page = _page(client_for("lead_worker").post(NEW, data))

    assert "Enter a real date." in page
    assert "The date of birth must be in the past." in page
    assert "Enter an email address in the correct format" in page
    assert 'value="Testnewperp"' in page
    assert Referral.objects.count() == 0


def test_a_site_off_the_list_is_refused(cast, client_for):
    page = _page(client_for("lead_worker").post(NEW, _form(cast, site="999999")))

    assert "Select a valid choice" in page or "Select the programme" in page
    assert Referral.objects.count() == 0


def test_people_without_the_verb_cannot_refer(cast, client_for):
    for persona in ("panel_coordinator", "analyst", "auditor"):
        assert client_for(persona).get(NEW).status_code == 403


# The referrer's pages ---------------------------------------------------------------


def test_my_referrals_lists_only_the_users_own(cast, client_for):
    mine = referral_from(cast)
    theirs = referral_from(cast, user=cast.lead_manager)

    page = _page(client_for("lead_worker").get(MINE))

    assert mine.short_reference in page
    assert theirs.short_reference not in page
    assert _events("referral.list_viewed").get().target_type == "my_referrals"


def test_my_referrals_runs_a_constant_number_of_queries(cast, client_for):
    client = client_for("lead_worker")
    for _ in range(2):
        referral_from(cast)
    client.get(MINE)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    for _ in range(18):
        referral_from(cast)
    with CaptureQueriesContext(connection) as many:
        client.get(MINE)

    assert len(few) == len(many)


def test_the_referrer_reads_their_referral_and_its_decision(cast, client_for):
    referral = referral_from(cast)
    services.referral_decline(
        actor=actor_for(cast.panel_coordinator),
        referral=referral,
        reason="Please refer to the local authority instead.",
    )

    response = client_for("lead_worker").get(
        reverse("referrals:detail", args=[referral.public_id])
    )

    page = _page(response)
    assert response.status_code == 200
    assert "Declined" in page
    assert "Please refer to the local authority instead." in page
    assert referral.victim_given_name in page
    assert _events("referral.viewed").get().target_id == str(referral.public_id)


def test_anyone_but_the_referrer_gets_404_for_a_referral(cast, client_for):
    referral = referral_from(cast)
    paths = [
        reverse("referrals:detail", args=[referral.public_id]),
        reverse("referrals:answer", args=[referral.public_id]),
    ]
    missing = reverse("referrals:detail", args=[uuid.uuid4()])

    for persona in ("lead_manager", "outsider", "helpline_adviser"):
        client = client_for(persona)
        for path in paths:
            assert client.get(path).status_code == 404, (persona, path)
        assert client.post(paths[1], {"answer": "x"}).status_code == 404
        assert client.get(missing).status_code == 404


def test_the_referrer_answers_a_question(cast, client_for):
    referral = referral_from(cast)
    services.referral_request_info(
        actor=actor_for(cast.panel_coordinator),
        referral=referral,
        question="Has the victim moved?",
    )
    client = client_for("lead_worker")
    url = reverse("referrals:answer", args=[referral.public_id])

    form = client.get(url)
    empty = client.post(url, {})
    done = client.post(url, {"answer": "Yes, last week."})

    assert "Has the victim moved?" in _page(form)
    assert "Enter your answer." in _page(empty)
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    assert referral.info_response == "Yes, last week."


def test_answering_when_nothing_was_asked_says_so(cast, client_for):
    referral = referral_from(cast)
    client = client_for("lead_worker")
    url = reverse("referrals:answer", args=[referral.public_id])

    shown = client.get(url)
    posted = client.post(url, {"answer": "Unasked."})

    assert "No question is waiting for your answer" in _page(shown)
    assert posted.status_code == 200
    assert "No question is waiting for your answer" in _page(posted)


# Triage -----------------------------------------------------------------------


def test_the_queue_shows_due_times_and_overdue_tags(cast, client_for, frozen_clock):
    now = frozen_clock(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC))
    late = referral_from(
        cast, urgency="urgent", received_at=now - dt.timedelta(hours=30)
    )
    fresh = referral_from(cast, received_at=now - dt.timedelta(hours=2))
    elsewhere = referral_from(cast, site=cast.police_b.site)

    page = _page(client_for("panel_coordinator").get(TRIAGE))

    assert page.index(late.short_reference) < page.index(fresh.short_reference)
    assert elsewhere.short_reference not in page
    assert "1 June 2026 at 7am" in page  # late: received 31 May 7am BST, +24h
    assert page.count('govuk-tag--red">Overdue') == 1
    frozen_clock(now + dt.timedelta(days=3))
    later = _page(client_for("panel_coordinator").get(TRIAGE))
    assert later.count('govuk-tag--red">Overdue') == 2


def test_the_queue_lists_accepted_cases_overdue_for_screening(
    cast, client_for, frozen_clock
):
    now = frozen_clock(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC))
    referral = referral_from(
        cast,
        status=ReferralStatus.ACCEPTED,
        case_reference=cast.case.reference,
        triaged_by=cast.panel_coordinator,
        triaged_at=now - dt.timedelta(days=11),
    )

    page = _page(client_for("panel_coordinator").get(TRIAGE))

    section = page[page.index("Accepted, not yet screened") :]
    assert cast.case.reference in section
    assert referral.short_reference in section
    assert "Overdue" in section


def test_the_queue_runs_a_constant_number_of_queries(cast, client_for):
    client = client_for("panel_coordinator")

    def fill(count):
        for i in range(count):
            referral_from(cast, urgency="urgent" if i % 2 else "routine")
            referral_from(cast, status=ReferralStatus.MORE_INFO)
            referral_from(
                cast,
                status=ReferralStatus.ACCEPTED,
                case_reference=cast.case.reference,
                triaged_by=cast.panel_coordinator,
                triaged_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            )

    fill(2)
    client.get(TRIAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(TRIAGE)
    fill(18)
    with CaptureQueriesContext(connection) as many:
        client.get(TRIAGE)

    assert len(few) == len(many)


def test_the_triage_page_shows_the_referral_and_its_matches(cast, client_for):
    referral = referral_from(
        cast, victim_given_name="Avery", victim_family_name="Testvictim"
    )

    response = client_for("panel_coordinator").get(
        reverse("referrals:triage-detail", args=[referral.public_id])
    )

    page = _page(response)
    assert response.status_code == 200
    assert escape(referral.reason) in page
    assert "Possible matches on record" in page
    assert f"/cases/{cast.case.reference}/" in page
    assert _events("referral.viewed").exists()
    assert _events("referral.matches_shown").get().target_id == str(referral.public_id)


def test_triage_pages_answer_404_outside_the_coordinators_site(cast, client_for):
    referral = referral_from(cast, user=cast.outsider, site=cast.police_b.site)
    client = client_for("panel_coordinator")

    for name in ("triage-detail", "accept", "decline", "request-info"):
        url = reverse(f"referrals:{name}", args=[referral.public_id])
        assert client.get(url).status_code == 404, name
        if name != "triage-detail":  # a page with no form: 405 to everyone
            assert client.post(url, {}).status_code == 404, name


def test_triage_pages_are_forbidden_without_the_verb(cast, client_for):
    referral = referral_from(cast)

    for persona in ("lead_worker", "lead_manager", "outsider", "auditor"):
        client = client_for(persona)
        url = reverse("referrals:triage-detail", args=[referral.public_id])
        assert client.get(TRIAGE).status_code == 403
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ["accept", "decline", "request-info"])
def test_an_empty_decision_is_shown_again_with_errors(cast, client_for, name):
    referral = referral_from(cast)
    url = reverse(f"referrals:{name}", args=[referral.public_id])

    response = client_for("panel_coordinator").post(url, {})

    assert response.status_code == 200
    assert "There is a problem" in _page(response)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_accepting_opens_a_case_and_returns_to_the_queue(cast, client_for):
    referral = referral_from(cast)
    url = reverse("referrals:accept", args=[referral.public_id])
    client = client_for("panel_coordinator")

    form = _page(client.get(url))
    response = client.post(
        url,
        {
            "route": "new",
            "lead_agency": str(cast.police_a.pk),
            "agencies": [str(cast.probation_a.pk), str(cast.nhs_a.pk)],
            "lawful_basis": "public_task",
        },
    )

    assert f'value="{cast.police_a.pk}" checked' in form  # the referrer's agency
    assert response.status_code == 302
    assert response["Location"] == TRIAGE
    referral.refresh_from_db()
    case = Case.objects.get(reference=referral.case_reference)
    assert case.status == CaseStatus.ACCEPTED
    assert set(
        CaseShare.objects.filter(case=case).values_list("agency", flat=True)
    ) == {
        cast.probation_a.pk,
        cast.nhs_a.pk,
    }
    followed = client.get(TRIAGE)
    assert f"accepted into case {case.reference}" in _page(followed)


def test_accepting_into_a_case_out_of_reach_is_refused_without_telling(
    cast, client_for
):
    referral = referral_from(cast)
    url = reverse("referrals:accept", args=[referral.public_id])
    client = client_for("panel_coordinator")

    for reference in (cast.other_case.reference, "STK-0000-0000"):
        response = client.post(
            url, {"route": "existing", "case_reference": reference.lower()}
        )
        assert response.status_code == 200
        assert "No case with that reference is open to you." in _page(response)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_accepting_into_a_blocked_case_is_audited_and_refused(cast, client_for):
    from masip.accounts.tests.factories import MembershipFactory

    # The coordinator also works for Police A: its staff-involved case is closed.
    MembershipFactory(
        user=cast.panel_coordinator, agency=cast.police_a, role="case_worker"
    )
    CaseStaffInvolvement.objects.create(
        case=cast.case,
        agency=cast.police_a,
        reason="The suspect is a serving officer.",
        marked_by=cast.lead_manager,
    )
    referral = referral_from(cast)
    url = reverse("referrals:accept", args=[referral.public_id])

    response = client_for("panel_coordinator").post(
        url, {"route": "existing", "case_reference": cast.case.reference}
    )

    assert "No case with that reference is open to you." in _page(response)
    assert _events("case.staff_involved_blocked").exists()


def test_accepting_into_an_existing_case(cast, client_for):
    referral = referral_from(cast)
    url = reverse("referrals:accept", args=[referral.public_id])

    response = client_for("panel_coordinator").post(
        url, {"route": "existing", "case_reference": cast.case.reference}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.case_reference == cast.case.reference


def test_a_decision_on_a_decided_referral_is_a_clear_message(cast, client_for):
    referral = referral_from(cast)
    services.referral_decline(
        actor=actor_for(cast.panel_coordinator), referral=referral, reason="No."
    )
    client = client_for("panel_coordinator")

    for name in ("accept", "decline", "request-info"):
        url = reverse(f"referrals:{name}", args=[referral.public_id])
        shown, posted = client.get(url), client.post(url, {"reason": "Again."})
        for response in (shown, posted):
            assert response.status_code == 200, name
            assert "This referral was already declined." in _page(response)


def test_two_coordinators_deciding_at_once_the_second_is_told(cast, client_for):
    referral = referral_from(cast)
    client = client_for("panel_coordinator")
    url = reverse("referrals:decline", args=[referral.public_id])
    # The first decision lands between the second coordinator's page load and
    # their service call (the view loads the referral, then the service locks).
    original = services.referral_decline

    def first_wins(**kwargs):
        original(
            actor=actor_for(cast.panel_coordinator),
            referral=kwargs["referral"],
            reason="First decision.",
        )
        return original(**kwargs)

    import masip.referrals.views as views

    views.services.referral_decline = first_wins
    try:
        response = client.post(url, {"reason": "Second decision."})
    finally:
        views.services.referral_decline = original

    assert response.status_code == 200
    assert "This referral was already declined." in _page(response)
    referral.refresh_from_db()
    assert referral.decision_reason == "First decision."


def test_asking_for_more_information(cast, client_for):
    referral = referral_from(cast)
    url = reverse("referrals:request-info", args=[referral.public_id])

    response = client_for("panel_coordinator").post(
        url, {"question": "Is there a crime reference?"}
    )

    assert response.status_code == 302
    assert ReferralQuestion.objects.get().question == "Is there a crime reference?"
    page = _page(
        client_for("lead_worker").get(
            reverse("referrals:detail", args=[referral.public_id])
        )
    )
    assert "Is there a crime reference?" in page
    assert "Answer the question" in page
