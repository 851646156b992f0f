"""Project-wide error pages."""

from django.test import Client
from django.urls import reverse


def test_expired_form_gets_a_plain_explanation_not_a_debug_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        cast.lead_worker, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.post(reverse("accounts:notifications"))

    assert response.status_code == 403
    assert b"Your form expired" in response.content


def test_unknown_page_uses_the_service_404(client_for):
    response = client_for("lead_worker").get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
