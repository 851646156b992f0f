"""What the helpline contact pages share: finding the contact (404 when
missing or out of reach), acting in its own helpline, its addresses, and
reading the posted version and answers."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from masip.access.actors import Actor, actor_from_request
from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.helpline import selectors
from masip.helpline.models import Contact

# Posted names that are not answers.
NOT_ANSWERS = {"csrfmiddlewaretoken", "version", "changed", "base", "action"}


def posted_version(value: str | None) -> int | None:
    """The version a form was drawn with (None when missing or not a number)."""
    try:
        return int(value or "")
    except ValueError:
        return None


def posted_answers(data: QueryDict) -> dict[str, list[str]]:
    """The posted inputs that are answers, by name."""
    return {k: v for k, v in data.lists() if k not in NOT_ANSWERS}


class ContactPageView(GlobalView):
    """A page about one contact, reached by ``<uuid:public_id>``."""

    required_permission = Permission.HELPLINE_CONTACT_LOG
    contact: Contact

    def find(self, public_id: uuid.UUID) -> Contact:
        """The contact the user reaches (404 otherwise)."""
        return selectors.contact_for_page(self.access, public_id)

    def load(self, public_id: uuid.UUID) -> Contact:
        self.contact = self.find(public_id)
        return self.contact

    def actor(self) -> Actor:
        """Acting in the contact's own helpline (any other would be refused)."""
        membership = self.access.helpline_membership(self.contact)
        return actor_from_request(self.request, membership)

    def summary_url(self) -> str:
        return reverse(
            "helpline:contact-detail", kwargs={"public_id": self.contact.public_id}
        )

    def page_url(self) -> str:
        return reverse("helpline:contact", kwargs={"public_id": self.contact.public_id})

    def contact_url(self) -> str:
        """The contact's own page: its summary once finished, else the live page."""
        if self.contact.status == Contact.Status.COMPLETE:
            return self.summary_url()
        return self.page_url()


class ContactActionView(ContactPageView):
    """A button on a contact's page (POST); a GET goes back to that page."""

    def back_url(self) -> str:
        return self.page_url()

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        self.load(public_id)
        return redirect(self.back_url())
