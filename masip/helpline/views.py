"""The helpline pages: home (start a contact, your drafts, recent contacts,
find a caller), the live-call page with its autosave endpoint, the summary
of a finished contact, and the list of advice topics.

Thin: contacts come through ``Access`` (``selectors``), writes go through
``services``. Every contact page is reached by ``<uuid:public_id>``:
missing and out of reach answer 404 alike.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.core.errors import DomainError, StaleEditError
from masip.core.forms import show_refusal
from masip.core.pagination import page_links, paginate
from masip.helpline import fields as f
from masip.helpline import selectors, services
from masip.helpline.forms import (
    AdviceTopicForm,
    CallerSearchForm,
    ContactForm,
    StartForm,
)
from masip.helpline.models import AdviceTopic, CallerKeyKind, Contact
from masip.helpline.summary import contact_summary

RECENT_PER_PAGE = 25
_KEY = re.compile(r"^[0-9a-f]{64}$")
# Posted names that are not answers.
_NOT_ANSWERS = {"csrfmiddlewaretoken", "version", "changed", "base", "action"}
# The templates that may add a "Hand over" button to a contact's summary:
# the handover pages provide the first; the second is empty.
HANDOVER_BUTTON_TEMPLATES = (
    "helpline/handover_button.html",
    "helpline/_no_handover_button.html",
)


def _version(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _answers(data: QueryDict) -> dict[str, list[str]]:
    return {k: v for k, v in data.lists() if k not in _NOT_ANSWERS}


class HomeView(GlobalView):
    """Start a contact, resume a draft, see recent contacts, find a caller."""

    required_permission = Permission.HELPLINE_CONTACT_LOG
    template = "helpline/home.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(StartForm(initial={"channel": "phone"}), CallerSearchForm())

    def page(
        self, start_form: StartForm, search_form: CallerSearchForm
    ) -> HttpResponse:
        page = paginate(
            selectors.recent_completed(self.access),
            params=self.request.GET,
            per_page=RECENT_PER_PAGE,
        )
        key = self.request.GET.get("caller", "")
        found = None
        if _KEY.match(key):
            found = list(selectors.contacts_for_caller(self.access, key)[:50])
        return render(
            self.request,
            self.template,
            {
                "start_form": start_form,
                "search_form": search_form,
                "drafts": list(selectors.drafts_of(self.access, self.request.user)),
                "abandoned": list(
                    selectors.abandoned_drafts(self.access, self.request.user)
                ),
                "page": page,
                "page_links": page_links(page, self.request.GET),
                "found": found,
            },
        )


class ContactStartView(HomeView):
    """POST: a new draft, then straight to the live-call page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("helpline:home")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StartForm(request.POST)
        if not form.is_valid():
            return self.page(form, CallerSearchForm())
        contact = services.contact_start(
            actor=self.actor(), channel=form.cleaned_data["channel"]
        )
        return redirect("helpline:contact", public_id=contact.public_id)


class CallerSearchView(HomeView):
    """POST a word or number; answered with the contacts linked to it. The
    word or number never goes into an address: only its keyed code does."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("helpline:home")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CallerSearchForm(request.POST)
        if not form.is_valid():
            return self.page(StartForm(initial={"channel": "phone"}), form)
        phone = form.cleaned_data["caller_phone"].strip()
        if phone:
            key = services.caller_key(CallerKeyKind.PHONE, phone)
        else:
            key = services.caller_key(
                CallerKeyKind.WORD, form.cleaned_data["caller_word"]
            )
        return redirect(f"{reverse('helpline:home')}?caller={key}#found")


class _ContactView(GlobalView):
    required_permission = Permission.HELPLINE_CONTACT_LOG
    contact: Contact

    def load(self, public_id: uuid.UUID) -> Contact:
        self.contact = selectors.contact_for_page(self.access, public_id)
        return self.contact

    def acting(self) -> Actor:
        return actor_from_request(
            self.request, self.access.helpline_membership(self.contact)
        )

    def summary_url(self) -> str:
        return reverse(
            "helpline:contact-detail", kwargs={"public_id": self.contact.public_id}
        )

    def page_url(self) -> str:
        return reverse("helpline:contact", kwargs={"public_id": self.contact.public_id})


class ContactView(_ContactView):
    """The live-call page: every answer on one page, saved as the adviser goes."""

    template = "helpline/contact.html"

    def dispatch_checks(self) -> HttpResponse | None:
        if self.contact.status == Contact.Status.COMPLETE:
            return redirect(self.summary_url())
        if not self.access.helpline_may_edit(self.contact):
            if self.access.helpline_supervises(self.contact):
                return redirect(self.summary_url())
            raise PermissionDenied
        return None

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        elsewhere = self.dispatch_checks()
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
        self.load(public_id)
        elsewhere = self.dispatch_checks()
        if elsewhere is not None:
            return elsewhere
        instrument = f.instrument_of(self.contact)
        values = _answers(request.POST)
        result = services.contact_autosave(
            actor=self.acting(),
            contact=self.contact,
            values=values,
            version=_version(request.POST.get("version")),
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
                actor=self.acting(), contact=self.contact, version=result.version
            )
        except services.ContactIncomplete as incomplete:
            return self.render_page(shown, incomplete.problems)
        except DomainError as error:
            return self.render_page(shown, {"__all__": str(error)})
        messages.success(request, "Contact finished and counted.")
        return redirect(self.summary_url())


class ContactAutosaveView(_ContactView):
    """POST: the page's script saves the answers changed since its last save.
    Answers JSON ``{version, saved_at, problems, ...}``; never a 500 for what
    it is sent."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        return redirect(self.page_url())

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        if contact.status != Contact.Status.DRAFT:
            return JsonResponse(
                {
                    "closed": True,
                    "version": contact.version,
                    "saved_at": None,
                    "problems": {"__all__": "This contact has been finished."},
                },
                status=409,
            )
        if not self.access.helpline_may_edit(contact):
            raise PermissionDenied
        changed = request.POST.getlist("changed") or None
        try:
            result = services.contact_autosave(
                actor=self.acting(),
                contact=contact,
                values=_answers(request.POST),
                version=_version(request.POST.get("version")),
                changed=changed,
                base=_base(request.POST.get("base", "")),
            )
        except DomainError as error:
            return JsonResponse(
                {
                    "closed": True,
                    "version": contact.version,
                    "saved_at": None,
                    "problems": {"__all__": str(error)},
                },
                status=409,
            )
        saved = result.contact
        instrument = f.instrument_of(saved)
        current = f.raw_values(saved, instrument) if result.clashes else {}
        fields: dict[str, list[str]] = {}
        for spec in f.specs(instrument):
            if spec.name in result.clashes:
                fields.update({n: current.get(n, []) for n in spec.inputs})
        body: dict[str, Any] = {
            "version": saved.version,
            "saved_at": timezone.localtime().strftime("%H:%M:%S"),
            "saved": result.saved,
            "problems": result.problems,
            "clashes": result.clashes,
            "fields": fields,
        }
        if result.caller_linked:
            body["earlier"] = selectors.earlier_contacts(self.access, saved)[0]
        return JsonResponse(body)


