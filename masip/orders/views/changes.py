"""The changes in an order's life: a condition missed when it was recorded,
service, variation, renewal and discharge. Each page is one form that goes
back to the order."""

from __future__ import annotations

from typing import Any

from masip.orders import services
from masip.orders.forms import (
    ConditionAddForm,
    DischargeForm,
    RenewForm,
    ServeForm,
    VaryForm,
)
from masip.orders.views._base import OrderFormView


class ConditionAddView(OrderFormView):
    form_class = ConditionAddForm
    service = staticmethod(services.condition_add)
    title = "Add a condition"
    intro = (
        "Add a condition the order holds that is not recorded yet. For a "
        "condition the court added later, record a variation instead."
    )
    button = "Add the condition"
    done = "Condition added."


class ServeView(OrderFormView):
    form_class = ServeForm
    service = staticmethod(services.order_serve)
    versioned = True
    title = "Record service"
    intro = (
        "For a Stalking Protection Order, the person must notify the police of "
        "their names and home address within 3 days of service."
    )
    button = "Record service"
    done = "Service recorded."


class VaryView(OrderFormView):
    form_class = VaryForm
    versioned = True
    title = "Record a variation"
    intro = "Record what the court changed: conditions removed, or one added."
    button = "Record the variation"
    done = "Variation recorded."

    def form_kwargs(self) -> dict[str, Any]:
        current = [c for c in self.order.conditions.all() if c.ends_on is None]
        return {**super().form_kwargs(), "conditions": current}

    def perform(self, form: Any) -> str:
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
        return self.order_url(self.order)


class RenewView(OrderFormView):
    form_class = RenewForm
    service = staticmethod(services.order_renew)
    versioned = True
    title = "Record a renewal"
    button = "Record the renewal"
    done = "Renewal recorded."


class DischargeView(OrderFormView):
    form_class = DischargeForm
    service = staticmethod(services.order_discharge)
    versioned = True
    title = "Record a discharge"
    intro = "The order is not in force from the date it was discharged."
    button = "Record the discharge"
    done = "Discharge recorded."
