"""Session lifetimes: the idle timeout, the absolute cap, and ending every
session of a user."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from masip.access.roles import RoleName
from masip.accounts.models import Membership, User
from masip.accounts.sessions import RENEWED_AT, SIGNED_IN_AT, renew_interval
from masip.accounts.tests.factories import TEST_PASSWORD, authenticator_for, totp_code

NOTIFICATIONS = "/notifications/"


def _signed_in(email: str) -> Client:
    client = Client()
    client.post("/sign-in/", {"username": email, "password": TEST_PASSWORD})
    device = authenticator_for(User.objects.get(email=email))
    client.post(reverse("accounts:mfa-verify"), {"code": totp_code(device)})
    return client


def test_sign_in_stamps_the_session_with_its_start(cast):
    client = _signed_in("lead_worker@example.test")

    started = client.session[SIGNED_IN_AT]

    assert abs(started - timezone.now().timestamp()) < 60


def test_session_older_than_the_absolute_cap_is_ended(cast, settings):
    client = _signed_in("lead_worker@example.test")
    session = client.session
    hours = settings.MASIP_SESSION_MAX_HOURS
    session[SIGNED_IN_AT] = (
        timezone.now() - dt.timedelta(hours=hours, seconds=1)
    ).timestamp()
    session.save()

    response = client.get(NOTIFICATIONS)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    page = client.get(response["Location"])
    assert f"more than {hours} hours" in page.content.decode()
    assert client.get(NOTIFICATIONS).status_code == 302


def test_session_within_the_cap_carries_on(cast, settings):
    client = _signed_in("lead_worker@example.test")
    session = client.session
    hours = settings.MASIP_SESSION_MAX_HOURS
    session[SIGNED_IN_AT] = (timezone.now() - dt.timedelta(hours=hours - 1)).timestamp()
    session.save()

    assert client.get(NOTIFICATIONS).status_code == 200


def test_signing_out_ends_the_users_other_sessions(cast):
    laptop = _signed_in("lead_worker@example.test")
    phone = _signed_in("lead_worker@example.test")
    colleague = _signed_in("lead_manager@example.test")

    laptop.post(reverse("accounts:sign-out"))

    response = phone.get(NOTIFICATIONS)
    assert response.status_code == 302
    assert "your session was ended" in phone.get(response["Location"]).content.decode()
    assert colleague.get(NOTIFICATIONS).status_code == 200


def test_switching_off_a_membership_ends_that_users_sessions(cast, client_for):
    worker = _signed_in("lead_worker@example.test")
    member = Membership.objects.get(user=cast.lead_worker)

    client_for("agency_admin").post(
        reverse("accounts:staff-edit", args=[member.pk]), {"role": RoleName.CASE_WORKER}
    )

    assert worker.get(NOTIFICATIONS).status_code == 302


def test_disabled_account_is_signed_out_at_its_next_request(cast):
    client = _signed_in("lead_worker@example.test")
    cast.lead_worker.is_active = False
    cast.lead_worker.save(update_fields=["is_active"])

    response = client.get(NOTIFICATIONS)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_session_made_without_the_sign_in_page_is_stamped_on_first_use(cast):
    client = Client()
    client.force_login(
        cast.lead_worker, backend="django.contrib.auth.backends.ModelBackend"
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(cast.lead_worker).persistent_id
    session.save()

    client.get(NOTIFICATIONS)

    assert SIGNED_IN_AT in client.session


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _writes_to_sessions(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(NOTIFICATIONS).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_a_session_renewed_within_the_interval_is_not_written_again(cast):
    client = _signed_in("lead_worker@example.test")
    before = _expiry(client)

    assert _writes_to_sessions(client) == []
    assert _expiry(client) == before


def test_a_session_last_renewed_an_interval_ago_is_renewed(cast, settings):
    client = _signed_in("lead_worker@example.test")
    session = client.session
    stale = timezone.now() - dt.timedelta(seconds=renew_interval())
    session[RENEWED_AT] = stale.timestamp()
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=stale + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )

    assert len(_writes_to_sessions(client)) == 1
    expires_in = _expiry(client) - timezone.now()
    assert expires_in > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    assert client.session[RENEWED_AT] > stale.timestamp()


def test_a_session_idle_for_the_timeout_is_ended(cast, settings):
    client = _signed_in("lead_worker@example.test")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get(NOTIFICATIONS)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_renewal_interval_is_a_minute_or_a_tenth_of_a_short_timeout(settings):
    settings.SESSION_COOKIE_AGE = 15 * 60
    assert renew_interval() == 60
    settings.SESSION_COOKIE_AGE = 5 * 60
    assert renew_interval() == 30
    settings.SESSION_COOKIE_AGE = 5
    assert renew_interval() == 1