def _base(text: str) -> dict[str, list[str]] | None:
    """The window's last saved inputs, as it sent them (JSON); None if unusable."""
    if not text or len(text) > 200_000:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    base: dict[str, list[str]] = {}
    for name, values in data.items():
        if isinstance(values, list):
            base[str(name)] = [str(v) for v in values]
        elif isinstance(values, (str, int, float)):
            base[str(name)] = [str(values)]
    return base


class ContactDetailView(_ContactView):
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
        services.record_contact_view(actor=self.acting(), contact=contact)
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


class ContactReopenView(_ContactView):
    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        return redirect(self.summary_url())

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        try:
            services.contact_reopen(
                actor=self.acting(),
                contact=contact,
                version=_version(request.POST.get("version")),
            )
        except StaleEditError:
            messages.warning(request, "This contact changed meanwhile: check it again.")
            return redirect(self.summary_url())
        except DomainError as error:
            messages.warning(request, str(error))
            return redirect(self.summary_url())
        messages.success(request, "Contact reopened. Correct it, then finish it again.")
        return redirect(self.page_url())


class ContactDiscardView(_ContactView):
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
            services.contact_discard(actor=self.acting(), contact=contact)
        except DomainError as error:
            messages.warning(request, str(error))
            return redirect(self.summary_url())
        messages.success(request, "Draft discarded.")
        return redirect("helpline:home")


class ContactUnlinkCallerView(_ContactView):
    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        return redirect(self.page_url())

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        try:
            services.contact_unlink_caller(
                actor=self.acting(),
                contact=contact,
                version=_version(request.POST.get("version")) or 0,
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


# Advice topics ----------------------------------------------------------------


class AdviceListView(GlobalView):
    """The advice topics by area, with adding, editing, ordering and withdrawing."""

    required_permission = Permission.HELPLINE_ADVICE_MANAGE
    template = "helpline/advice.html"

    def page(self, form: AdviceTopicForm) -> HttpResponse:
        topics = list(selectors.advice_topics(include_inactive=True))
        return render(
            self.request,
            self.template,
            {"form": form, "areas": selectors.advice_by_area(topics)},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(AdviceTopicForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AdviceTopicForm(request.POST)
        if form.is_valid():
            try:
                topic = services.advice_topic_add(
                    actor=self.actor(), **form.cleaned_data
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, f"Added '{topic.title}'.")
                return redirect("helpline:advice")
        return self.page(form)


class _TopicView(GlobalView):
    required_permission = Permission.HELPLINE_ADVICE_MANAGE

    def topic(self, value: str | None) -> AdviceTopic | None:
        return selectors.advice_topic((value or "").strip())

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("helpline:advice")


class AdviceEditView(_TopicView):
    template = "helpline/advice_edit.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.GET.get("topic"))
        if topic is None:
            return redirect("helpline:advice")
        form = AdviceTopicForm(
            initial={
                "area": topic.area,
                "title": topic.title,
                "description": topic.description,
            }
        )
        return render(request, self.template, {"form": form, "topic": topic})

    def post(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.POST.get("topic"))
        if topic is None:
            messages.warning(request, "That topic no longer exists.")
            return redirect("helpline:advice")
        form = AdviceTopicForm(request.POST)
        if form.is_valid():
            try:
                services.advice_topic_change(
                    actor=self.actor(), topic=topic, **form.cleaned_data
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, "Topic saved.")
                return redirect("helpline:advice")
        return render(request, self.template, {"form": form, "topic": topic})


class AdviceMoveView(_TopicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.POST.get("topic"))
        if topic is not None:
            services.advice_topic_move(
                actor=self.actor(),
                topic=topic,
                up=request.POST.get("direction") == "up",
            )
            messages.success(request, f"Moved '{topic.title}'.")
        return redirect(
            f"{reverse('helpline:advice')}#area-{topic.area if topic else ''}"
        )


class AdviceActiveView(_TopicView):
    def post(self, request: HttpRequest) -> HttpResponse:
        topic = self.topic(request.POST.get("topic"))
        if topic is not None:
            active = request.POST.get("active") == "1"
            services.advice_topic_set_active(
                actor=self.actor(), topic=topic, active=active
            )
            messages.success(
                request,
                f"'{topic.title}' is "
                f"{'back on' if active else 'no longer on'} the list.",
            )
        return redirect("helpline:advice")
