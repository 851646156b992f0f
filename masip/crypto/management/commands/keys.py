"""``masip keys status|rotate|generate``: the field-encryption key lifecycle.

1. ``masip keys generate --kid k2`` prints a new ``k2=...`` entry.
2. Add it to MASIP_FIELD_KEYS (or the key file) beside the old key, set
   MASIP_FIELD_KEY_ACTIVE=k2 and restart every web and worker process.
3. ``masip keys rotate`` queues the re-encryption; the worker does it in batches.
4. ``masip keys status`` shows how many values each key still seals; remove
   the old key only once it shows none.
"""

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from masip.crypto import rotation
from masip.crypto.keys import KEY_ID, generate_key, get_keyring
from masip.crypto.tasks import rotate_sealed_fields


class Command(BaseCommand):
    help = "Field encryption keys: 'status', 'rotate' (in the background), 'generate'."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{status,rotate,generate}"
        )
        sub.add_parser(
            "status", help="Show the key ring and how many values each key seals."
        )
        rotate = sub.add_parser(
            "rotate",
            help="Queue re-encryption of every sealed value under the active key.",
        )
        rotate.add_argument(
            "--batch-size",
            type=_batch_size,
            default=rotation.DEFAULT_BATCH_SIZE,
            help="Rows re-encrypted per transaction (default %(default)s).",
        )
        generate = sub.add_parser("generate", help="Print a new random 256-bit key.")
        generate.add_argument(
            "--kid", type=_key_id, required=True, help="The key id to print it under."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "status":
            self.status()
        elif subcommand == "rotate":
            self.rotate(batch_size=options["batch_size"])
        else:
            self.generate(key_id=options["kid"])

    def status(self) -> None:
        ring = get_keyring()
        usage = rotation.key_usage()
        self.stdout.write(f"Active key: {ring.active_id}")
        self.stdout.write(f"Keys in the ring: {', '.join(sorted(ring.keys))}")
        in_use: set[str] = set()
        self.stdout.write("")
        self.stdout.write(f"{'Sealed column':<40} {'Key':<12} {'Values':>8}")
        for column, counts in sorted(usage.items()):
            if not counts:
                self.stdout.write(f"{column:<40} {'-':<12} {0:>8}")
            for key_id, count in sorted(counts.items()):
                in_use.add(key_id)
                self.stdout.write(f"{column:<40} {key_id:<12} {count:>8}")
        self.stdout.write("")
        retired = sorted(set(ring.keys) - in_use - {ring.active_id})
        stale = sorted((in_use & set(ring.keys)) - {ring.active_id})
        if stale:
            self.stdout.write(
                f"Still in use besides the active key: {', '.join(stale)}. "
                "Keep them in the ring; run 'masip keys rotate' to re-encrypt."
            )
        else:
            self.stdout.write("Every sealed value uses the active key.")
        if retired:
            self.stdout.write(
                f"No value uses {', '.join(retired)}: they can leave the ring."
            )
        missing = sorted(in_use - set(ring.keys))
        if missing:
            raise CommandError(
                f"Values sealed under {', '.join(missing)} cannot be read: that key "
                "is not in the key ring. Put it back in MASIP_FIELD_KEYS or "
                "MASIP_FIELD_KEY_FILE."
            )

    def rotate(self, *, batch_size: int) -> None:
        result = rotate_sealed_fields.enqueue(batch_size=batch_size)
        self.stdout.write(
            f"Queued re-encryption under key {get_keyring().active_id} "
            f"(task {result.id}). The background worker (manage.py db_worker) "
            "carries it out; 'masip keys status' shows its progress."
        )

    def generate(self, *, key_id: str) -> None:
        self.stdout.write(f"{key_id}={generate_key()}")


def _batch_size(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise ArgumentTypeError(
            f"must be a whole number from 1 to 10000, not {value!r}"
        )
    return int(value)


def _key_id(value: str) -> str:
    if not KEY_ID.match(value):
        raise ArgumentTypeError("use 1 to 32 letters, digits, '-' or '_'")
    return value
