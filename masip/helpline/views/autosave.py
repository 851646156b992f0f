"""The live-call page's autosave endpoint: its script posts the answers
changed since its last save and is answered with JSON."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from masip.core.errors import DomainError
from masip.helpline import fields as f
from masip.helpline import selectors, services
from masip.helpline.models import Contact
from masip.helpline.views._base import (
    ContactActionView,
    posted_answers,
    posted_version,
)


class ContactAutosaveView(ContactActionView):
    """POST: the page's script saves the answers changed since its last save.
    Answers JSON ``{version, saved_at, problems, ...}``; never a 500 for what
    it is sent."""

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        contact = self.load(public_id)
        if contact.status != Contact.Status.DRAFT:
            return _closed(contact, "This contact has been finished.")
        if not self.access.helpline_may_edit(contact):
            raise PermissionDenied
        changed = request.POST.getlist("changed") or None
        try:
            result = services.contact_autosave(
                actor=self.actor(),
                contact=contact,
                values=posted_answers(request.POST),
                version=posted_version(request.POST.get("version")),
                changed=changed,
                base=window_base(request.POST.get("base", "")),
            )
        except DomainError as error:
            return _closed(contact, str(error))
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


def _closed(contact: Contact, message: str) -> JsonResponse:
    """Nothing saved: the draft can no longer be filled in here (409)."""
    return JsonResponse(
        {
            "closed": True,
            "version": contact.version,
            "saved_at": None,
            "problems": {"__all__": message},
        },
        status=409,
    )


def window_base(text: str) -> dict[str, list[str]] | None:
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
