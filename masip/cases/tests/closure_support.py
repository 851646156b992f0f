"""What the closure tests share: a frozen clock, a risk review, an action, a
second lead-agency manager, and a request made through the service."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from masip.access.roles import RoleName
from masip.accounts.models import User
from masip.accounts.tests.factories import (
    MembershipFactory,
    UserFactory,
    authenticator_for,
)
from masip.cases import services
from masip.cases.models import Case, ClosureReason, ClosureRequest
from masip.people.tests.factories import actor_for
from masip.risk.models import Assessment

LONDON = ZoneInfo("Europe/London")


@contextmanager
def frozen_at(year: int, month: int, day: int, hour: int = 12) -> Iterator[None]:
    """``timezone.now()`` (and so ``localdate()``) fixed at noon London time.

    ``time_machine`` is not installed here; every clock read in the closure
    code goes through ``django.utils.timezone.now``, which this replaces.
    """
    moment = dt.datetime(year, month, day, hour, tzinfo=LONDON)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def review(case: Case, by: User, *, days_ago: int = 1, level: str = "medium"):
    """A risk assessment with a level, completed ``days_ago`` days ago."""
    from django.utils import timezone

    assessment = Assessment(
        case=case,
        instrument_code="masip-stalking-screen",
        instrument_version=1,
        perspective="police",
        scored_level=level,
        level=level,
        completed_by=by,
        agency=case.lead_agency,
        completed_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    assessment.answers = {}
    assessment.result = {}
    assessment.save()
    return assessment


def action(case: Case, by: User, *, status: str = "open"):
    """An action on the case for its lead agency."""
    from django.utils import timezone

    from masip.panels.models import Action

    return Action.objects.create(
        case=case,
        owner_agency=case.lead_agency,
        description="Visit the victim to review the safety plan.",
        due_on=timezone.localdate() + dt.timedelta(days=7),
        status=status,
        completed_at=timezone.now() if status == "done" else None,
        created_by=by,
    )


def second_manager(cast, name: str = "Second Manager") -> User:
    """Another team manager of Police A, the cast case's lead agency."""
    user = UserFactory(full_name=name, email=f"{name.lower().replace(' ', '.')}@x.test")
    MembershipFactory(user=user, agency=cast.police_a, role=RoleName.TEAM_MANAGER)
    authenticator_for(user)
    return user


def client_as(user: User) -> Client:
    """A test client signed in as ``user``, past the second factor."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
    return client


def ask_to_close(cast, *, by: User | None = None) -> ClosureRequest:
    """A closure request on the cast's case with its checklist met."""
    from django.utils import timezone

    requester = by or cast.lead_worker
    if not Assessment.objects.filter(case=cast.case).exclude(level="").exists():
        review(cast.case, cast.lead_worker)
    return services.closure_request(
        actor=actor_for(requester),
        case=cast.case,
        reason=ClosureReason.RISK_REDUCED,
        note="No contact for six months; the panel agreed to close.",
        victim_informed=True,
        victim_informed_how="By phone, through the advocate.",
        victim_informed_on=timezone.localdate(),
    )
