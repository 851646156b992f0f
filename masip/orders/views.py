"""Order pages on a case: the list, recording one, one order with its
conditions, history, notification requirements and breaches, the forms that
change it, breaches, and the decision on a possible breach.

Thin: the case comes from the access module (CaseView), reads from
``selectors``, writes through ``services`` and ``breach_services``.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from masip.access import reveal
from masip.access.permissions import Permission
from masip.access.views import CaseView
from masip.audit.events import EventType
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm
from masip.core.templatetags.govuk import govuk_day
from masip.orders import breach_services, selectors, services
from masip.orders.forms import (
    BreachRecordForm,
    BreachUpdateForm,
    ConditionAddForm,
    DischargeForm,
    NotificationChangeForm,
    NotificationMadeForm,
    OrderRecordForm,
    RenewForm,
    ReviewConfirmForm,
    ReviewDismissForm,
    ServeForm,
    VaryForm,
)
from masip.orders.models import (
    Breach,
    BreachReview,
    NotificationRequirement,
    Order,
    OrderCondition,
)
from masip.panels import action_selectors


def refused(form: GovukForm, error: DomainError) -> None:
    """Show a service's refusal on the field it names, else on the form."""
    name = getattr(error, "field", "")
    form.add_error(name if name in form.fields else None, str(error))


class _OrdersView(CaseView):
    tab = "orders"

    @cached_property
    def sealed(self) -> reveal.SealedState:
        """Whether exclusion zones are withheld, masked or shown to this user."""
        return reveal.victim_contact(self.access, self.case)

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(
            self.request, template, self.case_context(sealed=self.sealed, **extra)
        )

    def order_url(self, order: Order) -> str:
        return reverse(
            "orders:detail",
            kwargs={"reference": self.case.reference, "public_id": order.public_id},
        )

    def breach_url(self, breach: Breach) -> str:
        return reverse(
            "orders:breach-detail",
            kwargs={"reference": self.case.reference, "public_id": breach.public_id},
        )


class OrderListView(_OrdersView):
    """The case's orders: status, expiry, next notification deadline, reviews."""

    required_permission = Permission.ORDER_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return self.page(
            "orders/list.html",
            rows=selectors.case_orders(case=self.case, today=today),
            today=today,
        )


class OrderRecordView(_OrdersView):
    """Record an order with its first conditions."""

    required_permission = Permission.ORDER_RECORD
    template = "orders/record.html"

    def form(self, data: QueryDict | None = None) -> OrderRecordForm:
        agencies = action_selectors.owner_agencies(case=self.case)
        return OrderRecordForm(
            data,
            subjects=selectors.perpetrators(case=self.case),
            protectable=selectors.people_to_protect(case=self.case),
            agencies=agencies,
            people=action_selectors.agency_people(a.pk for a in agencies),
            initial={"owner_agency": self.case.lead_agency_id},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.template, form=self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = services.order_record(
                    actor=self.actor(),
                    case=self.case,
                    kind=data["kind"],
                    subject=data["subject"],
                    protected_persons=data["protected_persons"],
                    court=data["court"],
                    court_reference=data["court_reference"],
                    made_on=data["made_on"],
                    served_on=data["served_on"],
                    expires_on=data["expires_on"],
                    until_further_order=data["until_further_order"],
                    owner_agency=data["owner_agency"],
                    owner=data["owner"],
                    notes=data["notes"],
                    conditions=form.conditions(),
                )
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, "Order recorded.")
                return redirect(self.order_url(order))
        return self.page(self.template, form=form)


class OrderDetailView(_OrdersView):
    """One order: its conditions, history, notification requirements,
    possible and confirmed breaches."""

    required_permission = Permission.ORDER_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        order = selectors.order_get_in_case(case=self.case, public_id=public_id)
        self.record_view(
            EventType.ORDER_VIEWED, target_type="order", target_id=order.public_id
        )
        today = timezone.localdate()
        detail = selectors.order_detail(order=order, today=today)
        return self.page(
            "orders/detail.html",
            order=detail.order,
            detail=detail,
            today=today,
            any_zone=any(c.zone_description for c in detail.conditions),
        )


# Forms about one order ------------------------------------------------------------


class _OrderFormView(_OrdersView):
    """A page with one form changing the order; POST success goes back to
    the order."""

    required_permission = Permission.ORDER_RECORD
    template = "orders/order_form.html"
    title = ""
    intro = ""
    button = "Save"
    done = ""

    order: Order

    def load(self, public_id: uuid.UUID) -> Order:
        self.order = selectors.order_get_in_case(case=self.case, public_id=public_id)
        return self.order

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        raise NotImplementedError

    def save(self, form: Any) -> None:
        raise NotImplementedError

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        return self.page(
            self.template,
            order=self.order,
            form=form,
            title=self.title,
            intro=self.intro,
            button=self.button,
            **extra,
        )

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except StaleEditError as error:
                again = resubmittable_form(self.make_form, request.POST, error)
                return self.render_form(
                    again, conflict=conflict_rows(again, error.current)
                )
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, self.done)
                return redirect(self.order_url(self.order))
        return self.render_form(form)

    def versioned(self) -> dict[str, Any]:
        return {"version": self.order.version}


