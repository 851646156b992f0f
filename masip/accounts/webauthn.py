"""WebAuthn: security keys, platform authenticators and passkeys (issue 3).

A second factor beside the authenticator app (ADR 0018). The two ceremonies
are py_webauthn's; this module keeps their state and writes their results:

* Registration: ``registration_options`` makes a challenge, keeps it in the
  session and answers the options for ``navigator.credentials.create()``;
  ``webauthn_credential_register`` checks the browser's answer against that
  challenge and stores a ``WebAuthnCredential``.
* Authentication: ``authentication_options`` does the same for
  ``navigator.credentials.get()``, allowing only the user's own credentials;
  ``webauthn_sign_in`` (the second step of signing in) and
  ``webauthn_step_up`` (a fresh factor for a sensitive action) check the
  assertion's signature with the stored public key.

Policy (ADR 0018): user verification is *required* at both ceremonies (a PIN
or biometric on the authenticator, on top of the touch that proves presence),
attestation is "none" (no make or model is collected), credentials are
non-discoverable (a second factor, not a username), and a signature counter
that does not go up is refused and audited as a possible cloned key.

Each challenge is single-use: it leaves the session when an answer is
checked, right or wrong, and it lapses after ``CHALLENGE_SECONDS``.
"""

import dataclasses
import time

import django_otp
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from masip.access.actors import client_ip
from masip.accounts import mfa, services
from masip.accounts.models import User, WebAuthnCredential
from masip.accounts.selectors import security_key_list
from masip.accounts.sessions import session_start, sessions_end_everywhere
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError

REGISTRATION_KEY = "masip.webauthn.registration"
AUTHENTICATION_KEY = "masip.webauthn.authentication"
CHALLENGE_SECONDS = 300
TIMEOUT_MS = 180_000
RP_NAME = "MASIP"
TARGET_TYPE = "webauthn_credential"

NOT_COMPLETED = "Your security key was not recognised. Try again, or use your code."
EXPIRED = "The request to your security key has expired. Try again."
NOT_YOURS = "That security key is not registered to your account. Use another one."
NO_USER_VERIFICATION = (
    "Your security key did not check your PIN, fingerprint or face. "
    "Set a PIN on your key, or use another one."
)
COUNTER_WENT_BACK = (
    "Your security key could not be trusted because it may have been copied. "
    "Use your code, and ask your agency administrator to check the key."
)
ALREADY_REGISTERED = "That security key is already registered."
NAME_TAKEN = "You already have a security key with that name. Enter a different name."


@dataclasses.dataclass(frozen=True)
class RelyingParty:
    """Who the credentials are for: MASIP's host name and its exact origin."""

    id: str
    origin: str


def relying_party(request: HttpRequest) -> RelyingParty:
    """From ``MASIP_WEBAUTHN_RP_ID``/``_ORIGIN``; else from the request's host.

    The settings refuse to load without them when DEBUG is off, so the
    request's host (already checked against ``ALLOWED_HOSTS``) is used only
    in development and tests.
    """
    host = request.get_host()
    rp_id = settings.MASIP_WEBAUTHN_RP_ID or split_domain_port(host)[0]
    origin = settings.MASIP_WEBAUTHN_ORIGIN or f"{request.scheme}://{host}"
    return RelyingParty(id=rp_id, origin=origin)


def user_handle(user: User) -> bytes:
    """A stable, opaque WebAuthn user id: no e-mail or database id leaves us."""
    return salted_hmac(
        "masip.webauthn.user-handle", str(user.pk), algorithm="sha256"
    ).digest()


_TRANSPORTS = frozenset(t.value for t in AuthenticatorTransport)


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(credential.credential_id),
            transports=[
                AuthenticatorTransport(t)
                for t in credential.transports
                if t in _TRANSPORTS
            ]
            or None,
        )
        for credential in security_key_list(user=user)
    ]


def _challenge_keep(request: HttpRequest, key: str, challenge: bytes) -> None:
    request.session[key] = {
        "challenge": bytes_to_base64url(challenge),
        "at": int(time.time()),
    }


def _challenge_take(request: HttpRequest, key: str) -> bytes | None:
    """The challenge given out, removed from the session; None if none or lapsed."""
    kept = request.session.pop(key, None)
    if not isinstance(kept, dict):
        return None
    if int(time.time()) - int(kept.get("at", 0)) > CHALLENGE_SECONDS:
        return None
    return base64url_to_bytes(str(kept.get("challenge", "")))


