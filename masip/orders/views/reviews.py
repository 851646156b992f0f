"""A possible breach (a review an incident opened): confirm it, recording the
breach, or dismiss it with the reason. Both forms are on one page."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from masip.access.permissions import Permission
from masip.core.forms import GovukForm
from masip.orders import selectors, services
from masip.orders.forms import ReviewConfirmForm, ReviewDismissForm
from masip.orders.models import BreachReview, OrderCondition
from masip.orders.views._base import FormPageView


class _ReviewView(FormPageView):
    """The review page; each view posts one of its two forms (``form_key``)."""

    required_permission = Permission.ORDER_RECORD
    template = "orders/review.html"
    form_key: ClassVar[str]

    review: BreachReview
    panel: selectors.ReviewPanel

    def load(self) -> None:
        self.review = selectors.review_get_in_case(
            case=self.case, public_id=self.kwargs["public_id"]
        )
        panels = selectors.incident_reviews(
            case=self.case, incident=self.review.incident
        )
        self.panel = next(p for p in panels if p.review.pk == self.review.pk)

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

    def render_form(self, form: GovukForm, **extra: Any) -> HttpResponse:
        forms: dict[str, Any] = {self.form_key: form}
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

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load()
        if not self.review.is_open:
            messages.info(request, "This possible breach has already been reviewed.")
            return redirect(self.incident_url())
        return self.submit(request.POST)


class ReviewConfirmView(_ReviewView):
    form_key = "confirm_form"
    done = "Breach recorded."

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        return self.confirm_form(data)

    def perform(self, form: Any) -> str:
        breach = services.review_confirm(
            actor=self.actor(),
            review=self.review,
            conditions=form.cleaned_data["conditions"],
            description=form.cleaned_data["description"],
            **form.response_values(),
        )
        return self.breach_url(breach)


class ReviewDismissView(_ReviewView):
    form_class = ReviewDismissForm
    form_key = "dismiss_form"
    done = "Recorded as not a breach."

    def perform(self, form: Any) -> str:
        services.review_dismiss(
            actor=self.actor(), review=self.review, **form.cleaned_data
        )
        return self.incident_url()