class ConditionAddView(_OrderFormView):
    title = "Add a condition"
    intro = (
        "Add a condition the order holds that is not recorded yet. For a "
        "condition the court added later, record a variation instead."
    )
    button = "Add the condition"
    done = "Condition added."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return ConditionAddForm(data)

    def save(self, form: Any) -> None:
        data = form.cleaned_data
        services.condition_add(
            actor=self.actor(),
            order=self.order,
            kind=data["kind"],
            wording=data["wording"],
            includes_indirect=data["includes_indirect"],
            zone_description=data["zone_description"],
            starts_on=data["starts_on"],
        )


class ServeView(_OrderFormView):
    title = "Record service"
    intro = (
        "For a Stalking Protection Order, the person must notify the police of "
        "their names and home address within 3 days of service."
    )
    button = "Record service"
    done = "Service recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return ServeForm(data, initial=self.versioned())

    def save(self, form: Any) -> None:
        services.order_serve(
            actor=self.actor(),
            order=self.order,
            version=form.cleaned_data["version"],
            served_on=form.cleaned_data["served_on"],
        )


class VaryView(_OrderFormView):
    title = "Record a variation"
    intro = "Record what the court changed: conditions removed, or one added."
    button = "Record the variation"
    done = "Variation recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        current = [c for c in self.order.conditions.all() if c.ends_on is None]
        return VaryForm(data, conditions=current, initial=self.versioned())

    def save(self, form: Any) -> None:
        data = form.cleaned_data
        services.order_vary(
            actor=self.actor(),
            order=self.order,
            version=data["version"],
            varied_on=data["varied_on"],
            detail=data["detail"],
            end_conditions=data["end_conditions"],
            new_condition=form.new_condition(),
        )


class RenewView(_OrderFormView):
    title = "Record a renewal"
    button = "Record the renewal"
    done = "Renewal recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return RenewForm(data, initial=self.versioned())

    def save(self, form: Any) -> None:
        data = form.cleaned_data
        services.order_renew(
            actor=self.actor(),
            order=self.order,
            version=data["version"],
            renewed_on=data["renewed_on"],
            expires_on=data["expires_on"],
            until_further_order=data["until_further_order"],
            detail=data["detail"],
        )


class DischargeView(_OrderFormView):
    title = "Record a discharge"
    intro = "The order is not in force from the date it was discharged."
    button = "Record the discharge"
    done = "Discharge recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return DischargeForm(data, initial=self.versioned())

    def save(self, form: Any) -> None:
        data = form.cleaned_data
        services.order_discharge(
            actor=self.actor(),
            order=self.order,
            version=data["version"],
            discharged_on=data["discharged_on"],
            detail=data["detail"],
        )


class NotificationChangeView(_OrderFormView):
    title = "Record a new name or address"
    intro = (
        "When the police learn the person uses a new name or lives at a new "
        "address, they must have notified it within 3 days of the change."
    )
    button = "Record the change"
    done = "Change recorded: a new notification requirement has started."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return NotificationChangeForm(data)

    def save(self, form: Any) -> None:
        data = form.cleaned_data
        services.notification_change_record(
            actor=self.actor(),
            order=self.order,
            kind=data["kind"],
            changed_on=data["changed_on"],
        )


class NotificationMadeView(_OrderFormView):
    """Record that a notification requirement was met (by requirement id)."""

    title = "Record a notification made"
    button = "Record the notification"
    done = "Notification recorded."

    requirement: NotificationRequirement

    def load(self, public_id: uuid.UUID) -> Order:
        self.requirement = selectors.requirement_get_in_case(
            case=self.case, public_id=public_id
        )
        self.order = self.requirement.order
        self.intro = (
            f"{self.requirement.get_kind_display()}: due by "
            f"{govuk_day(self.requirement.due_on)}."
        )
        return self.order

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return NotificationMadeForm(data)

    def save(self, form: Any) -> None:
        services.notification_made_record(
            actor=self.actor(),
            requirement=self.requirement,
            notified_on=form.cleaned_data["notified_on"],
        )


# Breaches ------------------------------------------------------------------------


class BreachRecordView(_OrderFormView):
    """Record a breach on the order directly (no incident)."""

    title = "Record a breach"
    intro = (
        "For a breach with no incident, such as a missed assessment. Incidents "
        "of contact are recorded as incidents: MASIP then suggests the breach."
    )
    button = "Record the breach"

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return BreachRecordForm(data, conditions=list(self.order.conditions.all()))

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        form = self.make_form(request.POST)
        assert isinstance(form, BreachRecordForm)
        if form.is_valid():
            try:
                breach = breach_services.breach_record(
                    actor=self.actor(),
                    order=self.order,
                    conditions=form.cleaned_data["conditions"],
                    occurred_at=form.occurred_at(),
                    description=form.cleaned_data["description"],
                    **form.response_values(),
                )
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, "Breach recorded.")
                return redirect(self.breach_url(breach))
        return self.render_form(form)


