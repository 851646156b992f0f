"""How long a signed-in session lives, and ending all of a user's sessions.

* Idle timeout: Django's session age (``MASIP_IDLE_TIMEOUT_MINUTES``), renewed
  by use. Writing the session on every request would cost each page a write
  to the session table (three statements and a commit), so a request renews it
  only once its last renewal is ``renew_interval()`` old (a minute, or a tenth
  of the timeout if shorter). An idle session therefore ends between the
  timeout less that interval and the timeout: never later.
* Absolute cap: ``MASIP_SESSION_MAX_HOURS`` after signing in, however busy.
* Ending everywhere: each session remembers the user's ``session_epoch`` at
  sign-in; raising the epoch (on sign-out, or when a membership is switched
  off) ends every other session of that user at its next request.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from masip.accounts.models import User

SIGNED_IN_AT = "masip.signed_in_at"
EPOCH = "masip.session_epoch"
RENEWED_AT = "masip.renewed_at"
RENEW_INTERVAL_CAP = 60  # seconds


def session_start(request: HttpRequest, user: User) -> None:
    """Stamp a new session with its start time and the user's epoch."""
    stamp_session(request.session, user)


def stamp_session(session: SessionBase, user: User) -> None:
    """The stamps of ``session_start``, on a session object."""
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now
    session[RENEWED_AT] = now
    session[EPOCH] = user.session_epoch


def sessions_end_everywhere(user: User) -> None:
    """End every session of ``user`` (each notices at its next request)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


def renew_interval() -> int:
    """Seconds between two renewals of a session in use."""
    return max(1, min(RENEW_INTERVAL_CAP, settings.SESSION_COOKIE_AGE // 10))


def renew_if_due(request: HttpRequest) -> None:
    """Mark a session in use for saving (which renews its expiry) when due.

    A session this request changed is saved, and so renewed, anyway; an empty
    one (never used, or just flushed by signing out) is not stored.
    """
    session = getattr(request, "session", None)
    if session is None or session.modified or session.is_empty():
        return
    now = timezone.now().timestamp()
    if now - session.get(RENEWED_AT, 0) >= renew_interval():
        session[RENEWED_AT] = now


def session_ended_because(request: HttpRequest, user: User) -> str:
    """Why this session may no longer be used, or "" while it is valid."""
    if SIGNED_IN_AT not in request.session:
        # Made without the sign-in page (an administrator's tool): start it now.
        session_start(request, user)
    age_hours = (timezone.now().timestamp() - request.session[SIGNED_IN_AT]) / 3600
    if age_hours > settings.MASIP_SESSION_MAX_HOURS:
        return (
            f"You were signed out because you have been signed in for more "
            f"than {settings.MASIP_SESSION_MAX_HOURS} hours. Sign in again."
        )
    if request.session.get(EPOCH) != user.session_epoch:
        return "You were signed out because your session was ended. Sign in again."
    return ""


class SessionLimitsMiddleware:
    """Signs out a session past its absolute cap or ended elsewhere, and
    renews the idle timeout of a session in use (``renew_if_due``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            reason = session_ended_because(request, user)
            if reason:
                logout(request)
                messages.info(request, reason)
                target = reverse("accounts:sign-in")
                return redirect(f"{target}?{urlencode({'next': request.path})}")
        response = self.get_response(request)
        renew_if_due(request)
        return response
