"""Action pages: a case's actions (its own tab), one action with the forms
to change, complete or cancel it, adding one; and across cases, the user's
own and their agency's actions, and the overdue lists.

Thin: the case comes from the access module (CaseView), reads from
``action_selectors``, writes through ``action_services``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission
from masip.access.views import CaseView, GlobalView
from masip.accounts.models import Membership
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.conflicts import conflict_rows
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm
from masip.core.pagination import page_links, paginate
from masip.panels import action_selectors as selectors
from masip.panels import action_services as services
from masip.panels.action_forms import (
    NO_OWNER,
    ActionCancelForm,
    ActionCompleteForm,
    ActionCreateForm,
    ActionUpdateForm,
)
from masip.panels.models import Action


def _refused(form: GovukForm, error: DomainError) -> None:
    """Show a service's refusal on the field it names, else on the form."""
    name = getattr(error, "field", "")
    form.add_error(name if name in form.fields else None, str(error))


class _ActionsView(CaseView):
    tab = "actions"

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(self.request, template, self.case_context(**extra))

    def acting(self, membership: Membership) -> Actor:
        return actor_from_request(
            self.request, membership, case_reference=self.case.reference
        )

    def detail_url(self, action: Action) -> str:
        return reverse(
            "case-actions:detail",
            kwargs={"reference": self.case.reference, "public_id": action.public_id},
        )


class ActionListView(_ActionsView):
    """The case's actions: outstanding first, overdue ones tagged."""

    required_permission = Permission.ACTION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.action_rows(
            selectors.case_actions(case=self.case), today=timezone.localdate()
        )
        return self.page(
            "panels/actions/case_list.html",
            outstanding=[r for r in rows if r.action.is_outstanding],
            closed=[r for r in rows if not r.action.is_outstanding],
        )


class ActionCreateView(_ActionsView):
    """Add an action to the case, outside a panel meeting."""

    required_permission = Permission.ACTION_UPDATE
    template = "panels/actions/create.html"

    def form(self, data: QueryDict | None = None) -> ActionCreateForm:
        agencies = selectors.owner_agencies(case=self.case)
        people = selectors.agency_people(a.pk for a in agencies)
        return ActionCreateForm(data, agencies=agencies, people=people)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.template, form=self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.action_create(
                    actor=self.actor(),
                    case=self.case,
                    owner_agency=data["owner_agency"],
                    owner=data["owner"],
                    description=data["description"],
                    due_on=data["due_on"],
                )
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, "Action added.")
                return redirect(self.detail_url(action))
        return self.page(self.template, form=form)


class ActionDetailView(_ActionsView):
    """One action, with the forms its owner agency (or the coordinator) may use."""

    required_permission = Permission.ACTION_VIEW
    template = "panels/actions/detail.html"

    def load(self, public_id: uuid.UUID) -> Action:
        self.action = selectors.action_get_in_case(case=self.case, public_id=public_id)
        self.updater = selectors.updating_membership(self.case_access, self.action)
        self.canceller = selectors.cancelling_membership(self.case_access, self.action)
        return self.action

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        action = self.load(public_id)
        self.record_view(
            EventType.ACTION_VIEWED, target_type="action", target_id=action.public_id
        )
        return self.render_page()

    def update_form(self, data: QueryDict | None = None) -> ActionUpdateForm:
        people = selectors.agency_people([self.action.owner_agency_id])
        if data is None:
            return ActionUpdateForm(
                initial=ActionUpdateForm.initial_from(self.action), people=people
            )
        return ActionUpdateForm(data, people=people)

    def render_page(self, **bound: Any) -> HttpResponse:
        """The page, with ``bound`` (a form with the user's input and errors,
        by its name) in place of the blank one."""
        action = self.action
        forms: dict[str, Any] = {}
        if action.is_outstanding and self.updater is not None:
            forms["update_form"] = self.update_form()
            forms["complete_form"] = ActionCompleteForm(
                initial={"version": action.version}
            )
        if action.is_outstanding and self.canceller is not None:
            forms["cancel_form"] = ActionCancelForm(initial={"version": action.version})
        forms.update(bound)
        error_form = next((f for f in bound.values() if isinstance(f, GovukForm)), None)
        row = selectors.action_rows([action], today=timezone.localdate())[0]
        return self.page(
            self.template,
            action=action,
            row=row,
            error_form=error_form,
            **forms,
        )


