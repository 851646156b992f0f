"""Step-up: the code field on sensitive forms and the standalone confirm page."""

import datetime as dt

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.accounts import mfa, stepup
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.accounts.tests.stepup_helpers import factor_proved
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.forms import GovukForm

CONFIRM = "/sign-in/confirm/"


class ExportForm(stepup.StepUpFormMixin, GovukForm):
    what = forms.CharField(label="What to export")


def _request(client, user, data=None):
    """A request carrying the test client's session, as a view would see it."""
    request = (
        RequestFactory().post("/export/", data)
        if data is not None
        else RequestFactory().get("/export/")
    )
    request.session = client.session
    request.user = user
    return request


def _events(event_type):
    return AuditEvent.objects.filter(event_type=event_type).count()


def test_fresh_factor_adds_no_field_and_confirms_at_once(cast, client_for):
    client = client_for("lead_worker")
    # Well inside the five minutes: the stamp is kept to the second, and a
    # slow machine may take a second or two before the form asks.
    factor_proved(client, ago=dt.timedelta(seconds=290))
    form = ExportForm({"what": "cases"}, request=_request(client, cast.lead_worker))

    assert not form.needs_step_up
    assert form.is_valid()
    assert stepup.confirm(form, action="export.csv")
    assert _events(EventType.STEP_UP_VERIFIED) == 0


@pytest.mark.parametrize("ago", [None, dt.timedelta(seconds=301)])
def test_stale_or_missing_factor_adds_the_code_field(cast, client_for, ago):
    client = client_for("lead_worker")
    if ago is not None:
        factor_proved(client, ago=ago)

    form = ExportForm(request=_request(client, cast.lead_worker))

    assert form.needs_step_up
    assert list(form.fields) == ["what", stepup.STEP_UP_FIELD]
    assert form.fields[stepup.STEP_UP_FIELD].label == (
        "Code from your authenticator app"
    )


def test_missing_code_is_a_form_error(cast, client_for):
    client = client_for("lead_worker")
    form = ExportForm({"what": "cases"}, request=_request(client, cast.lead_worker))

    assert not form.is_valid()
    assert form.errors[stepup.STEP_UP_FIELD] == [
        "Enter the code from your authenticator app."
    ]


def test_right_code_confirms_stamps_the_factor_and_drops_the_field(cast, client_for):
    client = client_for("lead_worker")
    request = _request(client, cast.lead_worker)
    code = totp_code(authenticator_for(cast.lead_worker))
    form = ExportForm({"what": "cases", "step_up_code": code}, request=request)

    assert form.is_valid()
    assert stepup.confirm(form, action="export.csv", case_reference="STK-1")

    assert mfa.factor_is_fresh(request)
    assert stepup.STEP_UP_FIELD not in form.fields
    event = AuditEvent.objects.get(event_type=EventType.STEP_UP_VERIFIED)
    assert (event.target_type, event.target_id) == ("step_up", "export.csv")
    assert event.case_reference == "STK-1"
    assert event.actor_id == cast.lead_worker.pk


def test_the_same_code_cannot_be_used_twice(cast, client_for):
    client = client_for("lead_worker")
    code = totp_code(authenticator_for(cast.lead_worker))
    results = []
    for _ in range(2):
        request = _request(client, cast.lead_worker)
        form = ExportForm({"what": "x", "step_up_code": code}, request=request)
        assert form.is_valid()
        results.append(stepup.confirm(form, action="export.csv"))

    assert results == [True, False]


def test_wrong_code_is_refused_audited_and_not_echoed(cast, client_for):
    client = client_for("lead_worker")
    request = _request(client, cast.lead_worker)
    form = ExportForm({"what": "cases", "step_up_code": "000000"}, request=request)

    assert form.is_valid()
    assert not stepup.confirm(form, action="export.csv")

    assert form.errors[stepup.STEP_UP_FIELD] == [stepup.WRONG_CODE]
    assert 'value="000000"' not in str(form)
    assert not mfa.factor_is_fresh(request)
    assert _events(EventType.STEP_UP_FAILED) == 1
    assert _events(EventType.MFA_FAILED) == 0


