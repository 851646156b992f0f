"""The panels the user reaches, and setting up the site's panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from masip.access.permissions import Permission
from masip.accounts.models import Site
from masip.panels import selectors, services
from masip.panels.forms import PanelForm, put_errors
from masip.panels.models import Panel
from masip.panels.services import PanelInputError
from masip.panels.views._base import PanelView


class PanelListView(PanelView):
    """The panels the user reaches, with their upcoming and past meetings."""

    required_permission = Permission.PANEL_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        site = selectors.managed_site(self.access)
        rows = selectors.panel_rows(self.access)
        return self.page(
            "panels/panel_list.html",
            rows=rows,
            managed_site=site,
            needs_setting_up=site is not None
            and not any(r.panel.site_id == site.pk for r in rows),
        )


class PanelEditView(PanelView):
    """Set up the site's panel, or change its members and chair."""

    required_permission = Permission.PANEL_MANAGE
    template = "panels/panel_form.html"

    def site(self) -> Site:
        site = selectors.managed_site(self.access)
        if site is None:
            raise PermissionDenied
        return site

    def form(self, site: Site, panel: Panel | None, **kwargs: Any) -> PanelForm:
        agencies = selectors.candidate_agencies(site)
        if panel is not None and "data" not in kwargs:
            kwargs["initial"] = {
                "name": panel.name,
                "member_agencies": list(panel.member_agencies.all()),
                "chair": panel.chair,
            }
        elif "data" not in kwargs:
            kwargs["initial"] = {"name": f"{site.name} stalking panel"}
        return PanelForm(
            agencies=agencies, people=selectors.active_members(agencies), **kwargs
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        site = self.site()
        panel = selectors.panel_of_site(site)
        return self.page(
            self.template, form=self.form(site, panel), panel=panel, site=site
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        site = self.site()
        panel = selectors.panel_of_site(site)
        form = self.form(site, panel, data=request.POST)
        if form.is_valid():
            try:
                services.panel_save(
                    actor=self.site_actor(site.pk),
                    site=site,
                    name=form.cleaned_data["name"],
                    member_agencies=list(form.cleaned_data["member_agencies"]),
                    chair=form.cleaned_data["chair"],
                )
            except PanelInputError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, "Panel saved.")
                return redirect("panels:panel-list")
        return self.page(self.template, form=form, panel=panel, site=site)
