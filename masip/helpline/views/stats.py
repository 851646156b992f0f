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

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from masip.access.permissions import Permission
from masip.access.views import GlobalView
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.exports.cells import neutralise
from masip.helpline import stats
from masip.helpline.forms import MonthRangeForm
from masip.helpline.stats_charts import bar_svg


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


class _StatsView(GlobalView):
    required_permission = Permission.HELPLINE_STATS_VIEW

    def audit_range(self, event_type: EventType, first: dt.date, last: dt.date) -> None:
        """Record that the figures for ``first`` to ``last`` were seen or taken."""
        audit.record(
            event_type,
            actor=self.actor().audit,
            target_type="helpline_statistics",
            target_id=f"{first:%Y-%m}..{last:%Y-%m}",
        )


class StatsView(_StatsView):
    """The figures for a range of months, as charts with their tables."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form, chosen = chosen_range(request)
        context: dict[str, Any] = {"form": form, "small": stats.small_number()}
        if chosen is not None:
            first, last = chosen
            page = stats.stats_page(access=self.access, first=first, last=last)
            self.audit_range(EventType.HELPLINE_STATS_VIEWED, first, last)
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


class StatsExportView(_StatsView):
    """The figures for a range of months as CSV, small numbers suppressed."""

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
        self.audit_range(EventType.HELPLINE_STATS_EXPORTED, first, last)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"helpline-statistics-{first:%Y-%m}-to-{last:%Y-%m}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(stats.CSV_HEAD)
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row.cells()])
        return response
