"""Project-wide error pages."""

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from masip.accounts.tests.factories import authenticator_for


def test_expired_form_gets_a_plain_explanation_not_a_debug_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        cast.lead_worker, backend="django.contrib.auth.backends.ModelBackend"
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(cast.lead_worker).persistent_id
    session.save()

    response = client.post(reverse("accounts:notifications"))

    assert response.status_code == 403
    assert b"Your form expired" in response.content


def test_unknown_page_uses_the_service_404(client_for):
    response = client_for("lead_worker").get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
