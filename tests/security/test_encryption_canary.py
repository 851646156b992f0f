"""Encryption at rest, tested as an attacker with a copy of the database would.

Canary values go into every sealed field through the services, as a user's
form would put them there. Then the whole database is read raw: on SQLite the
bytes of a file copy (sqlite3's backup API), on PostgreSQL the output of
``pg_dump``. No canary may appear. A control value in an unsealed column must
appear, so the test can fail. Ciphertext moved to another row must not open.
"""

import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from masip.cases.services import note_add
from masip.crypto.cipher import DecryptionError
from masip.crypto.tests.committing import audit_truncate_allowed  # noqa: F401
from masip.incidents.services import incident_record
from masip.people import services as people
from masip.people.models import Address, SafeContactPreference
from masip.people.tests.factories import actor_for

CANARIES = {
    "address.line_1": "41 Kestrelcanary Row",
    "address.line_2": "Flat Canarynine",
    "address.town": "Canarybridge",
    "address.postcode": "QX7 7QZ",
    "identifier.phone": "07700 958314",
    "identifier.email": "canary.victim@example.org",
    "safe_contact.safe_times": "Canarytimes after nine",
    "safe_contact.code_word": "Canaryfoxglove",
    "safe_contact.notes": "Canarynotes: never call the landline",
    "note.health": "Canaryhealth: trauma counselling weekly",
    "note.police_intel": "Canaryintel: perpetrator owns a tracker",
    "incident.location": "Outside 41 Kestrelcanary Row car park",
}
# Forms a canary might take in storage besides its own spelling.
VARIANTS = ("07700958314", "QX77QZ", "canary.victim")
CONTROL = "Controlcanary-unsealed"


def _seed(cast) -> None:
    lead, clinician = actor_for(cast.lead_worker), actor_for(cast.clinician)
    case, victim = cast.case, cast.victim
    people.address_add(
        actor=lead,
        case=case,
        person=victim,
        line_1=CANARIES["address.line_1"],
        line_2=CANARIES["address.line_2"],
        town=CANARIES["address.town"],
        postcode=CANARIES["address.postcode"],
    )
    for kind in ("phone", "email"):
        people.identifier_add(
            actor=lead,
            case=case,
            person=victim,
            kind=kind,
            value=CANARIES[f"identifier.{kind}"],
        )
    current = SafeContactPreference.objects.filter(person=victim).first()
    people.safe_contact_update(
        actor=lead,
        case=case,
        person=victim,
        version=current.version if current else None,
        safe_times=CANARIES["safe_contact.safe_times"],
        code_word=CANARIES["safe_contact.code_word"],
        notes=CANARIES["safe_contact.notes"],
    )
    note_add(actor=clinician, case=case, kind="health", text=CANARIES["note.health"])
    note_add(
        actor=lead,
        case=case,
        kind="police_intel",
        text=CANARIES["note.police_intel"],
    )
    incident_record(
        actor=lead,
        case=case,
        occurred_at=timezone.now() - dt.timedelta(days=2),
        behaviours=["watching"],
        channels=["in_person"],
        narrative="Seen waiting outside.",
        location=CANARIES["incident.location"],
    )
    people.person_update(
        actor=lead,
        case=case,
        person=victim,
        version=victim.version,
        interpreter_language=CONTROL,
    )


def _database_bytes(tmp_path: Path) -> bytes:
    """Everything the database holds, as an attacker with a copy would see it."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return copy.read_bytes()
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = ["pg_dump", "--no-owner", "--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    return subprocess.run(command, env=env, capture_output=True, check=True).stdout  # noqa: S603


# Committed, so that pg_dump (another connection) sees the rows.
@pytest.mark.usefixtures("audit_truncate_allowed", "transactional_db")
def test_no_canary_from_a_sealed_field_is_stored_in_plaintext(cast, tmp_path):
    _seed(cast)
    victim_addresses = Address.objects.filter(person=cast.victim)
    assert CANARIES["address.line_1"] in [a.line_1 for a in victim_addresses]

    dump = _database_bytes(tmp_path)

    assert CONTROL.encode() in dump  # the dump does show plaintext columns
    found = [
        name
        for name, canary in [*CANARIES.items(), *((v, v) for v in VARIANTS)]
        if canary.encode() in dump or canary.lower().encode() in dump.lower()
    ]
    assert found == []


def test_ciphertext_swapped_between_rows_fails_to_decrypt(cast):
    lead = actor_for(cast.lead_worker)
    first, second = (
        people.address_add(
            actor=lead, case=cast.case, person=cast.victim, line_1=line, town="Town"
        )
        for line in ("1 Swap Street", "2 Swap Street")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_address SET line_1 = "
            "(SELECT line_1 FROM people_address WHERE id = %s) WHERE id = %s",
            [first.pk, second.pk],
        )

    with pytest.raises(DecryptionError, match="copied from another row or column"):
        Address.objects.get(pk=second.pk).line_1  # noqa: B018
    assert Address.objects.get(pk=first.pk).line_1 == "1 Swap Street"
