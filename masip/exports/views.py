"""Exporting the case list: one page per format, each behind its own permission.

GET shows what will be exported (the case list's filters, the number of
cases) and asks for a purpose and, when the session's second factor is older
than ``MASIP_STEP_UP_SECONDS``, the step-up (``masip.accounts.stepup``: a code
or a security key). POST checks all of that, audits the export and answers
with the file itself.
"""

from dataclasses import replace
from typing import Any, ClassVar

from django.conf import settings
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from masip.access.actors import Actor
from masip.access.permissions import Permission as P
from masip.access.views import GlobalView
from masip.accounts import stepup
from masip.cases import search
from masip.cases import selectors as case_selectors
from masip.cases.forms import CaseFilterForm
from masip.exports import documents, services
from masip.exports.formats import ExportFormat
from masip.exports.forms import ExportForm
from masip.exports.selectors import CaseExport, case_export_for


def describe_filters(form: CaseFilterForm) -> str:
    """The case list's filters in words, for the file and the page."""
    data = form.cleaned_data if form.is_valid() else {}
    parts = []
    for name in ("status", "risk_level", "lead_agency"):
        value = data.get(name)
        if value:
            field = form.fields[name]
            shown = dict(getattr(field, "choices", [])).get(value, value)
            parts.append(f"{field.label}: {shown}")
    if data.get("q"):
        parts.append(f"Reference or name: {data['q']}")
    return "; ".join(parts) or "None (every case you can open)"


class CaseListExportView(GlobalView):
    export_format: ClassVar[ExportFormat]
    template_name = "exports/case_list_export.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.max_rows: int = settings.MASIP_EXPORT_MAX_ROWS

    def _filters(self) -> CaseFilterForm:
        agencies = case_selectors.lead_agency_filter_choices()
        return search.filter_form(self.request, agencies=agencies)

    def _export(self, filters: CaseFilterForm) -> CaseExport:
        return case_export_for(
            self.access, self.required_permission, **filters.filters()
        )

    def _render(
        self,
        form: ExportForm,
        export: CaseExport,
        filters: CaseFilterForm,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "form": form,
            "format": self.export_format,
            "label": self.export_format.spec.label,
            "count": export.count,
            "max_rows": self.max_rows,
            "filters": describe_filters(filters),
            "query": self.request.GET.urlencode(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = self._filters()
        form = ExportForm(request=request)
        return self._render(form, self._export(filters), filters)

    def post(self, request: HttpRequest) -> HttpResponseBase:
        filters = self._filters()
        export = self._export(filters)
        form = ExportForm(request.POST, request=request)
        if not form.is_valid():
            return self._render(form, export, filters)
        refusal = self._refusal(export)
        if refusal:
            form.add_error(None, refusal)
            return self._render(form, export, filters)
        actor = replace(self.actor(), purpose=form.cleaned_data["purpose"])
        if not stepup.confirm(
            form, action=f"export.{self.export_format.value}", actor=actor
        ):
            status = 429 if stepup.was_locked_out(form) else 200
            return self._render(form, export, filters, status=status)
        services.export_record(
            actor=actor, export_format=self.export_format, row_count=export.count
        )
        return self._file(export, self._provenance(actor, filters, export))

    def _refusal(self, export: CaseExport) -> str:
        """Why this export cannot be made (empty, or over the size bound), if so."""
        if export.count == 0:
            return "There are no cases to export. Change the filters."
        if export.count > self.max_rows:
            return (
                f"There are {export.count:,} cases. Narrow the filters to "
                f"{self.max_rows:,} cases or fewer to export them."
            )
        return ""

    def _provenance(
        self, actor: Actor, filters: CaseFilterForm, export: CaseExport
    ) -> documents.Provenance:
        return documents.Provenance(
            exported_by=f"{actor.user.full_name} <{actor.user.email}>",
            agency=actor.membership.agency.name,
            role=actor.membership.get_role_display(),
            exported_at=timezone.now(),
            purpose=actor.purpose,
            filters=describe_filters(filters),
            row_count=export.count,
        )

    def _file(
        self, export: CaseExport, provenance: documents.Provenance
    ) -> FileResponse:
        extension = self.export_format.value
        content = documents.WRITERS[extension](export, provenance)
        response = FileResponse(
            content, content_type=self.export_format.spec.content_type
        )
        name = documents.file_name(extension, provenance.exported_at)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=name
        )
        return response


class CaseListCsvView(CaseListExportView):
    required_permission = P.EXPORT_CSV
    export_format = ExportFormat.CSV


class CaseListXlsxView(CaseListExportView):
    required_permission = P.EXPORT_XLSX
    export_format = ExportFormat.XLSX


class CaseListPdfView(CaseListExportView):
    required_permission = P.EXPORT_PDF
    export_format = ExportFormat.PDF
