"""Small-number suppression and the aggregate figures."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masip.access.policy import Access
from masip.cases.models import CaseAllocation, CaseStatus
from masip.cases.tests.factories import CaseAllocationFactory, CaseFactory
from masip.incidents.tests.factories import IncidentFactory
from masip.reporting.selectors import SMALL, WITHHELD, report_overview, suppress


def shown(cells):
    return [cell.shown for cell in cells]


def test_suppress_leaves_large_counts_and_zero_alone():
    cells = suppress([("a", 5), ("b", 0), ("c", 12)])

    assert shown(cells) == ["5", "0", "12"]
    assert not any(cell.suppressed for cell in cells)


@pytest.mark.parametrize("small", [1, 2, 3, 4])
def test_suppress_one_small_count_also_withholds_the_next_smallest(small):
    cells = suppress([("a", 9), ("b", small), ("c", 6), ("d", 0)])

    assert shown(cells) == ["9", SMALL, WITHHELD, "0"]


def test_suppress_two_small_counts_need_no_more():
    cells = suppress([("a", 9), ("b", 1), ("c", 4)])

    assert shown(cells) == ["9", SMALL, SMALL]


def test_suppress_overlapping_rows_withhold_nothing_more():
    cells = suppress([("a", 9), ("b", 2), ("c", 6)], splits_total=False)

    assert shown(cells) == ["9", SMALL, "6"]


def test_suppress_one_small_count_alone_in_its_table():
    assert shown(suppress([("a", 3), ("b", 0)])) == [SMALL, "0"]


def test_report_overview_needs_the_verb(cast):
    with pytest.raises(PermissionDenied):
        report_overview(access=Access(cast.lead_manager))


def test_report_overview_counts_by_status_with_suppression(cast):
    CaseFactory.create_batch(7, lead_agency=cast.police_a, status=CaseStatus.ACTIVE)
    CaseFactory.create_batch(9, lead_agency=cast.police_b, status=CaseStatus.SCREENING)

    overview = report_overview(access=Access(cast.analyst))

    by_status = {c.label: c.shown for c in overview.tables[0].cells}
    assert by_status == {
        "Referred": SMALL,  # the cast's two cases
        "Screening": "9",
        "Accepted": "0",
        "Active": WITHHELD,
        "Monitoring": "0",
        "Closed": "0",
    }
    assert overview.total_cases == "18"


def test_report_overview_counts_by_site(cast):
    CaseFactory.create_batch(6, lead_agency=cast.police_a)
    CaseFactory.create_batch(8, lead_agency=cast.helpline)

    overview = report_overview(access=Access(cast.analyst))

    by_site = {c.label: c.shown for c in overview.tables[3].cells}
    assert by_site == {
        "Site A": WITHHELD,  # 7: the next smallest after Site B's one case
        "Site B": SMALL,
        "No site (national agencies)": "8",
    }


def test_report_overview_counts_incidents_by_behaviour_and_channel(cast):
    IncidentFactory.create_batch(
        5,
        case=cast.case,
        behaviours=["following", "watching", "following"],
        channels=["in_person"],
    )

    overview = report_overview(access=Access(cast.analyst))

    behaviours = {c.label: c.shown for c in overview.tables[4].cells}
    channels = {c.label: c.shown for c in overview.tables[5].cells}
    assert behaviours["Following"] == "5"
    assert behaviours["Watching or spying"] == "5"
    assert behaviours["Contacting, or attempting to contact"] == SMALL
    assert channels["In person"] == "5"
    assert overview.total_incidents == "6"


def test_report_overview_median_days_to_first_allocation(cast):
    today = timezone.localdate()
    for days in (1, 2, 3, 10, 20):
        case = CaseFactory(
            lead_agency=cast.police_a, referred_on=today - dt.timedelta(days=days)
        )
        CaseAllocationFactory(case=case, user=cast.lead_worker)
        CaseAllocationFactory(case=case, user=cast.lead_manager)  # later: ignored
    CaseAllocation.objects.filter(case=cast.case).delete()

    overview = report_overview(access=Access(cast.analyst))

    assert overview.median_days_to_allocation == "3 days"
    assert overview.cases_allocated == "5"


def test_report_overview_median_withheld_below_five_cases(cast):
    overview = report_overview(access=Access(cast.analyst))

    assert overview.median_days_to_allocation == WITHHELD
    assert overview.cases_allocated == SMALL
