"""``masip demo_code EMAIL``: the current sign-in code of a demo account."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from masip.demo import data

DEBUG_OFF_MESSAGE = (
    "DEBUG is off, so this looks like a real deployment. Run demo_code with "
    "--force only on a server that exists to show the demo."
)


class Command(BaseCommand):
    help = (
        "Print the current 6-digit sign-in code of a demo account (the code its "
        "authenticator app would show). Only for the accounts `masip demo` makes."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="A demo account's email address.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (for a public demo server).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(DEBUG_OFF_MESSAGE)
        email = options["email"].strip().lower()
        if email not in {spec.email for spec in data.STAFF}:
            raise CommandError(f"{email} is not a demo account.")
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator: run `masip demo`.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
