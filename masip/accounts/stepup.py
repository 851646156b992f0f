"""Step-up: a fresh second factor before a sensitive action (ASVS 7.5.3).

Signing in proves the second factor once. Some actions need it proved again,
recently: revealing a victim's location or contact details, break-the-glass,
exports, releasing a subject access request, resetting a colleague's factors
and changing one's own. "Recently" means within
``settings.MASIP_STEP_UP_SECONDS`` (300 by default; ``mfa.factor_is_fresh``).
This module is the one way to ask for it and to check it.

When the factor is fresh the user is not asked again. When it is stale the
action's own form carries the step-up, so whatever the user typed into the
form is kept through a wrong code, an expired key challenge or any other
mistake:

* a user with an authenticator app gets one more field, "Code from your
  authenticator app" (no JavaScript needed);
* a user with a security key (WebAuthn) gets a "Use your security key"
  button (``js/webauthn.js``, as on the sign-in page): it puts the key's
  answer in a hidden field and submits the action's form, with the user's
  input, in one go. A key needs JavaScript by nature; where it is off the
  page says so, and a user who also has the app types a code instead.

How to use it in a form view (two lines in the view, one in the form)::

    class ExportForm(StepUpFormMixin, GovukForm):      # the fields, when stale
        ...

    form = ExportForm(request.POST, request=request)
    if form.is_valid() and stepup.confirm(form, action="export.csv", actor=actor):
        ...  # do the sensitive thing, then redirect
    return render(...)  # errors (a wrong code too) are on the form

* Build the form with ``request=`` on GET and POST alike; render it with
  ``{{ form }}`` as usual: the step-up fields come last when needed.
* ``confirm`` checks the code against the user's confirmed authenticator app
  (``services.step_up_verify``; a wrong code counts towards the sign-in
  lockout) or the key's answer against the user's own keys
  (``webauthn.webauthn_step_up``). Either way it audits ``STEP_UP_VERIFIED``
  or ``STEP_UP_FAILED`` in one shape (``services.step_up_record``: ``action``
  is the target; pass the case ``actor`` and ``case_reference`` so the event
  names the agency, role and case), stamps the session's factor fresh, and
  drops the fields from the form so a re-rendered form does not ask again.
  On a refusal it puts the error on the field and returns False; re-render
  the form.
* Call ``confirm`` only after ``is_valid()``, so that a form with other
  mistakes does not use up the code (django-otp refuses a code twice).

For a flow that starts with a link rather than a form (a download, or
changing one's own sign-in methods), send the user to the standalone page
(``accounts:step-up``, the same fields on a page of their own) and back::

    if (refusal := stepup.require_fresh(request)) is not None:
        return refusal

``require_fresh`` answers a redirect to ``/sign-in/confirm/?next=<this page>``
when the factor is stale (None when fresh); the page asks for the code or the
key and returns to ``next`` (only a page of this site).

Recovery codes do not count for step-up, here or anywhere: signing in with
one does not make the factor fresh either (``services.mfa_verify``). They are
written down or printed, so they are the factor most easily taken from a desk
by someone else, which is exactly the insider a step-up guards against; and
each one spent on a routine reveal is one fewer for the day the phone is
lost. A user without their app or key can still sign in with a recovery code
and do everything else, but not step-up actions until their administrator
has them set a factor up again.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from masip.access.actors import Actor
from masip.accounts import mfa, selectors, services, webauthn
from masip.accounts.models import User
from masip.core.errors import DomainError
from masip.core.forms import GovukForm

STEP_UP_FIELD = "step_up_code"
KEY_FIELD = "step_up_credential"
KEY_FIELD_TEMPLATE = "accounts/stepup/security_key_field.html"
WRONG_CODE = (
    "The code is not correct. Enter the 6-digit code your authenticator app shows now."
)
USE_KEY = (
    "Use your security key: select the button and follow your browser's instructions."
)
CODE_OR_KEY = "Enter the code from your authenticator app, or use your security key."


def _minutes() -> str:
    minutes = max(1, settings.MASIP_STEP_UP_SECONDS // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def step_up_field(*, with_key: bool = False) -> forms.CharField:
    """The "Code from your authenticator app" field."""
    return forms.CharField(
        label=(
            "Or enter the code from your authenticator app"
            if with_key
            else "Code from your authenticator app"
        ),
        max_length=40,
        help_text=(
            "Enter the 6-digit code your app shows now. Recovery codes cannot be "
            "used here."
            if with_key
            else (
                "This needs a code from your authenticator app entered in the last "
                f"{_minutes()}. Enter the 6-digit code it shows now. Recovery codes "
                "cannot be used here."
            )
        ),
        error_messages={
            "required": CODE_OR_KEY
            if with_key
            else "Enter the code from your authenticator app."
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
    )


class _KeyAnswerInput(forms.HiddenInput):
    """A hidden input that the form still lists among its visible fields."""

    @property
    def is_hidden(self) -> bool:
        return False


def security_key_field(*, required: bool) -> forms.CharField:
    """The security key's answer (hidden; filled in by ``js/webauthn.js``)."""
    field = forms.CharField(
        label="Use your security key",
        required=required,
        max_length=20_000,
        help_text=(
            f"This needs your security key used in the last {_minutes()}. Select "
            "the button, then insert or touch your key, or use your device's "
            "fingerprint, face or PIN, when your browser asks."
        ),
        error_messages={
            "required": USE_KEY,
            "max_length": "Your security key's answer was not recognised. Try again.",
        },
        widget=_KeyAnswerInput,
    )
    # Rendered as a whole GOV.UK form group (hint, error, button, the note for
    # browsers without JavaScript) among the visible fields.
    setattr(field, "template_name", KEY_FIELD_TEMPLATE)  # noqa: B010 (not in the stubs)
    return field


