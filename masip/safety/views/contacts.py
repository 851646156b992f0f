"""Logging and scheduling a contact with a victim (checked against their
safe-contact rules), and one contact with the forms that complete or cancel
it. Without the victim contact compartment no contact form is offered."""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts.models import Membership
from masip.audit.events import EventType
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm
from masip.safety import selectors, services
from masip.safety.contact_rules import ContactMethod
from masip.safety.forms import (
    ContactCancelForm,
    ContactCompleteForm,
    ContactLogForm,
    ContactScheduleForm,
)
from masip.safety.models import VictimContact
from masip.safety.views._base import SafetyView, VictimView, refused

CALL_METHODS = (ContactMethod.CALL, ContactMethod.VOICEMAIL)


class _ContactWriteView(VictimView):
    """Log or schedule a contact. Without the victim contact compartment the
    page says who to go through, and offers no form."""

    required_permission = Permission.VICTIM_CONTACT_LOG
    template = "safety/contact_form.html"
    form_class: type[ContactLogForm] | type[ContactScheduleForm]
    heading = ""
    button = ""
    done = ""

    @cached_property
    def membership(self) -> Membership | None:
        return selectors.writing_membership(
            self.case_access, Permission.VICTIM_CONTACT_LOG
        )

    def make_form(self, data: QueryDict | None = None) -> GovukForm:
        addresses = selectors.letter_addresses(victim=self.victim)
        return self.form_class(data, addresses=addresses)

    def render_form(self, form: GovukForm) -> HttpResponse:
        if self.membership is None:
            return self.page(
                "safety/contact_no_reach.html", victim=self.victim, heading=self.heading
            )
        return self.page(
            self.template,
            form=form,
            victim=self.victim,
            heading=self.heading,
            button=self.button,
            **self.rules_context(self.victim, offers_calls=True),
        )

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load_victim(public_id)
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load_victim(public_id)
        form = self.make_form(request.POST)
        if self.membership is None or not form.is_valid():
            return self.render_form(form)
        try:
            self.save(self.acting(self.membership), form)
        except DomainError as error:
            refused(form, error)
            return self.render_form(form)
        messages.success(request, self.done)
        return redirect(self.overview_url())

    def new_contact(self, actor: Actor, form: Any) -> dict[str, Any]:
        """What every new contact is given: who, on which case, with whom,
        how, what the victim is told, and (letters only) where to."""
        return {
            "actor": actor,
            "case": self.case,
            "victim": self.victim,
            "method": form.cleaned_data["method"],
            "summary": form.cleaned_data["summary"],
            "address": form.chosen_address(),
        }

    def save(self, actor: Actor, form: Any) -> VictimContact:
        raise NotImplementedError


class ContactLogView(_ContactWriteView):
    form_class = ContactLogForm
    heading = "Log a contact with"
    button = "Log contact"
    done = "Contact logged."

    def save(self, actor: Actor, form: Any) -> VictimContact:
        data = form.cleaned_data
        return services.victim_contact_log(
            **self.new_contact(actor, form),
            occurred_at=form.required_moment(),
            outcome=data["outcome"],
            victim_view=data["victim_view"],
            initiated_by_victim=data["initiated_by"] == "victim",
        )


class ContactScheduleView(_ContactWriteView):
    form_class = ContactScheduleForm
    heading = "Schedule a contact with"
    button = "Schedule contact"
    done = "Contact scheduled."

    def save(self, actor: Actor, form: Any) -> VictimContact:
        return services.victim_contact_schedule(
            **self.new_contact(actor, form), scheduled_for=form.required_moment()
        )


class ContactDetailView(SafetyView):
    """One contact; while scheduled, the forms to complete or cancel it for
    the agency that scheduled it."""

    required_permission = Permission.VICTIM_CONTACT_VIEW
    template = "safety/contact_detail.html"

    def load(self, public_id: uuid.UUID) -> VictimContact:
        self.contact = selectors.contact_get_in_case(
            case=self.case, public_id=public_id
        )
        return self.contact

    @cached_property
    def writer(self) -> Membership | None:
        """The user's membership that may complete or cancel this contact."""
        membership = selectors.writing_membership(
            self.case_access, Permission.VICTIM_CONTACT_LOG
        )
        if membership is None or membership.agency_id != self.contact.agency_id:
            return None
        return membership

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        self.record_view(
            EventType.VICTIM_UPDATES_VIEWED,
            target_type="victim_contact",
            target_id=contact.public_id,
        )
        return self.render_page()

    def render_page(self, **bound: Any) -> HttpResponse:
        contact = self.contact
        forms: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        if contact.status == VictimContact.Status.SCHEDULED and self.writer:
            forms["complete_form"] = ContactCompleteForm(
                initial=ContactCompleteForm.initial_from(contact)
            )
            forms["cancel_form"] = ContactCancelForm(
                initial={"version": contact.version}
            )
            extra = {
                **self.rules_context(
                    contact.victim, offers_calls=contact.method in CALL_METHODS
                ),
                "still_allowed": selectors.scheduled_rows([contact])[0].verdict,
            }
        forms.update(bound)
        error_form = next((f for f in bound.values() if isinstance(f, GovukForm)), None)
        return self.page(
            self.template, contact=contact, error_form=error_form, **forms, **extra
        )


class _ContactChangeView(ContactDetailView):
    """A form of the contact page posted to its own address; a GET shows the
    contact page."""

    required_permission = Permission.VICTIM_CONTACT_LOG
    name = ""
    done = ""

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        if contact.status != VictimContact.Status.SCHEDULED or self.writer is None:
            messages.info(request, "This contact cannot be changed by you now.")
            return redirect(self.detail_url())
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.save(self.acting(self.writer), form)
            except StaleEditError as error:
                return self.conflict(error)
            except DomainError as error:
                refused(form, error)
            else:
                messages.success(request, self.done)
                return redirect(self.detail_url())
        return self.render_page(**{self.name: form})

    def detail_url(self) -> str:
        return reverse(
            "safety:contact",
            kwargs={
                "reference": self.case.reference,
                "public_id": self.contact.public_id,
            },
        )

    def conflict(self, error: StaleEditError) -> HttpResponse:
        messages.info(self.request, str(error))
        return redirect(self.detail_url())

    def make_form(self, data: QueryDict) -> GovukForm:
        raise NotImplementedError

    def save(self, actor: Actor, form: Any) -> None:
        raise NotImplementedError


class ContactCompleteView(_ContactChangeView):
    name = "complete_form"
    done = "Contact recorded."

    def make_form(self, data: QueryDict) -> GovukForm:
        return ContactCompleteForm(data)

    def save(self, actor: Actor, form: Any) -> None:
        data = form.cleaned_data
        services.victim_contact_complete(
            actor=actor,
            contact=self.contact,
            version=data["version"],
            occurred_at=form.required_moment(),
            outcome=data["outcome"],
            summary=data["summary"],
            victim_view=data["victim_view"],
        )


class ContactCancelView(_ContactChangeView):
    name = "cancel_form"
    done = "Contact cancelled."

    def make_form(self, data: QueryDict) -> GovukForm:
        return ContactCancelForm(data)

    def save(self, actor: Actor, form: Any) -> None:
        services.victim_contact_cancel(
            actor=actor, contact=self.contact, version=form.cleaned_data["version"]
        )