class BreachDetailView(_OrdersView):
    """One breach, with the form to update the police response and outcome."""

    required_permission = Permission.ORDER_VIEW
    template = "orders/breach_detail.html"

    breach: Breach

    def load(self, public_id: uuid.UUID) -> Breach:
        self.breach = selectors.breach_get_in_case(case=self.case, public_id=public_id)
        return self.breach

    def update_form(self, data: QueryDict | None = None) -> BreachUpdateForm:
        if data is not None:
            return BreachUpdateForm(data)
        return BreachUpdateForm(
            initial={
                **breach_services.breach_current_values(self.breach),
                "version": self.breach.version,
            }
        )

    def render_page(self, **extra: Any) -> HttpResponse:
        extra.setdefault(
            "form",
            self.update_form()
            if self.case_access.can(Permission.ORDER_RECORD)
            else None,
        )
        return self.page(self.template, breach=self.breach, **extra)

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        breach = self.load(public_id)
        self.record_view(
            EventType.ORDER_VIEWED, target_type="breach", target_id=breach.public_id
        )
        return self.render_page()


class BreachUpdateView(BreachDetailView):
    required_permission = Permission.ORDER_RECORD

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        return self.render_page()

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        breach = self.load(public_id)
        form = self.update_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                breach_services.breach_update(
                    actor=self.actor(),
                    breach=breach,
                    version=data["version"],
                    police_response=data["police_response"],
                    police_response_note=data["police_response_note"],
                    charge_outcome=data["charge_outcome"],
                    charge_outcome_note=data["charge_outcome_note"],
                )
            except StaleEditError as error:
                again = resubmittable_form(self.update_form, request.POST, error)
                return self.render_page(
                    form=again, conflict=conflict_rows(again, error.current)
                )
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, "Breach updated.")
                return redirect(self.breach_url(breach))
        return self.render_page(form=form)


# Possible breaches (reviews) -------------------------------------------------------


class _ReviewView(_OrdersView):
    """A possible breach: confirm it (recording the breach) or dismiss it."""

    required_permission = Permission.ORDER_RECORD
    template = "orders/review.html"

    review: BreachReview
    panel: selectors.ReviewPanel

    def load(self, public_id: uuid.UUID) -> BreachReview:
        self.review = selectors.review_get_in_case(case=self.case, public_id=public_id)
        panels = selectors.incident_reviews(
            case=self.case, incident=self.review.incident
        )
        self.panel = next(p for p in panels if p.review.pk == self.review.pk)
        return self.review

    def offered(self) -> list[OrderCondition]:
        return [s.condition for s in self.panel.suggested] + list(
            self.panel.other_conditions
        )

    def confirm_form(self, data: QueryDict | None = None) -> ReviewConfirmForm:
        return ReviewConfirmForm(
            data,
            conditions=self.offered(),
            initial={
                "conditions": [str(s.condition.public_id) for s in self.panel.suggested]
            },
        )

    def render_page(self, **forms: Any) -> HttpResponse:
        forms.setdefault("confirm_form", self.confirm_form())
        forms.setdefault("dismiss_form", ReviewDismissForm())
        error_form = next(
            (f for f in forms.values() if f is not None and f.is_bound), None
        )
        return self.page(
            self.template,
            review=self.review,
            panel=self.panel,
            error_form=error_form,
            **forms,
        )

    def incident_url(self) -> str:
        return reverse(
            "incidents:incident-detail",
            kwargs={
                "reference": self.case.reference,
                "public_id": self.review.incident.public_id,
            },
        )

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        return self.render_page()

    def closed(self) -> HttpResponse:
        messages.info(self.request, "This possible breach has already been reviewed.")
        return redirect(self.incident_url())


class ReviewConfirmView(_ReviewView):
    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        review = self.load(public_id)
        if not review.is_open:
            return self.closed()
        form = self.confirm_form(request.POST)
        if form.is_valid():
            try:
                breach = breach_services.review_confirm(
                    actor=self.actor(),
                    review=review,
                    conditions=form.cleaned_data["conditions"],
                    description=form.cleaned_data["description"],
                    **form.response_values(),
                )
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, "Breach recorded.")
                return redirect(self.breach_url(breach))
        return self.render_page(confirm_form=form)


class ReviewDismissView(_ReviewView):
    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        review = self.load(public_id)
        if not review.is_open:
            return self.closed()
        form = ReviewDismissForm(request.POST)
        if form.is_valid():
            try:
                breach_services.review_dismiss(
                    actor=self.actor(),
                    review=review,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, "Recorded as not a breach.")
                return redirect(self.incident_url())
        return self.render_page(dismiss_form=form)
