"""Agency administrators manage the staff of their own agency."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from masip.access.permissions import Permission
from masip.access.roles import ROLES, RoleName
from masip.access.views import GlobalView
from masip.accounts import selectors, services, stepup
from masip.accounts.forms import (
    MembershipAddForm,
    MembershipEditForm,
    SecondFactorResetForm,
)
from masip.accounts.models import Membership
from masip.core.errors import DomainError


class StaffView(GlobalView):
    required_permission = Permission.MEMBERSHIP_MANAGE

    @property
    def admin(self) -> Membership:
        return self.access.require(self.required_permission)

    def render_form(self, template: str, form: Any, **extra: Any) -> HttpResponse:
        context = {
            "form": form,
            "agency": self.admin.agency,
            "roles": _role_rows(),
            **extra,
        }
        return render(self.request, template, context)


class StaffListView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        members = selectors.membership_list_for_agency(agency=self.admin.agency)
        return render(
            request,
            "accounts/staff_list.html",
            {"agency": self.admin.agency, "members": members},
        )


class StaffAddView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(
            "accounts/staff_add.html", MembershipAddForm(agency=self.admin.agency)
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MembershipAddForm(request.POST, agency=self.admin.agency)
        if form.is_valid():
            try:
                services.membership_add(request, by=self.admin, **form.cleaned_data)
            except DomainError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"{form.cleaned_data['full_name']} added.")
                return redirect("accounts:staff-list")
        return self.render_form("accounts/staff_add.html", form)


class StaffEditView(StaffView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = selectors.membership_get_for_admin(admin=self.admin, pk=pk)
        initial = {
            "role": member.role,
            "team": member.team,
            "is_active": member.is_active,
        }
        form = MembershipEditForm(initial=initial, agency=self.admin.agency)
        return self.render_form("accounts/staff_edit.html", form, member=member)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = selectors.membership_get_for_admin(admin=self.admin, pk=pk)
        form = MembershipEditForm(request.POST, agency=self.admin.agency)
        if form.is_valid():
            try:
                services.membership_update(
                    request, by=self.admin, membership=member, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"{member.user.full_name}'s membership updated."
                )
                return redirect("accounts:staff-list")
        return self.render_form("accounts/staff_edit.html", form, member=member)


class StaffFactorResetView(StaffView):
    """Reset a colleague's second factors when they have lost every one."""

    template = "accounts/staff_factor_reset.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = selectors.membership_get_for_admin(admin=self.admin, pk=pk)
        form = SecondFactorResetForm(request=request)
        return self.render_form(self.template, form, member=member)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = selectors.membership_get_for_admin(admin=self.admin, pk=pk)
        form = SecondFactorResetForm(request.POST, request=request)
        if form.is_valid() and stepup.confirm(form, action="mfa.reset"):
            try:
                services.second_factors_reset(
                    request,
                    by=self.admin,
                    membership=member,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"{member.user.full_name}'s sign-in methods were reset. They "
                    "will set one up the next time they sign in.",
                )
                return redirect("accounts:staff-list")
        return self.render_form(self.template, form, member=member)


def _role_rows() -> list[tuple[str, str]]:
    return [
        (str(RoleName(name).label), role.description) for name, role in ROLES.items()
    ]
