"""What the safety pages share: the tab and the victim's reveal state, how a
refusal is shown, and the victim's contact rules beside a form."""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from masip.access import reveal
from masip.access.actors import Actor, actor_from_request
from masip.access.views import CaseView
from masip.accounts.models import Membership
from masip.core.errors import DomainError
from masip.core.forms import GovukForm, show_refusal
from masip.people.models import Person
from masip.safety import selectors, services
from masip.safety.contact_rules import rules_in_words, warns_no_voicemail


def refused(form: GovukForm, error: DomainError) -> None:
    """A service's refusal on the form: each broken rule's reason in the
    error summary, any other refusal as ``show_refusal`` shows it."""
    if isinstance(error, services.SafeContactRefused):
        for reason in error.reasons:
            form.add_error(None, reason)
    else:
        show_refusal(form, error)


class SafetyView(CaseView):
    """A page of the safety tab, knowing whether the victim's contact details
    are withheld, masked or shown to the user."""

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

    def rules_context(self, victim: Person, *, offers_calls: bool) -> dict[str, Any]:
        """The victim's rules in words, and whether to warn "No voicemail"
        (only for holders of the compartment; no sealed text unless shown)."""
        preference = selectors.safe_contact_for(victim=victim)
        return {
            "rules": rules_in_words(preference),
            "safe_contact": preference if self.sealed.shown else None,
            "no_voicemail": offers_calls and warns_no_voicemail(preference),
        }


class VictimView(SafetyView):
    """A page about one victim on the case (404 for anyone else)."""

    victim: Person

    def load_victim(self, public_id: uuid.UUID) -> Person:
        self.victim = selectors.victim_get_in_case(case=self.case, public_id=public_id)
        return self.victim
