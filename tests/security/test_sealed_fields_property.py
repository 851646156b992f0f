"""Hypothesis: no sealed value reaches a role without its compartment grant.

For generated sealed values planted in the standard cast's case (the victim's
restricted addresses and contact identifiers, safe-contact notes and code
word, a restricted incident location, a health note and a police
intelligence note), every persona fetches every page that shows the case or
its people and incidents (summary, person pages, incident list and page,
notes, case list), the JSON API (list and detail), and every export format
their role may make (CSV, XLSX, and PDF text). A value may appear only where
the policy grants the persona its compartment on the case. The personas
cover every role: case workers of the lead and partner agencies (each with a
different set of compartments), a team manager (exports), a panel
coordinator (PDF export, purpose), an auditor (purpose), a helpline adviser
(who referred the case), an analyst, an agency administrator and outsiders.

Generated values use letters, digits and spaces only, so a leak cannot hide
behind HTML, JSON, CSV or PDF escaping; each carries a random tail long
enough not to occur by chance. ``test_planted_values_are_visible_where_granted``
shows the search can find them.

Each example is a sweep of about 120 requests and 7 export files; ``EXAMPLES``
keeps the file under about a minute (raise MASIP_SEALED_EXAMPLES for a
longer run, e.g. nightly). Shrinking is off: a failure lists every leak.
"""

import io
import os
import string

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access
from masip.access.tests.factories import reveal_for
from masip.cases.models import Case, CaseNote
from masip.exports.formats import FORMATS
from masip.exports.tests.conftest import body, make_fresh
from masip.exports.tests.pdftext import pdf_text
from masip.incidents.models import Incident
from masip.people.models import (
    Address,
    Confidentiality,
    PersonIdentifier,
    SafeContactPreference,
)
from masip.people.tests.factories import AddressFactory
from tests.personas import PERSONAS, REACHES_CASE

EXAMPLES = int(os.environ.get("MASIP_SEALED_EXAMPLES", "5"))
ALPHABET = string.ascii_letters + string.digits


def _sealed_text(prefix: str) -> st.SearchStrategy[str]:
    """A distinctive value: a readable prefix, a space and a random tail."""
    return st.text(alphabet=ALPHABET, min_size=12, max_size=24).map(
        lambda tail: f"{prefix} {tail}"
    )


sealed_values = st.fixed_dictionaries(
    {
        Compartment.VICTIM_CONTACT: st.fixed_dictionaries(
            {
                "address": _sealed_text("Flat"),
                "postcode": st.text(
                    alphabet=string.ascii_uppercase, min_size=8, max_size=8
                ).map(lambda tail: f"ZQ{tail}"),
                "second_address": _sealed_text("Refuge"),
                "identifier": _sealed_text("Contact"),
                "identifier_kind": st.sampled_from(
                    [
                        PersonIdentifier.Kind.PHONE,
                        PersonIdentifier.Kind.EMAIL,
                        PersonIdentifier.Kind.SOCIAL_MEDIA,
                    ]
                ),
                "safe_notes": _sealed_text("Safe"),
                "code_word": _sealed_text("Word"),
                "incident_location": _sealed_text("Near"),
            }
        ),
        Compartment.HEALTH: st.fixed_dictionaries({"note": _sealed_text("Clinical")}),
        Compartment.POLICE_INTEL: st.fixed_dictionaries(
            {"note": _sealed_text("Intel")}
        ),
    }
)

TEXT_KEYS = {"identifier_kind"}


def _canaries(values) -> dict[Compartment, list[str]]:
    return {
        compartment: [v for k, v in fields.items() if k not in TEXT_KEYS]
        for compartment, fields in values.items()
    }


def _plant(cast, values) -> None:
    """Write the generated values into the case's sealed fields.

    Sealed columns are encrypted, so each row is saved through its model
    (a queryset ``update`` of a sealed column is refused).
    """
    contact = values[Compartment.VICTIM_CONTACT]
    victim = cast.victim
    for address in Address.objects.filter(person=victim):
        if address.line_1.startswith("Refuge"):
            address.delete()
            continue
        address.line_1 = contact["address"]
        address.postcode = contact["postcode"]
        address.confidentiality = Confidentiality.RESTRICTED
        address.save()
    AddressFactory(person=victim, line_1=contact["second_address"], is_current=False)
    for identifier in PersonIdentifier.objects.filter(person=victim):
        identifier.kind = contact["identifier_kind"]
        identifier.value = contact["identifier"]
        identifier.confidentiality = Confidentiality.RESTRICTED
        identifier.save()
    for safe in SafeContactPreference.objects.filter(person=victim):
        safe.notes = contact["safe_notes"]
        safe.code_word = contact["code_word"]
        safe.save()
    incident = Incident.objects.get(pk=cast.incident.pk)
    incident.location = contact["incident_location"]
    incident.location_confidentiality = Confidentiality.RESTRICTED
    incident.save()
    for kind, compartment in (
        (CaseNote.Kind.HEALTH, Compartment.HEALTH),
        (CaseNote.Kind.POLICE_INTEL, Compartment.POLICE_INTEL),
    ):
        for note in CaseNote.objects.filter(case=cast.case, kind=kind):
            note.text = values[compartment]["note"]
            note.save()


