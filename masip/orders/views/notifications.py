"""The SPO notification requirements: a new name or address starts one, and
the police record when the person notified them."""

from __future__ import annotations

from typing import Any

from masip.core.templatetags.govuk import govuk_day
from masip.orders import selectors, services
from masip.orders.forms import NotificationChangeForm, NotificationMadeForm
from masip.orders.models import NotificationRequirement
from masip.orders.views._base import OrderFormView


class NotificationChangeView(OrderFormView):
    form_class = NotificationChangeForm
    service = staticmethod(services.notification_change_record)
    title = "Record a new name or address"
    intro = (
        "When the police learn the person uses a new name or lives at a new "
        "address, they must have notified it within 3 days of the change."
    )
    button = "Record the change"
    done = "Change recorded: a new notification requirement has started."


class NotificationMadeView(OrderFormView):
    """Record that a notification requirement was met (by requirement id)."""

    form_class = NotificationMadeForm
    title = "Record a notification made"
    button = "Record the notification"
    done = "Notification recorded."

    requirement: NotificationRequirement

    def load(self) -> None:
        self.requirement = selectors.requirement_get_in_case(
            case=self.case, public_id=self.kwargs["public_id"]
        )
        self.order = self.requirement.order
        self.intro = (
            f"{self.requirement.get_kind_display()}: due by "
            f"{govuk_day(self.requirement.due_on)}."
        )

    def perform(self, form: Any) -> str:
        services.notification_made_record(
            actor=self.actor(), requirement=self.requirement, **form.cleaned_data
        )
        return self.order_url(self.order)
