"""Key rotation: ``masip keys rotate`` re-seals every value in the background,
through the real database worker, with every row readable throughout."""

import os
import signal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.tests.factories import CaseNoteFactory
from masip.crypto.cipher import key_id_of
from masip.crypto.fields import EncryptedTextField, sealed_fields
from masip.crypto.keys import KeyRing, get_keyring
from masip.crypto.rotation import batch_rotated, key_usage, rotate_batch, sealed_models
from masip.crypto.tests.committing import audit_truncate_allowed  # noqa: F401
from masip.incidents.tests.factories import IncidentFactory
from masip.people import services
from masip.people.models import Address, SafeContactPreference
from masip.people.tests.factories import (
    AddressFactory,
    PersonIdentifierFactory,
    SafeContactPreferenceFactory,
    actor_for,
)


@pytest.fixture
def new_key(settings):
    """Switch the active key to a fresh ``k2``, keeping the old key in the ring."""

    def switch() -> KeyRing:
        old = get_keyring()
        ring = KeyRing(keys={**old.keys, "k2": os.urandom(32)}, active_id="k2")
        settings.MASIP_FIELD_KEYRING = ring
        return ring

    return switch


def _plaintexts() -> dict[tuple[str, object, str], str]:
    """Every sealed value in the database, read (and so decrypted) through the ORM."""
    values = {}
    for model, fields in sealed_models():
        for row in model._base_manager.all():
            for f in fields:
                values[(model._meta.label, row.pk, f.name)] = getattr(row, f.attname)
    return values


def _run_worker() -> str:
    """The real worker in its run-once mode, in this process; signals restored."""
    saved = {
        s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    out = StringIO()
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=out
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return out.getvalue()


def _seed(cast):
    for n in range(3):
        AddressFactory(person=cast.victim, line_1=f"{n} Rotation Road")
        PersonIdentifierFactory(person=cast.victim, value=f"07700 90001{n}")
        CaseNoteFactory(case=cast.case, text=f"Note {n}")
        IncidentFactory(case=cast.case, location=f"Place {n}")


# The worker closes a connection it finds inside a transaction (it expects to
# own it), so the tests that run it commit as they go.
@pytest.mark.usefixtures("audit_truncate_allowed", "transactional_db")
def test_rotate_through_the_worker_keeps_rows_readable_and_edits_intact(cast, new_key):
    _seed(cast)
    preference = SafeContactPreferenceFactory(code_word="Bluebell")
    expected = _plaintexts()
    address = Address.objects.filter(line_1__isnull=False).first()
    new_key()
    readings: list[bool] = []

    def read_between_batches(sender, outcome, **kwargs):
        if not readings:  # a user edits a row the rotation has not reached yet
            services.safe_contact_update(
                actor=actor_for(cast.lead_worker),
                case=cast.case,
                person=preference.person,
                version=preference.version,
                code_word="Foxglove",
            )
            expected[("people.SafeContactPreference", preference.pk, "code_word")] = (
                "Foxglove"
            )
        readings.append(_plaintexts() == expected)

    batch_rotated.connect(read_between_batches)
    try:
        call_command("keys", "rotate", "--batch-size", "2", stdout=StringIO())
        log = _run_worker()
    finally:
        batch_rotated.disconnect(read_between_batches)

    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL, log
    assert len(readings) > 10
    assert all(readings)
    assert _plaintexts() == expected
    assert SafeContactPreference.objects.get(pk=preference.pk).code_word == "Foxglove"
    assert {k for counts in key_usage().values() for k in counts} == {"k2"}
    assert Address.objects.get(pk=address.pk).updated_at == address.updated_at
    event = AuditEvent.objects.filter(event_type=EventType.KEYS_ROTATED).get()
    assert event.target_id == "k2"
    assert "people_address.line_1" in event.changed_fields


def test_rotate_batch_never_overwrites_an_edit_made_after_it_read(
    db, new_key, monkeypatch
):
    address = AddressFactory(line_1="1 Old Road")
    new_key()
    line_1 = Address._meta.get_field("line_1")
    original = EncryptedTextField.open_for
    edited: list[bool] = []

    def open_then_someone_saves(self, seal_id, token):
        plaintext = original(self, seal_id, token)
        if self is line_1 and not edited:
            edited.append(True)
            other = Address.objects.get(pk=address.pk)
            other.line_1 = "2 New Road"
            other.save()
        return plaintext

    monkeypatch.setattr(EncryptedTextField, "open_for", open_then_someone_saves)

    outcome = rotate_batch(Address, sealed_fields(Address), after_pk=0)

    assert (outcome.rewritten, outcome.skipped) == (0, 1)
    monkeypatch.undo()
    assert Address.objects.get(pk=address.pk).line_1 == "2 New Road"


@pytest.mark.usefixtures("audit_truncate_allowed", "transactional_db")
def test_keys_status_shows_which_keys_still_seal_values(new_key):
    AddressFactory()
    before = get_keyring().active_id
    new_key()
    out = StringIO()

    call_command("keys", "status", stdout=out)

    assert "Active key: k2" in out.getvalue()
    assert f"Still in use besides the active key: {before}" in out.getvalue()
    call_command("keys", "rotate", stdout=StringIO())
    _run_worker()
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "Every sealed value uses the active key." in out.getvalue()
    assert f"No value uses {before}: they can leave the ring." in out.getvalue()


def test_keys_status_fails_clearly_when_a_key_in_use_left_the_ring(db, settings):
    AddressFactory()
    settings.MASIP_FIELD_KEYRING = KeyRing(keys={"k9": os.urandom(32)}, active_id="k9")

    with pytest.raises(
        CommandError, match="cannot be read: that key is not in the key ring"
    ):
        call_command("keys", "status", stdout=StringIO())


def test_keys_rotate_queues_a_task_and_refuses_a_bad_batch_size(db):
    out = StringIO()

    call_command("keys", "rotate", "--batch-size", "50", stdout=out)

    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "masip.crypto.tasks.rotate_sealed_fields"
    assert str(task.id) in out.getvalue()
    with pytest.raises(CommandError, match="whole number"):
        call_command("keys", "rotate", "--batch-size", "0")


def test_keys_generate_prints_an_entry_the_ring_accepts(db):
    out = StringIO()

    call_command("keys", "generate", "--kid", "k3", stdout=out)

    entry = out.getvalue().strip()
    from masip.crypto.keys import build_keyring

    ring = build_keyring(keys_text=entry, key_file="", active="", debug=False)
    assert ring.active_id == "k3"
    assert key_id_of("v1.k3.x") == "k3"
