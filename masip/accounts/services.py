"""Sign-in events and notifications: the writes of the accounts app."""

import enum

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.access.actors import client_ip
from masip.accounts import mfa
from masip.accounts.models import (
    Membership,
    Notification,
    Team,
    User,
    WebAuthnCredential,
)
from masip.accounts.sessions import session_start, sessions_end_everywhere
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.errors import DomainError


def _actor_for_email(request: HttpRequest, email: str) -> audit.AuditActor:
    """The actor of a sign-in attempt: the account if it exists, else the typed name."""
    email = (email or "").strip().lower()[:200]
    user = get_user_model().objects.filter(email=email).first()
    return audit.AuditActor(
        user_id=user.pk if user else None,
        label=f"{user.full_name} <{user.email}>"
        if user
        else f"unknown account <{email}>",
        ip_address=client_ip(request),
    )


def sign_in_record(request: HttpRequest, *, email: str, event_type: EventType) -> None:
    """Audit one sign-in attempt (succeeded, failed or refused while locked)."""
    audit.record(event_type, actor=_actor_for_email(request, email), target_type="user")


def _user_actor(request: HttpRequest, user: User) -> audit.AuditActor:
    return audit.AuditActor(
        user_id=user.pk,
        label=f"{user.full_name} <{user.email}>",
        ip_address=client_ip(request),
    )


def sign_out_record(request: HttpRequest, *, user: User) -> None:
    audit.record(
        EventType.SIGNED_OUT, actor=_user_actor(request, user), target_type="user"
    )


class MfaResult(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    LOCKED = "locked"


def _normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _failed(request: HttpRequest, user: User, device: TOTPDevice) -> MfaResult:
    """Audit a wrong code; the answer is LOCKED once the limit is reached."""
    audit.record(
        EventType.MFA_FAILED, actor=_user_actor(request, user), target_type="user"
    )
    if mfa.locked_until(device) is not None:
        audit.record(
            EventType.SIGN_IN_LOCKED,
            actor=_user_actor(request, user),
            target_type="user",
        )
        return MfaResult.LOCKED
    return MfaResult.WRONG


def _check_totp(device: TOTPDevice, code: str) -> bool:
    """django-otp's check; a refusal for its back-off still counts a failure."""
    before = device.throttling_failure_count
    if device.verify_token(code):
        return True
    if device.throttling_failure_count == before:
        device.throttle_increment()
    return False


def _check_recovery(device: StaticDevice, code: str) -> bool:
    """A recovery code; as for the app, a refusal for back-off counts a failure."""
    before = device.throttling_failure_count
    if device.verify_token(code):
        return True
    if device.throttling_failure_count == before:
        device.throttle_increment()
    return False


def _lock_check(device: TOTPDevice) -> bool:
    """True while locked; a lock that has run out starts the count afresh."""
    if mfa.locked_until(device) is not None:
        return True
    if device.throttling_failure_count >= settings.AXES_FAILURE_LIMIT:
        device.throttle_reset()
    return False


@transaction.atomic
def mfa_verify(request: HttpRequest, *, user: User, code: str) -> MfaResult:
    """Check a code from the authenticator app or a recovery code.

    On success the session is marked verified (django-otp) and given a new key.
    """
    app = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    )
    recovery = (
        StaticDevice.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .first()
    )
    # Wrong codes are counted on the app, or on the recovery codes when the
    # account's factor is a security key (masip/accounts/webauthn.py).
    device = app or recovery
    if device is None:
        raise DomainError("Set up an authenticator app first.")
    if _lock_check(device):
        return MfaResult.LOCKED
    code = _normalise_code(code)
    used: TOTPDevice | StaticDevice | None = None
    if app is not None and code.isdigit() and len(code) == app.digits:
        used = app if _check_totp(app, code) else None
    elif recovery is not None and _check_recovery(recovery, code):
        used = recovery
        device.throttle_reset()
    elif device is app:
        device.throttle_increment()
    if used is None:
        return _failed(request, user, device)
    request.session.cycle_key()
    django_otp.login(request, used)
    if used is app:
        # A recovery code signs in but is not a fresh factor for step-up
        # (``masip.accounts.stepup`` says why).
        mfa.note_factor(request)
    actor = _user_actor(request, user)
    audit.record(EventType.MFA_VERIFIED, actor=actor, target_type="user")
    if used is recovery:
        audit.record(EventType.RECOVERY_CODE_USED, actor=actor, target_type="user")
    return MfaResult.VERIFIED


