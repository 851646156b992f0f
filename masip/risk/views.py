"""Risk pages of a case: the risk picture, completing an instrument, one
assessment. Thin: the case comes from the access module (CaseView), the
work from services and selectors."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from masip.access.permissions import Permission
from masip.access.views import CaseView, GlobalView
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.core.pagination import page_links, paginate
from masip.risk import selectors
from masip.risk.charts import level_svg, level_table
from masip.risk.forms import AssessmentForm, RecognitionForm
from masip.risk.instruments import Instrument, registry
from masip.risk.recognition import prompt_for
from masip.risk.scoring import score
from masip.risk.services import (
    OVERRIDE,
    RATIONALE,
    AnswerErrors,
    assessment_record,
    recognition_decide,
)

CONFIRM = "confirm"


class _RiskView(CaseView):
    tab = "risk"

    def page(self, template: str, *, status: int = 200, **extra: Any) -> HttpResponse:
        return render(self.request, template, self.case_context(**extra), status=status)


class RiskPictureView(_RiskView):
    """Every agency's latest assessment side by side, the level over time,
    and the forms that can be started."""

    required_permission = Permission.RISK_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        self.record_view(EventType.RISK_PICTURE_VIEWED)
        picture = selectors.risk_picture(case=self.case, case_access=self.case_access)
        titles = {i.code: i.title for i in registry().instruments}
        return self.page(
            "risk/picture.html",
            picture=picture,
            chart=_chart(level_svg(picture.history)),
            table=level_table(picture.history, titles),
            instruments=registry().latest(),
        )


class AssessmentStartView(_RiskView):
    """An instrument's questions; then a check of the answers with the score,
    where a professional judgement may set another level; then it is kept."""

    required_permission = Permission.RISK_ASSESS

    def instrument(self, code: str) -> Instrument:
        try:
            instrument = registry().get(code)
        except KeyError:
            raise Http404("No such form.") from None
        if not instrument.available:
            raise Http404("This form's wording is not installed.")
        return instrument

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        instrument = self.instrument(code)
        return self.page(
            "risk/assessment_form.html",
            instrument=instrument,
            form=AssessmentForm(instrument=instrument),
        )

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        instrument = self.instrument(code)
        form = AssessmentForm(request.POST, instrument=instrument)
        if not form.is_valid():
            return self.page(
                "risk/assessment_form.html", instrument=instrument, form=form
            )
        if CONFIRM not in request.POST:
            return self.check_page(instrument, form)
        try:
            assessment = assessment_record(
                actor=self.actor(),
                case=self.case,
                instrument=instrument,
                answers=form.answers(),
                override_level=form.cleaned_data.get(OVERRIDE, ""),
                rationale=form.cleaned_data.get(RATIONALE, ""),
            )
        except AnswerErrors as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
            return self.check_page(instrument, form)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.check_page(instrument, form)
        messages.success(request, f"{instrument.title} recorded.")
        return redirect(
            reverse(
                "risk:assessment",
                kwargs={
                    "reference": self.case.reference,
                    "public_id": assessment.public_id,
                },
            )
        )

    def check_page(self, instrument: Instrument, form: AssessmentForm) -> HttpResponse:
        answers = form.answers()
        keep = {OVERRIDE, RATIONALE, "csrfmiddlewaretoken", CONFIRM}
        hidden = [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in keep
            for value in values
        ]
        return self.page(
            "risk/assessment_check.html",
            instrument=instrument,
            form=form,
            result=score(instrument, answers),
            rows=selectors.answer_rows(instrument, answers),
            hidden=hidden,
        )


def recognition_context(case: Case) -> dict[str, Any]:
    """What the incident and case pages need to show the recognition prompt."""
    prompt = prompt_for(case)
    return (
        {"recognition": prompt, "recognition_form": RecognitionForm()} if prompt else {}
    )


class RecognitionView(_RiskView):
    """The recognition prompt on its own page, and where its decision is posted
    from the incident and case pages."""

    required_permission = Permission.CASE_EDIT
    tab = "incidents"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(
            "risk/recognition.html",
            recognition=prompt_for(self.case),
            recognition_form=RecognitionForm(),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RecognitionForm(request.POST)
        if form.is_valid():
            try:
                recognition_decide(
                    actor=self.actor(),
                    case=self.case,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error("reason", str(exc))
            else:
                messages.success(request, "Decision recorded.")
                return redirect(
                    reverse("incidents:incident-list", args=[self.case.reference])
                )
        return self.page(
            "risk/recognition.html",
            recognition=prompt_for(self.case),
            recognition_form=form,
        )


class OverdueView(GlobalView):
    """Cases the user's agencies lead whose risk assessment is due: past the
    reassessment date, never assessed, or marked for review."""

    required_permission = Permission.RISK_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        cases = selectors.overdue_cases(self.access)
        page = paginate(cases, params=request.GET, per_page=settings.MASIP_PAGE_SIZE)
        audit.record(
            EventType.CASE_LIST_VIEWED,
            actor=self.actor().audit,
            target_type="risk_overdue",
        )
        return render(
            request,
            "risk/overdue.html",
            {
                "page": page,
                "rows": selectors.overdue_rows(list(page.object_list)),
                "page_links": page_links(page, request.GET),
            },
        )


class AssessmentDetailView(_RiskView):
    required_permission = Permission.RISK_VIEW

    def get(self, request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
        assessment = selectors.assessment_get(case=self.case, public_id=public_id)
        instrument = selectors.instrument_of(assessment)
        visible = selectors.answers_visible(self.case_access, assessment, instrument)
        if visible:
            self.record_view(
                EventType.RISK_ASSESSMENT_VIEWED,
                target_type="assessment",
                target_id=assessment.public_id,
            )
        rows = (
            selectors.answer_rows(instrument, assessment.answers)
            if visible and instrument is not None
            else []
        )
        return self.page(
            "risk/assessment_detail.html",
            assessment=assessment,
            instrument=instrument,
            visible=visible,
            result=assessment.result if visible else {},
            rows=rows,
        )


def _chart(markup: str) -> SafeString:
    """The SVG of masip/risk/charts.py: built from dates and level names
    (``html.escape``d), never from anything a user typed."""
    return mark_safe(markup)  # noqa: S308  # nosec B308 B703
