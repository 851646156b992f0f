"""The notifications page, opening a notice, and the unread count in the header."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.accounts.models import Notification

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:notifications")


def _notice(recipient, message="Something happened.", **extra):
    return Notification.objects.create(
        recipient=recipient,
        kind=extra.pop("kind", Notification.Kind.ACTION_ASSIGNED),
        message=message,
        **extra,
    )


def _open(notice):
    return reverse("accounts:notification-open", args=[notice.pk])


def _unread_tag(count: int) -> bytes:
    return (
        f'<strong class="govuk-tag govuk-tag--red">{count}'
        '<span class="govuk-visually-hidden"> unread</span></strong>'
    ).encode()


def test_the_header_shows_the_unread_count_on_every_signed_in_page(cast, client_for):
    for n in range(3):
        _notice(cast.lead_worker, f"Unread {n}.")
    _notice(cast.lead_worker, "Read already.", read_at=timezone.now())
    _notice(cast.lead_manager, "Someone else's.")
    client = client_for("lead_worker")

    for path in (reverse("cases:my-cases"), LIST, reverse("accounts:security")):
        page = client.get(path)

        assert page.status_code == 200, path
        assert _unread_tag(3) in page.content, path


def test_the_header_shows_no_count_when_everything_is_read(cast, client_for):
    _notice(cast.lead_worker, read_at=timezone.now())

    page = client_for("lead_worker").get(reverse("cases:my-cases"))

    assert b"Notifications" in page.content
    assert b"govuk-tag--red" not in page.content


def test_the_unread_count_costs_one_query(cast, client_for):
    for n in range(5):
        _notice(cast.lead_worker, f"Unread {n}.")
    client = client_for("lead_worker")

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("accounts:security"))

    on_notices = [q for q in captured if "accounts_notification" in q["sql"]]
    assert _unread_tag(5) in page.content
    assert len(on_notices) == 1
    assert "COUNT(" in on_notices[0]["sql"].upper()


def test_the_list_shows_unread_first_with_a_new_tag(cast, client_for):
    older = _notice(cast.lead_worker, "Older and unread.")
    newer = _notice(cast.lead_worker, "Newer and read.", read_at=timezone.now())
    Notification.objects.filter(pk=older.pk).update(
        created_at=newer.created_at - dt.timedelta(days=1)
    )

    page = client_for("lead_worker").get(LIST)

    html = page.content.decode()
    assert html.index("Older and unread.") < html.index("Newer and read.")
    assert html.count('<strong class="govuk-tag govuk-tag--blue">New</strong>') == 1


def test_opening_a_notice_marks_it_read_and_goes_to_its_link(cast, client_for):
    notice = _notice(cast.lead_worker, link="/actions/", case_reference="STK-X")
    other = _notice(cast.lead_worker)

    response = client_for("lead_worker").get(_open(notice))

    assert response.status_code == 302
    assert response["Location"] == "/actions/"
    notice.refresh_from_db()
    other.refresh_from_db()
    assert notice.read_at is not None
    assert other.read_at is None


def test_opening_a_notice_without_a_link_goes_to_its_case(cast, client_for):
    notice = _notice(cast.lead_worker, case_reference=cast.case.reference)

    response = client_for("lead_worker").get(_open(notice))

    assert response["Location"] == reverse(
        "cases:case-detail", args=[cast.case.reference]
    )


def test_opening_a_notice_about_no_page_returns_to_the_list(cast, client_for):
    notice = _notice(cast.lead_worker)

    response = client_for("lead_worker").get(_open(notice))

    assert response["Location"] == LIST


@pytest.mark.parametrize(
    "link", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:x"]
)
def test_a_link_outside_masip_is_never_followed(cast, client_for, link):
    notice = _notice(cast.lead_worker, link=link)

    response = client_for("lead_worker").get(_open(notice))

    assert response["Location"] == LIST


def test_opening_a_notice_again_keeps_when_it_was_first_read(cast, client_for):
    first_read = timezone.now() - dt.timedelta(days=2)
    notice = _notice(cast.lead_worker, read_at=first_read)

    client_for("lead_worker").get(_open(notice))

    notice.refresh_from_db()
    assert notice.read_at == first_read


def test_another_users_notice_answers_404_and_stays_unread(cast, client_for):
    theirs = _notice(cast.lead_manager, link="/actions/")

    response = client_for("outsider").get(_open(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_missing_notice_answers_404(cast, client_for):
    response = client_for("lead_worker").get(
        reverse("accounts:notification-open", args=[999_999])
    )

    assert response.status_code == 404


def test_opening_needs_a_signed_in_user(cast, client):
    notice = _notice(cast.lead_worker)

    response = client.get(_open(notice))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_as_read_marks_only_your_own(cast, client_for):
    _notice(cast.lead_worker)
    _notice(cast.lead_worker)
    theirs = _notice(cast.lead_manager)

    response = client_for("lead_worker").post(LIST, follow=True)

    assert b"2 notifications marked as read." in response.content
    assert not Notification.objects.filter(
        recipient=cast.lead_worker, read_at__isnull=True
    ).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paginated(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 5
    for n in range(7):
        _notice(cast.lead_worker, f"Notice number {n:02d}.")
    client = client_for("lead_worker")

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert first.count("Notice number") == 5
    assert second.count("Notice number") == 2
    assert 'aria-label="Notification pages"' in first


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_2_or_20_notices(cast, client_for):
    client = client_for("lead_worker")
    for _ in range(2):
        _notice(cast.lead_worker, case_reference=cast.case.reference, link="/a/")
    few = _queries_for_list(client)
    for _ in range(18):
        _notice(cast.lead_worker, case_reference=cast.case.reference)

    many = _queries_for_list(client)

    assert few == many
