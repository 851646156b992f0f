"""Sign in, sign out, notifications, and the lockout page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View

from masip.access.http import AuthenticatedRequest
from masip.accounts import selectors, services
from masip.accounts.forms import SignInForm
from masip.accounts.sessions import session_start, sessions_end_everywhere
from masip.audit.events import EventType


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
        notifications = list(selectors.notification_list(user=request.user)[:100])
        return render(
            request, "accounts/notifications.html", {"notifications": notifications}
        )

    def post(self, request: AuthenticatedRequest) -> HttpResponseRedirect:
        count = services.notifications_mark_read(user=request.user)
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked as read."
        )
        return redirect("accounts:notifications")


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
