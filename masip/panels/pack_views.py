"""Panel packs and minutes, on screen and as PDF (masip/panels/packs.py).

The meeting comes through the access policy (``Access.meeting_for``: 404 when
missing or on a panel the reader's agencies do not sit on); its contents are
built for the reader; every view and download is audited, a download with
the SHA-256 of its file. Minutes are read once issued; the coordinator may
preview the draft before.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from masip.access.actors import Actor, actor_from_request, purpose_for
from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.audit.events import EventType
from masip.panels import pack_documents, packs
from masip.panels.models import Meeting

if TYPE_CHECKING:
    from masip.accounts.models import Membership


class _MeetingView(GlobalView):
    required_permission = Permission.PANEL_VIEW
    memberships: list[Membership]

    def meeting(self, public_id: uuid.UUID) -> Meeting:
        meeting: Meeting = self.access.meeting_for(
            public_id, need=Permission.PANEL_VIEW
        )
        self.memberships = packs.reader_memberships(self.access, meeting)
        return meeting

    def reader(self) -> Actor:
        return actor_from_request(self.request, self.memberships[0])

    def manages(self, meeting: Meeting) -> bool:
        """Whether the reader runs this meeting's panel (the coordinator)."""
        try:
            self.access.meeting_for(meeting.public_id, need=Permission.PANEL_MANAGE)
        except Http404:
            return False
        return True

    def audit(
        self,
        event_type: EventType,
        meeting: Meeting,
        references: list[str],
        *,
        sha256: str = "",
    ) -> None:
        packs.read_record(
            event_type,
            actor=self.reader(),
            meeting=meeting,
            references=references,
            purposes={ref: purpose_for(self.request, ref) for ref in references},
            sha256=sha256,
        )

    def download(
        self,
        event_type: EventType,
        meeting: Meeting,
        references: list[str],
        *,
        content: bytes,
        name: str,
    ) -> HttpResponse:
        digest = hashlib.sha256(content).hexdigest()
        self.audit(event_type, meeting, references, sha256=digest)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=name
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-SHA256"] = digest
        return response


class PackView(_MeetingView):
    """The reader's pack for a meeting, on screen."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        pack = packs.build_pack(self.access, meeting, memberships=self.memberships)
        self.audit(EventType.PANEL_PACK_VIEWED, meeting, pack.references_in_reach)
        return render(
            request,
            "panels/packs/pack.html",
            {"pack": pack, **_context(meeting)},
        )


class PackPdfView(_MeetingView):
    """The reader's pack for a meeting, as a PDF to download."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        pack = packs.build_pack(self.access, meeting, memberships=self.memberships)
        return self.download(
            EventType.PANEL_PACK_DOWNLOADED,
            meeting,
            pack.references_in_reach,
            content=pack_documents.render_pack(pack),
            name=f"panel-pack-{meeting.held_on:%Y-%m-%d}.pdf",
        )


class MinutesView(_MeetingView):
    """The minutes on screen: once issued, or as a draft for the coordinator."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        if meeting.minutes_issued_at is None and not self.manages(meeting):
            return render(
                request, "panels/packs/minutes_not_issued.html", _context(meeting)
            )
        minutes = packs.build_minutes(
            self.access, meeting, memberships=self.memberships
        )
        self.audit(EventType.MINUTES_VIEWED, meeting, minutes.references_in_reach)
        return render(
            request,
            "panels/packs/minutes.html",
            {"minutes": minutes, **_context(meeting)},
        )


class MinutesPdfView(_MeetingView):
    """The minutes as a PDF: once issued, or a draft for the coordinator."""

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        meeting = self.meeting(public_id)
        if meeting.minutes_issued_at is None and not self.manages(meeting):
            raise Http404("The minutes have not been issued.")
        minutes = packs.build_minutes(
            self.access, meeting, memberships=self.memberships
        )
        kind = "draft-minutes" if minutes.draft else "minutes"
        return self.download(
            EventType.MINUTES_DOWNLOADED,
            meeting,
            minutes.references_in_reach,
            content=pack_documents.render_minutes(minutes),
            name=f"panel-{kind}-{meeting.held_on:%Y-%m-%d}.pdf",
        )


def _context(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "when": packs.meeting_when(meeting),
        "not_shared": packs.NOT_SHARED,
        "never_in_a_pack": packs.NEVER_IN_A_PACK,
    }
