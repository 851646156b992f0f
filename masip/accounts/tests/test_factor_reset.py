"""An administrator resets the second factors of someone who lost them all."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.accounts.models import Membership, Notification
from masip.accounts.tests.factories import TEST_PASSWORD, authenticator_for, totp_code
from masip.accounts.tests.stepup_helpers import factor_proved
from masip.audit.events import EventType
from masip.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(membership: Membership) -> str:
    return reverse("accounts:staff-factor-reset", kwargs={"pk": membership.pk})


def _reset(client: Client, membership: Membership, **extra: str):
    data = {"identity_checked": "on", "reason": "Phone and codes lost.", **extra}
    return client.post(_url(membership), data)


def test_reset_removes_every_factor_and_signs_the_user_out(cast, client_for):
    worker = Membership.objects.get(user=cast.lead_worker)
    StaticDevice.objects.create(user=cast.lead_worker, name="Recovery codes")
    victim_session = client_for("lead_worker")
    admin = client_for("agency_admin")
    factor_proved(admin)

    response = _reset(admin, worker)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.lead_worker).exists()
    assert not StaticDevice.objects.filter(user=cast.lead_worker).exists()
    assert victim_session.get("/").status_code == 302  # signed out everywhere
    notice = Notification.objects.get(recipient=cast.lead_worker)
    assert notice.kind == Notification.Kind.SIGN_IN_METHODS
    event = AuditEvent.objects.get(event_type=EventType.MFA_RESET)
    assert event.actor_id == cast.agency_admin.pk
    assert event.target_id == str(cast.lead_worker.pk)


def test_after_a_reset_the_password_leads_to_setting_up_a_factor(cast, client_for):
    admin = client_for("agency_admin")
    factor_proved(admin)
    _reset(admin, Membership.objects.get(user=cast.lead_worker))

    client = Client()
    client.post(
        "/sign-in/", {"username": cast.lead_worker.email, "password": TEST_PASSWORD}
    )

    assert client.get("/").url.startswith(reverse("accounts:mfa-enrol"))


def test_a_stale_factor_needs_the_administrators_code(cast, client_for):
    admin = client_for("agency_admin")
    worker = Membership.objects.get(user=cast.lead_worker)

    without = _reset(admin, worker)
    with_code = _reset(
        admin, worker, step_up_code=totp_code(authenticator_for(cast.agency_admin))
    )

    assert without.status_code == 200
    assert "Enter the code from your authenticator app." in without.content.decode()
    assert with_code.status_code == 302


def test_the_identity_check_must_be_confirmed(cast, client_for):
    admin = client_for("agency_admin")
    factor_proved(admin)

    response = admin.post(
        _url(Membership.objects.get(user=cast.lead_worker)), {"reason": "Lost."}
    )

    assert "Confirm that you have checked who is asking" in response.content.decode()
    assert TOTPDevice.objects.filter(user=cast.lead_worker).exists()


def test_an_administrator_cannot_reset_their_own(cast, client_for):
    admin = client_for("agency_admin")
    factor_proved(admin)

    response = _reset(admin, Membership.objects.get(user=cast.agency_admin))

    assert "You cannot reset your own sign-in methods" in response.content.decode()
    assert TOTPDevice.objects.filter(user=cast.agency_admin).exists()


def test_another_agencys_staff_answer_404(cast, client_for):
    admin = client_for("agency_admin")
    factor_proved(admin)

    response = _reset(admin, Membership.objects.get(user=cast.outsider))

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=cast.outsider).exists()


def test_only_administrators_reach_the_page(cast, client_for):
    url = _url(Membership.objects.get(user=cast.lead_worker))

    assert client_for("lead_manager").get(url).status_code == 403
    assert client_for("agency_admin").get(url).status_code == 200