def _pages(cast) -> list[str]:
    ref = cast.case.reference
    return [
        reverse("cases:case-detail", kwargs={"reference": ref}),
        reverse("cases:case-list"),
        reverse("cases:note-list", kwargs={"reference": ref}),
        reverse(
            "people:person-detail",
            kwargs={"reference": ref, "public_id": cast.victim.public_id},
        ),
        reverse(
            "people:person-detail",
            kwargs={"reference": ref, "public_id": cast.perpetrator.public_id},
        ),
        reverse("incidents:incident-list", kwargs={"reference": ref}),
        reverse(
            "incidents:incident-detail",
            kwargs={"reference": ref, "public_id": cast.incident.public_id},
        ),
        reverse("api:case-list"),
        reverse("api:case-detail", kwargs={"reference": ref}),
    ]


def _export_texts(client, access) -> dict[str, str]:
    """The text of every export the persona may make, by format."""
    texts = {}
    purpose = {"purpose": "Checking what the export holds."}
    for fmt, spec in FORMATS.items():
        if not access.has(spec.permission):
            continue
        content = body(client.post(reverse(f"exports:case-list-{fmt.value}"), purpose))
        if fmt.value == "csv":
            texts["csv"] = content.decode("utf-8-sig")
        elif fmt.value == "xlsx":
            sheet = load_workbook(io.BytesIO(content))["Cases"]
            texts["xlsx"] = "\n".join(
                str(c.value) for row in sheet.iter_rows() for c in row if c.value
            )
        else:
            texts["pdf"] = pdf_text(content)
    return texts


@pytest.fixture
def audience(cast, client_for):
    """Each persona: a signed-in client (purpose given, factor fresh) and its grants."""
    # The helpline adviser reaches the cases they referred: make this one of them.
    Case.objects.filter(pk=cast.case.pk).update(created_by=cast.helpline_adviser)
    people = {}
    for persona in PERSONAS:
        client = make_fresh(client_for(persona))
        session = client.session
        session[PURPOSE_SESSION_PREFIX + cast.case.reference] = "Property test"
        session.save()
        access = Access(cast.persona(persona))
        people[persona] = (client, access, access.case_access(cast.case))
    return people


def test_every_role_reaches_the_case_or_is_an_outsider(audience):
    """The sweep is not vacuous: all roles that read cases reach this one."""
    reaching = {p for p, (_, _, granted) in audience.items() if granted.reaches}
    assert reaching == REACHES_CASE | {"helpline_adviser"}


def test_exporting_personas_exist(audience):
    """Exports are part of the property only if some persona may make them."""
    exporters = {
        p for p, (_, access, _) in audience.items() if access.has(Permission.EXPORT_PDF)
    }
    assert {"lead_manager", "panel_coordinator"} <= exporters


@given(values=sealed_values)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    # Each example is a full sweep of pages; a failure lists every leak, so
    # shrinking would add minutes and little insight.
    phases=[Phase.explicit, Phase.generate],
)
def test_no_sealed_value_reaches_a_role_without_the_grant(cast, audience, values):
    _plant(cast, values)
    canaries = _canaries(values)
    leaks = []

    for persona, (client, access, granted) in audience.items():
        hidden = [
            (compartment, value)
            for compartment, found in canaries.items()
            if not granted.sees(compartment)
            for value in found
        ]
        outputs = {url: client.get(url).text for url in _pages(cast)}
        outputs.update(_export_texts(client, access))
        leaks += [
            f"{persona} {where}: {compartment} {value!r}"
            for where, text in outputs.items()
            for compartment, value in hidden
            if value in text
        ]

    assert not leaks, leaks


def test_planted_values_are_visible_where_granted(cast, audience):
    """The search works: granted personas do see the planted values."""
    values = {
        Compartment.VICTIM_CONTACT: {
            "address": "Flat Visible123",
            "postcode": "ZZ9VIS1BLE",
            "second_address": "Refuge Visible456",
            "identifier": "Contact Visible789",
            "identifier_kind": PersonIdentifier.Kind.PHONE,
            "safe_notes": "Safe Visible000",
            "code_word": "Word Visible111",
            "incident_location": "Near Visible222",
        },
        Compartment.HEALTH: {"note": "Clinical Visible333"},
        Compartment.POLICE_INTEL: {"note": "Intel Visible444"},
    }
    _plant(cast, values)
    # Granted roles see victim details only once revealed (masked by default).
    reveal_for(cast.advocate, cast.case)
    pages = _pages(cast)

    advocate = "\n".join(audience["advocate"][0].get(url).text for url in pages)
    clinician = "\n".join(audience["clinician"][0].get(url).text for url in pages)
    lead = "\n".join(audience["lead_worker"][0].get(url).text for url in pages)

    assert "Flat Visible123" in advocate
    assert "Word Visible111" in advocate
    assert "Near Visible222" in advocate
    assert "Clinical Visible333" in clinician
    assert "Intel Visible444" in lead
