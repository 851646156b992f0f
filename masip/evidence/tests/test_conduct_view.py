"""The course-of-conduct page: figures in plain words, charts with tables."""

import pytest
from django.urls import reverse

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.evidence import imports, tasks
from masip.evidence.models import EvidenceImport, ImportStatus
from masip.evidence.tests.vault_helpers import upload
from masip.people.tests.factories import actor_for

pytestmark = pytest.mark.usefixtures("evidence_root")

# A synthetic chat: the victim asks for contact to stop and says she has
# blocked him; he goes on, at night, with a threat. (A new number in the same
# chat counts as his only once the user names it on an import of its own.)
CHAT = "\n".join(
    [
        "03/03/2024, 09:15 - Rowan Quill: Morning, did you get home ok?",
        "03/03/2024, 09:16 - Tamsin Vale: Please stop messaging me.",
        "03/03/2024, 23:40 - Rowan Quill: Why are you ignoring me",
        "04/03/2024, 02:05 - Rowan Quill: I know where you live",
        "05/03/2024, 08:00 - Tamsin Vale: I've blocked you. Leave me alone.",
        "05/03/2024, 22:30 - 07700 900461: It's me. You'll regret this",
        "06/03/2024, 07:45 - Rowan Quill: Answer me",
        "",
    ]
).encode()


def _url(case):
    return reverse("evidence:conduct", kwargs={"reference": case.reference})


def _imported_chat(cast):
    item = upload(cast.lead_worker, cast.case, CHAT, "chat.txt")
    imports.evidence_import_start(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        evidence=item,
        perpetrator_participant="Rowan Quill",
        date_order="dmy",  # every day here is 12 or less: the user says
    )
    for run in EvidenceImport.objects.filter(status=ImportStatus.QUEUED):
        tasks.run_evidence_import.call(run.pk)
    return item


def test_conduct_page_explains_each_figure_in_plain_words(cast, client_for):
    _imported_chat(cast)

    page = client_for("lead_worker").get(_url(cast.case))

    html = page.content.decode()
    assert page.status_code == 200
    assert "In plain words" in html
    assert "stop messaging me" in html  # the words that matched, quoted
    assert "blocked" in html  # the victim's block statement is found
    assert "<mark>I know where you live</mark>" in html
    assert "flagged" in html.lower()
    assert AuditEvent.objects.filter(event_type=EventType.CONDUCT_VIEWED).exists()


def test_conduct_charts_are_svg_with_a_table_beside_each(cast, client_for):
    _imported_chat(cast)

    html = client_for("lead_worker").get(_url(cast.case)).content.decode()

    assert html.count("<svg") == 2
    assert "<title" in html
    assert "<desc" in html
    assert "Contact each day as a table" in html
    assert "Contact by hour and day as a table" in html
    assert " style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert (
        "<script"
        not in html.split('class="govuk-main-wrapper', 1)[-1].split("</main>", 1)[0]
    )


def test_conduct_page_before_any_import_says_so(cast, client_for):
    page = client_for("lead_worker").get(_url(cast.case))

    assert page.status_code == 200
    assert "nothing has been imported" in page.content.decode()


def test_conduct_page_is_not_found_for_an_outsider(cast, client_for):
    _imported_chat(cast)

    assert client_for("outsider").get(_url(cast.case)).status_code == 404
