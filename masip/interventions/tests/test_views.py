"""Intervention and custody pages: reach, health details withheld, the forms
(success, bad input, lost updates), the audit of views, the alert at once."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masip.accounts.models import Notification
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.interventions.tests.factories import (
    InterventionSessionFactory,
    custody_for,
    supervision_for,
)
from masip.panels.tests.clock import frozen_on

TODAY = dt.date(2026, 12, 3)


def _url(cast, suffix=""):
    return f"/cases/{cast.case.reference}/interventions/{suffix}"


def _date(prefix, day):
    return {
        f"{prefix}_day": day.day,
        f"{prefix}_month": day.month,
        f"{prefix}_year": day.year,
    }


def _treatment(cast, **kwargs):
    return supervision_for(
        cast,
        kind=Intervention.Kind.PSYCHOLOGICAL_TREATMENT,
        provider_agency=cast.nhs_a,
        practitioner="Dr Quill Example",
        engagement=Intervention.Engagement.POOR,
        **kwargs,
    )


def test_outsider_gets_404_from_the_list_and_a_record(cast, client_for):
    intervention = supervision_for(cast)
    client = client_for("outsider")

    assert client.get(_url(cast)).status_code == 404
    assert client.get(_url(cast, f"{intervention.public_id}/")).status_code == 404


def test_another_cases_intervention_is_404(cast, client_for):
    other = supervision_for(cast, case=cast.other_case)

    response = client_for("lead_worker").get(_url(cast, f"{other.public_id}/"))

    assert response.status_code == 404


def test_list_query_count_does_not_grow_with_rows(cast, client_for):
    client = client_for("lead_worker")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(cast)).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            InterventionSessionFactory(intervention=supervision_for(cast))
            custody_for(cast)

    add(2)
    few = count()
    add(18)
    assert count() == few


def test_list_withholds_treatment_details_from_police(cast, client_for):
    _treatment(cast)

    police = client_for("lead_worker").get(_url(cast)).content.decode()
    nhs = client_for("clinician").get(_url(cast)).content.decode()

    assert "Psychological treatment" in police
    assert "Withheld: health information" in police
    assert "masip-withheld" in police
    assert "Poor" not in police
    assert "Poor" in nhs
    assert "Withheld" not in nhs


def test_detail_withholds_treatment_details_and_audits_the_view(cast, client_for):
    treatment = _treatment(cast)
    InterventionSessionFactory(intervention=treatment, note="Talked about sleep.")

    police = client_for("lead_worker").get(_url(cast, f"{treatment.public_id}/"))
    nhs = client_for("clinician").get(_url(cast, f"{treatment.public_id}/"))

    assert police.status_code == nhs.status_code == 200
    assert "Dr Quill Example" not in police.content.decode()
    assert "Talked about sleep." not in police.content.decode()
    assert "masip-withheld" in police.content.decode()
    assert "Dr Quill Example" in nhs.content.decode()
    assert "Talked about sleep." in nhs.content.decode()
    viewed = AuditEvent.objects.filter(event_type=EventType.INTERVENTION_VIEWED)
    assert viewed.count() == 2
    assert {e.target_id for e in viewed} == {str(treatment.public_id)}


def test_treatment_end_and_session_forms_are_403_without_health(cast, client_for):
    treatment = _treatment(cast)
    police, nhs = client_for("lead_worker"), client_for("clinician")

    for suffix in ("end/", "sessions/new/"):
        path = _url(cast, f"{treatment.public_id}/{suffix}")
        assert police.get(path).status_code == 403
        assert police.post(path).status_code == 403
        assert nhs.get(path).status_code == 200


def test_treatment_update_form_leaves_out_health_fields_for_police(cast, client_for):
    treatment = _treatment(cast)
    path = _url(cast, f"{treatment.public_id}/update/")

    police = client_for("lead_worker").get(path).content.decode()
    nhs = client_for("clinician").get(path).content.decode()

    assert 'name="engagement"' not in police
    assert "Dr Quill Example" not in police
    assert 'name="engagement"' in nhs
    assert "Dr Quill Example" in nhs


def _record_data(cast, **kwargs):
    data = {
        "subject": cast.perpetrator.pk,
        "kind": Intervention.Kind.PERPETRATOR_PROGRAMME,
        "provider_agency": cast.probation_a.pk,
        "status": Intervention.Status.ACTIVE,
        **_date("started_on", timezone.localdate() - dt.timedelta(days=3)),
    }
    data.update(kwargs)
    return data


def test_record_intervention_redirects_to_it_with_a_message(cast, client_for):
    response = client_for("partner_worker").post(
        _url(cast, "new/"), _record_data(cast), follow=True
    )

    intervention = Intervention.objects.get(case=cast.case)
    assert response.redirect_chain[0][0] == _url(cast, f"{intervention.public_id}/")
    assert "Intervention recorded." in response.content.decode()


def test_record_intervention_bad_input_shows_the_errors(cast, client_for):
    response = client_for("partner_worker").post(
        _url(cast, "new/"), _record_data(cast, subject=cast.victim.pk, kind="")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Select the kind of intervention." in page
    assert "Select the person who stalks." in page
    assert not Intervention.objects.exists()


def test_record_intervention_refusal_lands_on_its_field(cast, client_for):
    future = timezone.localdate() + dt.timedelta(days=5)

    response = client_for("partner_worker").post(
        _url(cast, "new/"), _record_data(cast, **_date("started_on", future))
    )

    assert response.status_code == 200
    assert "An active intervention has started" in response.content.decode()


def _update_data(intervention, **kwargs):
    data = {
        "provider_agency": intervention.provider_agency_id,
        "status": intervention.status,
        **_date("started_on", intervention.started_on),
        "practitioner": "",
        "engagement": Intervention.Engagement.GOOD,
        "version": intervention.version,
    }
    data.update(kwargs)
    return data


def test_update_after_someone_else_saved_shows_both_and_saves_second_time(
    cast, client_for
):
    intervention = supervision_for(cast)
    path = _url(cast, f"{intervention.public_id}/update/")
    client = client_for("partner_worker")
    client_for("lead_worker").post(
        path, _update_data(intervention, engagement=Intervention.Engagement.POOR)
    )

    first = client.post(path, _update_data(intervention))
    page = first.content.decode()
    again = client.post(
        path, _update_data(intervention, version=intervention.version + 1)
    )

    assert first.status_code == 200
    assert "masip-conflict" in page
    assert f'name="version" value="{intervention.version + 1}"' in page
    assert again.status_code == 302
    intervention.refresh_from_db()
    assert intervention.engagement == Intervention.Engagement.GOOD


def test_forms_of_an_ended_intervention_redirect_to_it(cast, client_for):
    ended = supervision_for(
        cast,
        status=Intervention.Status.COMPLETED,
        ended_on=timezone.localdate(),
        outcome=Intervention.Outcome.COMPLETED,
    )

    response = client_for("partner_worker").get(_url(cast, f"{ended.public_id}/end/"))

    assert response.status_code == 302
    assert response["Location"] == _url(cast, f"{ended.public_id}/")


def test_record_session_then_the_rate_shows(cast, client_for):
    intervention = supervision_for(cast)
    client = client_for("partner_worker")
    day = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(
        _url(cast, f"{intervention.public_id}/sessions/new/"),
        {**_date("on", day), "attendance": InterventionSession.Attendance.ATTENDED},
    )
    page = client.get(_url(cast, f"{intervention.public_id}/")).content.decode()

    assert response.status_code == 302
    assert "100% (1 attended, 0 missed" in page


def test_record_custody_inside_the_window_alerts_and_tags_the_list(cast, client_for):
    with frozen_on(TODAY):
        client = client_for("lead_worker")
        response = client.post(
            _url(cast, "custody/new/"),
            {
                "subject": cast.perpetrator.pk,
                "kind": Custody.Kind.REMAND,
                "establishment": "HMP Exampleton",
                **_date("started_on", TODAY - dt.timedelta(days=2)),
                **_date("expected_release_on", TODAY + dt.timedelta(days=6)),
            },
        )
        page = client.get(_url(cast)).content.decode()

    custody = Custody.objects.get(case=cast.case)
    assert response.status_code == 302
    assert response["Location"] == _url(cast, f"custody/{custody.public_id}/")
    assert Notification.objects.filter(kind=Notification.Kind.RELEASE_COMING).exists()
    assert "Next expected release:" in page
    assert "Alert sent" in page


def test_record_release_then_the_forms_close(cast, client_for):
    custody = custody_for(cast)
    client = client_for("lead_worker")
    path = _url(cast, f"custody/{custody.public_id}/release/")

    saved = client.post(
        path,
        {
            **_date("released_on", timezone.localdate()),
            "release_kind": Custody.ReleaseKind.ON_LICENCE,
            "version": custody.version,
        },
    )
    closed = client.get(path)
    detail = client.get(_url(cast, f"custody/{custody.public_id}/"))

    assert saved.status_code == closed.status_code == 302
    assert "on licence" in detail.content.decode()
    assert AuditEvent.objects.filter(
        event_type=EventType.INTERVENTION_VIEWED, target_type="custody"
    ).exists()


# Every form's values reach its service under the same names ------------------


def test_treatment_update_by_police_keeps_the_health_details(cast, client_for):
    treatment = _treatment(cast, status=Intervention.Status.PLANNED)
    data = _update_data(treatment, status=Intervention.Status.ACTIVE)
    del data["practitioner"], data["engagement"]

    response = client_for("lead_worker").post(
        _url(cast, f"{treatment.public_id}/update/"), data
    )

    treatment.refresh_from_db()
    assert response.status_code == 302
    assert treatment.status == Intervention.Status.ACTIVE
    assert treatment.practitioner == "Dr Quill Example"
    assert treatment.engagement == Intervention.Engagement.POOR


def test_end_intervention_records_the_outcome_and_goes_back_to_it(cast, client_for):
    intervention = supervision_for(
        cast, started_on=timezone.localdate() - dt.timedelta(days=30)
    )
    path = _url(cast, f"{intervention.public_id}/end/")

    response = client_for("partner_worker").post(
        path,
        {
            **_date("ended_on", timezone.localdate()),
            "outcome": Intervention.Outcome.DECLINED,
            "outcome_note": "Stopped attending after two weeks.",
            "version": intervention.version,
        },
        follow=True,
    )

    intervention.refresh_from_db()
    assert response.redirect_chain[0][0] == _url(cast, f"{intervention.public_id}/")
    assert "Intervention ended." in response.content.decode()
    assert intervention.status == Intervention.Status.DECLINED
    assert intervention.outcome_note == "Stopped attending after two weeks."


def test_update_custody_saves_the_change(cast, client_for):
    custody = custody_for(cast)
    path = _url(cast, f"custody/{custody.public_id}/update/")

    response = client_for("lead_worker").post(
        path,
        {
            "kind": custody.kind,
            "establishment": "HMP Otherton",
            **_date("started_on", custody.started_on),
            **_date("expected_release_on", custody.expected_release_on),
            "version": custody.version,
        },
    )

    custody.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == _url(cast, f"custody/{custody.public_id}/")
    assert custody.establishment == "HMP Otherton"
    assert custody.version == 2
