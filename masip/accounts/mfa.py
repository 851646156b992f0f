"""Multi-factor sign-in: the second step after the password (issue 3).

A correct password signs a session in but leaves it *unverified*. Until the
session is verified with a code from the user's authenticator app (TOTP) or a
single-use recovery code, ``MfaRequiredMiddleware`` sends every request to
``accounts:mfa-verify`` (the user has a confirmed authenticator) or to
``accounts:mfa-enrol`` (they have none yet). The devices, the TOTP maths and
the session marker are django-otp's (``django_otp.login`` puts the verifying
device's id in the session; ``OTPMiddleware`` reads it back).

Lockout: the same policy as the password (``AXES_FAILURE_LIMIT`` wrong codes
lock the account for ``AXES_COOLOFF_TIME``), counted on the TOTP device's
django-otp throttling fields, which also add django-otp's growing delay
between attempts.
"""

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.accounts.models import User, WebAuthnCredential

# Reachable from a signed-in session that has not given its second factor.
ALLOWED_UNVERIFIED = frozenset(
    {
        "accounts:sign-out",
        "accounts:health",
        "accounts:mfa-verify",
        "accounts:mfa-enrol",
        "core:csp-report",
        # WebAuthn: the security-key half of the two pages above.
        "accounts:webauthn-enrol",
        "accounts:webauthn-register-options",
        "accounts:webauthn-authenticate-options",
    }
)
# When this session last proved a second factor (seconds since the epoch); the
# step-up check reads it (``factor_is_fresh``).
FACTOR_AT_SESSION_KEY = "masip_factor_at"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
ISSUER = "MASIP"


def is_verified(user: Any) -> bool:
    """Whether this signed-in user's session has passed the second factor."""
    return getattr(user, "otp_device", None) is not None


def note_factor(request: HttpRequest) -> None:
    """Record that this session has just proved a second factor."""
    request.session[FACTOR_AT_SESSION_KEY] = int(timezone.now().timestamp())


def factor_age(request: HttpRequest) -> dt.timedelta | None:
    """How long ago this session last proved a second factor, if it has."""
    stamp = request.session.get(FACTOR_AT_SESSION_KEY)
    if not isinstance(stamp, int):
        return None
    return timezone.now() - dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


def factor_is_fresh(request: HttpRequest) -> bool:
    """Whether a second factor was proved within ``MASIP_STEP_UP_SECONDS``."""
    age = factor_age(request)
    return age is not None and age <= dt.timedelta(
        seconds=settings.MASIP_STEP_UP_SECONDS
    )


def confirmed_authenticator(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first()
    return device


def has_second_factor(user: User) -> bool:
    """Whether the user has set up a second factor: an app or a security key."""
    return (
        confirmed_authenticator(user) is not None
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def locked_until(device: TOTPDevice) -> dt.datetime | None:
    """When a lockout of this device's account ends, or None if not locked."""
    if device.throttling_failure_count < settings.AXES_FAILURE_LIMIT:
        return None
    if device.throttling_failure_timestamp is None:
        return None
    until: dt.datetime = (
        device.throttling_failure_timestamp + settings.AXES_COOLOFF_TIME
    )
    return until if until > timezone.now() else None


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def secret_grouped(device: TOTPDevice) -> str:
    """The secret in groups of four letters, as people type it."""
    secret = secret_base32(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_url(device: TOTPDevice) -> str:
    """The key URI authenticator apps read from a QR code."""
    label = f"{ISSUER}:{device.user.email}"
    query = urlencode(
        {
            "secret": secret_base32(device),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def qr_code_data_uri(text: str) -> str:
    """A QR code as an SVG data URI, for an <img> (the CSP allows data: images)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: bytes = image.to_string(encoding="unicode").encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def safe_next(request: HttpRequest) -> str:
    """The ``next`` page asked for, if it is on this site; else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


class MfaRequiredMiddleware:
    """Sends a signed-in but unverified session to the second-factor pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not is_verified(user)
            and not self._allowed(request)
        ):
            target = reverse(
                "accounts:mfa-verify"
                if has_second_factor(user)
                else "accounts:mfa-enrol"
            )
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in ALLOWED_UNVERIFIED
