"""Sign in, sign out, notifications, and the lockout page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View

from masip.access.http import AuthenticatedRequest
from masip.accounts import mfa, selectors, services, stepup, webauthn
from masip.accounts.forms import (
    MfaCodeForm,
    MfaEnrolForm,
    RecoveryCodeForm,
    SecurityKeyResponseForm,
    SignInForm,
)
from masip.accounts.sessions import session_start, sessions_end_everywhere
from masip.audit.events import EventType
from masip.core.pagination import page_links, paginate


@method_decorator(login_not_required, name="dispatch")
class SignInView(LoginView):
    required_permission = None
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lockout_limit"] = settings.AXES_FAILURE_LIMIT
        context["lockout_minutes"] = int(
            settings.AXES_COOLOFF_TIME.total_seconds() // 60
        )
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        email = form.get_user().email
        response = super().form_valid(form)
        session_start(self.request, form.get_user())
        services.sign_in_record(
            self.request, email=email, event_type=EventType.SIGN_IN_SUCCEEDED
        )
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if not getattr(self.request, "axes_locked_out", False):
            services.sign_in_record(
                self.request,
                email=self.request.POST.get("username", ""),
                event_type=EventType.SIGN_IN_FAILED,
            )
        return super().form_invalid(form)


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """Shown instead of the sign-in page while an account is locked (django-axes)."""
    email = (credentials or {}).get("username", "") or request.POST.get("username", "")
    services.sign_in_record(request, email=email, event_type=EventType.SIGN_IN_LOCKED)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class SignOutView(View):
    required_permission = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest) -> HttpResponseRedirect:
        services.sign_out_record(request, user=request.user)
        sessions_end_everywhere(request.user)
        logout(request)
        messages.success(request, "You have signed out, on this device and any other.")
        return redirect(settings.LOGOUT_REDIRECT_URL)


class NotificationListView(View):
    required_permission = None  # every signed-in user has their own notifications

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        page = paginate(
            selectors.notification_list(user=request.user),
            params=request.GET,
            per_page=settings.MASIP_PAGE_SIZE,
        )
        return render(
            request,
            "accounts/notifications.html",
            {"page": page, "page_links": page_links(page, request.GET)},
        )

    def post(self, request: AuthenticatedRequest) -> HttpResponseRedirect:
        count = services.notifications_mark_read(user=request.user)
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked as read."
        )
        return redirect("accounts:notifications")


class NotificationOpenView(View):
    """Opens what a notice is about, marking it read on the way."""

    required_permission = None  # the user's own notices only (others: 404)
    http_method_names = ["get"]

    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponseRedirect:
        notification = selectors.notification_get_own(user=request.user, pk=pk)
        return redirect(services.notification_open(notification=notification))


class HomeView(View):
    required_permission = None

    def get(
        self, request: AuthenticatedRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseRedirect:
        access = request.access
        for item in access.navigation:
            return redirect(item["href"])
        return redirect("accounts:notifications")


@method_decorator(login_not_required, name="dispatch")
class HealthView(View):
    required_permission = None

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")


RECOVERY_CODES_KEY = "masip.recovery_codes"
WRONG_CODE = (
    "The code is not correct. Enter the 6-digit code your authenticator app "
    "shows now, or one of your recovery codes."
)
WRONG_ENROL_CODE = (
    "The code is not correct. Enter the 6-digit code your authenticator app shows now."
)


def locked_message() -> str:
    return (
        "There were too many wrong codes. Your account is locked: try again in "
        f"{mfa.lockout_minutes()} minutes."
    )


class MfaVerifyView(View):
    """The second step of signing in.

    With a security key: "Use your security key" (webauthn.js posts its
    answer in ``credential``). Always: a typed code, from the app or a
    recovery code, which is also the way in without JavaScript.
    """

    required_permission = None
    template_name = "accounts/mfa_verify.html"

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if mfa.is_verified(self.request.user):
            return redirect(mfa.safe_next(request))
        if not mfa.has_second_factor(self.request.user):
            return redirect("accounts:mfa-enrol")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        return self._render(self._code_form())

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        if "credential" in request.POST:
            return self._post_security_key(request)
        form = self._code_form(request.POST)
        if not form.is_valid():
            return self._render(form)
        result = services.mfa_verify(
            request, user=request.user, code=form.cleaned_data["code"]
        )
        if result is services.MfaResult.VERIFIED:
            return redirect(mfa.safe_next(request))
        locked = result is services.MfaResult.LOCKED
        form.add_error("code", locked_message() if locked else WRONG_CODE)
        form.describe_fields()
        return self._render(form, status=429 if locked else 200)

    def _post_security_key(self, request: AuthenticatedRequest) -> HttpResponse:
        key_form = SecurityKeyResponseForm(request.POST)
        if key_form.is_valid():
            result = webauthn.webauthn_sign_in(
                request, user=request.user, response=key_form.cleaned_data["credential"]
            )
            if not result.error:
                return redirect(mfa.safe_next(request))
            key_form.add_error("credential", result.error)
        return self._render(self._code_form(), key_form)

    request: AuthenticatedRequest

    def _code_form(self, data: Any = None) -> MfaCodeForm:
        if mfa.confirmed_authenticator(self.request.user) is None:
            return RecoveryCodeForm(data)
        return MfaCodeForm(data)

    def _render(
        self,
        form: MfaCodeForm,
        key_form: SecurityKeyResponseForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "form": form,
            "key_form": key_form or SecurityKeyResponseForm(),
            "has_keys": bool(selectors.security_key_list(user=self.request.user)),
            "has_app": mfa.confirmed_authenticator(self.request.user) is not None,
            "next": self.request.POST.get("next") or self.request.GET.get("next", ""),
        }
        return render(self.request, self.template_name, context, status=status)


class MfaEnrolView(View):
    """Setting up an authenticator app, the first time an account signs in."""

    required_permission = None
    template_name = "accounts/mfa_enrol.html"

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        refused = self._refused(request)
        if refused:
            return refused
        return self._render(MfaEnrolForm())

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        refused = self._refused(request)
        if refused:
            return refused
        form = MfaEnrolForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        result, codes = services.mfa_enrol_confirm(
            request, user=request.user, code=form.cleaned_data["code"]
        )
        if result is services.MfaResult.VERIFIED:
            request.session[RECOVERY_CODES_KEY] = codes
            messages.success(request, "Your authenticator app is set up.")
            return redirect("accounts:mfa-recovery-codes")
        locked = result is services.MfaResult.LOCKED
        form.add_error("code", locked_message() if locked else WRONG_ENROL_CODE)
        form.describe_fields()
        return self._render(form, status=429 if locked else 200)

    @staticmethod
    def _refused(request: AuthenticatedRequest) -> HttpResponse | None:
        """Who may set up an authenticator app here.

        An account with no second factor (first sign-in); or a verified
        session of an account whose factor is a security key, having proved
        it recently. A password alone must never add to or replace a factor.
        """
        if not mfa.has_second_factor(request.user):
            return None
        if not mfa.is_verified(request.user):
            return redirect("accounts:mfa-verify")
        if mfa.confirmed_authenticator(request.user) is not None:
            return redirect(settings.LOGIN_REDIRECT_URL)
        if not mfa.factor_is_fresh(request):
            return redirect(stepup.confirm_url(request.path))
        return None

    request: AuthenticatedRequest

    def _render(self, form: MfaEnrolForm, status: int = 200) -> HttpResponse:
        device = services.mfa_enrol_device(user=self.request.user)
        context = {
            "form": form,
            "first_factor": not mfa.has_second_factor(self.request.user),
            "secret": mfa.secret_grouped(device),
            "qr_code": mfa.qr_code_data_uri(mfa.otpauth_url(device)),
        }
        return render(self.request, self.template_name, context, status=status)


class MfaRecoveryCodesView(View):
    """The new recovery codes, shown once straight after setting up."""

    required_permission = None

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        codes = request.session.pop(RECOVERY_CODES_KEY, None)
        if not codes:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes})


class StepUpConfirmView(View):
    """Confirm it is you, then go back to the page that asked (``?next=``).

    The standalone step-up page, for flows that start with a link rather than
    a form (``masip.accounts.stepup.require_fresh`` sends users here), and
    before changing one's own sign-in methods. The same fields as on an
    action's own form: a code from the app, a security key, or both offered.
    """

    required_permission = None  # any signed-in user may prove their own factor
    template_name = "accounts/step_up.html"

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        form = stepup.StepUpForm(request=request)
        if not form.needs_step_up:
            return redirect(self._next())
        return self._render(form)

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        form = stepup.StepUpForm(request.POST, request=request)
        if form.is_valid() and stepup.confirm(form, action=self._next()):
            return redirect(self._next())
        return self._render(form)

    def _next(self) -> str:
        return stepup.safe_next(self.request, reverse(settings.LOGIN_REDIRECT_URL))

    request: AuthenticatedRequest

    def _render(self, form: stepup.StepUpForm) -> HttpResponse:
        context = {"form": form, "next": self._next()}
        return render(self.request, self.template_name, context)