class _ActionChangeView(ActionDetailView):
    """A form of the action page posted to its own address; a GET shows the
    action page. Refused (403) to those the form is not offered to."""

    name: str

    def allowed(self) -> Membership | None:
        return self.updater

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        if self.allowed() is None:
            raise PermissionDenied
        return self.render_page()

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        action = self.load(public_id)
        membership = self.allowed()
        if membership is None:
            raise PermissionDenied
        if not action.is_outstanding:
            messages.info(request, "This action is no longer open.")
            return redirect(self.detail_url(action))
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.save(self.acting(membership), form)
            except StaleEditError as error:
                return self.conflict(form, error)
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, self.done)
                return redirect(self.detail_url(action))
        return self.render_page(**{self.name: form})

    def make_form(self, data: QueryDict) -> GovukForm:
        raise NotImplementedError

    def save(self, actor: Actor, form: Any) -> None:
        raise NotImplementedError

    done = ""

    def conflict(self, form: GovukForm, error: StaleEditError) -> HttpResponse:
        """The user's input again on the current version, beside the values
        now saved, so a second submit saves."""
        data = self.request.POST.copy()
        data[f"{form.prefix}-version"] = str(error.current_version)
        again = self.make_form(data)
        again.is_valid()
        again.add_error(None, str(error))
        theirs = dict(error.current)
        theirs["owner"] = str(theirs["owner"]) if theirs.get("owner") else NO_OWNER
        shown = conflict_rows(self.update_form(), theirs)
        return self.render_page(**{self.name: again, "conflict": shown})


class ActionUpdateView(_ActionChangeView):
    required_permission = Permission.ACTION_UPDATE
    name = "update_form"
    done = "Action updated."

    def make_form(self, data: QueryDict) -> GovukForm:
        return self.update_form(data)

    def save(self, actor: Actor, form: Any) -> None:
        data = form.cleaned_data
        services.action_update(
            actor=actor,
            action=self.action,
            version=data["version"],
            status=data["status"],
            owner=data["owner"],
            due_on=data["due_on"],
            due_reason=data["due_reason"],
        )


class ActionCompleteView(_ActionChangeView):
    required_permission = Permission.ACTION_UPDATE
    name = "complete_form"
    done = "Action completed."

    def make_form(self, data: QueryDict) -> GovukForm:
        return ActionCompleteForm(data)

    def save(self, actor: Actor, form: Any) -> None:
        services.action_complete(
            actor=actor,
            action=self.action,
            version=form.cleaned_data["version"],
            completion_note=form.cleaned_data["completion_note"],
        )


class ActionCancelView(_ActionChangeView):
    # The coordinator cancels without ACTION_UPDATE: the view checks the
    # owner agency or PANEL_MANAGE itself.
    required_permission = Permission.ACTION_VIEW
    name = "cancel_form"
    done = "Action cancelled."

    def allowed(self) -> Membership | None:
        return self.canceller

    def make_form(self, data: QueryDict) -> GovukForm:
        return ActionCancelForm(data)

    def save(self, actor: Actor, form: Any) -> None:
        services.action_cancel(
            actor=actor,
            action=self.action,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )


# Across cases ----------------------------------------------------------------


def _list_viewed(view: GlobalView, target_type: str) -> None:
    audit.record(
        EventType.CASE_LIST_VIEWED, actor=view.actor().audit, target_type=target_type
    )


class MyActionsView(GlobalView):
    """The user's own outstanding actions, then their agency's."""

    required_permission = Permission.ACTION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        own = selectors.action_rows(selectors.my_actions(self.access), today=today)
        page = paginate(
            selectors.agency_actions(self.access),
            params=request.GET,
            per_page=settings.MASIP_PAGE_SIZE,
        )
        _list_viewed(self, "actions")
        return render(
            request,
            "panels/actions/mine.html",
            {
                "own": own,
                "agency_rows": selectors.action_rows(page, today=today),
                "page": page,
                "page_links": page_links(page, request.GET),
                "may_see_overdue": bool(selectors.overdue_scope(self.access)),
            },
        )


class OverdueActionsView(GlobalView):
    """Overdue actions per agency, for the coordinator (the site's panel),
    the panel chair, and team managers (their agency's)."""

    required_permission = Permission.ACTION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        scope = selectors.overdue_scope(self.access)
        if not scope:
            # A case worker oversees no one: their own list shows overdue first.
            return redirect("actions:mine")
        today = timezone.localdate()
        overdue = selectors.overdue_actions(scope, today=today)
        page = paginate(overdue, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        actions = list(page.object_list)
        _list_viewed(self, "overdue_actions")
        return render(
            request,
            "panels/actions/overdue.html",
            {
                "scope": scope,
                "counts": selectors.overdue_counts(overdue),
                "rows": selectors.action_rows(
                    actions,
                    today=today,
                    readable=selectors.readable_cases(self.access, actions),
                ),
                "page": page,
                "page_links": page_links(page, request.GET),
            },
        )
