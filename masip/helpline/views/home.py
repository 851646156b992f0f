"""The helpline home: start a contact, resume a draft, see recent contacts,
find a caller."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.core.pagination import page_links, paginate
from masip.helpline import selectors, services
from masip.helpline.forms import CallerSearchForm, StartForm
from masip.helpline.models import CallerKeyKind

RECENT_PER_PAGE = 25
_KEY = re.compile(r"^[0-9a-f]{64}$")


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


class _HomeFormView(HomeView):
    """A form on the home page (POST); a GET goes back to the home page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("helpline:home")


class ContactStartView(_HomeFormView):
    """POST: a new draft, then straight to the live-call page."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StartForm(request.POST)
        if not form.is_valid():
            return self.page(form, CallerSearchForm())
        contact = services.contact_start(
            actor=self.actor(), channel=form.cleaned_data["channel"]
        )
        return redirect("helpline:contact", public_id=contact.public_id)


class CallerSearchView(_HomeFormView):
    """POST a word or number; answered with the contacts linked to it. The
    word or number never goes into an address: only its keyed code does."""

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
