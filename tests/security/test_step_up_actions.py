"""Step-up on every sensitive action, through the one module (masip.accounts.stepup).

Each action (reveal victim details, break-the-glass, export, release a subject
access disclosure) is driven through its real page: a stale factor is asked
for, a fresh one is not, a recovery code never counts, a user whose only
factor is a security key steps up with it (answers from the software
authenticator, checked by py_webauthn as a real key's would be), the user's
input survives every refusal, and every step-up is audited in one shape.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.accounts import stepup
from masip.accounts.models import WebAuthnCredential
from masip.accounts.tests.authenticator import SoftwareAuthenticator
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.accounts.tests.stepup_helpers import factor_proved
from masip.accounts.webauthn import NOT_COMPLETED
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.disclosure.models import RequestStatus
from masip.disclosure.tests.factories import SubjectAccessRequestFactory
from tests.personas import Cast

AUTH_OPTIONS = "/sign-in/security-key/options/"
STALE = dt.timedelta(seconds=301)
DETAIL = "Calling the victim about the hearing on Monday."
REASON = "Caller reports the perpetrator is outside the home of the victim now."
PURPOSE = "Preparing the March panel meeting."


@dataclasses.dataclass(frozen=True)
class Action:
    """One sensitive action: who does it, where, with what, and how it shows."""

    name: str  # the step-up's audited action
    persona: str
    url: Callable[[Cast], str]
    data: Callable[[Cast], dict[str, str]]
    kept: str  # what of the user's input a re-rendered page must still show
    done: Callable[[Any], bool]  # whether the response shows the action done
    setup: Callable[[Cast], None] = lambda cast: None


def _sar_ready(cast: Cast) -> None:
    """A request of Police A, drafted by someone else, with nothing left to decide."""
    SubjectAccessRequestFactory(
        agency=cast.police_a,
        reference="SAR-STEP-UP01",
        status=RequestStatus.IN_REVIEW,
        identity_verified_by=cast.lead_manager,
        identity_verified_at=timezone.now(),
        identity_method="in_person",
        identity_evidence="Passport seen at the front desk (synthetic).",
        draft_built_by=cast.lead_manager,
        draft_built_at=timezone.now(),
    )


def _sar_url(cast: Cast) -> str:
    from masip.disclosure.models import SubjectAccessRequest

    sar = SubjectAccessRequest.objects.get(reference="SAR-STEP-UP01")
    return f"/subject-access/{sar.public_id}/release/"


def _event(event_type: EventType) -> bool:
    return AuditEvent.objects.filter(event_type=event_type).exists()


ACTIONS = [
    Action(
        name="sealed.reveal",
        persona="advocate",
        url=lambda cast: reverse("cases:reveal", args=[cast.case.reference]),
        data=lambda cast: {"reason": "contact_victim", "detail": DETAIL},
        kept=DETAIL,
        done=lambda r: r.status_code == 302 and _event(EventType.SEALED_REVEALED),
    ),
    Action(
        name="case.break_glass",
        persona="outsider_manager",
        url=lambda cast: reverse("cases:break-glass"),
        data=lambda cast: {
            "reference": cast.case.reference,
            "reason": REASON,
            "confirm": "on",
        },
        kept=REASON,
        done=lambda r: r.status_code == 302 and _event(EventType.CASE_BREAK_GLASS),
    ),
    Action(
        name="export.csv",
        persona="lead_manager",
        url=lambda cast: reverse("exports:case-list-csv"),
        data=lambda cast: {"purpose": PURPOSE},
        kept=PURPOSE,
        done=lambda r: r.status_code == 200 and _event(EventType.EXPORT_CREATED),
    ),
    Action(
        name="sar.release",
        persona="agency_admin",
        url=_sar_url,
        data=lambda cast: {"confirm": "on"},
        kept="checked",
        done=lambda r: r.status_code == 302 and _event(EventType.SAR_RELEASED),
        setup=_sar_ready,
    ),
    Action(
        name="evidence.bundle.json",
        persona="lead_worker",
        url=lambda cast: reverse("evidence:bundle", args=[cast.case.reference]),
        data=lambda cast: {"format": "json", "purpose": PURPOSE},
        kept=PURPOSE,
        done=lambda r: r.status_code == 200 and _event(EventType.EVIDENCE_EXPORTED),
    ),
]
IDS = [action.name for action in ACTIONS]


def _post(client: Client, action: Action, cast: Cast, **extra: str):
    response = client.post(action.url(cast), {**action.data(cast), **extra})
    if response.streaming:  # the export's file: read it so the client closes it
        b"".join(response.streaming_content)
    return response


def _client(cast: Cast, client_for, action: Action, *, ago: dt.timedelta) -> Client:
    action.setup(cast)
    client = client_for(action.persona)
    factor_proved(client, ago=ago)
    return client


def _key_only(cast: Cast, client: Client, persona: str) -> SoftwareAuthenticator:
    """Make the persona's only factor a security key, and sign the client in with it."""
    user = cast.persona(persona)
    TOTPDevice.objects.filter(user=user).delete()
    key = SoftwareAuthenticator()
    credential = WebAuthnCredential.objects.create(
        user=user,
        name="Blue key",
        confirmed=True,
        credential_id=key.id,
        public_key=key.cose_public_key(),
        sign_count=0,
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = credential.persistent_id
    session.save()
    return key


def _key_answer(client: Client, key: SoftwareAuthenticator) -> str:
    options = client.post(AUTH_OPTIONS)
    assert options.status_code == 200, options.content
    return key.authenticate(options.content)


def _step_ups() -> list[tuple[str, str, str, list[str]]]:
    return [
        (e.event_type, e.target_type, e.target_id, e.changed_fields)
        for e in AuditEvent.objects.filter(
            event_type__in=[EventType.STEP_UP_VERIFIED, EventType.STEP_UP_FAILED]
        ).order_by("seq")
    ]


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_step_up_stale_factor_is_demanded_and_input_kept(cast, client_for, action):
    client = _client(cast, client_for, action, ago=STALE)

    page = client.get(action.url(cast))
    response = _post(client, action, cast)

    assert 'name="step_up_code"' in page.text
    assert response.status_code == 200
    assert "Enter the code from your authenticator app." in response.text
    assert action.kept in response.text
    assert not action.done(response)


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_step_up_fresh_factor_is_accepted_without_asking(cast, client_for, action):
    client = _client(cast, client_for, action, ago=dt.timedelta(seconds=290))

    page = client.get(action.url(cast))
    response = _post(client, action, cast)

    assert "step_up_" not in page.text
    assert action.done(response)
    assert _step_ups() == []


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_step_up_right_code_is_accepted_and_audited_in_one_shape(
    cast, client_for, action
):
    client = _client(cast, client_for, action, ago=STALE)
    code = totp_code(authenticator_for(cast.persona(action.persona)))

    response = _post(client, action, cast, step_up_code=code)

    assert action.done(response)
    assert _step_ups() == [
        (EventType.STEP_UP_VERIFIED, "step_up", action.name, ["authenticator"])
    ]


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_step_up_wrong_code_is_refused_audited_and_input_kept(cast, client_for, action):
    client = _client(cast, client_for, action, ago=STALE)

    response = _post(client, action, cast, step_up_code="000000")

    assert stepup.WRONG_CODE in response.text
    assert action.kept in response.text
    assert 'value="000000"' not in response.text
    assert not action.done(response)
    assert _step_ups() == [
        (EventType.STEP_UP_FAILED, "step_up", action.name, ["authenticator"])
    ]


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_step_up_recovery_code_is_refused(cast, client_for, action):
    client = _client(cast, client_for, action, ago=STALE)
    user = cast.persona(action.persona)
    recovery = StaticDevice.objects.create(user=user, name="Recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")

    response = _post(client, action, cast, step_up_code="abcd2345")

    assert stepup.WRONG_CODE in response.text
    assert action.kept in response.text
    assert not action.done(response)
    assert StaticToken.objects.filter(device=recovery).exists()  # not spent


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_step_up_key_only_user_succeeds_with_the_key(cast, client_for, action):
    client = _client(cast, client_for, action, ago=STALE)
    key = _key_only(cast, client, action.persona)

    page = client.get(action.url(cast))
    response = _post(client, action, cast, step_up_credential=_key_answer(client, key))

    assert 'data-webauthn="authenticate"' in page.text
    assert 'name="step_up_credential"' in page.text
    assert 'name="step_up_code"' not in page.text
    assert action.done(response)
    assert _step_ups() == [
        (EventType.STEP_UP_VERIFIED, "step_up", action.name, ["security_key"])
    ]


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_step_up_key_only_user_keeps_input_on_a_bad_or_missing_answer(
    cast, client_for, action
):
    client = _client(cast, client_for, action, ago=STALE)
    key = _key_only(cast, client, action.persona)
    key.origin = "https://masip.example.evil"  # a phishing site's answer
    answer = _key_answer(client, key)

    missing = _post(client, action, cast)
    bad = _post(client, action, cast, step_up_credential=answer)
    expired = _post(client, action, cast, step_up_credential=answer)  # no challenge

    assert escape(stepup.USE_KEY) in missing.text
    assert NOT_COMPLETED in bad.text
    assert "expired" in expired.text
    for response in (missing, bad, expired):
        assert response.status_code == 200
        assert action.kept in response.text
        assert answer not in response.text
        assert not action.done(response)
    assert [e[0] for e in _step_ups()] == [EventType.STEP_UP_FAILED] * 2


def test_step_up_user_with_app_and_key_may_use_either(cast, client_for):
    action = ACTIONS[2]  # the export
    client = _client(cast, client_for, action, ago=STALE)
    key = SoftwareAuthenticator()
    WebAuthnCredential.objects.create(
        user=cast.lead_manager,
        name="Blue key",
        confirmed=True,
        credential_id=key.id,
        public_key=key.cose_public_key(),
    )

    page = client.get(action.url(cast))
    with_key = _post(client, action, cast, step_up_credential=_key_answer(client, key))
    factor_proved(client, ago=STALE)
    code = totp_code(authenticator_for(cast.lead_manager))
    with_code = _post(client, action, cast, step_up_code=code)

    assert 'name="step_up_code"' in page.text
    assert 'name="step_up_credential"' in page.text
    assert action.done(with_key)
    assert with_code.status_code == 200
    assert [e[3] for e in _step_ups()] == [["security_key"], ["authenticator"]]


def test_step_up_outsiders_still_get_404(cast, client_for):
    reveal = ACTIONS[0]
    outsider = client_for("outsider")
    factor_proved(outsider)
    theirs = SubjectAccessRequestFactory(agency=cast.police_b)  # not Police A's
    release = f"/subject-access/{theirs.public_id}/release/"
    admin = client_for("agency_admin")  # releases for Police A only
    factor_proved(admin)

    assert outsider.get(reveal.url(cast)).status_code == 404
    assert _post(outsider, reveal, cast).status_code == 404
    assert admin.get(release).status_code == 404
    assert admin.post(release, {"confirm": "on"}).status_code == 404
    assert not _event(EventType.SEALED_REVEALED)
    assert not _event(EventType.SAR_RELEASED)


def test_signing_in_with_a_recovery_code_does_not_make_the_factor_fresh(cast):
    from masip.accounts.tests.factories import TEST_PASSWORD

    user = cast.lead_manager
    authenticator_for(user)
    recovery = StaticDevice.objects.create(user=user, name="Recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    client = Client()
    client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD})

    signed_in = client.post("/sign-in/verify/", {"code": "abcd2345"})
    page = client.get(reverse("exports:case-list-csv"))

    assert signed_in.status_code == 302
    assert 'name="step_up_code"' in page.text
