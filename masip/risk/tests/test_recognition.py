"""Recognising stalking: a case recorded as harassment whose incidents show
the pattern of stalking says so on its incident and case pages, and asks for
a decision."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.cases.models import Case, RecordedAs
from masip.incidents import services as incidents
from masip.people.tests.factories import actor_for
from masip.risk.models import RecognitionDecision
from masip.risk.recognition import pattern_of, prompt_for

pytestmark = pytest.mark.django_db
PROMPT = "This may be stalking"


def _as(case, recorded_as):
    Case.objects.filter(pk=case.pk).update(recorded_as=recorded_as)
    case.refresh_from_db()


def _incident(cast, days_ago, behaviours=("following",)):
    return incidents.incident_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        behaviours=list(behaviours),
        channels=["in_person"],
        narrative="Synthetic incident for the tests.",
    )


def test_the_pattern_names_its_reasons(cast):
    _incident(cast, 3, ["following", "watching"])
    _incident(cast, 1, ["loitering"])

    pattern = pattern_of(cast.case)

    assert pattern.meets
    assert pattern.days >= 2
    assert "Following" in pattern.behaviours
    assert "course of conduct needs two or more occasions" in pattern.reasons()[0]


def test_harassment_with_the_pattern_prompts_on_incident_and_case_pages(
    cast, client_for
):
    _as(cast.case, RecordedAs.HARASSMENT)
    _incident(cast, 3)
    _incident(cast, 1)
    client = client_for("lead_worker")

    for url in (
        reverse("incidents:incident-list", args=[cast.case.reference]),
        reverse("incidents:incident-record", args=[cast.case.reference]),
        reverse("cases:case-edit", args=[cast.case.reference]),
    ):
        page = client.get(url).content.decode()
        assert PROMPT in page, url
        assert "section 2A(3)" in page, url


@pytest.mark.parametrize("recorded_as", [RecordedAs.STALKING, RecordedAs.UNDECIDED])
def test_no_prompt_unless_recorded_as_harassment(cast, recorded_as):
    _as(cast.case, recorded_as)
    _incident(cast, 3)
    _incident(cast, 1)

    assert prompt_for(cast.case) is None


def test_keeping_harassment_needs_a_reason_and_holds_until_the_next_incident(
    cast, client_for
):
    _as(cast.case, RecordedAs.HARASSMENT)
    _incident(cast, 3)
    _incident(cast, 1)
    client = client_for("lead_worker")
    url = reverse("risk:recognition", args=[cast.case.reference])

    refused = client.post(url, {"decision": "harassment", "reason": ""})
    assert "Say why the conduct is harassment but not stalking." in (
        refused.content.decode()
    )
    kept = client.post(
        url, {"decision": "harassment", "reason": "Two neighbours in a dispute."}
    )
    assert kept.status_code == 302
    assert prompt_for(cast.case) is None
    _incident(cast, 0)
    assert prompt_for(cast.case) is not None


def test_recording_it_as_stalking_changes_the_case(cast, client_for):
    _as(cast.case, RecordedAs.HARASSMENT)
    _incident(cast, 3)
    _incident(cast, 1)
    version = cast.case.version

    client_for("lead_worker").post(
        reverse("risk:recognition", args=[cast.case.reference]),
        {"decision": "stalking", "reason": ""},
    )

    cast.case.refresh_from_db()
    assert cast.case.recorded_as == RecordedAs.STALKING
    assert cast.case.version == version + 1
    assert RecognitionDecision.objects.get().decided_by == cast.lead_worker
    assert prompt_for(cast.case) is None