def registration_options(request: HttpRequest, *, user: User) -> str:
    """Options (JSON) for ``navigator.credentials.create()``; keeps the challenge."""
    options = generate_registration_options(
        rp_id=relying_party(request).id,
        rp_name=RP_NAME,
        user_id=user_handle(user),
        user_name=user.email,
        user_display_name=user.full_name or user.email,
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    _challenge_keep(request, REGISTRATION_KEY, options.challenge)
    return options_to_json(options)


def authentication_options(request: HttpRequest, *, user: User) -> str:
    """Options (JSON) for ``navigator.credentials.get()``; keeps the challenge."""
    options = generate_authentication_options(
        rp_id=relying_party(request).id,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    _challenge_keep(request, AUTHENTICATION_KEY, options.challenge)
    return options_to_json(options)


def _actor(request: HttpRequest, user: User) -> audit.AuditActor:
    return audit.AuditActor(
        user_id=user.pk,
        label=f"{user.full_name} <{user.email}>",
        ip_address=client_ip(request),
    )


def _registered(
    request: HttpRequest, *, user: User, response: str, name: str
) -> WebAuthnCredential:
    """Check a registration answer and store the credential (or DomainError)."""
    challenge = _challenge_take(request, REGISTRATION_KEY)
    if challenge is None:
        raise DomainError(EXPIRED)
    rp = relying_party(request)
    try:
        parsed = parse_registration_credential_json(response)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError) as exc:
        uv = "User verification is required" in str(exc)
        raise DomainError(NO_USER_VERIFICATION if uv else NOT_COMPLETED) from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if WebAuthnCredential.objects.filter(credential_id=credential_id).exists():
        raise DomainError(ALREADY_REGISTERED)
    if WebAuthnCredential.objects.filter(user=user, name=name).exists():
        raise DomainError(NAME_TAKEN)
    try:
        with transaction.atomic():
            return WebAuthnCredential.objects.create(
                user=user,
                name=name,
                confirmed=True,
                credential_id=credential_id,
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=[str(t.value) for t in parsed.response.transports or []],
                aaguid=verified.aaguid,
                backup_eligible=(
                    verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE
                ),
            )
    except IntegrityError as exc:  # the same key or name, registered meanwhile
        raise DomainError(ALREADY_REGISTERED) from exc


def _recovery_codes_issue(user: User) -> list[str]:
    """Ten new single-use recovery codes, replacing any old ones."""
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(
        user=user, name=mfa.RECOVERY_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(mfa.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=recovery, token=token) for token in codes]
    )
    return codes


def _factor_changed(request: HttpRequest, user: User) -> None:
    """End every other session of the user; keep this one, stamped afresh."""
    sessions_end_everywhere(user)
    user.refresh_from_db(fields=["session_epoch"])
    request.session.cycle_key()
    session_start(request, user)


@transaction.atomic
def webauthn_credential_register(
    request: HttpRequest, *, user: User, response: str, name: str
) -> tuple[WebAuthnCredential, list[str]]:
    """Store a new security key for ``user`` from the browser's answer.

    A change of factor: every other session of the user ends. When this is
    the account's first factor (set up at first sign-in), the session is
    verified with it and recovery codes are issued (returned, shown once);
    otherwise the list of codes is empty.
    """
    first = not mfa.has_second_factor(user)
    credential = _registered(request, user=user, response=response, name=name)
    codes = _recovery_codes_issue(user) if first else []
    _factor_changed(request, user)
    if first:
        django_otp.login(request, credential)
    mfa.note_factor(request)
    audit.record(
        EventType.WEBAUTHN_REGISTERED,
        actor=_actor(request, user),
        target_type=TARGET_TYPE,
        target_id=credential.pk,
        changed_fields=["security_key", "recovery_codes"]
        if first
        else ["security_key"],
    )
    return credential, codes


@transaction.atomic
def webauthn_credential_remove(
    request: HttpRequest, *, user: User, credential: WebAuthnCredential
) -> None:
    """Remove one of the user's security keys; another factor must remain.

    The caller has checked that the session proved a factor recently.
    """
    locked = WebAuthnCredential.objects.select_for_update().filter(
        user=user, pk=credential.pk
    )
    if not locked.exists():
        raise DomainError("That security key has already been removed.")
    others = WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(
        pk=credential.pk
    )
    if mfa.confirmed_authenticator(user) is None and not others.exists():
        raise DomainError(
            "You cannot remove your only way to confirm it is you. Add another "
            "security key or set up an authenticator app first."
        )
    used_now = getattr(request.user, "otp_device", None)
    locked.delete()
    _factor_changed(request, user)
    if isinstance(used_now, WebAuthnCredential) and used_now.pk == credential.pk:
        # This session was verified with the key just removed: carry on with
        # the factor that remains (a fresh factor was proved just now).
        remaining = mfa.confirmed_authenticator(user) or others.first()
        django_otp.login(request, remaining)
    audit.record(
        EventType.WEBAUTHN_REMOVED,
        actor=_actor(request, user),
        target_type=TARGET_TYPE,
        target_id=credential.pk,
        changed_fields=["security_key"],
    )


