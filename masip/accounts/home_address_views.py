"""A member of staff's home address: recorded by themselves or by an agency admin.

Both pages only say whether an address is on record and when it was last
changed; neither shows it. Saving replaces it; "Remove" deletes it.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from masip.access.actors import Actor
from masip.access.http import AuthenticatedRequest
from masip.accounts import home_address_services as services
from masip.accounts.conflict_views import _own_actor
from masip.accounts.home_address_forms import StaffHomeAddressForm
from masip.accounts.home_address_selectors import staff_home_address_updated_at
from masip.accounts.models import User
from masip.accounts.selectors import membership_get_for_admin
from masip.accounts.staff_views import StaffView

TEMPLATE = "accounts/home_address.html"
REMOVE = "remove"


def _render(
    request: HttpRequest, user: User, form: StaffHomeAddressForm, **extra: Any
) -> HttpResponse:
    context = {
        "form": form,
        "updated_at": staff_home_address_updated_at(user),
        **extra,
    }
    return render(request, TEMPLATE, context)


def _save_or_remove(
    request: HttpRequest, *, actor: Actor, user: User, whose: str
) -> StaffHomeAddressForm | None:
    """Apply the POST; the form to show again if it was not valid."""
    if request.POST.get("action") == REMOVE:
        if services.staff_home_address_remove(actor=actor, user=user):
            messages.success(request, f"{whose} home address was removed.")
        return None
    form = StaffHomeAddressForm(request.POST)
    if not form.is_valid():
        return form
    services.staff_home_address_set(actor=actor, user=user, **form.cleaned_data)
    messages.success(request, f"{whose} home address was saved.")
    return None


class OwnHomeAddressView(View):
    required_permission = None  # every member of staff records their own

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        _own_actor(request)
        return _render(request, request.user, StaffHomeAddressForm(), own=True)

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        actor = _own_actor(request)
        form = _save_or_remove(request, actor=actor, user=request.user, whose="Your")
        if form is None:
            return redirect("accounts:home-address")
        return _render(request, request.user, form, own=True)


class StaffHomeAddressView(StaffView):
    """An agency administrator records a member of their agency's home address."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = membership_get_for_admin(admin=self.admin, pk=pk)
        return _render(request, member.user, StaffHomeAddressForm(), member=member)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = membership_get_for_admin(admin=self.admin, pk=pk)
        whose = f"{member.user.full_name}'s"
        form = _save_or_remove(
            request, actor=self.actor(), user=member.user, whose=whose
        )
        if form is None:
            return redirect("accounts:staff-edit", pk=member.pk)
        return _render(request, member.user, form, member=member)
