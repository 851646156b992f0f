"""Pages of the evidence vault: the list, upload, an item and its files."""

import logging
import uuid
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from masip.access.permissions import Compartment, Permission
from masip.access.views import CaseView
from masip.audit.events import EventType
from masip.audit.presenters import present
from masip.core.errors import DomainError
from masip.evidence import selectors, services
from masip.evidence.content_types import Family
from masip.evidence.forms import EvidenceUploadForm
from masip.evidence.models import EvidenceItem
from masip.evidence.storage import EvidenceIntegrityError

log = logging.getLogger(__name__)


class _EvidenceView(CaseView):
    tab = "evidence"

    def page(self, template: str, *, status: int = 200, **extra: Any) -> HttpResponse:
        return render(self.request, template, self.case_context(**extra), status=status)

    def item(self, public_id: uuid.UUID) -> EvidenceItem:
        return selectors.evidence_get_in_case(case=self.case, public_id=public_id)

    def may_download(self, item: EvidenceItem) -> bool:
        """Originals download with the verb; an image's original, whose
        metadata may say where it was taken, also needs the victim location
        compartment."""
        if not self.case_access.can(Permission.EVIDENCE_DOWNLOAD):
            return False
        return item.family != Family.IMAGE or self.case_access.sees(
            Compartment.VICTIM_CONTACT
        )

    def unavailable(self, item: EvidenceItem, exc: Exception) -> HttpResponse:
        log.error("Evidence %s cannot be opened: %s", item.public_id, exc)
        return self.page("evidence/evidence_unavailable.html", status=503, item=item)


class EvidenceListView(_EvidenceView):
    required_permission = Permission.EVIDENCE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(
            "evidence/evidence_list.html",
            items=list(selectors.evidence_list(case=self.case)),
        )


class EvidenceUploadView(_EvidenceView):
    required_permission = Permission.EVIDENCE_UPLOAD
    template = "evidence/evidence_upload.html"

    def _form(self, *args: Any) -> EvidenceUploadForm:
        return EvidenceUploadForm(
            *args, incidents=selectors.evidence_incident_choices(case=self.case)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(self.template, form=self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(self.template, form=form)
        uploaded = form.cleaned_data["file"]
        try:
            item = services.evidence_upload(
                actor=self.actor(),
                case=self.case,
                uploaded_file=uploaded,
                name=uploaded.name or "",
                description=form.cleaned_data["description"],
                incident=form.chosen_incident(),
            )
        except DomainError as refused:
            form.add_error("file", str(refused))
            return self.page(self.template, form=form)
        messages.success(request, "Evidence uploaded.")
        return redirect(
            "evidence:evidence-detail",
            reference=self.case.reference,
            public_id=item.public_id,
        )


class EvidenceDetailView(_EvidenceView):
    required_permission = Permission.EVIDENCE_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        item = self.item(public_id)
        self.record_view(
            EventType.EVIDENCE_VIEWED, target_type="evidence", target_id=item.public_id
        )
        return self.page(
            "evidence/evidence_detail.html",
            item=item,
            may_download=self.may_download(item),
            custody=[
                present(event)
                for event in selectors.evidence_custody(case=self.case, item=item)
            ],
        )


class EvidenceDisplayView(_EvidenceView):
    """The display copy of an image: pixels only, metadata removed."""

    required_permission = Permission.EVIDENCE_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        item = self.item(public_id)
        try:
            content = selectors.evidence_display_bytes(item)
        except (EvidenceIntegrityError, OSError) as exc:
            return self.unavailable(item, exc)
        self.record_view(
            EventType.EVIDENCE_DISPLAY_VIEWED,
            target_type="evidence",
            target_id=item.public_id,
        )
        response = HttpResponse(content, content_type=item.display_content_type)
        response["Content-Disposition"] = "inline"
        return response


class EvidenceDownloadView(_EvidenceView):
    """The original file as it arrived, streamed as an attachment."""

    required_permission = Permission.EVIDENCE_DOWNLOAD

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
        item = self.item(public_id)
        if not self.may_download(item):
            raise PermissionDenied
        chunks = selectors.evidence_original_chunks(item)
        try:
            # Open the file and check its first chunk before answering, so
            # a missing or altered file gives a page rather than a cut
            # download.
            first = next(chunks, b"")
        except (EvidenceIntegrityError, OSError) as exc:
            return self.unavailable(item, exc)
        self.record_view(
            EventType.EVIDENCE_DOWNLOADED,
            target_type="evidence",
            target_id=item.public_id,
        )
        response = StreamingHttpResponse(
            _prepend(first, chunks), content_type=item.content_type
        )
        response["Content-Length"] = str(item.size)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=item.original_name
        )
        return response


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest
