"""Safety pages of a case: the overview, the victim-update log, logging and
scheduling contacts (checked against the victim's safe-contact rules), and
the victim's safety plan (current version, history, a new version).

Thin: the case comes from the access module (CaseView), reads from
``selectors``, writes through ``services``. Victim location and contact
details follow ``masip.access.reveal``: withheld without the compartment,
masked until revealed, shown once revealed. The structured contact rules
(channels, days, hours, voicemail) are shown to everyone holding the
compartment, revealed or not, because they must be obeyed; the victim's own
words and code word only once revealed. Addresses are never shown here.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from masip.access import reveal
from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission
from masip.access.views import CaseView
from masip.accounts.models import Membership
from masip.audit.events import EventType
from masip.core.conflicts import conflict_rows
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import GovukForm
from masip.core.pagination import page_links, paginate
from masip.people.models import Person
from masip.safety import selectors, services
from masip.safety.contact_rules import (
    ContactMethod,
    rules_in_words,
    warns_no_voicemail,
)
from masip.safety.forms import (
    ContactCancelForm,
    ContactCompleteForm,
    ContactLogForm,
    ContactScheduleForm,
    SafetyPlanForm,
)
from masip.safety.models import VictimContact

CALL_METHODS = (ContactMethod.CALL, ContactMethod.VOICEMAIL)


def _refused(form: GovukForm, error: DomainError) -> None:
    """A service's refusal on the form: each rule's reason in the error
    summary, or the message on the field it names."""
    if isinstance(error, services.SafeContactRefused):
        for reason in error.reasons:
            form.add_error(None, reason)
        return
    name = getattr(error, "field", "")
    form.add_error(name if name in form.fields else None, str(error))


class _SafetyView(CaseView):
    tab = "safety"

    @cached_property
    def sealed(self) -> reveal.SealedState:
        return reveal.victim_contact(self.access, self.case)

    def page(self, template: str, **extra: Any) -> HttpResponse:
        return render(
            self.request, template, self.case_context(sealed=self.sealed, **extra)
        )

    def acting(self, membership: Membership) -> Actor:
        return actor_from_request(
            self.request, membership, case_reference=self.case.reference
        )

    def overview_url(self) -> str:
        return reverse("safety:overview", kwargs={"reference": self.case.reference})

    def reveal_url(self) -> str:
        target = reverse("cases:reveal", kwargs={"reference": self.case.reference})
        return f"{target}?{urlencode({'next': self.request.path})}"


class SafetyOverviewView(_SafetyView):
    """Each victim's plan (review date, agreed), latest updates and the
    contacts scheduled with them."""

    required_permission = Permission.SAFETY_PLAN_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return self.page(
            "safety/overview.html",
            overview=selectors.safety_overview(case=self.case, today=today),
            may_log=selectors.writing_membership(
                self.case_access, Permission.VICTIM_CONTACT_LOG
            )
            is not None,
        )


class VictimUpdateLogView(_SafetyView):
    """What each victim was told, by whom and when, newest first: one log for
    every agency (the contact compartment is not needed to read it)."""

    required_permission = Permission.VICTIM_CONTACT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(
            selectors.victim_updates(case=self.case),
            params=request.GET,
            per_page=settings.MASIP_PAGE_SIZE,
        )
        self.record_view(EventType.VICTIM_UPDATES_VIEWED)
        return self.page(
            "safety/updates.html",
            updates=list(page.object_list),
            page=page,
            page_links=page_links(page, request.GET),
        )


# Contacts --------------------------------------------------------------------


class _VictimView(_SafetyView):
    victim: Person

    def load_victim(self, public_id: uuid.UUID) -> Person:
        self.victim = selectors.victim_get_in_case(case=self.case, public_id=public_id)
        return self.victim

    def rules_context(self, *, offers_calls: bool) -> dict[str, Any]:
        """The victim's rules in words, and whether to warn "No voicemail"
        (only for holders of the compartment; no sealed text unless shown)."""
        preference = selectors.safe_contact_for(victim=self.victim)
        return {
            "rules": rules_in_words(preference),
            "safe_contact": preference if self.sealed.shown else None,
            "no_voicemail": offers_calls and warns_no_voicemail(preference),
        }


class _ContactWriteView(_VictimView):
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
            **self.rules_context(offers_calls=True),
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
            _refused(form, error)
            return self.render_form(form)
        messages.success(request, self.done)
        return redirect(self.overview_url())

    def save(self, actor: Actor, form: Any) -> VictimContact:
        raise NotImplementedError


class ContactLogView(_ContactWriteView):
    form_class = ContactLogForm
    heading = "Log a contact with"
    button = "Log contact"
    done = "Contact logged."

    def save(self, actor: Actor, form: Any) -> VictimContact:
        data = form.cleaned_data
        moment = form.moment()
        assert moment is not None
        return services.victim_contact_log(
            actor=actor,
            case=self.case,
            victim=self.victim,
            method=data["method"],
            occurred_at=moment,
            outcome=data["outcome"],
            summary=data["summary"],
            victim_view=data["victim_view"],
            address=form.chosen_address(),
            initiated_by_victim=data["initiated_by"] == "victim",
        )


class ContactScheduleView(_ContactWriteView):
    form_class = ContactScheduleForm
    heading = "Schedule a contact with"
    button = "Schedule contact"
    done = "Contact scheduled."

    def save(self, actor: Actor, form: Any) -> VictimContact:
        data = form.cleaned_data
        moment = form.moment()
        assert moment is not None
        return services.victim_contact_schedule(
            actor=actor,
            case=self.case,
            victim=self.victim,
            method=data["method"],
            scheduled_for=moment,
            summary=data["summary"],
            address=form.chosen_address(),
        )


class ContactDetailView(_SafetyView):
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
            preference = selectors.safe_contact_for(victim=contact.victim)
            extra = {
                "rules": rules_in_words(preference),
                "no_voicemail": contact.method in CALL_METHODS
                and warns_no_voicemail(preference),
                "safe_contact": preference if self.sealed.shown else None,
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
                _refused(form, error)
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
        moment = form.moment()
        assert moment is not None
        services.victim_contact_complete(
            actor=actor,
            contact=self.contact,
            version=data["version"],
            occurred_at=moment,
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


# The safety plan -------------------------------------------------------------


class PlanView(_VictimView):
    """The current version: its content for those who see victim contact
    details (once revealed); the review date and agreement for every reader."""

    required_permission = Permission.SAFETY_PLAN_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        victim = self.load_victim(public_id)
        plan = selectors.plan_for(case=self.case, victim=victim)
        current = selectors.current_version(plan)
        self.record_view(
            EventType.SAFETY_PLAN_VIEWED,
            target_type="safety_plan" if plan else "person",
            target_id=plan.public_id if plan else victim.public_id,
        )
        today = timezone.localdate()
        return self.page(
            "safety/plan.html",
            victim=victim,
            plan=plan,
            current=current,
            review=selectors.ReviewState(current.review_on, today) if current else None,
            may_edit=selectors.writing_membership(
                self.case_access, Permission.SAFETY_PLAN_EDIT
            )
            is not None,
        )


class PlanHistoryView(_VictimView):
    """Every version: who saved it and when; its content only once revealed."""

    required_permission = Permission.SAFETY_PLAN_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        victim = self.load_victim(public_id)
        plan = selectors.plan_for(case=self.case, victim=victim)
        self.record_view(
            EventType.SAFETY_PLAN_VIEWED,
            target_type="safety_plan" if plan else "person",
            target_id=plan.public_id if plan else victim.public_id,
        )
        return self.page(
            "safety/plan_history.html",
            victim=victim,
            plan=plan,
            versions=selectors.plan_versions(plan) if plan else [],
        )


class PlanEditView(_VictimView):
    """Write a new version, filled from the current one. Without the victim
    contact compartment the page says so; masked, the user reveals first."""

    required_permission = Permission.SAFETY_PLAN_EDIT
    template = "safety/plan_edit.html"

    @cached_property
    def membership(self) -> Membership | None:
        return selectors.writing_membership(
            self.case_access, Permission.SAFETY_PLAN_EDIT
        )

    def _blocked(self) -> HttpResponse | None:
        if self.membership is None:
            return self.page("safety/plan_no_reach.html", victim=self.victim)
        if self.sealed.masked:
            return redirect(self.reveal_url())
        return None

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        victim = self.load_victim(public_id)
        if (blocked := self._blocked()) is not None:
            return blocked
        current = selectors.current_version(
            selectors.plan_for(case=self.case, victim=victim)
        )
        number = current.number if current else 0
        initial = SafetyPlanForm.initial_from(
            services.plan_current_values(current), number
        )
        return self.page(
            self.template, victim=victim, form=SafetyPlanForm(initial=initial)
        )

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        victim = self.load_victim(public_id)
        if self.membership is not None and self.sealed.masked:
            messages.info(
                request,
                "Your reveal ended before you saved, so nothing was changed. Reveal "
                "the details again, then make your change.",
            )
        if (blocked := self._blocked()) is not None:
            return blocked
        assert self.membership is not None
        form = SafetyPlanForm(request.POST)
        if not form.is_valid():
            return self.page(self.template, victim=victim, form=form)
        data = dict(form.cleaned_data)
        try:
            services.safety_plan_save(
                actor=self.acting(self.membership),
                case=self.case,
                victim=victim,
                **data,
            )
        except StaleEditError as error:
            return self._conflict(error)
        except DomainError as error:
            _refused(form, error)
            return self.page(self.template, victim=victim, form=form)
        messages.success(request, "Safety plan saved.")
        return redirect(
            reverse(
                "safety:plan",
                kwargs={
                    "reference": self.case.reference,
                    "public_id": victim.public_id,
                },
            )
        )

    def _conflict(self, error: StaleEditError) -> HttpResponse:
        data = self.request.POST.copy()
        data["version"] = str(error.current_version)
        form = SafetyPlanForm(data)
        form.is_valid()
        form.add_error(None, str(error))
        theirs = SafetyPlanForm.initial_from(error.current, error.current_version)
        return self.page(
            self.template,
            victim=self.victim,
            form=form,
            conflict=conflict_rows(form, theirs),
        )
