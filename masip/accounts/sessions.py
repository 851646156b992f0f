"""How long a signed-in session lives, and ending all of a user's sessions.

* Idle timeout: Django's session age (``MASIP_IDLE_TIMEOUT_MINUTES``), renewed
  on every request (``SESSION_SAVE_EVERY_REQUEST``).
* Absolute cap: ``MASIP_SESSION_MAX_HOURS`` after signing in, however busy.
* Ending everywhere: each session remembers the user's ``session_epoch`` at
  sign-in; raising the epoch (on sign-out, or when a membership is switched
  off) ends every other session of that user at its next request.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from masip.accounts.models import User

SIGNED_IN_AT = "masip.signed_in_at"
EPOCH = "masip.session_epoch"


def session_start(request: HttpRequest, user: User) -> None:
    """Stamp a new session with its start time and the user's epoch."""
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()
    request.session[EPOCH] = user.session_epoch


def sessions_end_everywhere(user: User) -> None:
    """End every session of ``user`` (each notices at its next request)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


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
    """Signs out a session past its absolute cap or ended elsewhere."""

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
        return self.get_response(request)
