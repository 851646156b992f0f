"""Saving the victim's safety plan: versions, review dates on a stopped clock,
and two editors who must not overwrite each other."""

import datetime as dt

import pytest

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import StaleEditError
from masip.people.tests.factories import actor_for
from masip.safety import services
from masip.safety.models import SafetyPlan, SafetyPlanVersion
from masip.safety.tests.clock import frozen_at, uk

NOW = uk(2026, 3, 18, 12)
TODAY = dt.date(2026, 3, 18)


@pytest.fixture
def clock():
    with frozen_at(NOW) as now:
        yield now


def _save(cast, user=None, **overrides):
    values = {
        "actor": actor_for(user or cast.lead_worker),
        "case": cast.case,
        "victim": cast.victim,
        "version": 0,
        "review_on": TODAY + dt.timedelta(days=28),
        "victim_agreed": True,
        "agreed_on": TODAY,
        "home": "Locks changed; a video doorbell fitted.",
        "emergency": "Call 999; say 'stalking marker'.",
    }
    values.update(overrides)
    return services.safety_plan_save(**values)


def test_safety_plan_save_first_version_creates_the_plan(cast, clock):
    version = _save(cast)

    plan = SafetyPlan.objects.get(case=cast.case, victim=cast.victim)
    assert version.number == plan.current_number == 1
    assert version.home == "Locks changed; a video doorbell fitted."
    assert version.travel == ""
    assert version.recorded_by == cast.lead_worker
    assert version.recorded_by_agency == cast.police_a
    event = AuditEvent.objects.get(event_type=EventType.SAFETY_PLAN_SAVED)
    assert event.target_id == str(plan.public_id)
    assert "home" in event.changed_fields
    assert "travel" not in event.changed_fields


def test_safety_plan_save_again_keeps_the_old_version(cast, clock):
    _save(cast)

    second = _save(cast, user=cast.advocate, version=1, home="Moved to a refuge.")

    plan = SafetyPlan.objects.get()
    assert second.number == plan.current_number == 2
    assert [v.number for v in plan.versions.order_by("number")] == [1, 2]
    assert plan.versions.get(number=1).home == "Locks changed; a video doorbell fitted."
    last = AuditEvent.objects.filter(event_type=EventType.SAFETY_PLAN_SAVED).last()
    assert last.changed_fields == ["home"]


def test_safety_plan_save_unchanged_writes_no_version(cast, clock):
    first = _save(cast)

    again = _save(cast, version=1)

    assert again.pk == first.pk
    assert SafetyPlanVersion.objects.count() == 1


def test_safety_plan_save_from_an_old_version_raises_stale_and_saves_nothing(
    cast, clock
):
    _save(cast)
    _save(cast, user=cast.advocate, version=1, home="Theirs.")

    with pytest.raises(StaleEditError) as stale:
        _save(cast, version=1, home="Mine.")

    assert stale.value.current_version == 2
    assert stale.value.current["home"] == "Theirs."
    assert SafetyPlanVersion.objects.count() == 2


def test_safety_plan_save_first_save_after_someone_else_created_it_is_stale(
    cast, clock
):
    _save(cast, user=cast.advocate, home="Theirs.")

    with pytest.raises(StaleEditError):
        _save(cast, version=0, home="Mine.")

    assert SafetyPlan.objects.get().current_number == 1


def test_safety_plan_save_review_date_today_is_allowed_yesterday_is_not(cast, clock):
    with pytest.raises(services.SafetyPlanError) as error:
        _save(cast, review_on=TODAY - dt.timedelta(days=1))

    assert error.value.field == "review_on"
    assert _save(cast, review_on=TODAY).review_on == TODAY


def test_safety_plan_save_review_date_follows_the_uk_day_at_midnight(cast):
    # 00:30 BST on 30 March is still 29 March in UTC: the UK day counts.
    with frozen_at(uk(2026, 3, 30, 0, 30)):
        version = _save(
            cast, review_on=dt.date(2026, 3, 30), agreed_on=dt.date(2026, 3, 30)
        )

    assert version.review_on == dt.date(2026, 3, 30)


def test_safety_plan_save_agreed_needs_a_date_not_in_the_future(cast, clock):
    with pytest.raises(services.SafetyPlanError) as missing:
        _save(cast, agreed_on=None)
    with pytest.raises(services.SafetyPlanError) as future:
        _save(cast, agreed_on=TODAY + dt.timedelta(days=1))

    assert missing.value.field == future.value.field == "agreed_on"


def test_safety_plan_save_not_agreed_keeps_no_agreed_date(cast, clock):
    version = _save(cast, victim_agreed=False, agreed_on=TODAY)

    assert version.victim_agreed is False
    assert version.agreed_on is None


def test_safety_plan_save_needs_some_content(cast, clock):
    with pytest.raises(services.SafetyPlanError) as error:
        _save(cast, home=" ", emergency="")

    assert error.value.field == "home"
    assert not SafetyPlan.objects.exists()


@pytest.mark.parametrize("persona", ["partner_worker", "clinician"])
def test_safety_plan_save_without_the_compartment_is_refused(cast, clock, persona):
    with pytest.raises(services.SafetyPlanError):
        _save(cast, user=cast.persona(persona))

    assert not SafetyPlan.objects.exists()


def test_safety_plan_save_for_someone_not_a_victim_is_refused(cast, clock):
    with pytest.raises(services.SafetyPlanError):
        _save(cast, victim=cast.perpetrator)


def test_safety_plan_sections_are_sealed_at_rest(cast, clock):
    version = _save(cast)

    raw = SafetyPlanVersion.objects.filter(pk=version.pk).values_list("home", flat=True)
    assert "video doorbell" not in str(raw.get())
