"""Step-up: a fresh second factor before a sensitive action (ASVS 7.5.3).

Signing in proves the second factor once. Some actions need it proved again,
recently: revealing a victim's location or contact details, break-the-glass,
exports, releasing a subject access request. "Recently" means within
``settings.MASIP_STEP_UP_SECONDS`` (300 by default; ``mfa.factor_is_fresh``).
When the factor is fresh the user is not asked again; when it is stale the
action's own form carries one more field, "Code from your authenticator app",
and the action goes ahead only once that code is right. No JavaScript needed.

How to use it in a form view (two lines in the view, one in the form)::

    class ExportForm(StepUpFormMixin, GovukForm):      # the field, when stale
        ...

    form = ExportForm(request.POST, request=request)
    if form.is_valid() and stepup.confirm(form, action="export.csv", actor=actor):
        ...  # do the sensitive thing, then redirect
    return render(...)  # errors (a wrong code too) are on the form

* Build the form with ``request=`` on GET and POST alike; render it with
  ``{{ form }}`` as usual: the code field appears last when needed.
* ``confirm`` checks the code against the user's confirmed authenticator app,
  counts a wrong code towards the sign-in lockout, audits ``STEP_UP_VERIFIED``
  or ``STEP_UP_FAILED`` (``action`` is the event's target; pass the case
  ``actor`` and ``case_reference`` so the event names the agency, role and
  case), stamps the session's factor fresh, and drops the field from the form
  so a re-rendered form does not ask again. On a wrong code it puts the error
  on the field and returns False; re-render the form.
* Call ``confirm`` only after ``is_valid()``, so that a form with other
  mistakes does not use up the code (django-otp refuses a code twice).

For a flow that starts with a link rather than a form (a download, say), send
the user to the standalone page and back::

    if (refusal := stepup.require_fresh(request)) is not None:
        return refusal

``require_fresh`` answers a redirect to ``/sign-in/confirm/?next=<this page>``
when the factor is stale (None when fresh); the page asks for the code and
returns to ``next`` (only a page of this site).

Recovery codes do not count for step-up. They are written down or printed,
so they are the factor most easily taken from a desk by someone else, which
is exactly the insider a step-up guards against; and each one spent on a
routine reveal is one fewer for the day the phone is lost. A user without
their authenticator app can still sign in with a recovery code and do
everything else, but not step-up actions until their administrator has them
set the app up again. WebAuthn, when it lands, will count alongside the app.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from masip.access.actors import Actor
from masip.accounts import mfa, services
from masip.accounts.models import User
from masip.core.errors import DomainError
from masip.core.forms import GovukForm

STEP_UP_FIELD = "step_up_code"
WRONG_CODE = (
    "The code is not correct. Enter the 6-digit code your authenticator app shows now."
)


def step_up_field() -> forms.CharField:
    """The "Code from your authenticator app" field."""
    minutes = max(1, settings.MASIP_STEP_UP_SECONDS // 60)
    return forms.CharField(
        label="Code from your authenticator app",
        max_length=40,
        help_text=(
            "This needs a code from your authenticator app entered in the last "
            f"{minutes} minute{'s' if minutes != 1 else ''}. Enter the 6-digit code "
            "it shows now. Recovery codes cannot be used here."
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
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


class StepUpFormMixin(forms.Form):
    """Adds the authenticator-code field when the session's factor is stale.

    Put it before ``GovukForm`` in the bases and pass ``request=`` when
    building the form. ``needs_step_up`` tells a template whether the field is
    there (for example to word the page's introduction).
    """

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_up_request = request
        if not mfa.factor_is_fresh(request):
            self.fields[STEP_UP_FIELD] = step_up_field()

    @property
    def needs_step_up(self) -> bool:
        return STEP_UP_FIELD in self.fields


class StepUpForm(StepUpFormMixin, GovukForm):
    """The standalone confirmation page's form: the code and nothing else."""


def confirm(
    form: StepUpFormMixin,
    *,
    action: str,
    actor: Actor | None = None,
    case_reference: str = "",
) -> bool:
    """Whether the sensitive action may go ahead; call after ``form.is_valid()``.

    True at once when the factor was fresh as the form was built. Otherwise the
    code is checked (``services.step_up_verify``): True when right, else False
    with the error on the field.
    """
    if not form.needs_step_up:
        return True
    request = form.step_up_request
    user = request.user
    assert isinstance(user, User), "step-up needs a signed-in user"
    try:
        result = services.step_up_verify(
            request,
            user=user,
            code=form.cleaned_data[STEP_UP_FIELD],
            action=action,
            actor=actor.audit if actor is not None else None,
            case_reference=case_reference,
        )
    except DomainError as error:
        return _refuse(form, str(error))
    if result is services.MfaResult.VERIFIED:
        del form.fields[STEP_UP_FIELD]
        return True
    if result is services.MfaResult.LOCKED:
        return _refuse(
            form,
            "There were too many wrong codes. Your account is locked: try again in "
            f"{mfa.lockout_minutes()} minutes.",
        )
    return _refuse(form, WRONG_CODE)


def _refuse(form: StepUpFormMixin, message: str) -> bool:
    form.add_error(STEP_UP_FIELD, message)
    # Never echo a code back into the page: the next attempt needs a new one.
    form.data = {**form.data, STEP_UP_FIELD: ""}
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
