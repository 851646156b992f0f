"""``masip demo``: idempotent, audit-clean, a user for every role, synthetic."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts.models import Membership, User
from masip.audit.models import AuditEvent
from masip.audit.verify import chain_verify
from masip.cases.models import (
    Case,
    CaseAllocation,
    CaseNote,
    CaseParticipant,
    CaseShare,
    RiskLevelChange,
    StatusChange,
)
from masip.demo import data
from masip.demo.structure import demo_totp_secret
from masip.incidents.models import Incident
from masip.interventions.models import Custody, Intervention
from masip.orders.models import Breach, BreachReview, Order
from masip.panels.models import Action, AgendaItem, Meeting, Panel
from masip.people.models import Address, Person, PersonIdentifier, SafeContactPreference
from masip.referrals.models import Referral
from masip.safety.models import SafetyPlan, SafetyPlanVersion, VictimContact

COUNTED = (
    User,
    Membership,
    Case,
    CaseParticipant,
    CaseAllocation,
    CaseShare,
    CaseNote,
    StatusChange,
    RiskLevelChange,
    Person,
    Address,
    PersonIdentifier,
    SafeContactPreference,
    Incident,
    AuditEvent,
    Panel,
    Meeting,
    AgendaItem,
    Action,
    Referral,
    Order,
    Breach,
    BreachReview,
    Intervention,
    Custody,
    SafetyPlan,
    SafetyPlanVersion,
    VictimContact,
)


def run_demo() -> str:
    out = StringIO()
    call_command("demo", force=True, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_demo_run_twice_adds_nothing_the_second_time():
    run_demo()
    first = counts()

    output = run_demo()

    assert counts() == first
    assert first["Case"] == data.DEMO_CASE_COUNT
    assert "nothing added" in output


@pytest.mark.django_db
def test_demo_leaves_a_verifiable_audit_chain():
    run_demo()

    report = chain_verify()

    assert report.ok
    # One event per case created, and the orders recorded through their
    # services (with the breaches and reviews those open) audit themselves.
    assert report.checked == AuditEvent.objects.count() > data.DEMO_CASE_COUNT


@pytest.mark.django_db
def test_demo_has_a_user_for_every_role():
    run_demo()

    roles = set(
        Membership.objects.filter(
            user__email__endswith=".demo.example.org"
        ).values_list("role", flat=True)
    )

    assert roles == set(RoleName.values)


@pytest.mark.django_db
def test_demo_start_user_sees_their_allocated_cases():
    output = run_demo()
    user = User.objects.get(email=data.START_EMAIL)
    allocated = set(
        CaseAllocation.objects.filter(user=user, ended_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )

    visible = set(Access(user).visible_cases().values_list("pk", flat=True))

    assert len(allocated) >= 3
    assert allocated <= visible
    assert data.START_EMAIL in output
    assert data.DEFAULT_DEMO_PASSWORD in output


@pytest.mark.django_db
def test_demo_partner_worker_sees_cases_shared_by_police():
    run_demo()
    probation = User.objects.get(email="probation.worker@london.demo.example.org")

    led_by_police = (
        Access(probation).visible_cases().filter(lead_agency__slug="london-police")
    )

    assert led_by_police.exists()


@pytest.mark.django_db
def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(data.PASSWORD_ENV, "another-demo-password-1")

    output = run_demo()

    user = User.objects.get(email=data.START_EMAIL)
    assert user.check_password("another-demo-password-1")
    assert "another-demo-password-1" in output


@pytest.mark.django_db
def test_demo_contact_details_are_from_reserved_ranges():
    run_demo()

    phones = PersonIdentifier.objects.filter(kind=PersonIdentifier.Kind.PHONE)
    emails = PersonIdentifier.objects.filter(kind=PersonIdentifier.Kind.EMAIL)

    assert all(re.fullmatch(r"07700 900\d{3}", p.value) for p in phones)
    assert all(e.value.endswith("@example.org") for e in emails)
    assert all(a.postcode.startswith("ZZ99 ") for a in Address.objects.all())
    assert all(u.email.endswith(".demo.example.org") for u in User.objects.all())


@pytest.mark.django_db
def test_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("demo", stdout=StringIO())

    assert not Case.objects.exists()


@pytest.mark.django_db
def test_demo_helpline_adviser_sees_only_their_referrals():
    run_demo()
    adviser = User.objects.get(email="helpline.adviser@national.demo.example.org")

    visible = Access(adviser).visible_cases()

    assert visible.exists()
    assert set(visible.values_list("created_by", flat=True)) == {adviser.pk}


@pytest.mark.django_db
def test_demo_users_have_a_published_authenticator_and_demo_code_prints_it(settings):
    settings.DEBUG = True
    output = run_demo()
    run_demo()
    out = StringIO()

    call_command("demo_code", data.START_EMAIL, stdout=out)

    device = TOTPDevice.objects.get(user__email=data.START_EMAIL)
    assert TOTPDevice.objects.filter(user__email=data.START_EMAIL).count() == 1
    assert device.confirmed
    assert demo_totp_secret(data.START_EMAIL) in output
    assert "demo_code" in output
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert device.verify_token(code)


@pytest.mark.django_db
def test_demo_code_refuses_other_accounts_and_debug_off(settings):
    settings.DEBUG = True
    run_demo()
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "someone@example.test", stdout=StringIO())
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo_code", data.START_EMAIL, stdout=StringIO())