@dataclasses.dataclass(frozen=True)
class Assertion:
    """The outcome of checking a security key's answer."""

    credential: WebAuthnCredential | None
    error: str = ""
    counter_went_back: bool = False


def _asserted(request: HttpRequest, *, user: User, response: str) -> Assertion:
    """Check an authentication answer against the user's own credentials."""
    challenge = _challenge_take(request, AUTHENTICATION_KEY)
    if challenge is None:
        return Assertion(None, EXPIRED)
    rp = relying_party(request)
    try:
        parsed = parse_authentication_credential_json(response)
    except (WebAuthnException, ValueError, TypeError):
        return Assertion(None, NOT_COMPLETED)
    credential = (
        WebAuthnCredential.objects.select_for_update()
        .filter(user=user, confirmed=True, credential_id=parsed.id)
        .first()
    )
    if credential is None:
        return Assertion(None, NOT_YOURS)
    try:
        # A current count of 0 switches off py_webauthn's own counter check,
        # so that a counter going back is told apart, and audited, below;
        # the signature is verified first either way.
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=bytes(credential.public_key),
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError) as exc:
        uv = "User verification is required" in str(exc)
        return Assertion(None, NO_USER_VERIFICATION if uv else NOT_COMPLETED)
    new, old = verified.new_sign_count, credential.sign_count
    if (new > 0 or old > 0) and new <= old:
        return Assertion(credential, COUNTER_WENT_BACK, counter_went_back=True)
    credential.sign_count = new
    credential.last_used_at = timezone.now()
    credential.save(update_fields=["sign_count", "last_used_at"])
    return Assertion(credential)


def _refused(
    request: HttpRequest, user: User, result: Assertion, failed: EventType
) -> None:
    actor = _actor(request, user)
    target_id = result.credential.pk if result.credential else ""
    audit.record(failed, actor=actor, target_type=TARGET_TYPE, target_id=target_id)
    if result.counter_went_back:
        audit.record(
            EventType.WEBAUTHN_SIGN_COUNT_REJECTED,
            actor=actor,
            target_type=TARGET_TYPE,
            target_id=target_id,
        )


@transaction.atomic
def webauthn_sign_in(request: HttpRequest, *, user: User, response: str) -> Assertion:
    """The second step of signing in, with a security key.

    On success the session gets a new key and is marked verified with the
    credential (django-otp), the factor's time is noted, and MFA_VERIFIED is
    audited. A refusal is audited as MFA_FAILED (and a counter that went
    back as WEBAUTHN_SIGN_COUNT_REJECTED) and committed with the refusal.
    """
    result = _asserted(request, user=user, response=response)
    if result.error or result.credential is None:
        _refused(request, user, result, EventType.MFA_FAILED)
        return result
    request.session.cycle_key()
    django_otp.login(request, result.credential)
    mfa.note_factor(request)
    audit.record(
        EventType.MFA_VERIFIED,
        actor=_actor(request, user),
        target_type=TARGET_TYPE,
        target_id=result.credential.pk,
    )
    return result


@transaction.atomic
def webauthn_step_up(
    request: HttpRequest,
    *,
    user: User,
    response: str,
    action: str,
    actor: audit.AuditActor | None = None,
    case_reference: str = "",
) -> Assertion:
    """A fresh second factor from a security key, for a sensitive action.

    Call it through ``masip.accounts.stepup``. Right or wrong, the step-up is
    audited in the same shape as a code (``services.step_up_record``), a
    counter that went back also as ``WEBAUTHN_SIGN_COUNT_REJECTED``. As at
    sign-in, a key's wrong answers do not lock the account.
    """
    result = _asserted(request, user=user, response=response)
    verified = not result.error and result.credential is not None
    services.step_up_record(
        request,
        user=user,
        verified=verified,
        action=action,
        factor=services.FACTOR_KEY,
        actor=actor,
        case_reference=case_reference,
    )
    if result.counter_went_back:
        audit.record(
            EventType.WEBAUTHN_SIGN_COUNT_REJECTED,
            actor=actor or _actor(request, user),
            target_type=TARGET_TYPE,
            target_id=result.credential.pk if result.credential else "",
        )
    if verified:
        mfa.note_factor(request)
    return result
