"""The helpline statistics page and its CSV export (helpline managers).

Both read only the monthly counts (``masip.helpline.stats``), in one query
whatever the range; both are audited. The page shows the figures as they
are; the export, which may leave the helpline, suppresses small numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
from html import escape
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.core.forms import GovukForm, form_field
from masip.exports.cells import neutralise
from masip.helpline import stats
from masip.helpline.stats_charts import bar_svg


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    """The months a range may start or end in: the last five years, newest
    first."""
    this_month = stats.first_of(today)
    return [
        (f"{m:%Y-%m}", stats.month_label(m))
        for m in (stats.add_months(this_month, -n) for n in range(stats.MAX_MONTHS))
    ]


class MonthSelect(forms.Select):
    """A select of months drawn in one pass: Django's select widget renders
    each of its 60 options through a template, some 10 ms a page."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = str(value) if value is not None else ""
        attributes = "".join(
            f' {escape(key)}="{escape(str(val))}"'
            for key, val in final.items()
            if val is not None and val is not False
        )
        options = "".join(
            f'<option value="{escape(str(code))}"'
            f"{' selected' if str(code) == chosen else ''}>"
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        markup = f'<select name="{escape(name)}"{attributes}>{options}</select>'
        return mark_safe(markup)  # noqa: S308  # nosec B308 B703  # escaped


class MonthRangeForm(GovukForm):
    start = forms.ChoiceField(
        label="From",
        widget=MonthSelect,
        error_messages={
            "required": "Select the first month.",
            "invalid_choice": "Select the first month from the list.",
        },
    )
    end = forms.ChoiceField(
        label="To",
        widget=MonthSelect,
        error_messages={
            "required": "Select the last month.",
            "invalid_choice": "Select the last month from the list.",
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = month_choices(today)
        form_field(self, "start", forms.ChoiceField).choices = choices
        form_field(self, "end", forms.ChoiceField).choices = choices
        for name in ("start", "end"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
        first, last = stats.default_range(today)
        self.initial = {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}"}

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # GovukForm knows Select, not MonthSelect
                self.fields[name].widget.attrs["class"] = (
                    "govuk-select govuk-select--error"
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end", "The last month must be the same as or after the first month."
            )
        return data

    def months(self) -> tuple[dt.date, dt.date]:
        """The first and last month chosen (call after ``is_valid()``)."""
        return (_month(self.cleaned_data["start"]), _month(self.cleaned_data["end"]))


def _month(value: str) -> dt.date:
    year, month = value.split("-")  # a choice the form has checked
    return dt.date(int(year), int(month), 1)


def chosen_range(
    request: HttpRequest,
) -> tuple[MonthRangeForm, tuple[dt.date, dt.date] | None]:
    """The range form and, if it is valid (or left empty: the default), the
    months it gives."""
    today = timezone.localdate()
    if not request.GET.get("start") and not request.GET.get("end"):
        return MonthRangeForm(today=today), stats.default_range(today)
    form = MonthRangeForm(request.GET, today=today)
    return form, form.months() if form.is_valid() else None


def _range_id(first: dt.date, last: dt.date) -> str:
    return f"{first:%Y-%m}..{last:%Y-%m}"


class StatsView(GlobalView):
    required_permission = Permission.HELPLINE_STATS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form, chosen = chosen_range(request)
        context: dict[str, Any] = {"form": form, "small": stats.small_number()}
        if chosen is not None:
            first, last = chosen
            page = stats.stats_page(access=self.access, first=first, last=last)
            audit.record(
                EventType.HELPLINE_STATS_VIEWED,
                actor=self.actor().audit,
                target_type="helpline_statistics",
                target_id=_range_id(first, last),
            )
            context |= {
                "page": page,
                "range_label": _range_label(first, last),
                "export_query": urlencode(
                    {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}"}
                ),
                "charts": [
                    (table, _chart(table), _table(table, _range_label(first, last)))
                    for table in (page.overview, page.rates, *page.tables)
                ],
            }
        return render(request, "helpline/statistics/page.html", context)


def _chart(table: stats.StatsTable) -> SafeString:
    """The SVG of stats_charts.py: built from our labels and numbers, each
    ``html.escape``d, never from anything a user typed."""
    markup = bar_svg(
        table.bars, ident=f"helpline-chart-{table.code}", title=table.title
    )
    return mark_safe(markup)  # noqa: S308  # nosec B308 B703


def _table(table: stats.StatsTable, range_label: str) -> SafeString:
    """The chart's table twin as GOV.UK table markup.

    Built here rather than by template loops: a year of nine tables is some
    1,300 cells, and the template engine took about two thirds of the
    page's time drawing them (bench/helpline.py). Every text is escaped.
    """
    months = "".join(
        f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        f"{escape(m)}</th>"
        for m in table.months
    )
    overall = table.code != "all"
    if overall:
        months += (
            '<th scope="col" class="govuk-table__header '
            'govuk-table__header--numeric">All months</th>'
        )
    rows = []
    for row in table.rows:
        cells = "".join(
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(c)}</td>'
            for c in (*row.cells, *((row.total,) if overall else ()))
        )
        rows.append(
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f"{escape(row.label)}</th>{cells}</tr>"
        )
    markup = (
        '<table class="govuk-table govuk-table--small-text-until-tablet">'
        '<caption class="govuk-table__caption govuk-table__caption--s">'
        f"{escape(table.title)}, {escape(range_label)}</caption>"
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        f'<th scope="col" class="govuk-table__header">{escape(table.heading)}</th>'
        f'{months}</tr></thead><tbody class="govuk-table__body">{"".join(rows)}'
        "</tbody></table>"
    )
    return mark_safe(markup)  # noqa: S308  # nosec B308 B703  # every text escaped


def _range_label(first: dt.date, last: dt.date) -> str:
    if first == last:
        return stats.month_label(first)
    return f"{stats.month_label(first)} to {stats.month_label(last)}"


class StatsExportView(GlobalView):
    required_permission = Permission.HELPLINE_STATS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form, chosen = chosen_range(request)
        if chosen is None:
            # A mistake in the range: show it on the page, export nothing.
            return render(
                request,
                "helpline/statistics/page.html",
                {"form": form, "small": stats.small_number()},
            )
        first, last = chosen
        rows = stats.export_rows(access=self.access, first=first, last=last)
        audit.record(
            EventType.HELPLINE_STATS_EXPORTED,
            actor=self.actor().audit,
            target_type="helpline_statistics",
            target_id=_range_id(first, last),
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"helpline-statistics-{first:%Y-%m}-to-{last:%Y-%m}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(stats.CSV_HEAD)
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row.cells()])
        return response