def test_recovery_codes_do_not_count_for_step_up(cast, client_for):
    client = client_for("lead_worker")
    recovery = StaticDevice.objects.create(
        user=cast.lead_worker, name="Recovery codes", confirmed=True
    )
    StaticToken.objects.create(device=recovery, token="abcd2345")
    request = _request(client, cast.lead_worker)
    form = ExportForm({"what": "x", "step_up_code": "abcd2345"}, request=request)

    assert form.is_valid()
    assert not stepup.confirm(form, action="export.csv")

    assert StaticToken.objects.filter(device=recovery).count() == 1
    device = TOTPDevice.objects.get(user=cast.lead_worker)
    assert device.throttling_failure_count == 1


def test_wrong_codes_lock_the_account_and_end_its_sessions(cast, client_for, settings):
    client = client_for("lead_worker")
    assert client.get(reverse("accounts:notifications")).status_code == 200
    epoch = cast.lead_worker.session_epoch
    for _ in range(settings.AXES_FAILURE_LIMIT):
        request = _request(client, cast.lead_worker)
        form = ExportForm({"what": "x", "step_up_code": "000000"}, request=request)
        assert form.is_valid()
        assert not stepup.confirm(form, action="export.csv")

    right = totp_code(authenticator_for(cast.lead_worker))
    request = _request(client, cast.lead_worker)
    form = ExportForm({"what": "x", "step_up_code": right}, request=request)
    assert form.is_valid()

    assert not stepup.confirm(form, action="export.csv")
    assert "Your account is locked" in form.errors[stepup.STEP_UP_FIELD][0]
    assert _events(EventType.SIGN_IN_LOCKED) == 1
    cast.lead_worker.refresh_from_db()
    assert cast.lead_worker.session_epoch == epoch + 1
    assert client.get(reverse("accounts:notifications")).status_code == 302


def test_a_user_without_an_authenticator_is_told_to_set_one_up(cast, client_for):
    client = client_for("lead_worker")
    request = _request(client, cast.lead_worker)
    TOTPDevice.objects.filter(user=cast.lead_worker).delete()
    form = ExportForm({"what": "x", "step_up_code": "123456"}, request=request)

    assert form.is_valid()
    assert not stepup.confirm(form, action="export.csv")
    assert form.errors[stepup.STEP_UP_FIELD] == ["Set up an authenticator app first."]


# The standalone page ---------------------------------------------------------------


def test_confirm_page_with_a_fresh_factor_goes_straight_on(cast, client_for):
    client = client_for("lead_worker")
    factor_proved(client)

    response = client.get(f"{CONFIRM}?next=/cases/")

    assert response.status_code == 302
    assert response.url == "/cases/"


def test_confirm_page_asks_for_a_code_and_returns_to_next(cast, client_for):
    client = client_for("lead_worker")
    code = totp_code(authenticator_for(cast.lead_worker))

    page = client.get(f"{CONFIRM}?next=/cases/")
    right = client.post(CONFIRM, {"step_up_code": code, "next": "/cases/"})

    assert page.status_code == 200
    assert "Code from your authenticator app" in page.text
    assert 'name="next" value="/cases/"' in page.text
    assert right.status_code == 302
    assert right.url == "/cases/"
    assert client.get(f"{CONFIRM}?next=/cases/").status_code == 302


def test_confirm_page_with_a_wrong_code_shows_the_error(cast, client_for):
    client = client_for("lead_worker")

    wrong = client.post(CONFIRM, {"step_up_code": "000000", "next": "/cases/"})

    assert wrong.status_code == 200
    assert "There is a problem" in wrong.text
    assert stepup.WRONG_CODE in wrong.text
    event = AuditEvent.objects.get(event_type=EventType.STEP_UP_FAILED)
    assert event.target_id == "/cases/"


def test_confirm_page_never_sends_users_off_site(cast, client_for):
    client = client_for("lead_worker")
    factor_proved(client)

    response = client.get(f"{CONFIRM}?next=https://evil.example/")

    assert response.url == reverse("accounts:home")


def test_confirm_page_needs_a_verified_sign_in(cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.lead_worker)

    response = client.get(CONFIRM)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa-verify"))


def test_require_fresh_redirects_only_when_stale(cast, client_for):
    client = client_for("lead_worker")

    refusal = stepup.require_fresh(_request(client, cast.lead_worker))
    factor_proved(client)
    passed = stepup.require_fresh(_request(client, cast.lead_worker))

    assert refusal is not None
    assert refusal.url == f"{CONFIRM}?next=%2Fexport%2F"
    assert passed is None
