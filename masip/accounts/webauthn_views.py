"""Security keys: setting one up, the sign-in methods page, and confirming it is you.

The ceremonies run in the browser (``masip/static/js/webauthn.js``): it asks
an options endpoint here for a challenge (a JSON POST with the CSRF token),
calls the WebAuthn API, puts the answer in a hidden field and submits the
page's ordinary form, so each outcome is a normal post/redirect/get with
GOV.UK error messages. Without JavaScript the pages say so and the
authenticator app remains the way in (ADR 0018).

Every view here is about the signed-in user's own account, so none needs a
permission verb (``required_permission = None``). Changing factors needs a
factor proved within ``MASIP_STEP_UP_SECONDS``; when it is stale the user is
sent to the step-up page (``masip.accounts.stepup``: a code from the app, or a
security key; never a recovery code) and back.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from masip.access.http import AuthenticatedRequest
from masip.accounts import mfa, selectors, stepup, webauthn
from masip.accounts.forms import SecurityKeyAddForm
from masip.accounts.views import RECOVERY_CODES_KEY
from masip.core.errors import DomainError

SECURITY_URL = "accounts:security"


def confirm_redirect(request: AuthenticatedRequest, next_url: str) -> HttpResponse:
    """Send the user to confirm it is them (the step-up page), then to ``next_url``."""
    return redirect(stepup.confirm_url(next_url))


def _json_refusal(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


class RegistrationOptionsView(View):
    request: AuthenticatedRequest

    """Options for ``navigator.credentials.create()`` (JSON, POST only).

    Allowed to a session that has not given a second factor only while the
    account has none (first sign-in); otherwise the session must be verified
    and have proved a factor recently.
    """

    required_permission = None
    http_method_names = ["post"]

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if mfa.has_second_factor(self.request.user):
            if not mfa.is_verified(self.request.user):
                return redirect("accounts:mfa-verify")
            if not mfa.factor_is_fresh(self.request):
                return _json_refusal("Confirm it is you, then try again.", 403)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        options = webauthn.registration_options(request, user=request.user)
        return HttpResponse(options, content_type="application/json")


class AuthenticationOptionsView(View):
    """Options for ``navigator.credentials.get()`` (JSON, POST only)."""

    required_permission = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        if not selectors.security_key_list(user=request.user):
            return _json_refusal("You have no security key set up.", 400)
        options = webauthn.authentication_options(request, user=request.user)
        return HttpResponse(options, content_type="application/json")


class _SecurityKeyFormView(View):
    """A page with a name and a security key's answer, registering the key."""

    template_name = "accounts/security_key_add.html"
    request: AuthenticatedRequest

    def _render(self, form: SecurityKeyAddForm, **extra: Any) -> HttpResponse:
        context = {"form": form, **self.context(), **extra}
        return render(self.request, self.template_name, context)

    def context(self) -> dict[str, Any]:
        return {}

    def _register(self, form: SecurityKeyAddForm) -> list[str] | HttpResponse:
        """The new recovery codes on success, or the page again with errors."""
        if not form.is_valid():
            if "name" in form.errors:
                form.errors.pop("credential", None)
            return self._render(form)
        try:
            _, codes = webauthn.webauthn_credential_register(
                self.request,
                user=self.request.user,
                response=form.cleaned_data["credential"],
                name=form.cleaned_data["name"].strip(),
            )
        except DomainError as exc:
            form.add_error("credential", str(exc))
            form.describe_fields()
            return self._render(form)
        return codes


class SecurityKeyEnrolView(_SecurityKeyFormView):
    """Setting up a security key instead of an app, at first sign-in."""

    required_permission = None

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if mfa.has_second_factor(self.request.user):
            # A password alone never adds a factor to an account that has one.
            if mfa.is_verified(self.request.user):
                return redirect(SECURITY_URL)
            return redirect("accounts:mfa-verify")
        return super().dispatch(request, *args, **kwargs)

    def context(self) -> dict[str, Any]:
        return {"enrolling": True}

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        return self._render(SecurityKeyAddForm())

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        result = self._register(SecurityKeyAddForm(request.POST))
        if isinstance(result, HttpResponse):
            return result
        request.session[RECOVERY_CODES_KEY] = result
        messages.success(request, "Your security key is set up.")
        return redirect("accounts:mfa-recovery-codes")


class SecurityKeyAddView(_SecurityKeyFormView):
    """Adding another security key from the sign-in methods page."""

    required_permission = None

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not mfa.factor_is_fresh(self.request):
            return confirm_redirect(self.request, reverse("accounts:webauthn-add"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        return self._render(SecurityKeyAddForm())

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        result = self._register(SecurityKeyAddForm(request.POST))
        if isinstance(result, HttpResponse):
            return result
        messages.success(
            request,
            "Your security key has been added. You have been signed out on "
            "every other device.",
        )
        return redirect(SECURITY_URL)


class SecurityView(View):
    """Your sign-in methods: the app, security keys and recovery codes."""

    required_permission = None

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        user = request.user
        context = {
            "authenticator": mfa.confirmed_authenticator(user),
            "keys": selectors.security_key_list(user=user),
            "recovery_codes_left": selectors.recovery_codes_left(user=user),
            "used_now": getattr(user, "otp_device", None),
        }
        return render(request, "accounts/security.html", context)


class SecurityKeyRemoveView(View):
    """Removing one of your security keys (a fresh factor; one must remain)."""

    required_permission = None
    template_name = "accounts/security_key_remove.html"
    request: AuthenticatedRequest

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        self.credential = selectors.security_key_get(
            user=self.request.user, pk=kwargs["key_pk"]
        )
        if not mfa.factor_is_fresh(self.request):
            return confirm_redirect(self.request, self.request.path)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedRequest, key_pk: int) -> HttpResponse:
        return render(request, self.template_name, {"key": self.credential})

    def post(self, request: AuthenticatedRequest, key_pk: int) -> HttpResponse:
        try:
            webauthn.webauthn_credential_remove(
                request, user=request.user, credential=self.credential
            )
        except DomainError as exc:
            context = {"key": self.credential, "error": str(exc)}
            return render(request, self.template_name, context, status=409)
        messages.success(
            request,
            f"{self.credential.name} has been removed. You have been signed out "
            "on every other device.",
        )
        return redirect(SECURITY_URL)
