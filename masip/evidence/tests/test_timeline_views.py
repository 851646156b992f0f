"""The import form and progress on an item's page, and the case timeline."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.evidence import imports, tasks
from masip.evidence.models import EvidenceImport, ImportStatus, TimelineEntry
from masip.evidence.tests.vault_helpers import PDF, upload
from masip.people.tests.factories import actor_for

pytestmark = pytest.mark.usefixtures("evidence_root")

FIXTURES = Path(__file__).parent / "fixtures"


def _chat(cast, name="whatsapp/android_uk.txt"):
    return upload(cast.lead_worker, cast.case, (FIXTURES / name).read_bytes(), "c.txt")


def _url(name, case, item=None):
    kwargs = {"reference": case.reference}
    if item is not None:
        kwargs["public_id"] = item.public_id
    return reverse(f"evidence:{name}", kwargs=kwargs)


def _run_all():
    for run in EvidenceImport.objects.filter(status=ImportStatus.QUEUED):
        tasks.run_evidence_import.call(run.pk)


def _start(client, case, item, **data):
    return client.post(
        _url("evidence-import", case, item),
        {"perpetrator_participant": "", "date_order": "", **data},
    )


def test_item_page_offers_the_import_form_for_an_export(cast, client_for):
    item = _chat(cast)

    page = client_for("lead_worker").get(_url("evidence-detail", cast.case, item))

    html = page.content.decode()
    assert "Import messages into the timeline" in html
    assert "Work it out from the file" in html
    assert 'name="perpetrator_participant"' in html
    assert _url("timeline", cast.case) in html


def test_item_page_offers_no_import_for_a_pdf(cast, client_for):
    pdf = upload(cast.lead_worker, cast.case, PDF, "statement.pdf")

    page = client_for("lead_worker").get(_url("evidence-detail", cast.case, pdf))

    assert page.status_code == 200
    assert 'name="perpetrator_participant"' not in page.content.decode()


def test_starting_an_import_queues_it_and_the_page_shows_progress(
    cast, client_for, django_capture_on_commit_callbacks
):
    item = _chat(cast)
    client = client_for("lead_worker")

    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, cast.case, item, perpetrator_participant="Bryn")
    waiting = client.get(_url("evidence-detail", cast.case, item)).content.decode()
    _run_all()
    done = client.get(_url("evidence-detail", cast.case, item)).content.decode()

    assert response.status_code == 302
    assert "Waiting to start" in waiting
    assert "Refresh" in waiting
    assert "Finished" in done
    assert "Bryn Talfryn: 7 items" in done
    assert "Who is the perpetrator?" in done
    assert "every line could be read" in done


def test_ambiguous_import_offers_the_date_order_and_a_restart_works(cast, client_for):
    item = _chat(cast, "whatsapp/ambiguous.txt")
    client = client_for("lead_worker")

    _start(client, cast.case, item)
    _run_all()
    failed = client.get(_url("evidence-detail", cast.case, item)).content.decode()
    _start(client, cast.case, item, date_order="dmy")
    _run_all()

    assert "day first or month first" in failed
    assert "Choose the order of the dates below" in failed
    assert 'value="dmy"' in failed
    assert EvidenceImport.objects.filter(status=ImportStatus.COMPLETED).count() == 1
    assert TimelineEntry.objects.count() == 3


def test_a_bad_date_order_or_a_pdf_is_answered_on_the_page(cast, client_for):
    chat = _chat(cast)
    pdf = upload(cast.lead_worker, cast.case, PDF, "statement.pdf")
    client = client_for("lead_worker")

    bad_order = _start(client, cast.case, chat, date_order="ymd")
    not_export = _start(client, cast.case, pdf)

    assert bad_order.status_code == 200
    assert "Select the order of the dates." in bad_order.content.decode()
    assert not_export.status_code == 200
    assert "Only message exports" in not_export.content.decode()
    assert not EvidenceImport.objects.exists()


def test_naming_the_perpetrator_from_the_participants(cast, client_for):
    item = _chat(cast)
    client = client_for("lead_worker")
    _start(client, cast.case, item)
    _run_all()
    run = EvidenceImport.objects.get()

    response = client.post(
        _url("evidence-perpetrator", cast.case, item),
        {
            "perpetrator-evidence_import": str(run.public_id),
            "perpetrator-participant": "Bryn Talfryn",
        },
    )

    assert response.status_code == 302
    flagged = {e.sender for e in TimelineEntry.objects.filter(is_perpetrator=True)}
    assert flagged == {"Bryn Talfryn"}


def test_naming_someone_not_in_the_file_is_refused(cast, client_for):
    item = _chat(cast)
    client = client_for("lead_worker")
    _start(client, cast.case, item)
    _run_all()
    run = EvidenceImport.objects.get()

    response = client.post(
        _url("evidence-perpetrator", cast.case, item),
        {
            "perpetrator-evidence_import": str(run.public_id),
            "perpetrator-participant": "Someone Else",
        },
    )

    assert response.status_code == 200
    assert "Select who the perpetrator is." in response.content.decode()
    assert not TimelineEntry.objects.filter(is_perpetrator=True).exists()


def test_another_items_import_cannot_be_named_through_this_item(cast, client_for):
    first, second = _chat(cast), _chat(cast, "whatsapp/ios_uk.txt")
    imports.evidence_import_start(
        actor=actor_for(cast.lead_worker), case=cast.case, evidence=first
    )
    _run_all()
    run = EvidenceImport.objects.get()

    response = client_for("lead_worker").post(
        _url("evidence-perpetrator", cast.case, second),
        {
            "perpetrator-evidence_import": str(run.public_id),
            "perpetrator-participant": "Bryn Talfryn",
        },
    )

    assert response.status_code == 404


def test_timeline_lists_entries_escaped_with_their_source(cast, client_for):
    item = upload(
        cast.lead_worker,
        cast.case,
        b"12/02/2024, 21:04 - Bryn Talfryn: <b>hi</b>\nsecond line\n"
        b"13/02/2024, 07:15 - Ama Nwosu: stop\n",
        "chat.txt",
    )
    imports.evidence_import_start(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        evidence=item,
        perpetrator_participant="Bryn Talfryn",
    )
    _run_all()

    response = client_for("lead_worker").get(_url("timeline", cast.case))

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;hi&lt;/b&gt;\nsecond line" in html
    assert "<b>hi</b>" not in html
    assert "12 February 2024, 21:04:00" in html
    assert "Perpetrator</strong>" in html
    assert "chat.txt" in html
    assert "line 1" in html
    assert AuditEvent.objects.filter(event_type=EventType.TIMELINE_VIEWED).exists()


def test_timeline_filters_by_perpetrator_and_channel(cast, client_for):
    item = _chat(cast)
    imports.evidence_import_start(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        evidence=item,
        perpetrator_participant="Ama Nwosu",
    )
    _run_all()
    client = client_for("lead_worker")

    perp = client.get(_url("timeline", cast.case), {"perpetrator": "on"})
    sms = client.get(_url("timeline", cast.case), {"channel": "sms"})
    bad = client.get(_url("timeline", cast.case), {"channel": "pigeon", "page": "x"})

    assert "2 items." in perp.content.decode()
    assert "Bryn Talfryn" not in perp.content.decode()
    assert "No items match these filters." in sms.content.decode()
    assert bad.status_code == 200


def _entries(cast, n: int) -> None:
    item = _chat(cast)
    run = EvidenceImport.objects.create(
        case=cast.case,
        evidence=item,
        status=ImportStatus.COMPLETED,
        started_by=cast.lead_worker,
        started_by_agency=cast.police_a,
    )
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            case=cast.case,
            evidence=item,
            evidence_import=run,
            occurred_at=timezone.now(),
            channel="sms",
            kind="message",
            sender=f"Sender {i}",
            text=f"Synthetic {i}",
            digest=f"{i:064x}",
            source_line=i + 1,
        )
        for i in range(n)
    )


def _timeline_queries(cast, client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("timeline", cast.case))
    assert response.status_code == 200
    return len(queries)


def test_timeline_query_count_does_not_grow_with_rows(cast, client_for):
    client = client_for("lead_worker")
    _entries(cast, 2)
    few = _timeline_queries(cast, client)
    TimelineEntry.objects.all().delete()
    _entries(cast, 20)

    many = _timeline_queries(cast, client)

    assert few == many


def test_timeline_pages_by_fifty(cast, client_for):
    _entries(cast, 51)

    first = client_for("lead_worker").get(_url("timeline", cast.case))
    second = client_for("lead_worker").get(_url("timeline", cast.case), {"page": 2})

    assert len(re.findall(r"Synthetic \d+", first.content.decode())) == 50
    assert len(re.findall(r"Synthetic \d+", second.content.decode())) == 1


@pytest.mark.parametrize(
    "name", ["timeline", "evidence-import", "evidence-perpetrator"]
)
def test_outsider_gets_404_on_the_new_pages(cast, client_for, name):
    item = _chat(cast)
    url = _url(name, cast.case) if name == "timeline" else _url(name, cast.case, item)
    client = client_for("outsider")

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not EvidenceImport.objects.exists()
