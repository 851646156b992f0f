"""The second factor: enrolment, verification, recovery codes and lockout."""

import base64
import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.accounts.models import User
from masip.accounts.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    authenticator_for,
    totp_code,
)
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.audit.verify import chain_verify
from tests.access.test_url_matrix import ALL_URLS, _fill

VERIFY = "/sign-in/verify/"
ENROL = "/sign-in/set-up/"
NOTIFICATIONS = "/notifications/"


def _password_only(email: str) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _new_member() -> User:
    return MembershipFactory(user__email="new.starter@example.test").user


def _events(event_type: EventType) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


def test_password_only_session_reaches_no_signed_in_page(cast):
    client = _password_only("lead_worker@example.test")
    allowed = {
        "accounts:mfa-verify",
        "accounts:health",
        "accounts:sign-out",
        # Gives a challenge only, for the security keys of this account (none).
        "accounts:webauthn-authenticate-options",
        # Browsers' CSP violation reports: counted, never a page.
        "core:csp-report",
    }
    failures = []
    for name, route, _ in ALL_URLS:
        if name in allowed or name == "accounts:sign-in":
            continue
        path = _fill(route, cast)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code != 302 or not response["Location"].startswith(
                VERIFY
            ):
                failures.append(f"{method.upper()} {name}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert client.get(reverse("accounts:health")).status_code == 200
    assert client.get(VERIFY).status_code == 200


def test_sign_in_redirect_goes_to_verify_and_keeps_the_page_asked_for(cast):
    client = _password_only("lead_worker@example.test")

    response = client.get(NOTIFICATIONS)

    assert response["Location"] == f"{VERIFY}?next=%2Fnotifications%2F"
    code = totp_code(authenticator_for(cast.lead_worker))
    response = client.post(response["Location"], {"code": code, "next": NOTIFICATIONS})
    assert response["Location"] == NOTIFICATIONS


def test_verify_with_totp_code_verifies_the_session_and_is_audited(cast):
    client = _password_only("lead_worker@example.test")
    code = totp_code(authenticator_for(cast.lead_worker))

    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 302
    assert client.get(NOTIFICATIONS).status_code == 200
    assert _events(EventType.MFA_VERIFIED) == 1


def test_verify_refuses_the_same_code_twice(cast):
    device = authenticator_for(cast.lead_worker)
    code = totp_code(device)
    _password_only("lead_worker@example.test").post(VERIFY, {"code": code})
    second = _password_only("lead_worker@example.test")

    response = second.post(VERIFY, {"code": code})

    assert b"The code is not correct." in response.content
    assert second.get(NOTIFICATIONS).status_code == 302


def test_wrong_code_shows_error_summary_and_is_audited(cast):
    client = _password_only("lead_worker@example.test")

    response = client.post(VERIFY, {"code": "000000"})
    blank = client.post(VERIFY, {"code": ""})

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"The code is not correct." in response.content
    assert b"Enter the code from your authenticator app." in blank.content
    assert _events(EventType.MFA_FAILED) == 1
    assert client.get(NOTIFICATIONS).status_code == 302


def test_five_wrong_codes_lock_the_account_even_for_the_right_code(cast):
    client = _password_only("lead_worker@example.test")
    device = authenticator_for(cast.lead_worker)
    for _ in range(5):
        client.post(VERIFY, {"code": "not-a-code"})

    response = client.post(VERIFY, {"code": totp_code(device)})

    assert response.status_code == 429
    assert b"Your account is locked" in response.content
    assert client.get(NOTIFICATIONS).status_code == 302
    assert _events(EventType.MFA_FAILED) == 5
    assert _events(EventType.SIGN_IN_LOCKED) >= 1
    assert chain_verify().ok


def test_lockout_ends_after_the_cooloff(cast):
    client = _password_only("lead_worker@example.test")
    device = authenticator_for(cast.lead_worker)
    for _ in range(5):
        client.post(VERIFY, {"code": "000000"})
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=11)
    )

    response = client.post(VERIFY, {"code": totp_code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def _enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    client.get(ENROL)
    device = TOTPDevice.objects.get(user__email="new.starter@example.test")
    response = client.post(ENROL, {"code": totp_code(device)})
    assert response["Location"] == reverse("accounts:mfa-recovery-codes")
    page = client.get(response["Location"]).content.decode()
    return device, re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)


def test_enrolment_end_to_end(db):
    user = _new_member()
    other_session = _password_only(user.email)
    client = _password_only(user.email)

    assert client.get(NOTIFICATIONS)["Location"].startswith(ENROL)
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=user)
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert "style=" not in page
    assert not device.confirmed

    wrong = client.post(ENROL, {"code": "123456"})
    assert b"The code is not correct." in wrong.content
    # django-otp refuses any code for a second after a wrong one; let it pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=2)
    )
    device, codes = _enrol(client)

    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get(reverse("accounts:mfa-recovery-codes")).status_code == 302
    assert client.get(NOTIFICATIONS).status_code == 200
    assert other_session.get(NOTIFICATIONS)["Location"].startswith("/sign-in/")
    assert _events(EventType.MFA_ENROLLED) == 1
    assert _events(EventType.MFA_FAILED) == 1


def test_enrolment_is_refused_once_an_authenticator_exists(cast):
    client = _password_only("lead_worker@example.test")

    response = client.post(ENROL, {"code": "123456"})

    assert response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=cast.lead_worker).count() == 1


def test_verify_without_an_authenticator_sends_to_enrolment(db):
    client = _password_only(_new_member().email)

    assert client.get(VERIFY)["Location"] == ENROL


def test_recovery_code_verifies_once(db):
    user = _new_member()
    _, codes = _enrol(_password_only(user.email))
    client = _password_only(user.email)

    response = client.post(VERIFY, {"code": codes[0].upper()})

    assert response.status_code == 302
    assert client.get(NOTIFICATIONS).status_code == 200
    assert _events(EventType.RECOVERY_CODE_USED) == 1
    again = _password_only(user.email)
    assert b"The code is not correct." in again.post(VERIFY, {"code": codes[0]}).content
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_totp_device_key_gives_the_code_the_app_shows(cast):
    device = authenticator_for(cast.lead_worker)
    totp = TOTP(device.bin_key)

    assert totp_code(device) == f"{totp.token():06d}"
