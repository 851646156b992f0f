"""A CSV log's columns are confirmed by the user before it is imported."""

import pytest
from django.urls import reverse

from masip.evidence import tasks
from masip.evidence.models import EvidenceImport, ImportStatus, TimelineEntry
from masip.evidence.tests.vault_helpers import upload

pytestmark = pytest.mark.usefixtures("evidence_root")

# Headers MASIP cannot guess: a phone app's export in its own words.
LOG = (
    b"Quand;Qui;Contenu\n"
    b"13/02/2024 21:04;07700 900461;Open the door\n"
    b"14/02/2024 07:15;07700 900461;I am outside\n"
    b"14/02/2024 07:30;Me;Leave me alone\n"
)


def _urls(case, item):
    kwargs = {"reference": case.reference, "public_id": item.public_id}
    return (
        reverse("evidence:evidence-detail", kwargs=kwargs),
        reverse("evidence:evidence-import", kwargs=kwargs),
    )


def _form(mapping):
    data = {"perpetrator_participant": "07700 900461", "date_order": "dmy"}
    data.update({f"column_{role}": column for role, column in mapping.items()})
    for role in ("time", "clock", "sender", "recipient", "party", "text"):
        data.setdefault(f"column_{role}", "")
    for role in ("direction", "duration", "channel"):
        data.setdefault(f"column_{role}", "")
    return data


def test_the_import_form_asks_what_each_column_of_a_csv_holds(cast, client_for):
    item = upload(cast.lead_worker, cast.case, LOG, "log.csv")
    detail, _ = _urls(cast.case, item)

    html = client_for("lead_worker").get(detail).content.decode()

    assert 'name="column_time"' in html
    assert 'value="Quand"' in html
    assert "Message text" in html


def test_a_confirmed_mapping_imports_the_log(cast, client_for):
    item = upload(cast.lead_worker, cast.case, LOG, "log.csv")
    _, start = _urls(cast.case, item)
    mapping = {"time": "Quand", "sender": "Qui", "text": "Contenu"}

    response = client_for("lead_worker").post(start, _form(mapping))
    run = EvidenceImport.objects.get()
    tasks.run_evidence_import.call(run.pk)
    run.refresh_from_db()

    assert response.status_code == 302
    assert run.column_mapping == mapping
    assert run.status == ImportStatus.COMPLETED, run.error
    texts = sorted(e.text for e in TimelineEntry.objects.filter(evidence_import=run))
    assert texts == ["I am outside", "Leave me alone", "Open the door"]
    flagged = TimelineEntry.objects.filter(evidence_import=run, is_perpetrator=True)
    assert flagged.count() == 2


def test_without_a_date_column_the_form_says_so_and_keeps_the_rest(cast, client_for):
    item = upload(cast.lead_worker, cast.case, LOG, "log.csv")
    _, start = _urls(cast.case, item)

    response = client_for("lead_worker").post(start, _form({"text": "Contenu"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select the column that holds the date." in html
    assert 'value="07700 900461"' in html
    assert not EvidenceImport.objects.exists()


def test_a_column_not_in_the_file_is_refused(cast, client_for):
    item = upload(cast.lead_worker, cast.case, LOG, "log.csv")
    _, start = _urls(cast.case, item)

    response = client_for("lead_worker").post(
        start, _form({"time": "Quand", "text": "Nonexistent"})
    )

    assert "Select a column of this file." in response.content.decode()
    assert not EvidenceImport.objects.exists()
