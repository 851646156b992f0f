"""Case pages: lists, the summary and the forms that change a case."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.accounts.models import Notification
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import Case, CaseShare, CaseStatus
from masip.cases.tests.factories import CaseFactory
from masip.people.models import PersonAlias


def case_url(name, case, **kwargs):
    return reverse(f"cases:{name}", kwargs={"reference": case.reference, **kwargs})


def date_fields(name, day):
    return {
        f"{name}_day": day.day,
        f"{name}_month": day.month,
        f"{name}_year": day.year,
    }


# My cases and the case list ----------------------------------------------------


def test_my_cases_lists_allocated_cases_only(cast, client_for):
    CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    response = client_for("lead_worker").get(reverse("cases:my-cases"))

    assert response.status_code == 200
    assert list(response.context["cases"]) == [cast.case]
    assert "Avery Testvictim" in response.text


def test_my_cases_empty_for_unallocated_worker(cast, client_for):
    response = client_for("partner_worker").get(reverse("cases:my-cases"))

    assert "No cases are allocated to you" in response.text


def test_case_list_shows_visible_cases_only(cast, client_for):
    response = client_for("lead_worker").get(reverse("cases:case-list"))

    assert cast.case.reference in response.text
    assert cast.other_case.reference not in response.text


@pytest.mark.parametrize(
    "query",
    ["{ref}", "{ref_lower_prefix}", "testvictim", "Avery Testvictim", "Shadow"],
)
def test_case_list_search_by_reference_or_name(cast, client_for, query):
    PersonAlias.objects.create(person=cast.perpetrator, name="The Shadow")
    CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    q = query.format(
        ref=cast.case.reference, ref_lower_prefix=cast.case.reference[:6].lower()
    )

    response = client_for("lead_worker").post(
        reverse("cases:case-list"), {"q": q}, follow=True
    )

    assert [c.reference for c in response.context["page"]] == [cast.case.reference]
    assert all(q not in url for url, _ in response.redirect_chain)


def test_case_list_filters_by_status_risk_and_agency(cast, client_for):
    screening = CaseFactory(
        lead_agency=cast.police_a, created_by=cast.lead_worker, status="screening"
    )
    client = client_for("lead_worker")

    by_status = client.get(reverse("cases:case-list"), {"status": "screening"})
    by_risk = client.get(reverse("cases:case-list"), {"risk_level": "high"})
    by_agency = client.get(
        reverse("cases:case-list"), {"lead_agency": cast.police_a.pk}
    )

    assert list(by_status.context["page"]) == [screening]
    assert list(by_risk.context["page"]) == []
    assert {c.pk for c in by_agency.context["page"]} == {cast.case.pk, screening.pk}


def test_case_list_sorts_by_whitelisted_keys(cast, client_for):
    high = CaseFactory(
        lead_agency=cast.police_a, created_by=cast.lead_worker, risk_level="high"
    )
    client = client_for("lead_worker")

    descending = client.get(reverse("cases:case-list"), {"sort": "-risk"})
    ascending = client.get(reverse("cases:case-list"), {"sort": "risk"})

    assert list(descending.context["page"]) == [high, cast.case]
    assert list(ascending.context["page"]) == [cast.case, high]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "summary"},
        {"sort": "-password"},
        {"status": "nonsense"},
        {"lead_agency": "abc"},
        {"page": "999"},
        {"page": "x"},
    ],
)
def test_case_list_ignores_bad_input(cast, client_for, params):
    response = client_for("lead_worker").get(reverse("cases:case-list"), params)

    assert response.status_code == 200
    assert cast.case in list(response.context["page"])


def test_case_list_paginates(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 1
    CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    client = client_for("lead_worker")

    first = client.get(reverse("cases:case-list"))
    second = client.get(reverse("cases:case-list") + first.context["page"].next_href)

    assert 'aria-label="Pages of cases"' in first.text
    assert len({*first.context["page"], *second.context["page"]}) == 2
    assert second.context["page"].has_previous
    assert not second.context["page"].has_next


def test_case_list_says_more_than_the_count_limit(
    cast, client_for, settings, monkeypatch
):
    from masip.cases.views import lists

    monkeypatch.setattr(lists, "COUNT_LIMIT", 1)
    CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    response = client_for("lead_worker").get(reverse("cases:case-list"))

    assert "More than 1 cases found." in response.text


# Creating a case ---------------------------------------------------------------


def create_data(cast, **overrides):
    return {
        "lead_agency": cast.police_a.pk,
        "summary": "Messages and gifts left at work.",
        "relationship_type": "ex_partner",
        "referral_source": "police",
        **date_fields("referred_on", timezone.localdate()),
        **overrides,
    }


def test_case_create_offers_own_agency_to_a_worker(cast, client_for):
    response = client_for("lead_worker").get(reverse("cases:case-create"))

    assert list(response.context["form"].fields["lead_agency"].queryset) == [
        cast.police_a
    ]


def test_case_create_offers_local_agencies_to_helpline(cast, client_for):
    response = client_for("helpline_adviser").get(reverse("cases:case-create"))

    agencies = set(response.context["form"].fields["lead_agency"].queryset)
    assert {cast.police_a, cast.police_b, cast.nhs_a} <= agencies
    assert cast.helpline not in agencies


def test_case_create_post_creates_and_redirects(cast, client_for):
    response = client_for("lead_worker").post(
        reverse("cases:case-create"), create_data(cast)
    )

    case = Case.objects.exclude(pk__in=[cast.case.pk, cast.other_case.pk]).get()
    assert response.status_code == 302
    assert response.url == case_url("case-detail", case)
    assert case.summary == "Messages and gifts left at work."


def test_case_create_refuses_agency_not_offered(cast, client_for):
    response = client_for("lead_worker").post(
        reverse("cases:case-create"), create_data(cast, lead_agency=cast.police_b.pk)
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert Case.objects.count() == 2


def test_case_create_shows_errors_and_keeps_input(cast, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = create_data(cast, summary="", **date_fields("referred_on", tomorrow))

    response = client_for("lead_worker").post(reverse("cases:case-create"), data)

    assert "Enter a summary of the case." in response.text
    assert "must be today or in the past" in response.text
    assert 'value="ex_partner" checked' in response.text


def test_case_create_forbidden_without_verb(cast, client_for):
    response = client_for("auditor").get(reverse("cases:case-create"))

    assert response.status_code == 403


# The case summary --------------------------------------------------------------


def test_case_detail_shows_summary_and_records_view(cast, client_for):
    response = client_for("lead_manager").get(case_url("case-detail", cast.case))

    assert response.status_code == 200
    person_url = reverse(
        "people:person-detail",
        kwargs={"reference": cast.case.reference, "public_id": cast.victim.public_id},
    )
    assert person_url in response.text
    assert "Blake Testperp" in response.text
    assert "Probation A" in response.text
    assert case_url("case-share", cast.case) in response.text
    [event] = AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED)
    assert event.case_reference == cast.case.reference


def test_case_detail_hides_actions_without_verb(cast, client_for):
    response = client_for("partner_worker").get(case_url("case-detail", cast.case))

    assert response.status_code == 200
    assert case_url("case-share", cast.case) not in response.text
    assert case_url("case-allocate", cast.case) not in response.text
    assert case_url("case-edit", cast.case) in response.text


# Editing, with protection against lost updates ---------------------------------


def edit_data(case, **overrides):
    return {
        "summary": case.summary,
        "relationship_type": case.relationship_type,
        "referral_source": case.referral_source,
        **date_fields("referred_on", case.referred_on),
        "version": case.version,
        **overrides,
    }


def test_case_edit_saves_and_redirects(cast, client_for):
    response = client_for("lead_worker").post(
        case_url("case-edit", cast.case), edit_data(cast.case, summary="Updated.")
    )

    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert (cast.case.summary, cast.case.version) == ("Updated.", 2)


def test_case_edit_conflict_shows_both_versions_and_keeps_input(cast, client_for):
    opened = edit_data(cast.case, summary="My careful rewrite of the summary.")
    client_for("lead_manager").post(
        case_url("case-edit", cast.case), edit_data(cast.case, summary="Their summary.")
    )
    client = client_for("lead_worker")

    response = client.post(case_url("case-edit", cast.case), opened)

    assert response.status_code == 200
    assert "masip-conflict" in response.text
    assert "Their version" in response.text
    assert "Their summary." in response.text
    assert "My careful rewrite of the summary." in response.text
    assert 'name="version" value="2"' in response.text
    cast.case.refresh_from_db()
    assert cast.case.summary == "Their summary."
    resubmit = client.post(case_url("case-edit", cast.case), {**opened, "version": 2})
    assert resubmit.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.summary == "My careful rewrite of the summary."


# Status and risk ---------------------------------------------------------------


def test_case_status_moves_case_on(cast, client_for):
    response = client_for("lead_worker").post(
        case_url("case-status", cast.case), {"to_status": "screening", "reason": ""}
    )

    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.SCREENING


def test_case_status_offers_closing_to_no_one(cast, client_for):
    # Closing is a request that a second manager approves (test_closure_views).
    worker = client_for("lead_worker").get(case_url("case-status", cast.case))
    manager = client_for("lead_manager").get(case_url("case-status", cast.case))

    assert 'value="closed"' not in worker.text
    assert 'value="closed"' not in manager.text


def test_case_status_refuses_closed_from_a_manager(cast, client_for):
    response = client_for("lead_manager").post(
        case_url("case-status", cast.case),
        {"to_status": "closed", "closure_reason": "risk_reduced"},
    )

    assert response.status_code == 200
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.REFERRED


def test_case_risk_changes_level(cast, client_for):
    response = client_for("lead_worker").post(
        case_url("case-risk", cast.case),
        {"risk_level": "medium", "reason": "Screening completed."},
    )

    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.risk_level == "medium"


def test_case_risk_requires_reason(cast, client_for):
    response = client_for("lead_worker").post(
        case_url("case-risk", cast.case), {"risk_level": "medium"}
    )

    assert "Enter why the risk level is changing." in response.text


# Allocation and sharing --------------------------------------------------------


def test_case_allocate_lists_workers_and_allocates(cast, client_for):
    client = client_for("lead_manager")
    page = client.get(case_url("case-allocate", cast.case))
    assert "Partner Worker (Probation A)" in page.text
    assert "Outsider" not in page.text

    response = client.post(
        case_url("case-allocate", cast.case), {"worker": cast.partner_worker.pk}
    )

    assert response.status_code == 302
    assert cast.case.allocations.filter(user=cast.partner_worker).exists()
    assert Notification.objects.filter(recipient=cast.partner_worker).exists()


def test_allocation_end_removes_worker(cast, client_for):
    allocation = cast.case.allocations.get()

    response = client_for("lead_manager").post(
        case_url("allocation-end", cast.case, pk=allocation.pk)
    )

    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.ended_at is not None


def test_allocation_end_of_another_case_is_404(cast, client_for):
    other = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    foreign = other.allocations.create(
        user=cast.lead_worker, agency=cast.police_a, allocated_by=cast.lead_manager
    )

    response = client_for("lead_manager").post(
        case_url("allocation-end", cast.case, pk=foreign.pk)
    )

    assert response.status_code == 404


def share_data(cast, **overrides):
    return {
        "agency": cast.police_b.pk,
        "reason": "Perpetrator has moved to their area.",
        "lawful_basis": "law_enforcement",
        "compartments": ["police_intel"],
        **date_fields("expires_on", timezone.localdate() + dt.timedelta(days=60)),
        **overrides,
    }


def test_case_share_offers_only_compartments_the_sharer_sees(cast, client_for):
    response = client_for("lead_manager").get(case_url("case-share", cast.case))

    assert 'value="police_intel"' in response.text
    assert 'value="victim_contact"' in response.text
    assert 'value="health"' not in response.text
    agencies = set(response.context["form"].fields["agency"].queryset)
    assert cast.police_b in agencies
    assert cast.police_a not in agencies
    assert cast.probation_a not in agencies


def test_case_share_creates_share(cast, client_for):
    response = client_for("lead_manager").post(
        case_url("case-share", cast.case), share_data(cast)
    )

    assert response.status_code == 302
    created = CaseShare.objects.get(agency=cast.police_b)
    assert created.compartments == ["police_intel"]


def test_case_share_refuses_a_compartment_not_offered(cast, client_for):
    response = client_for("lead_manager").post(
        case_url("case-share", cast.case), share_data(cast, compartments=["health"])
    )

    assert response.status_code == 200
    assert not CaseShare.objects.filter(agency=cast.police_b).exists()


def test_case_share_refuses_expiry_beyond_a_year(cast, client_for):
    late = timezone.localdate() + dt.timedelta(days=400)
    data = share_data(cast, **date_fields("expires_on", late))

    response = client_for("lead_manager").post(case_url("case-share", cast.case), data)

    assert "within one year" in response.text


def test_share_revoke_stops_sharing(cast, client_for):
    existing = CaseShare.objects.get(case=cast.case, agency=cast.probation_a)

    response = client_for("lead_manager").post(
        case_url("share-revoke", cast.case, pk=existing.pk)
    )

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.revoked_at is not None
    gone = client_for("partner_worker").get(case_url("case-detail", cast.case))
    assert gone.status_code == 404


# Notes -------------------------------------------------------------------------

HEALTH_TEXT = "Clinical note: sealed health text."
INTEL_TEXT = "Intelligence: sealed police text."


@pytest.mark.parametrize(
    ("persona", "sees_health", "sees_intel"),
    [
        ("lead_worker", False, True),
        ("clinician", True, False),
        ("partner_worker", False, False),
        ("advocate", False, False),
    ],
)
def test_note_list_shows_sealed_text_only_with_compartment(
    cast, client_for, persona, sees_health, sees_intel
):
    response = client_for(persona).get(case_url("note-list", cast.case))

    assert response.status_code == 200
    assert (HEALTH_TEXT in response.text) is sees_health
    assert (INTEL_TEXT in response.text) is sees_intel
    assert ("Health and clinical information (1 note) withheld" in response.text) is (
        not sees_health
    )


def test_note_add_general_note(cast, client_for):
    response = client_for("partner_worker").post(
        case_url("note-add", cast.case), {"kind": "general", "text": "Home visit done."}
    )

    assert response.status_code == 302
    assert "Home visit done." in [note.text for note in cast.case.notes.all()]


def test_note_add_refuses_sealed_kind_without_compartment(cast, client_for):
    client = client_for("partner_worker")
    page = client.get(case_url("note-add", cast.case))
    assert 'value="health"' not in page.text

    response = client.post(
        case_url("note-add", cast.case), {"kind": "health", "text": "Not allowed."}
    )

    assert response.status_code == 200
    assert "Not allowed." not in [note.text for note in cast.case.notes.all()]


# The access log ----------------------------------------------------------------


def test_access_log_lists_case_events_and_records_its_view(cast, client_for):
    client_for("partner_worker").get(case_url("case-detail", cast.case))

    response = client_for("lead_manager").get(case_url("access-log", cast.case))

    assert response.status_code == 200
    assert "Partner Worker" in response.text
    assert "Viewed the case" in response.text
    assert "Case worker" in response.text
    assert AuditEvent.objects.filter(
        event_type=EventType.CASE_ACCESS_LOG_VIEWED, actor_id=cast.lead_manager.pk
    ).exists()
    rows = response.context["rows"]
    assert rows[0].what == "Viewed the access log"


# Out of reach ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["case-detail", "case-edit", "note-list", "access-log"]
)
def test_case_pages_answer_404_to_outsider(cast, client_for, name):
    response = client_for("outsider").get(case_url(name, cast.case))

    assert response.status_code == 404
    assert cast.case.summary not in response.text
