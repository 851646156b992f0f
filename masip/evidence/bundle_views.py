"""The evidence bundle page: choose a format, give a reason, confirm the
step-up, and the file comes back as an attachment (issue 4).

GET shows the form; POST checks it, asks for a fresh second factor
(``masip.accounts.stepup``) and answers with the file built by
``masip.evidence.bundle.bundle_build``, which audits it with its own SHA-256.
"""

from dataclasses import replace

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from masip.access.permissions import Permission
from masip.access.views import CaseView
from masip.accounts import stepup
from masip.accounts.stepup import StepUpFormMixin
from masip.core.forms import GovukForm
from masip.evidence.bundle import bundle_build
from masip.exports.forms import PURPOSE_MAX, PURPOSE_MIN


class EvidenceBundleForm(StepUpFormMixin, GovukForm):
    format = forms.ChoiceField(
        label="Format",
        choices=[
            ("pdf", "PDF: the chronology, figures, charts and manifest"),
            ("csv", "CSV: the chronology as a spreadsheet"),
            ("json", "JSON: everything, for another system"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a format.",
            "invalid_choice": "Select a format.",
        },
    )
    perpetrator_only = forms.BooleanField(
        label="Only the perpetrator's messages",
        required=False,
        help_text="Incidents, figures and charts are always included.",
    )
    purpose = forms.CharField(
        label="Why are you making this bundle?",
        help_text=(
            "For example, the court hearing or panel meeting it is for. Your reason "
            "is printed on the bundle and kept in the audit trail."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=PURPOSE_MIN,
        max_length=PURPOSE_MAX,
        error_messages={
            "required": "Enter why you are making this bundle.",
            "min_length": f"Reason must be {PURPOSE_MIN} characters or more.",
            "max_length": f"Reason must be {PURPOSE_MAX} characters or fewer.",
        },
    )

    def clean_purpose(self) -> str:
        return " ".join(self.cleaned_data["purpose"].split())


class EvidenceBundleView(CaseView):
    required_permission = Permission.EVIDENCE_DOWNLOAD
    tab = "evidence"
    template = "evidence/evidence_bundle.html"

    def page(self, form: EvidenceBundleForm, *, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template, self.case_context(form=form), status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(EvidenceBundleForm(request=request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EvidenceBundleForm(request.POST, request=request)
        if not form.is_valid():
            return self.page(form)
        fmt = form.cleaned_data["format"]
        actor = replace(self.actor(), purpose=form.cleaned_data["purpose"])
        if not stepup.confirm(
            form,
            action=f"evidence.bundle.{fmt}",
            actor=actor,
            case_reference=self.case.reference,
        ):
            return self.page(form, status=429 if stepup.was_locked_out(form) else 200)
        bundle = bundle_build(
            actor=actor,
            case=self.case,
            fmt=fmt,
            perpetrator_only=form.cleaned_data["perpetrator_only"],
        )
        response = HttpResponse(bundle.content, content_type=bundle.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=bundle.name
        )
        response["X-Content-SHA256"] = bundle.sha256
        response["Cache-Control"] = "no-store"
        return response
