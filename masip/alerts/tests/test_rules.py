"""Each detector fires on its synthetic scenario, and stays quiet on a near miss."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Membership
from masip.accounts.tests.factories import TeamFactory
from masip.alerts import engine
from masip.alerts.models import Alert, AlertTrigger, RuleCode
from masip.alerts.tests.support import act, uk
from masip.audit import services as audit
from masip.audit.events import EventType as E
from masip.audit.models import AuditEvent
from masip.cases.services import case_break_glass
from masip.cases.tests.factories import CaseAllocationFactory, CaseFactory
from masip.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _rename(user, full_name):
    user.full_name = full_name
    user.save(update_fields=["full_name"])


def _alerts(rule):
    return list(Alert.objects.filter(rule=rule))


# 1. Family name shared with a victim or perpetrator ---------------------------


def test_surname_match_fires_on_a_rare_shared_name_even_when_allocated(cast):
    _rename(cast.lead_worker, "Lead Testvictim")

    act(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    (alert,) = _alerts(RuleCode.SURNAME_MATCH)
    assert alert.subject == cast.lead_worker
    assert alert.case_reference == cast.case.reference
    assert "victim shares their family name" in alert.summary
    assert "Testvictim" not in alert.summary


def test_surname_match_is_case_insensitive_and_ignores_accents_and_hyphens(cast):
    _rename(cast.lead_worker, "Lead TÉSTPERP-Ward")

    act(E.PERSON_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    (alert,) = _alerts(RuleCode.SURNAME_MATCH)
    assert "person who stalks" in alert.summary


def test_surname_match_on_a_common_name_is_quiet_on_allocated_work(cast):
    cast.victim.family_name = "Smith"
    cast.victim.save()
    _rename(cast.lead_worker, "Lead Smith")

    act(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    assert _alerts(RuleCode.SURNAME_MATCH) == []


def test_surname_match_on_a_common_name_fires_outside_allocation(cast):
    cast.victim.family_name = "Smith"
    cast.victim.save()
    _rename(cast.lead_manager, "Lead Smith")  # not allocated, no team

    act(E.CASE_PAGE_OPENED, cast.lead_manager, case_reference=cast.case.reference)

    assert len(_alerts(RuleCode.SURNAME_MATCH)) == 1


def test_surname_match_counts_locally_common_names_as_common(cast, settings):
    settings.MASIP_ALERT_COMMON_SURNAME_PEOPLE = 3
    PersonFactory.create_batch(2, family_name="testvictim")
    _rename(cast.lead_worker, "Lead Testvictim")

    act(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    assert _alerts(RuleCode.SURNAME_MATCH) == []


@pytest.mark.parametrize("full_name", ["Lead Testvictims", "Testvictim", "Ed Te"])
def test_surname_match_is_quiet_without_a_shared_name(cast, full_name):
    _rename(cast.lead_worker, full_name)

    act(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    assert _alerts(RuleCode.SURNAME_MATCH) == []


# 2. Many cases outside the allocation -----------------------------------------


def _unallocated_cases(cast, count):
    return [
        CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_manager)
        for _ in range(count)
    ]


def test_unallocated_volume_fires_at_ten_cases_in_an_hour(cast):
    cases = _unallocated_cases(cast, 10)
    start = timezone.now()

    for i, case in enumerate(cases):
        act(
            E.CASE_VIEWED,
            cast.lead_worker,
            case_reference=case.reference,
            at=start + dt.timedelta(minutes=5 * i),
        )

    (alert,) = _alerts(RuleCode.UNALLOCATED_VOLUME)
    assert alert.case_reference == ""
    assert "Opened 10 cases" in alert.summary
    assert AlertTrigger.objects.filter(alert=alert).count() == 10
    assert AlertTrigger.objects.filter(alert=alert, fired=True).count() == 1


def test_unallocated_volume_keeps_counting_into_one_alert(cast):
    cases = _unallocated_cases(cast, 12)
    start = timezone.now()

    for i, case in enumerate(cases):
        act(
            E.CASE_VIEWED,
            cast.lead_worker,
            case_reference=case.reference,
            at=start + dt.timedelta(minutes=i),
        )

    (alert,) = _alerts(RuleCode.UNALLOCATED_VOLUME)
    assert alert.occurrences == 3
    assert AlertTrigger.objects.filter(alert=alert).count() == 12


def test_unallocated_volume_is_quiet_at_nine_cases(cast):
    start = timezone.now()

    for i, case in enumerate(_unallocated_cases(cast, 9)):
        for page in (E.CASE_VIEWED, E.CASE_PAGE_OPENED, E.PERSON_VIEWED):
            act(
                page,
                cast.lead_worker,
                case_reference=case.reference,
                at=start + dt.timedelta(minutes=i),
            )

    assert _alerts(RuleCode.UNALLOCATED_VOLUME) == []


def test_unallocated_volume_is_quiet_when_spread_beyond_the_window(cast):
    start = timezone.now()

    for i, case in enumerate(_unallocated_cases(cast, 10)):
        act(
            E.CASE_VIEWED,
            cast.lead_worker,
            case_reference=case.reference,
            at=start + dt.timedelta(minutes=7 * i),
        )

    assert _alerts(RuleCode.UNALLOCATED_VOLUME) == []


def test_unallocated_volume_counts_the_team_allocation_as_allocated(cast):
    team = TeamFactory(agency=cast.police_a)
    Membership.objects.filter(user__in=[cast.lead_worker, cast.lead_manager]).update(
        team=team
    )
    cases = _unallocated_cases(cast, 10)
    for case in cases:
        CaseAllocationFactory(
            case=case, user=cast.lead_manager, allocated_by=cast.lead_manager
        )
    start = timezone.now()

    for i, case in enumerate(cases):
        act(
            E.CASE_VIEWED,
            cast.lead_worker,
            case_reference=case.reference,
            at=start + dt.timedelta(minutes=i),
        )

    assert _alerts(RuleCode.UNALLOCATED_VOLUME) == []


def test_unallocated_volume_ignores_roles_whose_work_is_not_allocated(cast):
    start = timezone.now()

    for i, case in enumerate(_unallocated_cases(cast, 10)):
        act(
            E.CASE_VIEWED,
            cast.panel_coordinator,
            case_reference=case.reference,
            at=start + dt.timedelta(minutes=i),
        )

    assert _alerts(RuleCode.UNALLOCATED_VOLUME) == []


# 3. Sealed details revealed out of hours --------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        "2026-03-10 22:30",  # a Tuesday night
        "2026-03-10 06:59",  # before the day starts
        "2026-07-14 19:00",  # the end of the day, in summer time
        "2026-03-14 11:00",  # a Saturday
        "2026-12-28 11:00",  # Boxing Day's substitute bank holiday
    ],
)
def test_sealed_off_hours_fires_outside_working_time(cast, when):
    act(
        E.SEALED_REVEALED,
        cast.lead_worker,
        case_reference=cast.case.reference,
        at=uk(when),
    )

    (alert,) = _alerts(RuleCode.SEALED_OFF_HOURS)
    assert alert.case_reference == cast.case.reference
    assert "1 Sealed Street" not in alert.summary


@pytest.mark.parametrize("when", ["2026-03-10 07:00", "2026-07-14 18:59"])
def test_sealed_off_hours_is_quiet_in_working_time(cast, when):
    act(
        E.SEALED_REVEALED,
        cast.lead_worker,
        case_reference=cast.case.reference,
        at=uk(when),
    )

    assert _alerts(RuleCode.SEALED_OFF_HOURS) == []


def test_sealed_off_hours_honours_extra_holidays(cast, settings):
    settings.MASIP_ALERT_EXTRA_HOLIDAYS = ["2026-03-10"]

    act(E.SEALED_REVEALED, cast.lead_worker, at=uk("2026-03-10 11:00"))

    assert len(_alerts(RuleCode.SEALED_OFF_HOURS)) == 1


# 4. Break-the-glass -----------------------------------------------------------


def test_break_glass_fires_on_every_use(cast):
    membership = Membership.objects.get(user=cast.outsider_manager)
    case_break_glass(
        actor=Actor(user=cast.outsider_manager, membership=membership),
        case=cast.case,
        reason="Urgent safeguarding call about the victim tonight.",
    )
    engine.evaluate(AuditEvent.objects.get(event_type=E.CASE_BREAK_GLASS))

    (alert,) = _alerts(RuleCode.BREAK_GLASS)
    assert alert.agency == cast.police_b
    assert alert.subject == cast.outsider_manager


def test_break_glass_fires_on_an_unknown_reference(cast):
    act(E.CASE_BREAK_GLASS_NOT_FOUND, cast.outsider_manager)

    (alert,) = _alerts(RuleCode.BREAK_GLASS)
    assert "no case holds" in alert.summary


def test_break_glass_rule_is_quiet_on_a_stated_purpose(cast):
    act(E.CASE_PURPOSE_GIVEN, cast.auditor, case_reference=cast.case.reference)

    assert Alert.objects.count() == 0


# 5. Export spikes -------------------------------------------------------------


def test_export_spike_fires_above_the_limit(cast):
    start = timezone.now()

    for i in range(6):
        act(E.EXPORT_CREATED, cast.lead_worker, at=start + dt.timedelta(minutes=i))

    (alert,) = _alerts(RuleCode.EXPORT_SPIKE)
    assert "Made 6 exports within 60 minutes" in alert.summary
    assert alert.triggers.count() == 6


def test_export_spike_is_quiet_at_the_limit_or_spread_out(cast):
    start = timezone.now()

    for i in range(5):
        act(E.EXPORT_CREATED, cast.lead_worker, at=start + dt.timedelta(minutes=i))
    act(E.EXPORT_CREATED, cast.lead_worker, at=start + dt.timedelta(minutes=61))

    assert _alerts(RuleCode.EXPORT_SPIKE) == []


# 6. Access refused: declared conflict, or a case involving own staff ----------


def test_conflict_blocked_fires(cast):
    act(
        E.CONFLICT_ACCESS_BLOCKED,
        cast.lead_worker,
        case_reference=cast.case.reference,
    )

    (alert,) = _alerts(RuleCode.CONFLICT_BLOCKED)
    assert alert.case_reference == cast.case.reference


def test_staff_involved_blocked_fires_without_naming_the_case(cast):
    act(
        E.STAFF_INVOLVED_ACCESS_BLOCKED,
        cast.lead_worker,
        case_reference=cast.case.reference,
    )

    (alert,) = _alerts(RuleCode.STAFF_INVOLVED_BLOCKED)
    assert alert.case_reference == ""
    assert cast.case.reference not in alert.summary
    assert not alert.names_case


def test_blocked_rules_are_quiet_on_an_ordinary_view(cast):
    act(E.CASE_VIEWED, cast.lead_worker, case_reference=cast.case.reference)

    assert Alert.objects.count() == 0


# Events no rule judges --------------------------------------------------------


def test_system_events_are_not_judged(cast):
    event = audit.record(E.CASE_BREAK_GLASS_NOT_FOUND, actor=audit.SYSTEM)

    assert engine.evaluate(event) == 0
