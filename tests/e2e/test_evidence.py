"""Evidence in a real browser: upload a WhatsApp export, import it, read the
timeline and the course-of-conduct figures, and download the bundle, whose
text (read with pdftotext) holds the chronology and not the victim's address."""

import re
import subprocess  # nosec B404 - runs pdftotext on a file the test made
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from masip.evidence import tasks
from masip.evidence.models import EvidenceImport, ImportStatus
from tests.e2e.conftest import sign_in
from tests.personas import Cast

CHAT = (
    Path(__file__).parents[2] / "masip/evidence/tests/fixtures/whatsapp/android_uk.txt"
)
# The cast's victim has a restricted address at 1 Sealed Street.
NAMES_THE_ADDRESS = b"14/02/2024, 22:10 - Bryn Talfryn: I drove past 1 Sealed Street\n"
PDFTOTEXT = "/usr/bin/pdftotext"


@pytest.mark.e2e
def test_worker_uploads_a_chat_imports_it_and_reads_the_figures(
    axe_page: Page,
    cast: Cast,
    tmp_path: Path,
    assert_accessible: Callable[[Page], None],
) -> None:
    page = axe_page
    sign_in(page, cast.lead_worker)
    page.goto(f"/cases/{cast.case.reference}/evidence/")
    page.get_by_role("link", name="Upload evidence").click()
    export = tmp_path / "WhatsApp Chat.txt"
    export.write_bytes(CHAT.read_bytes() + NAMES_THE_ADDRESS)
    page.get_by_label("File").set_input_files(str(export))
    page.get_by_label("Description").fill("Chat the victim exported from her phone")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Evidence uploaded.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Import messages").click()
    # The worker's job, run here: the live server has no worker beside it.
    for run in EvidenceImport.objects.filter(status=ImportStatus.QUEUED):
        tasks.run_evidence_import.call(run.pk)
    page.reload()
    expect(page.get_by_text("Finished").first).to_be_visible()
    first = EvidenceImport.objects.get().report_data["participants"][0]["name"]
    page.get_by_role("radio", name=re.compile(f"^{re.escape(first)} ")).check()
    page.get_by_role("button", name="Tag the perpetrator's messages").click()

    page.goto(f"/cases/{cast.case.reference}/evidence/timeline/")
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cases/{cast.case.reference}/evidence/conduct/")
    expect(page.get_by_role("heading", name="In plain words")).to_be_visible()
    expect(page.locator("svg")).to_have_count(2)
    page.get_by_text("Contact each day as a table").click()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Make an evidence bundle").click()
    page.get_by_label("PDF").check()
    page.get_by_label("Why are you making this bundle?").fill(
        "Court bundle for a hearing."
    )
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Make the bundle").click()
    bundle = tmp_path / "bundle.pdf"
    waiting.value.save_as(bundle)
    text = subprocess.run(  # noqa: S603  # nosec B603 - fixed program and path
        [PDFTOTEXT, "-layout", str(bundle), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    assert "Bryn Talfryn" in text
    assert "I drove past [withheld]" in text
    assert "Sealed Street" not in text
    assert "SHA-256" in text