class StepUpFormMixin(forms.Form):
    """Adds the step-up fields when the session's factor is stale.

    Put it before ``GovukForm`` in the bases and pass ``request=`` when
    building the form. Which fields: the security key (if the user has one)
    and the code from the authenticator app (if they have one; also when they
    have neither, so that they are told to set one up). A key's answer makes
    the code unnecessary and the other way round. ``needs_step_up`` tells a
    template whether the step-up is asked for (for example to word the page's
    introduction).
    """

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_up_request = request
        if mfa.factor_is_fresh(request):
            return
        user = request.user
        has_app = has_key = False
        if isinstance(user, User):
            has_app = mfa.confirmed_authenticator(user) is not None
            has_key = bool(selectors.security_key_list(user=user))
        answered = bool(self.is_bound and self.data.get(KEY_FIELD))
        if has_key:
            self.fields[KEY_FIELD] = security_key_field(required=not has_app)
        if has_app or not has_key:
            code = step_up_field(with_key=has_key)
            code.required = not answered
            self.fields[STEP_UP_FIELD] = code

    @property
    def needs_step_up(self) -> bool:
        return STEP_UP_FIELD in self.fields or KEY_FIELD in self.fields

    @property
    def step_up_offers_key(self) -> bool:
        return KEY_FIELD in self.fields

    @property
    def step_up_offers_code(self) -> bool:
        return STEP_UP_FIELD in self.fields

    def error_list(self) -> list[tuple[str, str]]:
        """Errors about the key's answer point at its button, not the hidden input."""
        items: list[tuple[str, str]] = super().error_list()  # type: ignore[misc]
        if KEY_FIELD not in self.fields:
            return items
        hidden = self[KEY_FIELD].auto_id
        return [
            (f"{hidden}-button" if anchor == hidden else anchor, message)
            for anchor, message in items
        ]


class StepUpForm(StepUpFormMixin, GovukForm):
    """The standalone confirmation page's form: the step-up and nothing else."""


def confirm(
    form: StepUpFormMixin,
    *,
    action: str,
    actor: Actor | None = None,
    case_reference: str = "",
) -> bool:
    """Whether the sensitive action may go ahead; call after ``form.is_valid()``.

    True at once when the factor was fresh as the form was built. Otherwise the
    key's answer or the code is checked: True when right, else False with the
    error on its field.
    """
    if not form.needs_step_up:
        return True
    request = form.step_up_request
    user = request.user
    assert isinstance(user, User), "step-up needs a signed-in user"
    audit_actor = actor.audit if actor is not None else None
    answer = form.cleaned_data.get(KEY_FIELD) or ""
    if answer:
        assertion = webauthn.webauthn_step_up(
            request,
            user=user,
            response=answer,
            action=action,
            actor=audit_actor,
            case_reference=case_reference,
        )
        if assertion.error:
            return _refuse(form, KEY_FIELD, assertion.error)
        return _confirmed(form)
    try:
        result = services.step_up_verify(
            request,
            user=user,
            code=form.cleaned_data.get(STEP_UP_FIELD) or "",
            action=action,
            actor=audit_actor,
            case_reference=case_reference,
        )
    except DomainError as error:
        return _refuse(form, STEP_UP_FIELD, str(error))
    if result is services.MfaResult.VERIFIED:
        return _confirmed(form)
    if result is services.MfaResult.LOCKED:
        form.step_up_locked = True  # type: ignore[attr-defined]
        return _refuse(
            form,
            STEP_UP_FIELD,
            "There were too many wrong codes. Your account is locked: try again in "
            f"{mfa.lockout_minutes()} minutes.",
        )
    return _refuse(form, STEP_UP_FIELD, WRONG_CODE)


def was_locked_out(form: StepUpFormMixin) -> bool:
    """Whether ``confirm`` refused because the account is now locked (for a 429)."""
    return bool(getattr(form, "step_up_locked", False))


def _confirmed(form: StepUpFormMixin) -> bool:
    for name in (STEP_UP_FIELD, KEY_FIELD):
        form.fields.pop(name, None)
    return True


def _refuse(form: StepUpFormMixin, field: str, message: str) -> bool:
    if field not in form.fields:  # e.g. a key-only user told to set up an app
        field = STEP_UP_FIELD if STEP_UP_FIELD in form.fields else KEY_FIELD
    form.add_error(field, message)
    # Never echo a code or a key's answer back into the page: the next
    # attempt needs a new one. Everything else the user typed is kept.
    form.data = {**form.data, STEP_UP_FIELD: "", KEY_FIELD: ""}
    if isinstance(form, GovukForm):
        form.describe_fields()
    return False


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` page asked for, if it is a page of this site; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def confirm_url(next_path: str) -> str:
    """The standalone confirmation page, returning to ``next_path``."""
    return f"{reverse('accounts:step-up')}?{urlencode({'next': next_path})}"


def require_fresh(request: HttpRequest) -> HttpResponse | None:
    """A redirect to the confirmation page when the factor is stale, else None."""
    if mfa.factor_is_fresh(request):
        return None
    return redirect(confirm_url(request.get_full_path()))
