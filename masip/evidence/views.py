"""Pages of the evidence vault: the list, upload, an item and its files, its
imports into the timeline, and the case timeline."""

import dataclasses
import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe

from masip.access.permissions import Compartment, Permission
from masip.access.views import CaseView
from masip.audit.events import EventType
from masip.audit.presenters import present
from masip.core.errors import DomainError
from masip.core.pagination import page_links, paginate
from masip.evidence import imports, selectors, services
from masip.evidence.analysis import (
    daily_table,
    daily_volume_svg,
    hour_weekday_svg,
    hour_weekday_table,
)
from masip.evidence.analysis.lexicon import Match
from masip.evidence.content_types import Family
from masip.evidence.forms import (
    EvidenceImportForm,
    EvidenceUploadForm,
    PerpetratorChoiceForm,
    TimelineFilterForm,
)
from masip.evidence.models import EvidenceImport, EvidenceItem, ImportStatus
from masip.evidence.parsers.csv_log import suggest_mapping
from masip.evidence.storage import EvidenceIntegrityError

log = logging.getLogger(__name__)


class _EvidenceView(CaseView):
    tab = "evidence"

    def page(self, template: str, *, status: int = 200, **extra: Any) -> HttpResponse:
        return render(self.request, template, self.case_context(**extra), status=status)

    def item(self, public_id: uuid.UUID) -> EvidenceItem:
        return selectors.evidence_get_in_case(case=self.case, public_id=public_id)

    def detail_page(
        self,
        item: EvidenceItem,
        *,
        import_form: EvidenceImportForm | None = None,
        perpetrator_form: PerpetratorChoiceForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        """The item's page: its details, imports and chain of custody."""
        runs = selectors.evidence_imports(case=self.case, item=item)
        may_import = self.case_access.can(
            Permission.EVIDENCE_UPLOAD
        ) and imports.importable(item)
        latest = runs[0] if runs else None
        if may_import and import_form is None:
            import_form = self.import_form(item, initial={"date_order": ""})
        if (
            may_import
            and perpetrator_form is None
            and latest is not None
            and latest.status == ImportStatus.COMPLETED
            and latest.report_data.get("participants")
        ):
            perpetrator_form = _perpetrator_form(latest)
        return self.page(
            "evidence/evidence_detail.html",
            status=status,
            item=item,
            may_download=self.may_download(item),
            may_import=may_import,
            imports=[_import_row(run) for run in runs],
            import_form=import_form,
            perpetrator_form=perpetrator_form,
            custody=[
                present(event)
                for event in selectors.evidence_custody(case=self.case, item=item)
            ],
        )

    def may_download(self, item: EvidenceItem) -> bool:
        """Originals download with the verb; an image's original, whose
        metadata may say where it was taken, also needs the victim location
        compartment."""
        if not self.case_access.can(Permission.EVIDENCE_DOWNLOAD):
            return False
        return item.family != Family.IMAGE or self.case_access.sees(
            Compartment.VICTIM_CONTACT
        )

    def import_form(self, item: EvidenceItem, **kwargs: Any) -> EvidenceImportForm:
        """The import form; for a CSV log, with its columns to map, each
        filled in with MASIP's guess for the user to confirm."""
        columns = selectors.evidence_csv_columns(item)
        suggested = dataclasses.asdict(suggest_mapping(columns)) if columns else {}
        return EvidenceImportForm(columns=columns, suggested=suggested, **kwargs)

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
        return self.detail_page(item)


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


# Importing into the timeline ---------------------------------------------------


def _import_row(run: EvidenceImport) -> dict[str, Any]:
    report = run.report_data
    return {
        "run": run,
        "format": imports.FORMAT_LABELS.get(run.format, ""),
        "finished": run.status not in imports.UNFINISHED,
        "report": report,
        "needs_date_order": bool(report.get("needs_date_order")),
    }


def _perpetrator_form(run: EvidenceImport, data: Any = None) -> PerpetratorChoiceForm:
    participants = run.report_data.get("participants", [])
    current = run.perpetrator_participant
    named = [p["name"] for p in participants if p["name"] == current]
    return PerpetratorChoiceForm(
        data,
        participants=participants,
        initial={
            "evidence_import": run.public_id,
            "participant": named[0] if named else None,
        },
        prefix="perpetrator",
    )


class EvidenceImportStartView(_EvidenceView):
    """Start (or restart) importing an item into the case timeline."""

    required_permission = Permission.EVIDENCE_UPLOAD
    http_method_names = ["post"]

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        item = self.item(public_id)
        form = self.import_form(item, data=request.POST)
        if not form.is_valid():
            return self.detail_page(item, import_form=form)
        try:
            imports.evidence_import_start(
                actor=self.actor(),
                case=self.case,
                evidence=item,
                perpetrator_participant=form.cleaned_data["perpetrator_participant"],
                date_order=form.cleaned_data["date_order"],
                column_mapping=form.column_mapping(),
            )
        except DomainError as refused:
            form.add_error(None, str(refused))
            return self.detail_page(item, import_form=form)
        messages.success(
            request,
            "The import has started. Refresh this page to see how far it has got.",
        )
        return redirect(
            "evidence:evidence-detail",
            reference=self.case.reference,
            public_id=item.public_id,
        )


class EvidencePerpetratorView(_EvidenceView):
    """Name the perpetrator among a finished import's participants."""

    required_permission = Permission.EVIDENCE_UPLOAD
    http_method_names = ["post"]

    def post(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        item = self.item(public_id)
        try:
            run_id = uuid.UUID(request.POST.get("perpetrator-evidence_import", ""))
        except ValueError:
            run_id = None
        if run_id is None:
            messages.error(request, "Select an import of this file.")
            return redirect(
                "evidence:evidence-detail",
                reference=self.case.reference,
                public_id=item.public_id,
            )
        run = selectors.evidence_import_get(case=self.case, item=item, public_id=run_id)
        form = _perpetrator_form(run, request.POST)
        if not form.is_valid():
            return self.detail_page(item, perpetrator_form=form)
        try:
            marked = imports.timeline_set_perpetrator(
                actor=self.actor(),
                case=self.case,
                evidence_import=run,
                participant=form.cleaned_data["participant"],
            )
        except DomainError as refused:
            form.add_error(None, str(refused))
            return self.detail_page(item, perpetrator_form=form)
        messages.success(
            request,
            f"{marked:,} item{'s' if marked != 1 else ''} tagged as from the "
            "perpetrator.",
        )
        return redirect(
            "evidence:evidence-detail",
            reference=self.case.reference,
            public_id=item.public_id,
        )


# The timeline ----------------------------------------------------------------

TIMELINE_PAGE_SIZE = 50


def _when(value: Any, zone: ZoneInfo) -> str:
    local = timezone.localtime(value, zone)
    return f"{local.day} {local:%B %Y}, {local:%H:%M:%S}"


class TimelineView(_EvidenceView):
    """Every message and call imported into the case, oldest first."""

    required_permission = Permission.EVIDENCE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        self.record_view(EventType.TIMELINE_VIEWED)
        filters = TimelineFilterForm(request.GET or None)
        chosen = filters.cleaned_data if filters.is_valid() else {}
        entries = selectors.timeline_entries(
            case=self.case,
            channel=chosen.get("channel") or "",
            perpetrator_only=bool(chosen.get("perpetrator")),
        )
        page = paginate(entries, params=request.GET, per_page=TIMELINE_PAGE_SIZE)
        # The victim's time: the case has no zone of its own, so the site's.
        zone = ZoneInfo(settings.TIME_ZONE)
        rows = [
            {
                "entry": entry,
                "when": _when(entry.occurred_at, zone),
                "recipients": entry.recipient_list,
                "attachments": entry.attachment_list,
            }
            for entry in page
        ]
        return self.page(
            "evidence/timeline.html",
            page=page,
            rows=rows,
            page_links=page_links(page, request.GET),
            filters=filters,
            filtered=bool(chosen.get("channel") or chosen.get("perpetrator")),
            zone=zone.key,
        )


class ConductView(_EvidenceView):
    """The course-of-conduct figures, each in plain words, with two charts
    and a table beside each (the table is the chart for screen readers)."""

    required_permission = Permission.EVIDENCE_VIEW
    shown_after_stop = 50

    def get(self, request: HttpRequest) -> HttpResponse:
        self.record_view(EventType.CONDUCT_VIEWED)
        zone = ZoneInfo(settings.TIME_ZONE)
        report = selectors.conduct_report(case=self.case, tz=zone)
        if report is None:
            return self.page("evidence/conduct.html", report=None, zone=zone.key)
        return self.page(
            "evidence/conduct.html",
            report=report,
            zone=zone.key,
            daily_svg=_chart(daily_volume_svg(report.charts.daily)),
            week_svg=_chart(hour_weekday_svg(report.charts.hour_by_weekday)),
            daily_table=daily_table(report.charts.daily),
            week_table=hour_weekday_table(report.charts.hour_by_weekday),
            flags=[
                (flag, _marked(flag.text, flag.matches))
                for flag in report.language.flags
            ],
            after_stop_shown=self.shown_after_stop,
        )


def _chart(markup: str) -> SafeString:
    """A chart's SVG, for the page as it is: masip/evidence/analysis/charts.py
    builds it from numbers and ``html.escape``d labels (dates, hours), never
    from message text."""
    return mark_safe(markup)  # noqa: S308  # nosec B308 B703


def _marked(text: str, matches: Sequence[Match]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) runs, so the page can mark the
    words that raised a flag without marking anything up by hand."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in sorted(matches, key=lambda m: m.start):
        if match.start < at:
            continue
        pieces.append((text[at : match.start], False))
        pieces.append((text[match.start : match.end], True))
        at = match.end
    pieces.append((text[at:], False))
    return [piece for piece in pieces if piece[0]]
