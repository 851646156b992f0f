"""The case list exports: permission per format, step-up, purpose, audit, files."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from masip.accounts import mfa
from masip.accounts.tests.factories import authenticator_for, totp_code
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseStatus
from masip.cases.tests.factories import CaseFactory
from masip.exports.documents import MARKING
from masip.exports.selectors import HEADINGS
from masip.exports.tests.conftest import body, csv_rows, status
from masip.exports.tests.pdftext import pdf_text

PURPOSE = {"purpose": "Preparing the March panel meeting."}
URLS = {fmt: reverse(f"exports:case-list-{fmt}") for fmt in ("csv", "xlsx", "pdf")}


def _exports(event_type=EventType.EXPORT_CREATED):
    return AuditEvent.objects.filter(event_type=event_type)


# Who may export which format ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("lead_manager", {"csv", "xlsx", "pdf"}),
        ("panel_coordinator", {"pdf"}),
        ("lead_worker", set()),
        ("helpline_adviser", set()),
        ("analyst", set()),
        ("auditor", set()),
        ("agency_admin", set()),
    ],
)
def test_each_format_needs_its_own_permission(cast, fresh_client_for, persona, allowed):
    client = fresh_client_for(persona)

    statuses = {fmt: status(client.post(url, PURPOSE)) for fmt, url in URLS.items()}

    assert {fmt for fmt, status in statuses.items() if status == 200} == allowed
    assert {fmt for fmt, status in statuses.items() if status == 403} == (
        set(URLS) - allowed
    )
    assert _exports().count() == len(allowed)


def test_case_list_links_only_to_permitted_formats(cast, client_for):
    manager = client_for("lead_manager").get(
        reverse("cases:case-list") + "?status=active"
    )
    coordinator = client_for("panel_coordinator").get(reverse("cases:case-list"))
    worker = client_for("lead_worker").get(reverse("cases:case-list"))

    assert f'href="{URLS["csv"]}?status=active"' in manager.text
    assert f'href="{URLS["xlsx"]}?status=active"' in manager.text
    assert URLS["pdf"] in coordinator.text
    assert URLS["csv"] not in coordinator.text
    assert "/exports/" not in worker.text


def test_case_list_export_links_keep_the_filters_but_not_the_page(cast, client_for):
    response = client_for("lead_manager").get(
        reverse("cases:case-list") + "?status=active&after=abc&before=def&last=1&page=2"
    )

    assert f'href="{URLS["csv"]}?status=active"' in response.text


# Purpose and step-up ----------------------------------------------------------


def test_export_needs_a_purpose(cast, fresh_client_for):
    response = fresh_client_for("lead_manager").post(URLS["csv"], {"purpose": ""})

    assert response.status_code == 200
    assert "Enter why you are exporting this list." in response.text
    assert not _exports().exists()


def test_stale_factor_asks_for_a_code_and_refuses_without_one(cast, client_for):
    client = client_for("lead_manager")

    page = client.get(URLS["csv"])
    response = client.post(URLS["csv"], PURPOSE)

    assert 'name="step_up_code"' in page.text
    assert "Enter the code from your authenticator app." in response.text
    assert not _exports().exists()


def test_wrong_code_refuses_and_is_audited(cast, client_for):
    response = client_for("lead_manager").post(
        URLS["csv"], {**PURPOSE, "step_up_code": "000000"}
    )

    assert "The code is not correct" in response.text
    assert PURPOSE["purpose"] in response.text  # the purpose is kept
    assert not _exports().exists()
    failed = _exports(EventType.STEP_UP_FAILED).get()
    assert (failed.target_type, failed.target_id) == ("step_up", "export.csv")


def test_right_code_exports_and_freshens_the_factor(cast, client_for):
    client = client_for("lead_manager")
    code = totp_code(authenticator_for(cast.lead_manager))

    response = client.post(URLS["csv"], {**PURPOSE, "step_up_code": code})

    assert status(response) == 200
    assert response["Content-Type"].startswith("text/csv")
    assert _exports(EventType.STEP_UP_VERIFIED).exists()
    assert client.session[mfa.FACTOR_AT_SESSION_KEY]
    assert 'name="step_up_code"' not in client.get(URLS["csv"]).text


def test_fresh_factor_older_than_the_limit_is_stale(cast, client_for, settings):
    client = client_for("lead_manager")
    session = client.session
    old = timezone.now() - dt.timedelta(seconds=settings.MASIP_STEP_UP_SECONDS + 5)
    session[mfa.FACTOR_AT_SESSION_KEY] = int(old.timestamp())
    session.save()

    response = client.post(URLS["pdf"], PURPOSE)

    assert "Enter the code from your authenticator app." in response.text
    assert not _exports().exists()


# The files ---------------------------------------------------------------------


def test_csv_holds_the_marking_provenance_and_the_visible_cases(cast, fresh_client_for):
    response = fresh_client_for("lead_manager").post(URLS["csv"], PURPOSE)

    rows = csv_rows(body(response))
    flat = "\n".join(",".join(row) for row in rows)
    assert rows[0] == [MARKING]
    assert rows[-1] == [MARKING]
    assert "Exported by Lead Manager <lead_manager@example.test>, Police A" in flat
    assert "Purpose: Preparing the March panel meeting." in flat
    assert list(HEADINGS) in rows
    assert cast.case.reference in flat
    assert "Avery Testvictim" in flat
    assert cast.other_case.reference not in flat


def test_export_follows_the_case_list_filters(cast, fresh_client_for):
    closed = CaseFactory(
        lead_agency=cast.police_a,
        created_by=cast.lead_worker,
        status=CaseStatus.CLOSED,
        closure_reason="risk_reduced",
        closed_on=timezone.localdate(),
    )

    response = fresh_client_for("lead_manager").post(
        URLS["csv"] + "?status=closed", PURPOSE
    )

    flat = body(response).decode("utf-8-sig")
    assert closed.reference in flat
    assert cast.case.reference not in flat
    assert "Status: Closed" in flat


def test_xlsx_is_marked_and_holds_text_cells_only(cast, fresh_client_for):
    response = fresh_client_for("lead_manager").post(URLS["xlsx"], PURPOSE)

    book = load_workbook(io.BytesIO(body(response)))
    sheet = book["Cases"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert values[0] == MARKING
    assert values[-1] == MARKING
    assert cast.case.reference in values
    assert {c.data_type for row in sheet.iter_rows() for c in row if c.value} == {"s"}
    assert MARKING in sheet.oddHeader.center.text
    assert book.properties.keywords == MARKING


def test_pdf_is_marked_on_every_page(cast, fresh_client_for):
    for _ in range(60):
        CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    response = fresh_client_for("lead_manager").post(URLS["pdf"], PURPOSE)

    pdf = body(response)
    text = pdf_text(pdf)
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    assert pdf.startswith(b"%PDF")
    assert pages >= 2
    assert text.count(MARKING) >= 2 * pages
    assert cast.case.reference in text
    assert "Purpose: Preparing the March panel meeting." in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_file_name_is_fixed_and_safe(cast, fresh_client_for, fmt):
    response = fresh_client_for("lead_manager").post(
        URLS[fmt] + '?sort=a"b%0d%0aSet-Cookie:x', PURPOSE
    )

    body(response)
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="masip-cases-')
    assert disposition.endswith(f'-official-sensitive.{fmt}"')
    assert "\r" not in disposition
    assert "Set-Cookie" not in disposition


def test_export_is_audited_with_format_and_count_only(cast, fresh_client_for):
    CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    body(fresh_client_for("lead_manager").post(URLS["xlsx"], PURPOSE))

    event = _exports().get()
    assert event.target_type == "case_list.xlsx"
    assert event.target_id == "2"
    assert event.actor_id == cast.lead_manager.pk
    assert event.purpose == PURPOSE["purpose"]
    assert event.changed_fields == []
    assert event.case_reference == ""


# Bounds and reach ---------------------------------------------------------------


def test_export_over_the_bound_is_refused(cast, fresh_client_for, settings):
    settings.MASIP_EXPORT_MAX_ROWS = 1
    CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    response = fresh_client_for("lead_manager").post(URLS["csv"], PURPOSE)

    assert response.status_code == 200
    assert "Narrow the filters to 1 cases or fewer" in response.text
    assert not _exports().exists()


def test_empty_export_is_refused(cast, fresh_client_for):
    client = fresh_client_for("lead_manager")
    searched = client.post(reverse("cases:case-list"), {"q": "nobody-has-this-name"})
    query = searched["Location"].split("?", 1)[1]

    response = client.post(f"{URLS['csv']}?{query}", PURPOSE)

    assert "nobody-has-this-name" not in query
    assert "Reference or name: nobody-has-this-name" in response.text
    assert "There are no cases to export." in response.text
    assert not _exports().exists()


def test_outsider_manager_exports_only_their_agency_cases(cast, fresh_client_for):
    response = fresh_client_for("outsider_manager").post(URLS["csv"], PURPOSE)

    flat = body(response).decode("utf-8-sig")
    assert cast.other_case.reference in flat
    assert cast.case.reference not in flat


def test_only_cases_reached_through_an_exporting_membership(cast, fresh_client_for):
    from masip.access.roles import RoleName
    from masip.accounts.tests.factories import MembershipFactory

    # The Police A manager also works cases for Police B, as a case worker.
    MembershipFactory(
        user=cast.lead_manager, agency=cast.police_b, role=RoleName.CASE_WORKER
    )

    response = fresh_client_for("lead_manager").post(URLS["csv"], PURPOSE)

    flat = body(response).decode("utf-8-sig")
    assert cast.case.reference in flat
    assert cast.other_case.reference not in flat


def test_export_queries_do_not_grow_with_rows(
    cast, fresh_client_for, django_assert_max_num_queries
):
    client = fresh_client_for("lead_manager")
    body(client.post(URLS["csv"], PURPOSE))  # warm the session and caches
    for _ in range(20):
        CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    with django_assert_max_num_queries(30):
        response = client.post(URLS["xlsx"], PURPOSE)

    assert status(response) == 200
