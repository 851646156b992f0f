from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masip.disclosure.models import SubjectAccessRequest
from masip.disclosure.tests.factories import SubjectAccessRequestFactory


def test_a_request_of_another_agency_is_not_found(cast, client_for):
    sar = SubjectAccessRequestFactory(agency=cast.police_a)

    real = client_for("outsider_manager").get(f"/subject-access/{sar.public_id}/")
    missing = client_for("outsider_manager").get(
        "/subject-access/00000000-0000-4000-8000-000000000000/"
    )

    assert real.status_code == missing.status_code == 404


def test_the_list_shows_only_the_users_agencys_requests(cast, client_for):
    mine = SubjectAccessRequestFactory(agency=cast.police_a)
    theirs = SubjectAccessRequestFactory(agency=cast.police_b)

    page = client_for("lead_manager").get("/subject-access/").content.decode()

    assert mine.reference in page
    assert theirs.reference not in page


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/subject-access/").status_code == 200
    return len(queries)


def test_the_list_runs_a_constant_number_of_queries(cast, client_for):
    client = client_for("agency_admin")
    SubjectAccessRequestFactory.create_batch(2, agency=cast.police_a)
    two = _list_queries(client)
    SubjectAccessRequestFactory.create_batch(18, agency=cast.police_a)

    assert _list_queries(client) == two


def test_recording_a_request_with_bad_dates_shows_gov_uk_errors(cast, client_for):
    response = client_for("lead_manager").post(
        "/subject-access/new/",
        {
            "agency": str(cast.police_a.pk),
            "regime": "uk_gdpr",
            "requester_given_name": "Blake",
            "requester_family_name": "Testperp",
            "requester_date_of_birth_day": "31",
            "requester_date_of_birth_month": "2",
            "requester_date_of_birth_year": "1985",
            "received_on_day": "1",
            "received_on_month": "1",
            "received_on_year": str(timezone.localdate().year + 1),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a real date." in page
    assert "The date received must be today or in the past." in page
    assert not SubjectAccessRequest.objects.exists()


def test_the_navigation_links_to_requests_for_those_who_handle_them(cast, client_for):
    link = 'href="/subject-access/"'

    assert link in client_for("agency_admin").get("/notifications/").content.decode()
    assert link not in client_for("lead_worker").get("/notifications/").content.decode()


def test_the_detail_page_shows_the_task_list(cast, client_for):
    sar = SubjectAccessRequestFactory(agency=cast.police_a)

    page = client_for("lead_manager").get(f"/subject-access/{sar.public_id}/")

    html = page.content.decode()
    assert "govuk-task-list" in html
    assert "Cannot start yet" in html
    assert f"/subject-access/{sar.public_id}/identity/" in html


def test_extending_a_uk_gdpr_request_moves_the_deadline(cast, client_for):
    sar = SubjectAccessRequestFactory(agency=cast.police_a)
    client = client_for("lead_manager")

    empty = client.post(f"/subject-access/{sar.public_id}/extend/", {"reason": ""})
    done = client.post(
        f"/subject-access/{sar.public_id}/extend/", {"reason": "Eleven case files."}
    )

    assert "Enter why the request needs longer." in empty.content.decode()
    assert done.status_code == 302
    sar.refresh_from_db()
    assert sar.is_extended


def test_the_document_of_an_unreleased_request_is_refused(cast, client_for):
    sar = SubjectAccessRequestFactory(agency=cast.police_a)

    response = client_for("agency_admin").get(
        f"/subject-access/{sar.public_id}/document/", follow=True
    )

    assert "has not been released" in response.content.decode()


def test_the_release_page_lists_what_blocks_release(cast, client_for):
    sar = SubjectAccessRequestFactory(agency=cast.police_a)

    page = client_for("agency_admin").get(f"/subject-access/{sar.public_id}/release/")

    assert "Build the draft first." in page.content.decode()
