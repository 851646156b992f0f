"""Retention review: the queue, decisions, four-eyes disposal that keeps the audit."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from masip.access.roles import RoleName
from masip.accounts.models import User
from masip.accounts.tests.factories import (
    MembershipFactory,
    UserFactory,
    authenticator_for,
)
from masip.audit.models import AuditEvent
from masip.audit.verify import chain_verify
from masip.cases.models import (
    Case,
    CaseStatus,
    ClosureReason,
    RiskLevel,
    RiskLevelChange,
)
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory
from masip.evidence.tests.vault_helpers import PDF, jpeg_with_gps, upload
from masip.incidents.models import Incident
from masip.people.models import Address, Person
from masip.retention.models import (
    CaseRetention,
    DisposalRecord,
    RetentionDecision,
    RetentionSchedule,
)
from masip.retention.schedule import add_years

pytestmark = pytest.mark.django_db


def _close(case: Case, *, years_ago: int, days: int = 0) -> Case:
    closed = add_years(timezone.localdate(), -years_ago) - dt.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        closure_reason=ClosureReason.RISK_REDUCED,
        closed_on=closed,
    )
    case.refresh_from_db()
    return case


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
    return client


@pytest.fixture
def second_manager(cast) -> User:
    user = UserFactory(email="second_manager@example.test", full_name="Second Manager")
    MembershipFactory(user=user, agency=cast.police_a, role=RoleName.TEAM_MANAGER)
    return user


def _review_url(case: Case) -> str:
    return reverse("retention:review", kwargs={"reference": case.reference})


def _decide(client: Client, case: Case, decision: str, **extra: str):
    version = CaseRetention.objects.filter(case=case).values_list("version", flat=True)
    data = {
        "decision": decision,
        "reason": "Reviewed against the schedule.",
        "version": str(version.first() or 0),
        **extra,
    }
    return client.post(_review_url(case), data)


def test_queue_lists_a_closed_case_once_its_first_review_falls_due(cast, client_for):
    _close(cast.case, years_ago=6, days=1)
    recent = _close(
        CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker),
        years_ago=2,
    )

    page = client_for("lead_manager").get(reverse("retention:queue"))

    assert page.status_code == 200
    assert cast.case.reference in page.content.decode()
    assert recent.reference not in page.content.decode()


def test_upcoming_view_shows_cases_due_within_ninety_days(cast, client_for):
    _close(cast.case, years_ago=6, days=-30)  # due in 30 days
    client = client_for("lead_manager")

    due_now = client.get(reverse("retention:queue")).content.decode()
    upcoming = client.get(reverse("retention:queue") + "?show=upcoming")

    assert cast.case.reference not in due_now
    assert cast.case.reference in upcoming.content.decode()


def test_high_risk_cases_are_public_protection_and_wait_ten_years(cast, client_for):
    _close(cast.case, years_ago=7)
    RiskLevelChange.objects.create(
        case=cast.case,
        from_level=RiskLevel.MEDIUM,
        to_level=RiskLevel.HIGH,
        reason="Escalation.",
        changed_by=cast.lead_manager,
    )
    client = client_for("lead_manager")

    queue = client.get(reverse("retention:queue")).content.decode()
    review = client.get(_review_url(cast.case)).content.decode()

    assert cast.case.reference not in queue
    assert "Public protection" in review


def test_queue_holds_only_cases_the_managers_agency_leads(cast, client_for):
    _close(cast.case, years_ago=8)
    _close(cast.other_case, years_ago=8)

    mine = client_for("lead_manager").get(reverse("retention:queue")).content.decode()
    theirs = client_for("outsider_manager").get(reverse("retention:queue"))

    assert cast.other_case.reference not in mine
    assert cast.case.reference not in theirs.content.decode()
    assert cast.other_case.reference in theirs.content.decode()


def test_queue_needs_the_retention_verb(client_for):
    assert client_for("lead_worker").get(reverse("retention:queue")).status_code == 403


def test_queue_query_count_does_not_grow_with_rows(cast, client_for):
    client = client_for("lead_manager")
    _close(cast.case, years_ago=9)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("retention:queue")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):
        _close(
            CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker),
            years_ago=9,
        )
    assert count() == few


def test_sharing_agency_cannot_review_a_case_it_does_not_lead(cast):
    manager = UserFactory(email="probation_manager@example.test")
    MembershipFactory(user=manager, agency=cast.probation_a, role=RoleName.TEAM_MANAGER)
    _close(cast.case, years_ago=8)

    response = _signed_in(manager).get(_review_url(cast.case))

    assert response.status_code == 403


def test_outsider_gets_404_for_the_review_page(cast, client_for):
    response = client_for("outsider_manager").get(_review_url(cast.case))

    assert response.status_code == 404


def test_open_case_has_no_decision_form(cast, client_for):
    page = client_for("lead_manager").get(_review_url(cast.case))

    assert page.status_code == 200
    assert "Cases are reviewed for retention once they are closed" in (
        page.content.decode()
    )
    assert 'name="decision"' not in page.content.decode()


def test_keeping_a_case_sets_the_next_review_and_logs_it(cast, client_for):
    _close(cast.case, years_ago=7)
    next_review = timezone.localdate() + dt.timedelta(days=400)

    response = _decide(
        client_for("lead_manager"),
        cast.case,
        "retain",
        next_review_on_day=str(next_review.day),
        next_review_on_month=str(next_review.month),
        next_review_on_year=str(next_review.year),
    )

    assert response.status_code == 302
    retention = CaseRetention.objects.get(case=cast.case)
    assert retention.next_review_on == next_review
    assert retention.version == 1
    assert RetentionDecision.objects.get(case=cast.case).decision == "retain"
    event = AuditEvent.objects.filter(event_type="retention.reviewed").get()
    assert event.case_reference == cast.case.reference


def test_keeping_without_a_date_uses_the_schedule_interval(cast, client_for):
    _close(cast.case, years_ago=7)

    _decide(client_for("lead_manager"), cast.case, "retain")

    retention = CaseRetention.objects.get(case=cast.case)
    assert retention.next_review_on == add_years(timezone.localdate(), 6)


def test_a_decision_needs_a_reason(cast, client_for):
    _close(cast.case, years_ago=7)

    response = _decide(client_for("lead_manager"), cast.case, "retain", reason="")

    assert response.status_code == 400
    assert "Enter the reason for the decision." in response.content.decode()
    assert not CaseRetention.objects.exists()


def test_a_past_review_date_is_refused_with_a_message(cast, client_for):
    _close(cast.case, years_ago=7)

    response = _decide(
        client_for("lead_manager"),
        cast.case,
        "retain",
        next_review_on_day="1",
        next_review_on_month="1",
        next_review_on_year="2020",
    )

    assert response.status_code == 400
    assert "The next review date must be in the future." in response.content.decode()


def test_disposal_cannot_be_proposed_before_the_case_is_due(cast, client_for):
    _close(cast.case, years_ago=1)

    response = _decide(client_for("lead_manager"), cast.case, "disposal_proposed")

    assert response.status_code == 400  # not among the choices offered
    assert not CaseRetention.objects.exists()


def test_a_stale_decision_is_refused_and_nothing_is_lost(cast, client_for):
    _close(cast.case, years_ago=7)
    client = client_for("lead_manager")
    _decide(client, cast.case, "retain")

    response = client.post(
        _review_url(cast.case),
        {"decision": "legal_hold", "reason": "Civil claim pending.", "version": "0"},
    )

    assert response.status_code == 409
    assert "Another manager recorded a decision" in response.content.decode()
    assert "Civil claim pending." in response.content.decode()
    assert not CaseRetention.objects.get(case=cast.case).legal_hold


def test_legal_hold_stops_disposal_until_lifted(cast, client_for, second_manager):
    _close(cast.case, years_ago=7)
    manager = client_for("lead_manager")
    _decide(manager, cast.case, "legal_hold", reason="Civil proceedings.")

    proposal = _decide(manager, cast.case, "disposal_proposed")
    lifted = _decide(manager, cast.case, "hold_lifted")

    assert proposal.status_code == 400
    assert lifted.status_code == 302
    assert not CaseRetention.objects.get(case=cast.case).legal_hold


def test_the_proposer_cannot_confirm_their_own_disposal(cast, client_for):
    _close(cast.case, years_ago=7)
    manager = client_for("lead_manager")
    _decide(manager, cast.case, "disposal_proposed")

    response = _decide(manager, cast.case, "confirm_disposal")

    assert response.status_code == 400
    assert Case.objects.filter(pk=cast.case.pk).exists()


def test_disposal_destroys_the_case_and_keeps_the_record_and_audit(
    cast, client_for, second_manager
):
    _close(cast.case, years_ago=7)
    reference = cast.case.reference
    elsewhere = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    CaseParticipantFactory(
        case=elsewhere,
        person=cast.perpetrator,
        role="perpetrator",
        added_by=cast.lead_worker,
    )
    _decide(client_for("lead_manager"), cast.case, "disposal_proposed")

    response = _decide(_signed_in(second_manager), cast.case, "confirm_disposal")

    assert response.status_code == 302
    assert not Case.objects.filter(reference=reference).exists()
    assert not Person.objects.filter(pk=cast.victim.pk).exists()
    assert not Address.objects.filter(person_id=cast.victim.pk).exists()
    assert not Incident.objects.filter(pk=cast.incident.pk).exists()
    assert Person.objects.filter(pk=cast.perpetrator.pk).exists()  # on another case
    record = DisposalRecord.objects.get(case_reference=reference)
    assert record.proposed_by == cast.lead_manager
    assert record.confirmed_by == second_manager
    assert record.destroyed["people"] == 1
    assert record.destroyed["incidents"] == 1
    decisions = RetentionDecision.objects.filter(case_reference=reference)
    assert [d.decision for d in decisions] == ["disposed", "disposal_proposed"]
    events = AuditEvent.objects.filter(case_reference=reference)
    assert events.filter(event_type="case.disposed").exists()
    assert events.filter(event_type="retention.reviewed").exists()
    assert chain_verify().ok


def test_disposal_deletes_the_cases_evidence_files_but_not_shared_ones(
    cast, client_for, second_manager, evidence_root, django_capture_on_commit_callbacks
):
    _close(cast.case, years_ago=7)
    own = upload(cast.lead_worker, cast.case, PDF, name="letter.pdf")
    photo = upload(cast.lead_worker, cast.case, jpeg_with_gps(), name="photo.jpg")
    elsewhere = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    shared = upload(cast.lead_worker, elsewhere, jpeg_with_gps(), name="same.jpg")
    _decide(client_for("lead_manager"), cast.case, "disposal_proposed")

    with django_capture_on_commit_callbacks(execute=True):
        _decide(_signed_in(second_manager), cast.case, "confirm_disposal")

    assert not (evidence_root / own.storage_key).exists()
    assert (evidence_root / photo.storage_key).exists()  # the other case's too
    assert (evidence_root / shared.display_storage_key).exists()
    record = DisposalRecord.objects.get(case_reference=cast.case.reference)
    assert record.destroyed["evidence_items"] == 2
    page = client_for("lead_manager").get(reverse("retention:disposals"))
    assert "Evidence items: 2" in page.content.decode()


def test_disposals_page_lists_the_stub_for_the_lead_agency_only(
    cast, client_for, second_manager
):
    _close(cast.case, years_ago=7)
    _decide(client_for("lead_manager"), cast.case, "disposal_proposed")
    _decide(_signed_in(second_manager), cast.case, "confirm_disposal")

    mine = client_for("lead_manager").get(reverse("retention:disposals"))
    theirs = client_for("outsider_manager").get(reverse("retention:disposals"))

    assert cast.case.reference in mine.content.decode()
    assert cast.case.reference not in theirs.content.decode()


def test_schedule_page_shows_the_agency_kinds_rules(client_for):
    page = client_for("lead_manager").get(reverse("retention:schedule"))

    assert page.status_code == 200
    assert "MoPI" in page.content.decode()


def test_schedule_command_changes_a_row_with_its_basis(capsys):
    call_command(
        "retention_schedule",
        "--set",
        "probation",
        "standard",
        "7",
        "3",
        "--basis",
        "Local policy 2026.",
    )

    rule = RetentionSchedule.objects.get(
        agency_kind="probation", record_class="standard"
    )
    assert (rule.first_review_years, rule.review_interval_years) == (7, 3)
    assert "Local policy 2026." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "standard", "6", "6"], "Unknown agency kind"),
        (["police", "eternal", "6", "6"], "Unknown record class"),
        (["police", "standard", "six", "6"], "whole numbers"),
        (["police", "standard", "0", "6"], "between 1 and 100"),
    ],
)
def test_schedule_command_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("retention_schedule", "--set", *args, "--basis", "Because.")


def test_schedule_command_needs_a_basis():
    with pytest.raises(CommandError, match="basis"):
        call_command("retention_schedule", "--set", "police", "standard", "6", "6")


def test_disposal_takes_orders_interventions_and_safety_records_with_the_case(
    cast, client_for, second_manager
):
    from masip.interventions.tests.factories import custody_for, supervision_for
    from masip.orders.models import Order
    from masip.orders.tests.factories import make_breach
    from masip.safety.models import SafetyPlan, VictimContact
    from masip.safety.tests.factories import (
        SafetyPlanFactory,
        SafetyPlanVersionFactory,
        VictimContactFactory,
    )

    make_breach(cast)
    supervision_for(cast)
    custody_for(cast)
    SafetyPlanVersionFactory(plan=SafetyPlanFactory(case=cast.case, victim=cast.victim))
    VictimContactFactory(case=cast.case, victim=cast.victim, agency=cast.police_a)
    _close(cast.case, years_ago=7)
    reference = cast.case.reference
    _decide(client_for("lead_manager"), cast.case, "disposal_proposed")

    response = _decide(_signed_in(second_manager), cast.case, "confirm_disposal")

    assert response.status_code == 302
    assert not Order.objects.exists()
    assert not SafetyPlan.objects.exists()
    assert not VictimContact.objects.exists()
    record = DisposalRecord.objects.get(case_reference=reference)
    assert {
        name: record.destroyed[name]
        for name in (
            "orders",
            "interventions",
            "custody_periods",
            "safety_plans",
            "victim_contacts",
        )
    } == dict.fromkeys(
        (
            "orders",
            "interventions",
            "custody_periods",
            "safety_plans",
            "victim_contacts",
        ),
        1,
    )
