"""Safety pages: reach, compartments, the rules on contact forms, refusals
shown with the user's input kept, the update log, and the plan."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.access.tests.factories import reveal_for
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.people.models import SafeContactPreference
from masip.people.tests.factories import AddressFactory, actor_for
from masip.safety import services
from masip.safety.contact_rules import UK
from masip.safety.models import SafetyPlan, SafetyPlanVersion, VictimContact
from masip.safety.tests.factories import (
    SafetyPlanFactory,
    SafetyPlanVersionFactory,
    VictimContactFactory,
)

VOICEMAIL_WARNING = "No voicemail. Do not leave a voicemail message for the victim."


def _url(name, cast, public_id=None):
    kwargs = {"reference": cast.case.reference}
    if public_id is not None:
        kwargs["public_id"] = public_id
    return reverse(f"safety:{name}", kwargs=kwargs)


def _victim_url(name, cast):
    return _url(name, cast, cast.victim.public_id)


def _scheduled(cast, **values):
    fields = {
        "case": cast.case,
        "victim": cast.victim,
        "agency": cast.police_a,
        "recorded_by": cast.lead_worker,
    }
    fields.update(values)
    return VictimContactFactory(**fields)


def _all_urls(cast):
    contact = _scheduled(cast)
    return [
        _url("overview", cast),
        _url("updates", cast),
        *(
            _victim_url(name, cast)
            for name in (
                "contact-log",
                "contact-schedule",
                "plan",
                "plan-history",
                "plan-edit",
            )
        ),
        *(
            _url(name, cast, contact.public_id)
            for name in ("contact", "contact-complete", "contact-cancel")
        ),
    ]


def _when(days=0, hour=None):
    """A date and time in UK time, as the forms take them."""
    moment = timezone.localtime(timezone.now(), UK) + dt.timedelta(days=days)
    if hour is not None:
        moment = moment.replace(hour=hour, minute=0)
    return moment


def _moment_data(prefix, moment):
    return {
        f"{prefix}_on_day": str(moment.day),
        f"{prefix}_on_month": str(moment.month),
        f"{prefix}_on_year": str(moment.year),
        f"{prefix}_time": moment.strftime("%H:%M"),
    }


def _log_data(**overrides):
    data = {
        "method": "call",
        **_moment_data("occurred", _when(hour=0) - dt.timedelta(minutes=1)),
        "outcome": "done",
        "summary": "Told her the hearing is on Monday.",
        "victim_view": "",
    }
    data.update(overrides)
    return data


# Reach -----------------------------------------------------------------------


def test_outsider_gets_404_on_every_safety_url(cast, client_for):
    client = client_for("outsider")

    for url in _all_urls(cast):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_victim_of_another_case_gives_404(cast, client_for):
    client = client_for("lead_worker")
    url = reverse(
        "safety:contact-log",
        kwargs={
            "reference": cast.case.reference,
            "public_id": cast.perpetrator.public_id,
        },
    )

    assert client.get(url).status_code == 404


def test_contact_of_another_case_gives_404(cast, client_for):
    theirs = VictimContactFactory(case=cast.other_case)

    response = client_for("lead_worker").get(_url("contact", cast, theirs.public_id))

    assert response.status_code == 404


# Logging and scheduling ------------------------------------------------------


def test_contact_log_form_shows_the_rules_and_no_voicemail_warning(cast, client_for):
    SafeContactPreference.objects.filter(person=cast.victim).update(
        contact_days=[0, 1, 2, 3, 4],
        contact_from=dt.time(10),
        contact_until=dt.time(14),
    )

    html = (
        client_for("lead_worker").get(_victim_url("contact-log", cast)).content.decode()
    )

    assert VOICEMAIL_WARNING in html
    assert "Safe ways to contact them: phone." in html
    assert "Never contact them by letter." in html
    assert "Days: Monday to Friday. Hours (UK time): Between 10am and 2pm." in html
    assert "Bluebell" not in html  # the code word waits for a reveal
    assert "Reveal them" in html


def test_contact_log_form_once_revealed_shows_the_code_word(cast, client_for):
    reveal_for(cast.lead_worker, cast.case)

    html = (
        client_for("lead_worker").get(_victim_url("contact-log", cast)).content.decode()
    )

    assert "Bluebell" in html


def test_contact_schedule_form_also_warns_no_voicemail(cast, client_for):
    html = (
        client_for("advocate")
        .get(_victim_url("contact-schedule", cast))
        .content.decode()
    )

    assert VOICEMAIL_WARNING in html


def test_contact_log_allowed_saves_and_redirects(cast, client_for):
    response = client_for("lead_worker").post(
        _victim_url("contact-log", cast), _log_data()
    )

    assert response.status_code == 302
    contact = VictimContact.objects.get()
    assert contact.summary == "Told her the hearing is on Monday."
    assert contact.agency == cast.police_a


def test_contact_log_refused_shows_the_reasons_and_keeps_the_input(cast, client_for):
    response = client_for("lead_worker").post(
        _victim_url("contact-log", cast),
        _log_data(method="voicemail", summary="Left word about the hearing."),
    )

    html = response.content.decode()
    start = html.index("govuk-error-summary")
    summary = html[start : html.index("</ul>", start)]
    assert response.status_code == 200
    assert "The victim has asked for no voicemail messages to be left." in summary
    assert "Left word about the hearing." in html
    assert 'value="voicemail" checked' in html
    assert not VictimContact.objects.exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.VICTIM_CONTACT_REFUSED
    ).exists()


def test_contact_log_of_the_victim_getting_in_touch_saves_and_shows(cast, client_for):
    client = client_for("lead_worker")

    response = client.post(
        _victim_url("contact-log", cast),
        _log_data(method="voicemail", initiated_by="victim"),
    )

    assert response.status_code == 302
    contact = VictimContact.objects.get()
    assert contact.initiated_by_victim
    log = client.get(reverse("safety:updates", args=[cast.case.reference]))
    assert "The victim got in touch" in log.content.decode()


def test_contact_log_invalid_input_rerenders(cast, client_for):
    response = client_for("lead_worker").post(_victim_url("contact-log", cast), {})

    assert response.status_code == 200
    assert "Select how the victim is contacted." in response.content.decode()


def test_contact_log_letter_offers_safe_addresses_without_their_text(cast, client_for):
    AddressFactory(person=cast.victim, line_1="2 Hidden Lane", safe_to_write=True)
    reveal_for(cast.lead_worker, cast.case)

    html = (
        client_for("lead_worker").get(_victim_url("contact-log", cast)).content.decode()
    )

    assert "Current address (safe to write to)" in html
    assert "2 Hidden Lane" not in html
    assert "1 Sealed Street" not in html


def test_contact_log_partner_without_compartment_gets_a_page_and_no_form(
    cast, client_for
):
    client = client_for("partner_worker")
    url = _victim_url("contact-log", cast)

    page = client.get(url)
    posted = client.post(url, _log_data())

    html = page.content.decode()
    assert page.status_code == posted.status_code == 200
    assert "goes through an agency that holds their contact details" in html
    assert 'name="summary"' not in html
    assert not VictimContact.objects.exists()


def test_contact_schedule_saves_a_future_call(cast, client_for):
    data = {
        "method": "call",
        **_moment_data("scheduled", _when(days=2, hour=11)),
        "summary": "Tell her about the hearing.",
    }

    response = client_for("advocate").post(_victim_url("contact-schedule", cast), data)

    assert response.status_code == 302
    contact = VictimContact.objects.get()
    assert contact.status == VictimContact.Status.SCHEDULED
    assert contact.agency == cast.advocacy_a


# One contact: completing and cancelling --------------------------------------


def test_contact_page_offers_complete_and_cancel_to_the_scheduling_agency(
    cast, client_for
):
    contact = _scheduled(cast)

    police = client_for("lead_worker").get(_url("contact", cast, contact.public_id))
    advocacy = client_for("advocate").get(_url("contact", cast, contact.public_id))

    assert "Record contact" in police.content.decode()
    assert VOICEMAIL_WARNING in police.content.decode()
    assert "Record contact" not in advocacy.content.decode()


def test_contact_complete_refused_shows_reasons_and_keeps_the_row(cast, client_for):
    contact = _scheduled(cast, scheduled_for=timezone.now() - dt.timedelta(days=1))
    SafeContactPreference.objects.filter(person=cast.victim).update(
        forbidden_channels=["phone"], safe_channels=[]
    )
    data = {
        "complete-version": "1",
        "complete-outcome": "done",
        "complete-summary": "Told her.",
        **{
            f"complete-{k}": v
            for k, v in _moment_data("occurred", _when(hour=0)).items()
        },
    }

    response = client_for("lead_worker").post(
        _url("contact-complete", cast, contact.public_id), data
    )

    assert response.status_code == 200
    assert "The victim has asked never to be contacted by phone." in (
        response.content.decode()
    )
    assert VictimContact.objects.get().status == "scheduled"


def test_contact_cancel_cancels(cast, client_for):
    contact = _scheduled(cast)

    response = client_for("lead_worker").post(
        _url("contact-cancel", cast, contact.public_id), {"cancel-version": "1"}
    )

    assert response.status_code == 302
    assert VictimContact.objects.get().status == "cancelled"


# The update log --------------------------------------------------------------


def _logged(cast, count):
    actor = actor_for(cast.advocate)
    for n in range(count):
        services.victim_contact_log(
            actor=actor,
            case=cast.case,
            victim=cast.victim,
            method="call",
            occurred_at=_when(hour=0) - dt.timedelta(hours=n + 1),
            summary=f"Update number {n}.",
        )


def test_update_log_is_readable_without_the_compartment_and_audited(cast, client_for):
    _logged(cast, 2)

    response = client_for("partner_worker").get(_url("updates", cast))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Update number 0.") < html.index("Update number 1.")
    assert "Advocacy A" in html
    assert "1 Sealed Street" not in html
    assert AuditEvent.objects.filter(
        event_type=EventType.VICTIM_UPDATES_VIEWED
    ).exists()


def _count_log_queries(client, cast):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("updates", cast)).status_code == 200
    return len(queries)


def test_update_log_query_count_is_constant(cast, client_for):
    client = client_for("lead_worker")
    _logged(cast, 2)
    few = _count_log_queries(client, cast)
    _logged(cast, 18)

    assert _count_log_queries(client, cast) == few


# The overview ----------------------------------------------------------------


def test_overview_without_a_plan_says_so(cast, client_for):
    html = client_for("lead_worker").get(_url("overview", cast)).content.decode()

    assert "No safety plan yet." in html
    assert "Log a contact" in html


def test_overview_tags_an_overdue_review(cast, client_for):
    plan = SafetyPlanFactory(case=cast.case, victim=cast.victim)
    SafetyPlanVersionFactory(
        plan=plan,
        review_on=timezone.localdate() - dt.timedelta(days=2),
        recorded_by=cast.advocate,
        recorded_by_agency=cast.advocacy_a,
    )

    html = client_for("partner_worker").get(_url("overview", cast)).content.decode()

    assert "Overdue" in html
    assert "Log a contact" not in html
    assert "goes through an agency that holds their contact details" in html


# The plan --------------------------------------------------------------------


@pytest.fixture
def plan(cast):
    plan = SafetyPlanFactory(case=cast.case, victim=cast.victim)
    SafetyPlanVersionFactory(
        plan=plan,
        home="Sealed plan text about the doors.",
        review_on=timezone.localdate() + dt.timedelta(days=5),
        victim_agreed=True,
        agreed_on=timezone.localdate(),
        recorded_by=cast.advocate,
        recorded_by_agency=cast.advocacy_a,
    )
    return plan


def test_plan_partner_sees_review_date_not_content(cast, client_for, plan):
    response = client_for("partner_worker").get(_victim_url("plan", cast))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sealed plan text" not in html
    assert "withheld" in html
    assert "Due" in html
    assert "Yes, on" in html


def test_plan_content_is_masked_until_revealed(cast, client_for, plan):
    client = client_for("lead_worker")

    masked = client.get(_victim_url("plan", cast)).content.decode()
    reveal_for(cast.lead_worker, cast.case)
    shown = client.get(_victim_url("plan", cast)).content.decode()

    assert "Sealed plan text" not in masked
    assert "Reveal victim location and contact details" in masked
    assert "Sealed plan text about the doors." in shown
    assert (
        AuditEvent.objects.filter(event_type=EventType.SAFETY_PLAN_VIEWED).count() == 2
    )


def test_plan_history_lists_versions_with_who_saved_them(cast, client_for, plan):
    response = client_for("partner_worker").get(_victim_url("plan-history", cast))

    html = response.content.decode()
    assert "Version 1" in html
    assert "Advocate" in html
    assert "Sealed plan text" not in html


def test_plan_edit_masked_goes_to_the_reveal_page(cast, client_for, plan):
    response = client_for("lead_worker").get(_victim_url("plan-edit", cast))

    assert response.status_code == 302
    assert "/reveal/" in response["Location"]


def test_plan_edit_partner_gets_a_page_and_no_form(cast, client_for, plan):
    response = client_for("partner_worker").post(
        _victim_url("plan-edit", cast), {"home": "Changed", "version": "1"}
    )

    assert response.status_code == 200
    assert 'name="home"' not in response.content.decode()
    assert SafetyPlanVersion.objects.count() == 1


def _plan_data(**overrides):
    today = timezone.localdate()
    review = today + dt.timedelta(days=30)
    data = {
        "home": "New locks.",
        "review_on_day": str(review.day),
        "review_on_month": str(review.month),
        "review_on_year": str(review.year),
        "victim_agreed": "no",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_plan_edit_prefills_and_saves_a_new_version(cast, client_for, plan):
    client = client_for("advocate")
    reveal_for(cast.advocate, cast.case)

    form_html = client.get(_victim_url("plan-edit", cast)).content.decode()
    response = client.post(_victim_url("plan-edit", cast), _plan_data())

    assert "Sealed plan text about the doors." in form_html
    assert 'name="version" value="1"' in form_html
    assert response.status_code == 302
    assert SafetyPlan.objects.get().current_number == 2


def test_plan_edit_conflict_keeps_input_and_shows_the_other_version(
    cast, client_for, plan
):
    services.safety_plan_save(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        victim=cast.victim,
        version=1,
        home="Their newer text.",
        review_on=timezone.localdate() + dt.timedelta(days=10),
        victim_agreed=False,
    )
    client = client_for("advocate")
    reveal_for(cast.advocate, cast.case)

    response = client.post(_victim_url("plan-edit", cast), _plan_data(home="Mine."))

    html = response.content.decode()
    editable = html.index('<form method="post" novalidate>')
    assert response.status_code == 200
    assert "Their newer text." in html[html.index("masip-conflict") : editable]
    assert "Mine." in html[editable:]
    assert 'name="version" value="2"' in html
    again = client.post(
        _victim_url("plan-edit", cast), _plan_data(home="Mine.", version="2")
    )
    assert again.status_code == 302
    assert SafetyPlan.objects.get().current_number == 3


def test_plan_edit_agreed_without_a_date_shows_an_error(cast, client_for, plan):
    reveal_for(cast.advocate, cast.case)

    response = client_for("advocate").post(
        _victim_url("plan-edit", cast), _plan_data(victim_agreed="yes")
    )

    assert response.status_code == 200
    assert "Enter the date the victim agreed the plan." in response.content.decode()
