"""Referral pages: making one, the referrer's list and page, and triage.

Thin: the referral comes from the access policy (``Access.referral_for``:
missing and out of reach both answer 404), reads from selectors, writes from
services. Every page records its read; every POST redirects on success.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission
from masip.access.policy import CaseBlocked
from masip.access.views import GlobalView, record_blocked_attempt
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.core.forms import GovukForm
from masip.core.pagination import page_links, paginate
from masip.referrals import selectors, services
from masip.referrals.forms import (
    EXISTING_CASE,
    AcceptForm,
    AnswerForm,
    DeclineForm,
    InfoRequestForm,
    ReferralForm,
)
from masip.referrals.matching import MatchReport, find_matches
from masip.referrals.models import Referral

CONFIRM = "confirm"
CHANGE = "change"


# The referrer -------------------------------------------------------------------


class MyReferralsView(GlobalView):
    """The referrals the user made, with their status."""

    required_permission = Permission.REFERRAL_MAKE

    def get(self, request: HttpRequest) -> HttpResponse:
        referrals = selectors.my_referrals(self.access)
        page = paginate(
            referrals, params=request.GET, per_page=settings.MASIP_PAGE_SIZE
        )
        services.referral_list_viewed(actor=self.actor(), which="my_referrals")
        return render(
            request,
            "referrals/my_referrals.html",
            {
                "page": page,
                "referrals": list(page.object_list),
                "page_links": page_links(page, request.GET),
            },
        )


class ReferralNewView(GlobalView):
    """The referral form; then "check your answers" with the possible
    matches; then the referral is sent."""

    required_permission = Permission.REFERRAL_MAKE

    def form(self, data: Any = None) -> ReferralForm:
        memberships = self.access.memberships_with(Permission.REFERRAL_MAKE)
        sites = selectors.referral_sites()
        initial: dict[str, Any] = {
            "source": selectors.source_for(memberships[0].agency)
        }
        site_ids = list(sites.values_list("pk", flat=True)[:2])
        if len(site_ids) == 1:
            initial["site"] = site_ids[0]
        return ReferralForm(data, memberships=memberships, sites=sites, initial=initial)

    def page(self, form: ReferralForm) -> HttpResponse:
        return render(self.request, "referrals/referral_form.html", {"form": form})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if not form.is_valid() or CHANGE in request.POST:
            return self.page(form)
        actor = actor_from_request(self.request, form.chosen_membership())
        if CONFIRM not in request.POST:
            return self.check_page(form, actor)
        data = form.cleaned_data
        try:
            referral = services.referral_submit(
                actor=actor,
                site=data["site"],
                source=data["source"],
                urgency=data["urgency"],
                reason=data["reason"],
                actions_taken=data["actions_taken"],
                consent=data["consent"],
                consent_reason=data["consent_reason"],
                people=form.people(),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.page(form)
        messages.success(
            request,
            f"Referral {referral.short_reference} sent to {referral.site.name}. "
            "The programme office has been told.",
        )
        return redirect(reverse("referrals:detail", args=[referral.public_id]))

    def check_page(self, form: ReferralForm, actor: Actor) -> HttpResponse:
        report = find_matches(self.access, form.probes())
        services.referral_matches_shown(actor=actor, referral=None, count=report.count)
        keep = {"csrfmiddlewaretoken", CONFIRM, CHANGE}
        hidden = [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in keep
            for value in values
        ]
        return render(
            self.request,
            "referrals/referral_check.html",
            {
                "form": form,
                "rows": form.answer_rows(),
                "report": report,
                "hidden": hidden,
            },
        )


class _ReferralView(GlobalView):
    """A page about one referral, reached for ``required_permission``."""

    referral: Referral
    template_name: ClassVar[str]

    def load(self, public_id: uuid.UUID) -> Referral:
        self.referral = self.access.referral_for(
            public_id, need=self.required_permission
        )
        return self.referral

    def actor(self) -> Actor:
        membership = self.access.referral_membership(
            self.referral, self.required_permission
        )
        return actor_from_request(self.request, membership)

    def page(self, status: int = 200, **extra: Any) -> HttpResponse:
        context = {"referral": self.referral, **extra}
        return render(self.request, self.template_name, context, status=status)


class ReferralDetailView(_ReferralView):
    """The referrer's page: what they sent, its status, questions and answers."""

    required_permission = Permission.REFERRAL_MAKE
    template_name = "referrals/referral_detail.html"

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        services.referral_viewed(actor=self.actor(), referral=self.referral)
        return self.page(questions=list(selectors.referral_questions(self.referral)))


