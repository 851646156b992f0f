"""Sign in, lockout, sign out and notifications."""

import pytest
from django.test import Client
from django.urls import reverse

from masip.accounts.models import Notification
from masip.accounts.tests.factories import TEST_PASSWORD
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.audit.verify import chain_verify

SIGN_IN = "/sign-in/"


def _sign_in(client: Client, email: str, password: str):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_sign_in_page_renders_for_anonymous(db):
    response = Client().get(SIGN_IN)

    assert response.status_code == 200
    assert b"Sign in to MASIP" in response.content


def test_sign_in_succeeds_and_is_audited(cast):
    client = Client()

    response = _sign_in(client, "lead_worker@example.test", TEST_PASSWORD)

    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_SUCCEEDED)
    assert event.actor_id == cast.lead_worker.pk


def test_sign_in_failure_shows_error_summary_and_is_audited(cast):
    response = _sign_in(Client(), "lead_worker@example.test", "wrong password")

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a correct email address and password." in response.content
    assert AuditEvent.objects.filter(event_type=EventType.SIGN_IN_FAILED).count() == 1


def test_sign_in_with_blank_fields_shows_field_errors(db):
    response = Client().post(SIGN_IN, {"username": "", "password": ""})

    assert b"Enter your email address." in response.content
    assert b"Enter your password." in response.content


def test_five_failures_lock_the_account_even_for_the_right_password(cast):
    client = Client()
    for _ in range(5):
        _sign_in(client, "lead_worker@example.test", "wrong password")

    response = _sign_in(client, "lead_worker@example.test", TEST_PASSWORD)

    assert response.status_code == 429
    assert b"Your account is locked" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type=EventType.SIGN_IN_LOCKED).exists()
    assert chain_verify().ok


def test_unknown_account_failure_is_audited_without_user(db):
    _sign_in(Client(), "nobody@example.test", "whatever-password")

    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert event.actor_id is None
    assert "nobody@example.test" in event.actor_label


def test_sign_out_ends_session_and_is_audited(client_for):
    client = client_for("lead_worker")

    response = client.post(reverse("accounts:sign-out"))

    assert response.status_code == 302
    assert client.get(reverse("accounts:notifications")).status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.SIGNED_OUT).exists()


def test_sign_out_refuses_get(client_for):
    assert (
        client_for("lead_worker").get(reverse("accounts:sign-out")).status_code == 405
    )


def test_anonymous_is_redirected_to_sign_in(db):
    response = Client().get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_home_redirects_to_first_page_of_the_role(client_for):
    assert client_for("lead_worker").get("/")["Location"] == reverse("cases:my-cases")
    assert client_for("analyst").get("/")["Location"] == reverse("reporting:overview")


def test_signed_in_pages_are_not_cached(client_for):
    response = client_for("lead_worker").get(reverse("accounts:notifications"))

    assert response["Cache-Control"] == "no-store"


def test_pages_carry_a_nonce_based_csp(client_for):
    response = client_for("lead_worker").get(reverse("accounts:notifications"))

    policy = response["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy


def test_notifications_list_and_mark_read(cast, client_for):
    Notification.objects.create(
        recipient=cast.lead_manager,
        kind=Notification.Kind.SHARED,
        case_reference=cast.case.reference,
        message="A case was shared with you.",
    )
    client = client_for("lead_manager")

    page = client.get(reverse("accounts:notifications"))
    client.post(reverse("accounts:notifications"))

    assert b"A case was shared with you." in page.content
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_notifications_show_only_your_own(cast, client_for):
    Notification.objects.create(
        recipient=cast.lead_manager,
        kind=Notification.Kind.SHARED,
        message="Secret for manager.",
    )

    page = client_for("lead_worker").get(reverse("accounts:notifications"))

    assert b"Secret for manager." not in page.content


@pytest.mark.parametrize("path", ["/healthz/"])
def test_health_is_public(db, path):
    assert Client().get(path).status_code == 200


def test_session_expires_after_the_idle_timeout_and_renews_on_use(client_for, settings):
    client = client_for("lead_worker")

    client.get(reverse("accounts:notifications"))

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 15 * 60
