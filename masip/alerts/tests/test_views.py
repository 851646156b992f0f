"""The alert pages: list, detail, acknowledge and close, agency-scoped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masip.alerts.models import Alert, AlertOutcome, AlertStatus, RuleCode
from masip.alerts.tests.factories import AlertFactory
from masip.alerts.tests.support import act
from masip.audit.events import EventType as E
from masip.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = reverse("alerts:alert-list")


def _detail(alert):
    return reverse("alerts:alert-detail", kwargs={"pk": alert.pk})


@pytest.fixture
def alert(cast):
    act(E.CASE_BREAK_GLASS, cast.lead_worker, case_reference=cast.case.reference)
    return Alert.objects.get()


def test_list_shows_open_alerts_first(cast, client_for):
    AlertFactory(
        agency=cast.police_a,
        subject=cast.lead_worker,
        rule=RuleCode.EXPORT_SPIKE,
        status=AlertStatus.ACKNOWLEDGED,
        acknowledged_by=cast.lead_manager,
        acknowledged_at="2026-03-10T10:00Z",
    )
    AlertFactory(agency=cast.police_a, subject=cast.lead_worker)

    response = client_for("lead_manager").get(LIST)

    assert response.status_code == 200
    statuses = [a.status for a in response.context["page"].object_list]
    assert statuses == [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]


def test_list_filters_by_status_and_rule(cast, client_for):
    AlertFactory(agency=cast.police_a, subject=cast.lead_worker)
    AlertFactory(
        agency=cast.police_a, subject=cast.lead_worker, rule=RuleCode.EXPORT_SPIKE
    )

    response = client_for("lead_manager").get(
        LIST, {"status": "open", "rule": "export_spike"}
    )

    (shown,) = response.context["page"].object_list
    assert shown.rule == RuleCode.EXPORT_SPIKE


def test_list_explains_a_bad_filter(cast, client_for):
    AlertFactory(agency=cast.police_a, subject=cast.lead_worker)

    response = client_for("lead_manager").get(LIST, {"status": "sideways"})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert b"Correct the problem with the filters" in response.content


def test_list_shows_only_the_managers_agency_and_never_themselves(cast, client_for):
    AlertFactory(agency=cast.police_a, subject=cast.lead_worker)
    AlertFactory(agency=cast.police_a, subject=cast.lead_manager)
    AlertFactory(agency=cast.police_b, subject=cast.outsider)

    shown = client_for("lead_manager").get(LIST).context["page"].object_list

    assert [a.subject for a in shown] == [cast.lead_worker]


def test_list_runs_the_same_queries_for_2_or_20_alerts(cast, client_for):
    client = client_for("lead_manager")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        return len(queries)

    AlertFactory.create_batch(2, agency=cast.police_a, subject=cast.lead_worker)
    few = count()
    AlertFactory.create_batch(18, agency=cast.police_a, subject=cast.lead_worker)

    assert count() == few


def test_navigation_offers_alerts_to_managers_only(cast, client_for):
    page = "/notifications/"
    assert b'href="/alerts/"' in client_for("agency_admin").get(page).content
    assert b'href="/alerts/"' not in client_for("lead_worker").get(page).content


def test_detail_shows_the_events_and_audits_the_read(cast, client_for, alert):
    response = client_for("lead_manager").get(_detail(alert))

    assert response.status_code == 200
    ((event, _row, fired),) = response.context["rows"]
    assert event.event_type == E.CASE_BREAK_GLASS
    assert fired
    assert cast.case.reference.encode() in response.content
    read = AuditEvent.objects.filter(event_type=E.AUDIT_LOG_VIEWED).get()
    assert (read.target_type, read.target_id) == ("alert", str(alert.pk))


def test_detail_withholds_the_case_of_a_staff_involved_alert(cast, client_for):
    act(
        E.STAFF_INVOLVED_ACCESS_BLOCKED,
        cast.lead_worker,
        case_reference=cast.case.reference,
    )

    response = client_for("agency_admin").get(_detail(Alert.objects.get()))

    assert cast.case.reference.encode() not in response.content
    assert b"Withheld" in response.content


@pytest.mark.parametrize("persona", ["outsider_manager", "lead_worker"])
def test_detail_is_not_found_outside_the_agency_or_about_oneself(
    cast, client_for, persona
):
    about_manager = AlertFactory(agency=cast.police_a, subject=cast.lead_manager)
    about_worker = AlertFactory(agency=cast.police_a, subject=cast.lead_worker)
    target = about_worker if persona == "outsider_manager" else about_manager
    client = client_for(persona if persona != "lead_worker" else "lead_manager")

    assert client.get(_detail(target)).status_code == 404


def test_detail_of_a_missing_alert_is_not_found(cast, client_for):
    response = client_for("lead_manager").get("/alerts/999999/")

    assert response.status_code == 404


def test_acknowledge_redirects_with_a_message(cast, client_for, alert):
    client = client_for("lead_manager")

    response = client.post(
        reverse("alerts:alert-acknowledge", kwargs={"pk": alert.pk}),
        {"version": 1},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == _detail(alert)
    assert b"Alert acknowledged." in response.content
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, b"could not be acknowledged"), ({"version": 9}, b"Someone else changed")],
)
def test_acknowledge_explains_a_refusal(cast, client_for, alert, data, message):
    response = client_for("lead_manager").post(
        reverse("alerts:alert-acknowledge", kwargs={"pk": alert.pk}),
        data,
        follow=True,
    )

    assert message in response.content
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_close_form_explains_missing_notes(cast, client_for, alert):
    response = client_for("agency_admin").post(
        reverse("alerts:alert-close", kwargs={"pk": alert.pk}),
        {"outcome": AlertOutcome.PROFESSIONAL_STANDARDS, "notes": "", "version": 1},
    )

    assert response.status_code == 200
    assert b"Enter notes on what was found and done." in response.content
    assert b"govuk-error-summary" in response.content


def test_close_saves_and_redirects(cast, client_for, alert):
    client = client_for("agency_admin")
    url = reverse("alerts:alert-close", kwargs={"pk": alert.pk})
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {"outcome": AlertOutcome.NO_CONCERN, "notes": "", "version": 1},
        follow=True,
    )

    assert b"Alert closed." in response.content
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.NO_CONCERN
    assert client.get(url).status_code == 302  # nothing left to close


def test_close_after_someone_else_saved_shows_both_versions(cast, client_for, alert):
    client_for("lead_manager").post(
        reverse("alerts:alert-acknowledge", kwargs={"pk": alert.pk}), {"version": 1}
    )

    response = client_for("agency_admin").post(
        reverse("alerts:alert-close", kwargs={"pk": alert.pk}),
        {"outcome": AlertOutcome.ADVICE_GIVEN, "notes": "Spoke to them.", "version": 1},
    )

    assert response.status_code == 200
    assert b"masip-conflict" in response.content
    assert b"Spoke to them." in response.content
    assert response.context["form"]["version"].value() == "2"


def test_close_of_a_closed_alert_is_explained(cast, client_for, alert):
    data = {"outcome": AlertOutcome.NO_CONCERN, "notes": "", "version": 1}
    url = reverse("alerts:alert-close", kwargs={"pk": alert.pk})
    client_for("agency_admin").post(url, data)

    response = client_for("lead_manager").post(url, {**data, "version": 2})

    assert b"This alert is already closed." in response.content
