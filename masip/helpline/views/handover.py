"""The handover page: what will be shared, the caller's consent asked there
and then, the programme, and who to contact; then the referral is sent.

Thin: the contact comes from the access policy through
``masip.helpline.selectors.contact_for_handover`` (missing and out of reach
both answer 404; agencies hold no helpline verb and get 403), the writing from
``masip.helpline.handover``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.accounts.models import Site
from masip.core.errors import DomainError
from masip.helpline import handover, selectors
from masip.helpline.forms import HandoverForm
from masip.helpline.models import Contact, ShareConsent
from masip.helpline.views._base import ContactPageView
from masip.referrals.selectors import referral_sites


class HandoverView(ContactPageView):
    """Hand a finished contact over to a site's programme, with consent."""

    sites: list[Site]

    def find(self, public_id: uuid.UUID) -> Contact:
        return selectors.contact_for_handover(self.access, public_id)

    def form(self, data: Any = None) -> HandoverForm:
        sites = referral_sites()
        self.sites = list(sites)
        initial: dict[str, Any] = {"urgency": handover.suggested_urgency(self.contact)}
        site = handover.site_for_area(self.contact.force_area, sites)
        if site is not None:
            initial["site"] = site.pk
        return HandoverForm(data, sites=sites, initial=initial)

    def page(self, form: HandoverForm | None, **extra: Any) -> HttpResponse:
        contact = self.contact
        context = {
            "contact": contact,
            "form": form,
            "blocked": handover.refusal_message(contact),
            "sections": handover.carried_sections(contact),
            "referral": contact.referral,
            "own_referral": contact.referral is not None
            and contact.referral.referred_by_id == self.request.user.pk,
            "contact_url": self.contact_url(),
            **extra,
        }
        return render(self.request, "helpline/handover.html", context)

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        handover.handover_page_viewed(actor=self.actor(), contact=self.contact)
        blocked = handover.refusal_message(self.contact)
        return self.page(None if blocked else self.form())

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        if handover.refusal_message(self.contact):
            return self.page(None)
        if request.POST.get("consent") == ShareConsent.REFUSED:
            return self.refused()
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form)
        data = form.cleaned_data
        try:
            referral = handover.contact_hand_over(
                actor=self.actor(),
                contact=self.contact,
                site=data["site"],
                consent=data["consent"],
                people=form.people(),
                urgency=data["urgency"],
                consent_reason=data["consent_reason"],
                sites=self.sites,
            )
        except handover.HandoverRefused:
            return self.refused()
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.page(form)
        messages.success(
            request,
            f"Handed over to {referral.site.name} as referral "
            f"{referral.short_reference}. The programme office has been told.",
        )
        return redirect(reverse("helpline-handover:handover", args=[public_id]))

    def refused(self) -> HttpResponse:
        """No consent: nothing is sent, and the adviser is told so."""
        return render(
            self.request,
            "helpline/handover_refused.html",
            {
                "contact": self.contact,
                "message": handover.NO_CONSENT,
                "contact_url": self.contact_url(),
            },
        )
