"""Security keys (WebAuthn): both ceremonies with real signed answers.

The answers come from a software authenticator (tests/authenticator.py) with a
real P-256 key; py_webauthn checks them as it would a real key's.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from config.env import webauthn_relying_party_check
from masip.accounts import mfa
from masip.accounts.models import User, WebAuthnCredential
from masip.accounts.tests.authenticator import TEST_AAGUID, SoftwareAuthenticator
from masip.accounts.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    authenticator_for,
    totp_code,
)
from masip.accounts.webauthn import (
    COUNTER_WENT_BACK,
    EXPIRED,
    NO_USER_VERIFICATION,
    NOT_COMPLETED,
    NOT_YOURS,
)
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.audit.verify import chain_verify

VERIFY = "/sign-in/verify/"
ENROL_KEY = "/sign-in/set-up/security-key/"
AUTH_OPTIONS = "/sign-in/security-key/options/"
REG_OPTIONS = "/account/security/keys/options/"
SECURITY = "/account/security/"
ADD = "/account/security/keys/add/"
CONFIRM = "/sign-in/confirm/"  # the one step-up page (masip.accounts.stepup)
NOTIFICATIONS = "/notifications/"


def _password_only(email: str) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _fresh(client: Client) -> Client:
    session = client.session
    session[mfa.FACTOR_AT_SESSION_KEY] = int(timezone.now().timestamp())
    session.save()
    return client


def _events(event_type: EventType) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


def _register(client: Client, key: SoftwareAuthenticator, url: str, name: str):
    options = client.post(REG_OPTIONS)
    assert options.status_code == 200, options.content
    return client.post(url, {"name": name, "credential": key.register(options.content)})


def _key_for(client_for, persona: str, name: str = "Blue key"):
    """A security key registered (through the ceremony) for a persona."""
    key = SoftwareAuthenticator()
    response = _register(_fresh(client_for(persona)), key, ADD, name)
    assert response.status_code == 302, response.content
    return key


def _sign_in_with_key(client: Client, key: SoftwareAuthenticator, **kwargs):
    options = client.post(AUTH_OPTIONS)
    assert options.status_code == 200, options.content
    answer = key.authenticate(options.content, **kwargs)
    return client.post(VERIFY, {"credential": answer, "next": NOTIFICATIONS})


# Registration ------------------------------------------------------------


def test_enrol_with_security_key_at_first_sign_in_verifies_and_gives_codes(db):
    user = MembershipFactory(user__email="new.starter@example.test").user
    client = _password_only(user.email)
    other = _password_only(user.email)
    assert client.get(NOTIFICATIONS)["Location"].startswith("/sign-in/set-up/")
    assert client.get(ENROL_KEY).status_code == 200

    response = _register(client, SoftwareAuthenticator(), ENROL_KEY, "Blue key")

    assert response["Location"] == "/sign-in/recovery-codes/"
    stored = WebAuthnCredential.objects.get(user=user)
    assert (stored.name, stored.transports, stored.sign_count) == (
        "Blue key",
        ["usb"],
        0,
    )
    assert stored.aaguid == str(__import__("uuid").UUID(bytes=TEST_AAGUID))
    assert not stored.backup_eligible
    assert client.get(NOTIFICATIONS).status_code == 200
    assert len(client.get("/sign-in/recovery-codes/").context["codes"]) == 10
    assert client.session[DEVICE_ID_SESSION_KEY] == stored.persistent_id
    assert other.get(NOTIFICATIONS)["Location"].startswith("/sign-in/?")
    event = AuditEvent.objects.get(event_type=EventType.WEBAUTHN_REGISTERED)
    assert (event.target_type, event.target_id) == (
        "webauthn_credential",
        str(stored.pk),
    )
    assert chain_verify().ok


def test_registration_without_user_verification_is_refused(db):
    user = MembershipFactory().user
    client = _password_only(user.email)

    response = _register(
        client, SoftwareAuthenticator(user_verified=False), ENROL_KEY, "Old key"
    )

    assert response.status_code == 200
    assert NO_USER_VERIFICATION in response.content.decode()
    assert not WebAuthnCredential.objects.exists()


def test_registration_from_another_origin_is_refused(db):
    user = MembershipFactory().user
    client = _password_only(user.email)
    phished = SoftwareAuthenticator(origin="https://masip.example.evil")

    response = _register(client, phished, ENROL_KEY, "Blue key")

    assert NOT_COMPLETED in response.content.decode()
    assert not WebAuthnCredential.objects.exists()


def test_registration_answer_cannot_be_replayed(db):
    user = MembershipFactory().user
    client = _password_only(user.email)
    key = SoftwareAuthenticator()
    options = client.post(REG_OPTIONS)
    answer = key.register(options.content)
    attacker = _password_only(user.email)

    response = attacker.post(ENROL_KEY, {"name": "Mine", "credential": answer})

    assert EXPIRED in response.content.decode()
    assert not WebAuthnCredential.objects.exists()


@pytest.mark.parametrize("credential", ["", "not json", "{}", '{"id": 3}', "[1]"])
def test_registration_with_a_malformed_answer_shows_an_error(db, credential):
    user = MembershipFactory().user
    client = _password_only(user.email)
    client.post(REG_OPTIONS)

    response = client.post(ENROL_KEY, {"name": "Blue key", "credential": credential})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not WebAuthnCredential.objects.exists()


def test_registration_needs_a_name(db):
    user = MembershipFactory().user
    client = _password_only(user.email)

    response = client.post(ENROL_KEY, {"name": "", "credential": ""})

    errors = response.context["form"].errors
    assert list(errors) == ["name"]
    assert errors["name"] == ["Enter a name for this security key."]


def test_password_alone_cannot_add_a_factor_to_an_account_that_has_one(cast):
    client = _password_only(cast.lead_worker.email)

    assert client.post(REG_OPTIONS)["Location"] == VERIFY
    assert client.get(ENROL_KEY)["Location"] == VERIFY
    assert client.post(ENROL_KEY, {"name": "x", "credential": "{}"})["Location"] == (
        VERIFY
    )
    assert not WebAuthnCredential.objects.exists()


def test_password_alone_cannot_add_an_app_to_an_account_with_a_key(cast, client_for):
    key_only = cast.lead_worker
    _key_for(client_for, "lead_worker")
    authenticator_for(key_only).delete()
    client = _password_only(key_only.email)

    assert client.get("/sign-in/set-up/")["Location"] == VERIFY
    assert client.get(NOTIFICATIONS)["Location"].startswith(VERIFY)


def test_adding_a_key_needs_a_fresh_factor_and_ends_other_sessions(cast, client_for):
    client = client_for("lead_worker")
    other = client_for("lead_worker")
    assert other.get(NOTIFICATIONS).status_code == 200

    assert client.get(ADD)["Location"].startswith(CONFIRM)
    assert client.post(REG_OPTIONS).status_code == 403
    response = _register(_fresh(client), SoftwareAuthenticator(), ADD, "Blue key")

    assert response["Location"] == SECURITY
    assert client.get(SECURITY).status_code == 200
    assert other.get(NOTIFICATIONS)["Location"].startswith("/sign-in/?")
    assert _events(EventType.WEBAUTHN_REGISTERED) == 1


def test_the_same_key_or_name_cannot_be_added_twice(cast, client_for):
    key = _key_for(client_for, "lead_worker", "Blue key")
    client = _fresh(client_for("lead_worker"))

    same_name = _register(client, SoftwareAuthenticator(), ADD, "Blue key")
    options = client.post(REG_OPTIONS)
    same_key = client.post(
        ADD, {"name": "Again", "credential": key.register(options.content)}
    )

    assert "already have a security key with that name" in same_name.content.decode()
    assert "already registered" in same_key.content.decode()
    assert WebAuthnCredential.objects.count() == 1


def test_registration_options_exclude_keys_already_registered(cast, client_for):
    key = _key_for(client_for, "lead_worker")

    options = _fresh(client_for("lead_worker")).post(REG_OPTIONS).json()

    assert [c["id"] for c in options["excludeCredentials"]] == [key.id]
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["attestation"] == "none"
    assert options["rp"]["id"] == "testserver"


# Authentication at sign-in -------------------------------------------------


def test_sign_in_with_a_security_key_verifies_the_session(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    client = _password_only(cast.lead_worker.email)
    page = client.get(VERIFY)
    assert "Use your security key" in page.content.decode()
    assert 'id="id_code"' in page.content.decode()  # the fallback stays
    before = client.session.session_key

    response = _sign_in_with_key(client, key)

    assert response["Location"] == NOTIFICATIONS
    assert client.session.session_key != before
    assert mfa.factor_is_fresh(_Request(client))
    assert client.get(NOTIFICATIONS).status_code == 200
    stored = WebAuthnCredential.objects.get()
    assert stored.sign_count == 1
    assert stored.last_used_at is not None
    event = AuditEvent.objects.filter(event_type=EventType.MFA_VERIFIED).last()
    assert event.target_type == "webauthn_credential"


class _Request:
    """Just enough of a request for mfa.factor_is_fresh."""

    def __init__(self, client: Client) -> None:
        self.session = client.session


def test_verify_page_without_keys_offers_no_security_key(cast):
    client = _password_only(cast.lead_worker.email)

    page = client.get(VERIFY).content.decode()

    assert "Use your security key" not in page
    assert client.post(AUTH_OPTIONS).status_code == 400


def test_assertion_from_another_origin_is_refused_and_audited(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    key.origin = "https://masip.example.evil"
    client = _password_only(cast.lead_worker.email)

    response = _sign_in_with_key(client, key)

    assert response.status_code == 200
    assert NOT_COMPLETED in response.content.decode()
    assert client.get(NOTIFICATIONS)["Location"].startswith(VERIFY)
    assert _events(EventType.MFA_FAILED) == 1


def test_assertion_without_user_verification_is_refused(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    key.user_verified = False
    client = _password_only(cast.lead_worker.email)

    response = _sign_in_with_key(client, key)

    assert NO_USER_VERIFICATION in response.content.decode()
    assert client.get(NOTIFICATIONS)["Location"].startswith(VERIFY)


def test_assertion_with_a_forged_signature_is_refused(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    impostor = SoftwareAuthenticator()
    impostor.credential_id = key.credential_id  # same id, another private key
    client = _password_only(cast.lead_worker.email)

    response = _sign_in_with_key(client, impostor)

    assert NOT_COMPLETED in response.content.decode()
    assert client.get(NOTIFICATIONS)["Location"].startswith(VERIFY)


def test_assertion_cannot_be_replayed(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    client = _password_only(cast.lead_worker.email)
    options = client.post(AUTH_OPTIONS)
    answer = key.authenticate(options.content)
    client.post(VERIFY, {"credential": answer})
    attacker = _password_only(cast.lead_worker.email)
    attacker.post(AUTH_OPTIONS)  # a new challenge; the old answer does not match

    response = attacker.post(VERIFY, {"credential": answer})

    assert NOT_COMPLETED in response.content.decode()
    assert attacker.get(NOTIFICATIONS)["Location"].startswith(VERIFY)


def test_answer_without_a_challenge_is_refused(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    client = _password_only(cast.lead_worker.email)
    options = client.post(AUTH_OPTIONS)
    answer = key.authenticate(options.content)
    session = client.session
    session.pop("masip.webauthn.authentication")
    session.save()

    response = client.post(VERIFY, {"credential": answer})

    assert EXPIRED in response.content.decode()


def test_sign_count_going_back_is_refused_and_audited(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    _sign_in_with_key(_password_only(cast.lead_worker.email), key, sign_count=7)
    client = _password_only(cast.lead_worker.email)

    response = _sign_in_with_key(client, key, sign_count=5)

    assert COUNTER_WENT_BACK in response.content.decode()
    assert client.get(NOTIFICATIONS)["Location"].startswith(VERIFY)
    assert WebAuthnCredential.objects.get().sign_count == 7
    event = AuditEvent.objects.get(event_type=EventType.WEBAUTHN_SIGN_COUNT_REJECTED)
    assert event.target_id == str(WebAuthnCredential.objects.get().pk)
    assert chain_verify().ok


def test_authenticator_without_a_counter_keeps_working(cast, client_for):
    key = _key_for(client_for, "lead_worker")

    first = _sign_in_with_key(_password_only(cast.lead_worker.email), key, sign_count=0)
    again = _sign_in_with_key(_password_only(cast.lead_worker.email), key, sign_count=0)

    assert first["Location"] == again["Location"] == NOTIFICATIONS


def test_another_users_key_does_not_sign_you_in(cast, client_for):
    theirs = _key_for(client_for, "partner_worker")
    _key_for(client_for, "lead_worker")
    client = _password_only(cast.lead_worker.email)

    response = _sign_in_with_key(client, theirs)

    assert NOT_YOURS in response.content.decode()
    assert client.get(NOTIFICATIONS)["Location"].startswith(VERIFY)


def test_authentication_options_allow_only_the_users_own_keys(cast, client_for):
    mine = _key_for(client_for, "lead_worker")
    _key_for(client_for, "partner_worker")
    client = _password_only(cast.lead_worker.email)

    options = client.post(AUTH_OPTIONS).json()

    assert [c["id"] for c in options["allowCredentials"]] == [mine.id]
    assert options["userVerification"] == "required"
    assert options["rpId"] == "testserver"


def test_key_only_account_signs_in_with_a_recovery_code(db):
    user = MembershipFactory().user
    client = _password_only(user.email)
    _register(client, SoftwareAuthenticator(), ENROL_KEY, "Blue key")
    codes = client.get("/sign-in/recovery-codes/").context["codes"]
    fallback = _password_only(user.email)
    page = fallback.get(VERIFY).content.decode()
    assert "Recovery code" in page

    right = fallback.post(VERIFY, {"code": codes[0]})
    again = _password_only(user.email).post(VERIFY, {"code": codes[0]})

    assert right.status_code == 302
    assert fallback.get(NOTIFICATIONS).status_code == 200
    assert _events(EventType.RECOVERY_CODE_USED) == 1
    assert "The code is not correct" in again.content.decode()


def test_key_only_account_is_locked_after_too_many_wrong_codes(db, settings):
    user = MembershipFactory().user
    client = _password_only(user.email)
    _register(client, SoftwareAuthenticator(), ENROL_KEY, "Blue key")
    fallback = _password_only(user.email)

    statuses = [
        fallback.post(VERIFY, {"code": f"wrongcode{n}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]

    assert statuses[-1] == 429


# The sign-in methods page, removal and step-up ------------------------------


def test_security_page_lists_the_users_own_factors(cast, client_for):
    _key_for(client_for, "lead_worker", "Blue key")
    _key_for(client_for, "partner_worker", "Their key")

    page = client_for("lead_worker").get(SECURITY).content.decode()

    assert "Blue key" in page
    assert "Their key" not in page
    assert "Set up. You enter" in page


def test_removing_a_key_needs_a_fresh_factor(cast, client_for):
    _key_for(client_for, "lead_worker")
    pk = WebAuthnCredential.objects.get().pk
    client = client_for("lead_worker")

    response = client.post(f"/account/security/keys/{pk}/remove/")

    assert response["Location"].startswith(CONFIRM)
    assert WebAuthnCredential.objects.exists()


def test_removing_a_key_ends_other_sessions_and_is_audited(cast, client_for):
    _key_for(client_for, "lead_worker")
    pk = WebAuthnCredential.objects.get().pk
    client = _fresh(client_for("lead_worker"))
    other = client_for("lead_worker")
    assert other.get(NOTIFICATIONS).status_code == 200
    assert client.get(f"/account/security/keys/{pk}/remove/").status_code == 200

    response = client.post(f"/account/security/keys/{pk}/remove/")

    assert response["Location"] == SECURITY
    assert not WebAuthnCredential.objects.exists()
    assert client.get(SECURITY).status_code == 200
    assert other.get(NOTIFICATIONS)["Location"].startswith("/sign-in/?")
    event = AuditEvent.objects.get(event_type=EventType.WEBAUTHN_REMOVED)
    assert event.target_id == str(pk)


def test_the_last_factor_cannot_be_removed(db):
    user = MembershipFactory().user
    client = _password_only(user.email)
    _register(client, SoftwareAuthenticator(), ENROL_KEY, "Only key")
    pk = WebAuthnCredential.objects.get().pk

    response = client.post(f"/account/security/keys/{pk}/remove/")

    assert response.status_code == 409
    assert "cannot remove your only way" in response.content.decode()
    assert WebAuthnCredential.objects.exists()
    assert _events(EventType.WEBAUTHN_REMOVED) == 0


def test_removing_the_key_this_session_used_keeps_the_session(cast, client_for):
    first = _key_for(client_for, "lead_worker", "First")
    _key_for(client_for, "lead_worker", "Second")
    authenticator_for(cast.lead_worker).delete()
    client = _password_only(cast.lead_worker.email)
    _sign_in_with_key(client, first)
    pk = WebAuthnCredential.objects.get(name="First").pk

    client.post(f"/account/security/keys/{pk}/remove/")

    assert client.get(NOTIFICATIONS).status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == (
        WebAuthnCredential.objects.get(name="Second").persistent_id
    )


def test_outsider_cannot_see_or_remove_another_users_key(cast, client_for):
    _key_for(client_for, "lead_worker")
    pk = WebAuthnCredential.objects.get().pk
    outsider = _fresh(client_for("outsider"))

    assert outsider.get(f"/account/security/keys/{pk}/remove/").status_code == 404
    assert outsider.post(f"/account/security/keys/{pk}/remove/").status_code == 404
    assert WebAuthnCredential.objects.exists()


def test_confirm_with_a_security_key_makes_the_factor_fresh(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    client = client_for("lead_worker")
    options = client.post(AUTH_OPTIONS)

    response = client.post(
        f"{CONFIRM}?next={ADD}",
        {"step_up_credential": key.authenticate(options.content), "next": ADD},
    )

    assert response["Location"] == ADD
    assert client.get(ADD).status_code == 200
    assert _events(EventType.STEP_UP_VERIFIED) == 1


def test_confirm_with_a_wrong_key_answer_is_refused(cast, client_for):
    key = _key_for(client_for, "lead_worker")
    key.origin = "https://masip.example.evil"
    client = client_for("lead_worker")
    options = client.post(AUTH_OPTIONS)

    response = client.post(
        CONFIRM, {"step_up_credential": key.authenticate(options.content)}
    )

    assert NOT_COMPLETED in response.content.decode()
    assert client.get(ADD)["Location"].startswith(CONFIRM)
    assert _events(EventType.STEP_UP_FAILED) == 1


def test_confirm_with_an_app_code_makes_the_factor_fresh(cast, client_for):
    client = client_for("lead_worker")
    code = totp_code(authenticator_for(cast.lead_worker))

    response = client.post(CONFIRM, {"step_up_code": code, "next": SECURITY})

    assert response["Location"] == SECURITY
    assert client.get(ADD).status_code == 200


def test_confirm_with_a_wrong_code_shows_an_error(cast, client_for):
    client = client_for("lead_worker")

    response = client.post(CONFIRM, {"step_up_code": "000000x"})

    assert response.status_code == 200
    assert "The code is not correct" in response.content.decode()


# Settings -------------------------------------------------------------------


def test_relying_party_settings_are_required_without_debug():
    with pytest.raises(ImproperlyConfigured, match="must be set"):
        webauthn_relying_party_check(rp_id="", origin="", debug=False)
    webauthn_relying_party_check(rp_id="", origin="", debug=True)
    webauthn_relying_party_check(
        rp_id="example.org", origin="https://masip.example.org", debug=False
    )


@pytest.mark.parametrize(
    ("rp_id", "origin"),
    [
        ("masip.example.org", ""),
        ("", "https://masip.example.org"),
        ("masip.example.org", "https://masip.example.org.evil"),
        ("masip.example.org", "http://masip.example.org"),
        ("masip.example.org", "https://masip.example.org/sign-in"),
    ],
)
def test_relying_party_settings_browsers_would_refuse_are_refused(rp_id, origin):
    with pytest.raises(ImproperlyConfigured):
        webauthn_relying_party_check(rp_id=rp_id, origin=origin, debug=False)


def test_user_handle_is_not_personal_data(cast, client_for):
    options = _fresh(client_for("lead_worker")).post(REG_OPTIONS).json()

    assert str(cast.lead_worker.pk) not in options["user"]["id"]
    assert options["user"]["name"] == cast.lead_worker.email
    assert isinstance(User.objects.get(pk=cast.lead_worker.pk), User)
