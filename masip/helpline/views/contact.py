"""A contact's pages: the live-call page (every answer on one page, saved as
the adviser goes), the read-only summary, and the reopen, discard and
unlink-caller buttons."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from masip.core.errors import DomainError, StaleEditError
from masip.helpline import fields as f
from masip.helpline import selectors, services
from masip.helpline.forms import ContactForm
from masip.helpline.models import Contact
from masip.helpline.summary import contact_summary
from masip.helpline.views._base import (
    ContactActionView,
    ContactPageView,
    posted_answers,
    posted_version,
)

# The templates that may add a "Hand over" button to a contact's summary:
# the handover pages provide the first; the second is empty.
HANDOVER_BUTTON_TEMPLATES = (
    "helpline/handover_button.html",
    "helpline/_no_handover_button.html",
)


class ContactView(ContactPageView):
    """The live-call page: every answer on one page, saved as the adviser goes."""

    template = "helpline/contact.html"

    def open(self, public_id: uuid.UUID) -> HttpResponse | None:
        """Load the draft; where to go instead when it is not one the user
        fills in (None: stay)."""
        self.load(public_id)
        if self.contact.status == Contact.Status.COMPLETE:
            return redirect(self.summary_url())
        if not self.access.helpline_may_edit(self.contact):
            if self.access.helpline_supervises(self.contact):
                return redirect(self.summary_url())
            raise PermissionDenied
        return None

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        elsewhere = self.open(public_id)
        if elsewhere is not None:
            return elsewhere
        instrument = f.instrument_of(self.contact)
        return self.render_page(f.raw_values(self.contact, instrument))

    def render_page(
        self,
        data: Mapping[str, Sequence[str]],
        problems: Mapping[str, str] | None = None,
        *,
        status: int = 200,
    ) -> HttpResponse:
        contact = self.contact
        instrument = f.instrument_of(contact)
        chosen = {int(v) for v in data.get("advice", []) if str(v).isdigit()}
        topics = [
            t
            for t in selectors.advice_topics(include_inactive=True)
            if t.active or t.pk in chosen
        ]
        form = ContactForm(
            data,
            instrument=instrument,
            topics=topics,
            colleagues=selectors.colleagues(contact),
            problems=problems,
        )
        earlier_count, earlier = selectors.earlier_contacts(self.access, contact)
        return render(
            self.request,
            self.template,
            {
                "contact": contact,
                "form": form,
                "error_form": form if problems else None,
                "earlier_count": earlier_count,
                "earlier": earlier,
                "autosave_seconds": settings.MASIP_HELPLINE_AUTOSAVE_SECONDS,
                "may_discard": contact.ended_at is None,
            },
            status=status,
        )

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        elsewhere = self.open(public_id)
        if elsewhere is not None:
            return elsewhere
        instrument = f.instrument_of(self.contact)
        values = posted_answers(request.POST)
        result = services.contact_autosave(
            actor=self.actor(),
            contact=self.contact,
            values=values,
            version=posted_version(request.POST.get("version")),
            changed=f.input_names(instrument),
        )
        self.contact = result.contact
        shown = dict(values)
        if "caller_key" in result.saved or not (
            {"caller_word", "caller_phone"} & set(result.problems)
        ):
            # The word or number has done its work: it is not sent back.
            shown.pop("caller_word", None)
            shown.pop("caller_phone", None)
        if result.problems:
            messages.warning(
                request,
                "Some answers were not saved. Check the answers marked below.",
            )
            return self.render_page(shown, result.problems)
        if request.POST.get("action") != "finish":
            messages.success(request, "Draft saved.")
            return redirect(self.page_url())
        try:
            services.contact_complete(
                actor=self.actor(), contact=self.contact, version=result.version
            )
        except services.ContactIncomplete as incomplete:
            return self.render_page(shown, incomplete.problems)
        except DomainError as error:
            return self.render_page(shown, {"__all__": str(error)})
        messages.success(request, "Contact finished and counted.")
        return redirect(self.summary_url())


class ContactDetailView(ContactPageView):
    """A read-only summary of a contact (audited)."""

    template = "helpline/contact_detail.html"

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        supervises = self.access.helpline_supervises(contact)
        if contact.status == Contact.Status.DRAFT:
            if self.access.helpline_may_edit(contact):
                return redirect(self.page_url())
            if not supervises:
                raise PermissionDenied
        services.record_contact_view(actor=self.actor(), contact=contact)
        earlier_count, earlier = selectors.earlier_contacts(self.access, contact)
        is_adviser = contact.adviser_id == request.user.pk
        return render(
            request,
            self.template,
            {
                "contact": contact,
                "summary": contact_summary(contact),
                "earlier_count": earlier_count,
                "earlier": earlier,
                "may_reopen": contact.status == Contact.Status.COMPLETE
                and contact.referral_id is None
                and (is_adviser or supervises),
                "may_discard": contact.status == Contact.Status.DRAFT
                and contact.ended_at is None,
                "can_hand_over": selectors.can_hand_over(contact),
                "handover_button_templates": HANDOVER_BUTTON_TEMPLATES,
            },
        )


class ContactReopenView(ContactActionView):
    """POST: reopen a finished contact to correct it."""

    def back_url(self) -> str:
        return self.summary_url()

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        try:
            services.contact_reopen(
                actor=self.actor(),
                contact=contact,
                version=posted_version(request.POST.get("version")),
            )
        except StaleEditError:
            messages.warning(request, "This contact changed meanwhile: check it again.")
            return redirect(self.summary_url())
        except DomainError as error:
            messages.warning(request, str(error))
            return redirect(self.summary_url())
        messages.success(request, "Contact reopened. Correct it, then finish it again.")
        return redirect(self.page_url())


class ContactDiscardView(ContactPageView):
    """GET asks to confirm; POST throws the draft away."""

    template = "helpline/contact_discard.html"

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        if contact.status != Contact.Status.DRAFT:
            return redirect(self.summary_url())
        if not (
            contact.adviser_id == request.user.pk
            or self.access.helpline_supervises(contact)
        ):
            raise PermissionDenied
        return render(request, self.template, {"contact": contact})

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        try:
            services.contact_discard(actor=self.actor(), contact=contact)
        except DomainError as error:
            messages.warning(request, str(error))
            return redirect(self.summary_url())
        messages.success(request, "Draft discarded.")
        return redirect("helpline:home")


class ContactUnlinkCallerView(ContactActionView):
    """POST: forget the link to the caller's earlier contacts."""

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        try:
            services.contact_unlink_caller(
                actor=self.actor(),
                contact=contact,
                version=posted_version(request.POST.get("version")) or 0,
            )
        except StaleEditError:
            messages.warning(request, "The draft changed meanwhile: try again.")
        except DomainError as error:
            messages.warning(request, str(error))
        else:
            messages.success(
                request, "The link to the caller's earlier contacts was removed."
            )
        return redirect(self.page_url())