STEP_UP_TARGET = "step_up"
FACTOR_APP = "authenticator"
FACTOR_KEY = "security_key"


def step_up_record(
    request: HttpRequest,
    *,
    user: User,
    verified: bool,
    action: str,
    factor: str,
    actor: audit.AuditActor | None = None,
    case_reference: str = "",
) -> None:
    """Audit one step-up, right or wrong, whichever factor was used.

    The one shape for every sensitive action: ``STEP_UP_VERIFIED`` or
    ``STEP_UP_FAILED``, target ``step_up`` / ``action`` (for example
    ``export.csv``), the case actor (agency and role) when given, the case
    reference when there is one, and the kind of factor (``authenticator`` or
    ``security_key``) as the only changed field named. Never the code.
    """
    audit.record(
        EventType.STEP_UP_VERIFIED if verified else EventType.STEP_UP_FAILED,
        actor=actor or _user_actor(request, user),
        target_type=STEP_UP_TARGET,
        target_id=action[:64],
        case_reference=case_reference,
        changed_fields=[factor],
    )


@transaction.atomic
def step_up_verify(
    request: HttpRequest,
    *,
    user: User,
    code: str,
    action: str,
    actor: audit.AuditActor | None = None,
    case_reference: str = "",
) -> MfaResult:
    """Check a code from the authenticator app before a sensitive action.

    Only the authenticator app counts: a recovery code is refused (and counted
    as a wrong code), because recovery codes exist to get back into an account,
    not to authorise a reveal, an export or a release (``masip.accounts.stepup``
    says why). Wrong codes count towards the same lockout as signing in; the
    attempt that reaches the limit also ends every session of the user, since
    whoever is at the keyboard has shown they do not hold the factor.

    On success the session's factor is stamped fresh (``mfa.note_factor``).
    Audited by ``step_up_record``. Call it through ``masip.accounts.stepup``.
    """
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    )
    if device is None:
        raise DomainError("Set up an authenticator app first.")
    if _lock_check(device):
        return MfaResult.LOCKED

    def outcome(verified: bool) -> None:
        step_up_record(
            request,
            user=user,
            verified=verified,
            action=action,
            factor=FACTOR_APP,
            actor=actor,
            case_reference=case_reference,
        )

    code = _normalise_code(code)
    if code.isdigit() and len(code) == device.digits:
        verified = _check_totp(device, code)
    else:
        device.throttle_increment()
        verified = False
    outcome(verified)
    if verified:
        mfa.note_factor(request)
        return MfaResult.VERIFIED
    if mfa.locked_until(device) is not None:
        who = actor or _user_actor(request, user)
        audit.record(EventType.SIGN_IN_LOCKED, actor=who, target_type="user")
        sessions_end_everywhere(user)
        return MfaResult.LOCKED
    return MfaResult.WRONG


def mfa_enrol_device(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the user's unconfirmed one, or a new one."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(
        user=user, confirmed=False
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=mfa.AUTHENTICATOR_NAME, confirmed=False
        )
    return device


@transaction.atomic
def mfa_enrol_confirm(
    request: HttpRequest, *, user: User, code: str
) -> tuple[MfaResult, list[str]]:
    """Confirm the new authenticator with a code from it.

    On success: the authenticator is confirmed (and any other removed), ten new
    recovery codes replace any old ones (returned, to be shown once), every
    other session of the user ends, and this one is stamped afresh and verified.
    """
    device = TOTPDevice.objects.select_for_update().get(
        pk=mfa_enrol_device(user=user).pk
    )
    if _lock_check(device):
        return MfaResult.LOCKED, []
    code = _normalise_code(code)
    if not (code.isdigit() and _check_totp(device, code)):
        if not code.isdigit():
            device.throttle_increment()
        return _failed(request, user, device), []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(
        user=user, name=mfa.RECOVERY_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(mfa.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=recovery, token=token) for token in codes]
    )
    # A change of factor: end every other session, keep this one.
    sessions_end_everywhere(user)
    user.refresh_from_db(fields=["session_epoch"])
    request.session.cycle_key()
    session_start(request, user)
    django_otp.login(request, device)
    mfa.note_factor(request)
    audit.record(
        EventType.MFA_ENROLLED,
        actor=_user_actor(request, user),
        target_type="user",
        changed_fields=["authenticator", "recovery_codes"],
    )
    return MfaResult.VERIFIED, codes


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_open(*, notification: Notification) -> str:
    """Mark the notice read (once) and answer the page it is about.

    The page is its ``link`` when that is a path inside MASIP, else the case
    page when it names a case, else the notifications page.
    """
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    link = notification.link
    if link.startswith("/") and url_has_allowed_host_and_scheme(
        link, allowed_hosts=None
    ):
        return link
    if notification.case_reference:
        return reverse("cases:case-detail", args=[notification.case_reference])
    return reverse("accounts:notifications")


