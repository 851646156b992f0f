"""Risk pages: the screen end to end, judgement overrides, who reads what."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from masip.audit.models import AuditEvent
from masip.cases.models import Case
from masip.people.tests.factories import actor_for
from masip.risk.instruments import registry
from masip.risk.models import Assessment, ImmutableError
from masip.risk.services import AnswerErrors, assessment_record

pytestmark = pytest.mark.django_db
SCREEN = "masip-stalking-screen"


def _screen_post(level_items=(), **extra):
    """Every screen question answered "no", but ``level_items`` "yes"."""
    screen = registry().get(SCREEN)
    data = {item.id: "no" for item in screen.items}
    data.update(dict.fromkeys(level_items, "yes"))
    data.update(extra)
    return data


def _record(user, case, code, answers, **kwargs):
    return assessment_record(
        actor=actor_for(user),
        case=case,
        instrument=registry().get(code),
        answers=answers,
        **kwargs,
    )


def test_the_screen_is_checked_then_recorded_with_a_judgement(cast, client_for):
    client = client_for("lead_worker")
    url = reverse("risk:assessment-new", args=[cast.case.reference, SCREEN])

    check = client.post(url, _screen_post(["threats_to_kill"]))
    assert check.status_code == 200
    page = check.content.decode()
    assert "Check your answers" in page
    assert "Level the answers give" in page
    assert Assessment.objects.count() == 0  # nothing kept before the check

    done = client.post(
        url,
        _screen_post(
            ["threats_to_kill"],
            confirm="1",
            override_level="medium",
            rationale="He is in custody on remand until the trial next spring.",
        ),
    )

    assessment = Assessment.objects.get()
    assert done.status_code == 302
    assert done["Location"].endswith(f"/assessments/{assessment.public_id}/")
    assert (assessment.scored_level, assessment.level) == ("high", "medium")
    assert assessment.overridden
    assert "remand" in assessment.override_rationale
    assert assessment.answers["threats_to_kill"] == "yes"
    assert (assessment.instrument_code, assessment.instrument_version) == (SCREEN, 1)
    assert AuditEvent.objects.filter(
        event_type="risk.assessed", target_id=str(assessment.public_id)
    ).exists()


def test_missing_answers_are_asked_for_and_kept(cast, client_for):
    client = client_for("lead_worker")
    url = reverse("risk:assessment-new", args=[cast.case.reference, SCREEN])
    data = _screen_post()
    first = next(iter(data))
    del data[first]

    response = client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select an answer." in page
    assert 'value="no" checked' in page  # the other answers are still there
    assert Assessment.objects.count() == 0


def test_a_judgement_needs_its_reason(cast, client_for):
    client = client_for("lead_worker")
    url = reverse("risk:assessment-new", args=[cast.case.reference, SCREEN])

    response = client.post(
        url, _screen_post(confirm="1", override_level="high", rationale="gut")
    )

    assert response.status_code == 200
    assert "Say why the level should differ from the score" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_the_risk_picture_shows_the_views_side_by_side_and_their_differences(
    cast, client_for
):
    _record(cast.lead_worker, cast.case, SCREEN, _screen_post(["weapons"]))
    spj = {
        "instrument_used": "srp",
        "motivational_type": "rejected",
        "risk_violence": "moderate",
        "risk_persistence": "moderate",
        "risk_recurrence": "low",
        "risk_psychosocial_damage": "low",
        "formulation": "Synthetic formulation.",
        "scenarios": "Synthetic scenarios.",
        "next_review": "2027-01-15",
    }
    _record(cast.clinician, cast.case, "structured-judgement", spj)
    check_in = {"feeling_safe": 1, "feeling_supported": 4, "feeling_listened_to": 4}
    _record(cast.advocate, cast.case, "victim-check-in", {**check_in, "fear": 9})

    page = client_for("lead_worker").get(
        reverse("risk:picture", args=[cast.case.reference])
    )

    text = page.content.decode()
    assert page.status_code == 200
    for title in ("MASIP stalking screen", "Structured professional judgement"):
        assert title in text
    assert "The latest assessments give different levels" in text
    assert "not averaged" in text
    assert "The victim's own measures" in text
    assert AuditEvent.objects.filter(event_type="risk.picture_viewed").exists()


def test_health_answers_are_read_by_health_and_their_own_agency_only(cast, client_for):
    spj = {
        "instrument_used": "sam",
        "motivational_type": "resentful",
        "risk_violence": "high",
        "risk_persistence": "high",
        "risk_recurrence": "moderate",
        "risk_psychosocial_damage": "low",
        "formulation": "Synthetic formulation kept for the clinic.",
        "scenarios": "Synthetic scenarios.",
        "next_review": "2027-02-01",
    }
    assessment = _record(cast.clinician, cast.case, "structured-judgement", spj)
    url = reverse("risk:assessment", args=[cast.case.reference, assessment.public_id])

    police = client_for("lead_worker").get(url).content.decode()
    clinic = client_for("clinician").get(url).content.decode()

    assert "High" in police
    assert "Synthetic formulation" not in police
    assert "health information held by" in police
    assert "Synthetic formulation kept for the clinic." in clinic


def test_a_licensed_form_without_its_wording_cannot_be_started(cast, client_for):
    url = reverse("risk:assessment-new", args=[cast.case.reference, "s-dash"])

    assert client_for("lead_worker").get(url).status_code == 404


def test_service_refuses_bad_answers_with_reasons(cast):
    with pytest.raises(AnswerErrors) as caught:
        _record(cast.lead_worker, cast.case, "victim-check-in", {"fear": 11})

    assert caught.value.errors["fear"] == "Choose between 0 and 10."


def test_an_assessment_is_never_changed(cast):
    assessment = _record(
        cast.advocate,
        cast.case,
        "victim-check-in",
        {
            "feeling_safe": 3,
            "feeling_supported": 3,
            "feeling_listened_to": 3,
            "fear": 4,
        },
    )
    assessment.level = "high"

    with pytest.raises(ImmutableError):
        assessment.save()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)
def test_the_database_refuses_to_rewrite_an_assessment(cast):
    assessment = _record(cast.lead_worker, cast.case, SCREEN, _screen_post())

    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(level="high")

    # Re-sealing (key rotation) changes only the sealed columns: allowed.
    fresh = Assessment.objects.get(pk=assessment.pk)
    field = Assessment._meta.get_field("answers_sealed")
    resealed = field.seal_for(fresh.public_id, fresh.answers_sealed)
    Assessment.objects.filter(pk=assessment.pk).update(answers_sealed=resealed)
    assert Assessment.objects.get(pk=assessment.pk).answers == fresh.answers


def test_an_assessment_offers_its_level_for_the_case(cast, client_for):
    Case.objects.filter(pk=cast.case.pk).update(risk_level="standard")
    assessment = _record(cast.lead_worker, cast.case, SCREEN, _screen_post(["weapons"]))
    client = client_for("lead_worker")
    detail = client.get(
        reverse("risk:assessment", args=[cast.case.reference, assessment.public_id])
    ).content.decode()
    assert "Make high the case's risk level" in detail

    form = client.get(
        reverse("cases:case-risk", args=[cast.case.reference])
        + "?level=high&from=MASIP+stalking+screen+of+29+November+2026"
    ).content.decode()

    assert 'value="high" checked' in form
    assert "The MASIP stalking screen of 29 November 2026 gives high." in form


def test_two_agencies_with_the_same_form_are_two_views(cast):
    from masip.access.policy import Access
    from masip.risk.selectors import risk_picture

    _record(cast.lead_worker, cast.case, SCREEN, _screen_post(["weapons"]))
    _record(cast.partner_worker, cast.case, SCREEN, _screen_post())
    _record(cast.lead_worker, cast.case, SCREEN, _screen_post())  # police again

    case_access = Access(cast.lead_worker).case_access(cast.case)
    picture = risk_picture(case=cast.case, case_access=case_access)

    levels = sorted(
        (v.assessment.agency.name, v.assessment.level) for v in picture.views
    )
    assert levels == [
        (cast.police_a.name, "standard"),
        (cast.probation_a.name, "standard"),
    ]
