"""The statistics selectors: figures from MonthlyCount, and the suppression
of small numbers in the export."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from masip.access.policy import Access
from masip.helpline import stats
from masip.helpline.models import MonthlyCount
from masip.helpline.tests.stats_data import completed_contact, contacts

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)


def test_default_range_is_the_last_twelve_months_with_this_one():
    first, last = stats.default_range(dt.date(2026, 11, 29))

    assert (first, last) == (dt.date(2025, 12, 1), dt.date(2026, 11, 1))
    assert len(stats.months_between(first, last)) == 12


def test_add_months_crosses_years_both_ways():
    assert stats.add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert stats.add_months(dt.date(2025, 12, 1), 14) == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (59.6, "1:00"), (245, "4:05"), (3725, "62:05")]
)
def test_minutes_seconds_rounds_to_the_second(seconds, shown):
    assert stats.minutes_seconds(seconds) == shown


def test_monthly_figures_read_the_counts_of_the_range_only(cast):
    contacts(cast, MARCH, 3, channel="email", handling_seconds=120)
    completed_contact(cast, APRIL, channel="phone", handling_seconds=600)
    completed_contact(cast, dt.date(2026, 5, 1))  # outside the range

    figures = stats.monthly_figures(
        access=Access(cast.helpline_manager), first=MARCH, last=APRIL
    )

    assert figures.months == [MARCH, APRIL]
    assert figures.total() == 4
    assert figures.total(MARCH) == 3
    assert figures.count("channel", "email", MARCH) == 3
    assert figures.count("channel", "phone") == 1
    assert figures.count("region", "south_east") == 4  # Kent
    assert figures.average_seconds(MARCH) == 120
    assert figures.average_seconds() == (3 * 120 + 600) / 4


def test_monthly_figures_need_the_stats_verb(cast):
    with pytest.raises(PermissionDenied):
        stats.monthly_figures(
            access=Access(cast.helpline_adviser), first=MARCH, last=APRIL
        )


def test_stats_page_shows_average_handling_time_as_minutes_and_seconds(cast):
    contacts(cast, MARCH, 2, handling_seconds=200)
    completed_contact(cast, MARCH, handling_seconds=290)

    page = stats.stats_page(
        access=Access(cast.helpline_manager), first=MARCH, last=MARCH
    )

    assert page.contacts == "3"
    assert page.average == "3:50"  # 690 / 3 = 230 seconds
    assert page.overview.rows[0].cells == ["3", "3:50"]


def test_stats_page_tables_list_every_value_and_the_range_total(cast):
    contacts(cast, MARCH, 2, behaviours=["following", "watching"])
    completed_contact(cast, APRIL, behaviours=["watching"])

    page = stats.stats_page(
        access=Access(cast.helpline_manager), first=MARCH, last=APRIL
    )
    behaviour = next(t for t in page.tables if t.code == "behaviour")
    rows = {row.label: row for row in behaviour.rows}

    assert rows["Watching or spying"].cells == ["2", "1"]
    assert rows["Watching or spying"].total == "3"
    assert rows["Following"].total == "2"
    assert rows["Interfering with property"].total == "0"
    assert "several" in behaviour.note
    assert [t.code for t in page.tables] == list(stats.PAGE_DIMENSIONS)


def test_referral_rates_are_shares_of_the_month_contacts(cast):
    contacts(cast, MARCH, 1, referrals_made=["police", "advocacy"])
    contacts(cast, MARCH, 3, referrals_made=["police"])
    contacts(cast, APRIL, 4, referrals_made=[])

    page = stats.stats_page(
        access=Access(cast.helpline_manager), first=MARCH, last=APRIL
    )
    rows = {row.label: row for row in page.rates.rows}

    assert rows["Police"].cells == ["100%", "0%"]
    assert rows["Police"].total == "50%"
    assert rows["Local stalking advocacy"].cells == ["25%", "0%"]
    assert rows["Local stalking advocacy"].total == "12.5%"


def test_referral_rates_show_handovers_once_they_are_counted(cast):
    contacts(cast, MARCH, 4)
    MonthlyCount.objects.create(
        month=MARCH, dimension="referral", value="handover", contacts=1
    )

    page = stats.stats_page(
        access=Access(cast.helpline_manager), first=MARCH, last=MARCH
    )
    rows = {row.label: row for row in page.rates.rows}

    assert rows["Handed over with consent"].cells == ["25%"]


def test_referral_rates_leave_out_handovers_when_not_counted(cast):
    contacts(cast, MARCH, 4)

    page = stats.stats_page(
        access=Access(cast.helpline_manager), first=MARCH, last=MARCH
    )

    assert all("Handed over" not in row.label for row in page.rates.rows)


def test_values_unknown_to_the_choices_are_still_shown(cast):
    MonthlyCount.objects.create(month=MARCH, dimension="all", value="all", contacts=6)
    MonthlyCount.objects.create(
        month=MARCH, dimension="channel", value="carrier_pigeon", contacts=6
    )

    figures = stats.monthly_figures(
        access=Access(cast.helpline_manager), first=MARCH, last=MARCH
    )

    assert ("carrier_pigeon", "carrier_pigeon") in figures.values("channel")


# --- suppression ------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([10, 3, 7, 0], [False, True, True, False]),  # one small: next smallest too
        ([10, 3, 2, 0], [False, True, True, False]),  # two small: nothing more
        ([10, 7, 6, 0], [False, False, False, False]),
        ([0, 0, 0], [False, False, False]),
        ([3, 0, 0], [True, False, False]),  # nothing else to hide
        ([9, 5, 5], [False, False, False]),
        ([9, 5, 1, 5], [False, True, True, False]),  # a tie: the first
        ([8, -1], [True, True]),  # a negative count is never shown
    ],
)
def test_suppress_hides_small_counts_and_the_next_smallest(counts, hidden):
    assert stats.suppress(counts, 5) == hidden


def test_suppressed_rows_hide_a_small_month_entirely(cast):
    contacts(cast, MARCH, 3, channel="email")

    rows = list(
        stats.suppressed_rows(
            stats.monthly_figures(
                access=Access(cast.helpline_manager), first=MARCH, last=MARCH
            )
        )
    )

    total = next(r for r in rows if r.dimension == "all")
    assert total.contacts == "<5"
    assert total.average == ""
    assert {r.contacts for r in rows} <= {"<5", "0"}


def test_suppressed_rows_give_the_average_from_five_contacts(cast):
    contacts(cast, MARCH, 5, handling_seconds=61)

    rows = stats.export_rows(
        access=Access(cast.helpline_manager), first=MARCH, last=MARCH
    )

    total = next(r for r in rows if r.dimension == "all")
    assert (total.contacts, total.average) == ("5", "1:01")


def test_small_number_setting_moves_the_threshold(cast, settings):
    settings.MASIP_HELPLINE_SMALL_NUMBER = 10
    contacts(cast, MARCH, 7)

    rows = stats.export_rows(
        access=Access(cast.helpline_manager), first=MARCH, last=MARCH
    )

    total = next(r for r in rows if r.dimension == "all")
    assert (total.contacts, total.average) == ("<10", "")