def _admin_actor(request: HttpRequest, membership: Membership) -> audit.AuditActor:
    user = membership.user
    return audit.AuditActor(
        user_id=user.pk,
        label=f"{user.full_name} <{user.email}>",
        agency_id=membership.agency_id,
        agency_label=membership.agency.name,
        role=membership.role,
        ip_address=client_ip(request),
    )


@transaction.atomic
def membership_add(
    request: HttpRequest,
    *,
    by: Membership,
    email: str,
    full_name: str,
    role: str,
    team: Team | None,
) -> Membership:
    """Add a member of staff to the admin's agency (creating the account if new).

    A new account has no usable password until one is set by an administrator
    through ``masip createadmin`` or the password-reset flow of a later issue.
    """
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    if Membership.objects.filter(user=user, agency=by.agency).exists():
        raise DomainError(f"{email} is already a member of {by.agency.name}.")
    membership = Membership.objects.create(
        user=user, agency=by.agency, role=role, team=team
    )
    audit.record(
        EventType.MEMBERSHIP_CHANGED,
        actor=_admin_actor(request, by),
        target_type="membership",
        target_id=membership.pk,
        changed_fields=["user", "role", "team", "is_active"],
    )
    return membership


@transaction.atomic
def membership_update(
    request: HttpRequest,
    *,
    by: Membership,
    membership: Membership,
    role: str,
    team: Team | None,
    is_active: bool,
) -> Membership:
    """Change a member's role, team or whether the membership is active."""
    if membership.pk == by.pk and (role != by.role or not is_active):
        raise DomainError("You cannot change your own role or switch yourself off.")
    changed = [
        name
        for name, value in (("role", role), ("team", team), ("is_active", is_active))
        if getattr(membership, name) != value
    ]
    membership.role, membership.team, membership.is_active = role, team, is_active
    membership.save(update_fields=["role", "team", "is_active"])
    if "is_active" in changed and not is_active:
        # Switched off: end their sessions now rather than at the idle timeout.
        sessions_end_everywhere(membership.user)
    audit.record(
        EventType.MEMBERSHIP_CHANGED,
        actor=_admin_actor(request, by),
        target_type="membership",
        target_id=membership.pk,
        changed_fields=changed,
    )
    return membership


@transaction.atomic
def second_factors_reset(
    request: HttpRequest, *, by: Membership, membership: Membership, reason: str
) -> int:
    """An administrator's reset for someone who lost every second factor.

    Removes the user's authenticator app, recovery codes and security keys,
    ends all their sessions, and tells them in-app. At their next sign-in the
    password takes them to set up a factor again. The administrator never
    chooses a factor or a password for them (ASVS 6.4.6), and cannot reset
    their own. Returns how many factors were removed.
    """
    user = membership.user
    if user.pk == by.user_id:
        raise DomainError(
            "You cannot reset your own sign-in methods. Ask another administrator."
        )
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the sign-in methods are being reset.")
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    sessions_end_everywhere(user)
    Notification.objects.create(
        recipient=user,
        kind=Notification.Kind.SIGN_IN_METHODS,
        message=(
            f"{by.agency.name}'s administrator reset your sign-in methods on "
            f"{timezone.localdate():%-d %B %Y}. If you did not ask for this, tell "
            "your manager at once."
        ),
    )
    audit.record(
        EventType.MFA_RESET,
        actor=_admin_actor(request, by),
        target_type="user",
        target_id=user.pk,
        changed_fields=["authenticator", "recovery_codes", "security_keys"],
    )
    return removed