class AnswerView(_ReferralView):
    """The referrer answers the coordinator's question."""

    required_permission = Permission.REFERRAL_MAKE
    template_name = "referrals/answer.html"

    def context(self, form: AnswerForm) -> dict[str, Any]:
        return {"form": form, "question": self.referral.latest_question()}

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        services.referral_viewed(actor=self.actor(), referral=self.referral)
        return self.page(**self.context(AnswerForm()))

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.referral_answer(
                    actor=self.actor(),
                    referral=self.referral,
                    answer=form.cleaned_data["answer"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "Answer sent. The referral is back in the triage queue."
                )
                return redirect(
                    reverse("referrals:detail", args=[self.referral.public_id])
                )
        return self.page(**self.context(form))


# Triage --------------------------------------------------------------------------


class TriageQueueView(GlobalView):
    """Waiting referrals (urgent first, then the oldest) with their due time,
    those waiting for the referrer, and accepted referrals whose case is
    overdue for its first risk screening."""

    required_permission = Permission.REFERRAL_TRIAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        waiting = list(selectors.triage_queue(self.access))
        asked = list(selectors.awaiting_referrer(self.access))
        overdue = list(selectors.screening_overdue(self.access, now=now))
        sites = selectors.triage_site_ids(self.access)
        services.referral_list_viewed(actor=self.actor(), which="triage_queue")
        return render(
            request,
            "referrals/triage_queue.html",
            {
                "waiting": selectors.queue_rows(waiting, now=now),
                "asked": selectors.queue_rows(asked, now=now),
                "screening": selectors.screening_rows(overdue, now=now),
                "screening_days": settings.MASIP_SCREENING_TARGET_DAYS,
                "only_site": sites[0] if len(sites) == 1 else None,
            },
        )


def _matches(view: _ReferralView) -> MatchReport | None:
    """Possible matches for an undecided referral's people (recorded)."""
    if not view.referral.is_open:
        return None
    report = find_matches(view.access, selectors.referral_probes(view.referral))
    services.referral_matches_shown(
        actor=view.actor(), referral=view.referral, count=report.count
    )
    return report


class TriageDetailView(_ReferralView):
    """The referral as the coordinator triages it, with the possible matches
    and the three decisions."""

    required_permission = Permission.REFERRAL_TRIAGE
    template_name = "referrals/triage_detail.html"

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        services.referral_viewed(actor=self.actor(), referral=self.referral)
        now = timezone.now()
        return self.page(
            questions=list(selectors.referral_questions(self.referral)),
            report=_matches(self),
            target=selectors.queue_rows([self.referral], now=now)[0],
        )


class _DecisionView(_ReferralView):
    """One triage decision: its form, or why it can no longer be made."""

    required_permission = Permission.REFERRAL_TRIAGE
    template_name = "referrals/decision.html"
    heading: ClassVar[str]
    button: ClassVar[str]

    def make_form(self, data: Any = None) -> GovukForm:
        raise NotImplementedError

    def decide(self, form: Any) -> str:
        """Make the decision; the success message, or '' when the form was
        found wrong (its errors added)."""
        raise NotImplementedError

    def context(self, form: GovukForm | None) -> dict[str, Any]:
        return {
            "form": form,
            "heading": self.heading,
            "button": self.button,
            "decided": None if self.referral.is_open else self.decided(),
        }

    def decided(self) -> str:
        return services.decided_message(self.referral)

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        services.referral_viewed(actor=self.actor(), referral=self.referral)
        form = self.make_form() if self.referral.is_open else None
        return self.page(**self.context(form))

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        if not self.referral.is_open:
            return self.page(**self.context(None))
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                message = self.decide(form)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                if message:
                    messages.success(request, message)
                    return redirect(reverse("referrals:triage"))
        return self.page(**self.context(form))


class AcceptView(_DecisionView):
    heading = "Accept the referral"
    button = "Accept the referral"

    def make_form(self, data: Any = None) -> AcceptForm:
        site = self.referral.site
        lead_agencies = selectors.lead_agency_choices(site)
        involve = selectors.involve_agency_choices(site)
        referrer = self.referral.referring_agency_id
        initial: dict[str, Any] = {}
        if lead_agencies.filter(pk=referrer).exists():
            initial["lead_agency"] = referrer
        return AcceptForm(
            data, lead_agencies=lead_agencies, involve=involve, initial=initial
        )

    def existing_case(self, form: AcceptForm) -> Case | None:
        """The case named on the form if in the coordinator's reach, else
        ``None`` with the error on the form."""
        reference = form.cleaned_data["case_reference"]
        try:
            return self.access.case_for(reference, need=Permission.CASE_VIEW)
        except CaseBlocked as blocked:
            record_blocked_attempt(self.request, blocked)
        except (Http404, PermissionDenied):
            pass
        form.add_error(
            "case_reference",
            "No case with that reference is open to you. Check the reference.",
        )
        return None

    def decide(self, form: Any) -> str:
        data = form.cleaned_data
        case = None
        if data["route"] == EXISTING_CASE:
            case = self.existing_case(form)
            if case is None:
                return ""
        accepted = services.referral_accept(
            actor=self.actor(),
            referral=self.referral,
            lead_agency=None if case is not None else data["lead_agency"],
            case=case,
            agencies=list(data["agencies"]),
            lawful_basis=data["lawful_basis"],
        )
        return (
            f"Referral {self.referral.short_reference} accepted into case "
            f"{accepted.reference}."
        )


class DeclineView(_DecisionView):
    heading = "Decline the referral"
    button = "Decline the referral"

    def make_form(self, data: Any = None) -> DeclineForm:
        return DeclineForm(data)

    def decide(self, form: Any) -> str:
        services.referral_decline(
            actor=self.actor(),
            referral=self.referral,
            reason=form.cleaned_data["reason"],
        )
        return f"Referral {self.referral.short_reference} declined."


class InfoRequestView(_DecisionView):
    heading = "Ask the referrer for more information"
    button = "Send the question"

    def make_form(self, data: Any = None) -> InfoRequestForm:
        return InfoRequestForm(data)

    def decide(self, form: Any) -> str:
        services.referral_request_info(
            actor=self.actor(),
            referral=self.referral,
            question=form.cleaned_data["question"],
        )
        return (
            f"Question sent on referral {self.referral.short_reference}. "
            "It comes back to the queue when the referrer answers."
        )
