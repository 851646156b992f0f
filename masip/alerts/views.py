"""The alert pages: the list, one alert with its events, acknowledge and close."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.alerts import selectors, services
from masip.alerts.forms import AlertAcknowledgeForm, AlertCloseForm, AlertFilterForm
from masip.alerts.models import Alert
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.audit.presenters import present
from masip.core.conflicts import conflict_rows, resubmittable_form
from masip.core.errors import DomainError, StaleEditError
from masip.core.pagination import page_links, paginate


def alert_url(alert: Alert) -> str:
    return reverse("alerts:alert-detail", kwargs={"pk": alert.pk})


class AlertListView(GlobalView):
    required_permission = Permission.ALERT_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AlertFilterForm(request.GET)
        valid = form.is_valid()
        filters = form.filters() if valid else selectors.AlertFilters()
        alerts = selectors.alert_list_for(access=self.access, filters=filters)
        if not valid:
            alerts = alerts.none()
        page = paginate(alerts, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        context = {
            "form": form,
            "valid": valid,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "page": page,
            "page_links": page_links(page, request.GET),
        }
        return render(request, "alerts/alert_list.html", context)


class AlertView(GlobalView):
    """A page about one alert of the manager's agencies (404 otherwise)."""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self._pk: int = kwargs["pk"]

    @property
    def alert(self) -> Alert:
        if not hasattr(self, "_alert"):
            self._alert = selectors.alert_get_for(access=self.access, pk=self._pk)
        return self._alert

    def alert_actor(self) -> Actor:
        membership = selectors.alert_membership(access=self.access, alert=self.alert)
        return actor_from_request(self.request, membership)


class AlertDetailView(AlertView):
    required_permission = Permission.ALERT_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        alert = self.alert
        events = selectors.alert_events(alert)
        page = paginate(events, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        fired = selectors.alert_fired_event_ids(alert)
        rows = [(event, present(event), event.pk in fired) for event in page]
        # Reading why a colleague was flagged is itself a read of the trail.
        audit.record(
            EventType.AUDIT_LOG_VIEWED,
            actor=self.alert_actor().audit,
            target_type="alert",
            target_id=alert.pk,
        )
        context = {
            "alert": alert,
            "rows": rows,
            "page": page,
            "page_links": page_links(page, request.GET),
            "acknowledge_form": AlertAcknowledgeForm(
                initial={"version": alert.version}
            ),
        }
        return render(request, "alerts/alert_detail.html", context)


class AlertAcknowledgeView(AlertView):
    required_permission = Permission.ALERT_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = AlertAcknowledgeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The alert could not be acknowledged. Try again.")
            return redirect(alert_url(self.alert))
        try:
            services.alert_acknowledge(
                actor=self.alert_actor(),
                alert=self.alert,
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Alert acknowledged.")
        return redirect(alert_url(self.alert))


class AlertCloseView(AlertView):
    required_permission = Permission.ALERT_MANAGE

    def make_form(self, data: QueryDict | None = None) -> AlertCloseForm:
        initial = {**services.alert_current_values(self.alert)}
        initial["version"] = self.alert.version
        return AlertCloseForm(data, initial=initial)

    def render_form(self, form: AlertCloseForm, **extra: Any) -> HttpResponse:
        context = {"alert": self.alert, "form": form, **extra}
        return render(self.request, "alerts/alert_close.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if self.alert.is_closed:
            messages.error(request, "This alert is already closed.")
            return redirect(alert_url(self.alert))
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            services.alert_close(
                actor=self.alert_actor(), alert=self.alert, **form.cleaned_data
            )
        except StaleEditError as error:
            fresh = resubmittable_form(self.make_form, request.POST, error)
            return self.render_form(fresh, conflict=conflict_rows(fresh, error.current))
        except DomainError as error:
            form.add_error(None, str(error))
            return self.render_form(form)
        messages.success(request, "Alert closed.")
        return redirect(alert_url(self.alert))
