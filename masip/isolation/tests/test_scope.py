"""The request's reach as settings: one persona of each kind (any database)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from masip.access.policy import Access
from masip.isolation import scope


def _settings(cast, persona):
    return scope.settings_for(Access(cast.persona(persona)))


def test_an_agency_worker_reaches_through_their_agency(cast):
    values = _settings(cast, "lead_worker")

    assert values["user_id"] == str(cast.lead_worker.pk)
    assert values["agencies"] == values["member_agencies"] == str(cast.police_a.pk)
    assert values["sites"] == values["referrer"] == values["all_cases"] == ""
    assert values["may_break_glass"] == values["may_aggregate"] == ""


def test_a_manager_may_break_the_glass(cast):
    assert _settings(cast, "lead_manager")["may_break_glass"] == scope.ON


def test_site_own_referral_and_every_case_scopes(cast):
    panel = _settings(cast, "panel_coordinator")
    helpline = _settings(cast, "helpline_adviser")
    auditor = _settings(cast, "auditor")

    assert (panel["sites"], panel["agencies"]) == (str(cast.programme_a.site_id), "")
    assert helpline["referrer"] == str(cast.helpline_adviser.pk)
    assert (helpline["agencies"], helpline["sites"]) == ("", "")
    assert auditor["all_cases"] == scope.ON


def test_roles_that_reach_no_case_get_only_their_identity(cast):
    analyst = _settings(cast, "analyst")
    admin = _settings(cast, "agency_admin")

    assert analyst["may_aggregate"] == scope.ON
    for values in (analyst, admin):
        assert values["agencies"] == values["sites"] == values["all_cases"] == ""
        assert values["referrer"] == ""


def test_no_user_and_a_switched_off_membership_reach_nothing(cast):
    cast.lead_worker.memberships.update(is_active=False)

    assert _settings(cast, "lead_worker") == dict(scope.EMPTY)
    assert scope.settings_for(Access(AnonymousUser())) == dict(scope.EMPTY)


def test_unknown_setting_names_are_refused(db):
    with pytest.raises(ValueError, match="Unknown"):
        scope.apply({"agency": "1"})
    with pytest.raises(ValueError, match="Unknown"):
        scope.current("agency")
