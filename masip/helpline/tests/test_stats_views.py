"""The statistics page and its CSV export: managers only, audited, a fixed
number of queries, small numbers suppressed in the export."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.helpline import stats
from masip.helpline.forms import month_choices
from masip.helpline.tests.stats_data import completed_contact, contacts

PAGE = reverse("helpline-stats:statistics")
EXPORT = reverse("helpline-stats:export")
MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)


def _this_month() -> dt.date:
    return stats.first_of(timezone.localdate())


def _range(first: dt.date, last: dt.date) -> dict[str, str]:
    return {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}"}


def _csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- the page ---------------------------------------------------------------


def test_stats_page_shows_the_last_twelve_months_by_default(cast, client_for):
    month = _this_month()
    contacts(cast, month, 7, channel="webchat", handling_seconds=125)
    contacts(cast, stats.add_months(month, -12), 3)  # thirteen months ago

    response = client_for("helpline_manager").get(PAGE)

    assert response.status_code == 200
    text = response.text
    assert f"{stats.add_months(month, -11):%B %Y} to {month:%B %Y}" in text
    assert '<dd class="govuk-summary-list__value">7</dd>' in text
    assert "2:05" in text  # the average handling time
    assert "Webchat" in text
    assert "<svg" in text
    assert 'class="masip-chart__bar"' in text


def test_stats_page_draws_charts_without_inline_styles_or_scripts(cast, client_for):
    contacts(cast, _this_month(), 6)

    text = client_for("helpline_manager").get(PAGE).text

    main = text[text.index("<main") : text.index("</main>")]
    assert "style=" not in main
    assert "<script" not in main
    # Every chart has its table twin, and a title and description.
    assert main.count("<svg") == 2 + len(stats.PAGE_DIMENSIONS)
    assert main.count('<table class="govuk-table') == main.count("<svg")
    assert main.count("<desc id=") == main.count("<svg")


def test_stats_page_range_filter_picks_the_months(cast, client_for):
    contacts(cast, MARCH, 2, channel="email")
    contacts(cast, APRIL, 5, channel="phone")

    response = client_for("helpline_manager").get(PAGE, _range(APRIL, APRIL))

    assert response.status_code == 200
    assert "April 2026</h2>" in response.text
    assert '<dd class="govuk-summary-list__value">5</dd>' in response.text


def test_stats_page_refuses_a_range_that_ends_before_it_starts(cast, client_for):
    response = client_for("helpline_manager").get(PAGE, _range(APRIL, MARCH))

    assert response.status_code == 200
    assert "The last month must be the same as or after the first month." in (
        response.text
    )
    assert "govuk-error-summary" in response.text
    assert not AuditEvent.objects.filter(
        event_type=EventType.HELPLINE_STATS_VIEWED
    ).exists()


@pytest.mark.parametrize(
    "query", [{"start": "2026-13"}, {"start": "junk", "end": "x"}, {"end": "1999-01"}]
)
def test_stats_page_bad_input_is_an_error_not_a_crash(cast, client_for, query):
    response = client_for("helpline_manager").get(PAGE, query)

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text


def test_stats_page_records_the_viewing(cast, client_for):
    client_for("helpline_manager").get(PAGE, _range(MARCH, APRIL))

    event = AuditEvent.objects.get(event_type=EventType.HELPLINE_STATS_VIEWED)
    assert event.actor_id == cast.helpline_manager.pk
    assert event.target_id == "2026-03..2026-04"


@pytest.mark.parametrize("persona", ["helpline_adviser", "lead_worker", "analyst"])
def test_stats_page_without_the_verb_is_forbidden(cast, client_for, persona):
    assert client_for(persona).get(PAGE).status_code == 403
    assert client_for(persona).get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(
        event_type__in=[
            EventType.HELPLINE_STATS_VIEWED,
            EventType.HELPLINE_STATS_EXPORTED,
        ]
    ).exists()


def test_stats_page_outsider_is_forbidden(cast, client_for):
    # A global page: without the verb the answer is 403 (no case to hide).
    assert client_for("outsider").get(PAGE).status_code == 403
    assert client_for("outsider").get(EXPORT).status_code == 403


def _queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PAGE, query)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_stats_page_query_count_is_fixed(cast, client_for):
    month = _this_month()
    client = client_for("helpline_manager")
    one_month = _range(month, month)
    client.get(PAGE, one_month)  # warm the session

    few_one = _queries(client, one_month)
    few_twelve = _queries(client, {})
    for n in range(12):
        contacts(
            cast,
            stats.add_months(month, -n),
            2,
            behaviours=["following", "watching", "loitering"],
            digital_indicators=["tracker"],
            referrals_made=["police", "advocacy"],
        )
    many_one = _queries(client, one_month)
    many_twelve = _queries(client, {})

    assert len(few_one) == len(few_twelve) == len(many_one) == len(many_twelve)
    for sql in many_twelve:
        assert "helpline_contact" not in sql
    assert sum("helpline_monthlycount" in sql for sql in many_twelve) == 1


# --- the export -------------------------------------------------------------


def test_export_writes_a_row_per_month_dimension_and_value(cast, client_for):
    contacts(cast, MARCH, 6, channel="email")
    contacts(cast, APRIL, 5, channel="phone")

    response = client_for("helpline_manager").get(EXPORT, _range(MARCH, APRIL))

    rows = _csv(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="helpline-statistics-2026-03-to-2026-04.csv"'
    )
    by_key = {(r["Month"], r["Dimension"], r["Value code"]): r for r in rows}
    assert by_key[("2026-03", "channel", "email")]["Contacts"] == "6"
    assert by_key[("2026-04", "channel", "phone")]["Contacts"] == "5"
    assert by_key[("2026-04", "channel", "email")]["Contacts"] == "0"
    assert by_key[("2026-03", "all", "all")]["Contacts"] == "6"
    expected = sum(len(d.choices) for d in stats.DIMENSIONS)
    assert len(rows) == 2 * (1 + expected)


def _numbers(rows):
    return [int(r["Contacts"]) for r in rows if r["Contacts"].lstrip("-").isdigit()]


def test_export_never_writes_a_number_below_five(cast, client_for):
    contacts(cast, MARCH, 9, channel="phone", referrals_made=["police"])
    contacts(cast, MARCH, 2, channel="email", behaviours=["watching"])
    completed_contact(cast, MARCH, channel="webchat", force_area="cumbria")
    contacts(cast, APRIL, 3, channel="phone")  # a small month

    rows = _csv(client_for("helpline_manager").get(EXPORT, _range(MARCH, APRIL)))

    assert all(n == 0 or n >= 5 for n in _numbers(rows))
    shown = {(r["Month"], r["Dimension"], r["Value code"]): r["Contacts"] for r in rows}
    assert shown[("2026-03", "channel", "email")] == "<5"
    assert shown[("2026-03", "channel", "webchat")] == "<5"
    assert shown[("2026-03", "channel", "phone")] == "9"  # two small: no more hidden
    assert shown[("2026-04", "all", "all")] == "<5"
    assert {shown[k] for k in shown if k[0] == "2026-04"} <= {"<5", "0"}


def test_export_hides_the_next_smallest_when_one_count_is_small(cast, client_for):
    contacts(cast, MARCH, 12, caller_type="victim")
    contacts(cast, MARCH, 6, caller_type="family_friend")
    contacts(cast, MARCH, 2, caller_type="professional")

    rows = _csv(client_for("helpline_manager").get(EXPORT, _range(MARCH, MARCH)))

    shown = {
        r["Value code"]: r["Contacts"] for r in rows if r["Dimension"] == "caller_type"
    }
    assert shown == {
        "victim": "12",
        "family_friend": "<5",  # 20 - 12 - x would give the professionals away
        "professional": "<5",
        "own_behaviour": "0",
    }
    total = next(r for r in rows if r["Dimension"] == "all")
    assert total["Contacts"] == "20"


def test_export_totals_add_up_where_nothing_is_suppressed(cast, client_for):
    contacts(cast, MARCH, 5, channel="phone", force_area="kent")
    contacts(cast, MARCH, 6, channel="email", force_area="durham")
    contacts(cast, MARCH, 7, channel="webchat", force_area="dyfed_powys")

    rows = _csv(client_for("helpline_manager").get(EXPORT, _range(MARCH, MARCH)))

    total = int(next(r for r in rows if r["Dimension"] == "all")["Contacts"])
    assert total == 18
    for dimension in (
        "channel",
        "caller_type",
        "region",
        "relationship",
        "duration_band",
    ):
        cells = [r["Contacts"] for r in rows if r["Dimension"] == dimension]
        assert "<5" not in cells, dimension
        assert sum(int(c) for c in cells) == total, dimension


def test_export_gives_the_average_only_for_five_contacts_or_more(cast, client_for):
    contacts(cast, MARCH, 5, handling_seconds=90)
    contacts(cast, APRIL, 4, handling_seconds=90)

    rows = _csv(client_for("helpline_manager").get(EXPORT, _range(MARCH, APRIL)))

    averages = {
        r["Month"]: r["Average handling time (minutes:seconds)"]
        for r in rows
        if r["Dimension"] == "all"
    }
    assert averages == {"2026-03": "1:30", "2026-04": ""}
    others = [
        r["Average handling time (minutes:seconds)"]
        for r in rows
        if r["Dimension"] != "all"
    ]
    assert set(others) == {""}


def test_export_neutralises_cells_that_a_spreadsheet_would_run(cast, client_for):
    from masip.helpline.models import MonthlyCount

    MonthlyCount.objects.create(month=MARCH, dimension="all", value="all", contacts=9)
    MonthlyCount.objects.create(
        month=MARCH, dimension="channel", value="=HYPERLINK(1)", contacts=9
    )
    MonthlyCount.objects.create(
        month=MARCH, dimension="channel", value="@cmd", contacts=9
    )

    response = client_for("helpline_manager").get(EXPORT, _range(MARCH, MARCH))

    for line in response.content.decode().splitlines():
        for cell in next(csv.reader([line])):
            assert not re.match(r"\s*[=+\-@]", cell), cell
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_export_is_audited(cast, client_for):
    client_for("helpline_manager").get(EXPORT, _range(MARCH, APRIL))

    event = AuditEvent.objects.get(event_type=EventType.HELPLINE_STATS_EXPORTED)
    assert event.actor_id == cast.helpline_manager.pk
    assert event.target_id == "2026-03..2026-04"


def test_export_with_a_bad_range_shows_the_mistake(cast, client_for):
    response = client_for("helpline_manager").get(EXPORT, _range(APRIL, MARCH))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(
        event_type=EventType.HELPLINE_STATS_EXPORTED
    ).exists()


def test_month_choices_cover_five_years_newest_first():
    choices = month_choices(dt.date(2026, 11, 29))

    assert choices[0] == ("2026-11", "November 2026")
    assert choices[-1] == ("2021-12", "December 2021")
    assert len(choices) == stats.MAX_MONTHS
