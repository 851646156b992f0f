"""``masip createadmin``: the first accounts of a new installation.

Without ``--agency`` it creates a superuser. With ``--agency SLUG --role ROLE``
it creates a staff account holding that role in that agency (for example the
agency's first administrator, who then adds everyone else).

The password is asked for twice when standard input is a terminal, and read
from MASIP_ADMIN_PASSWORD otherwise; it must pass the password validators.
"""

import getpass
import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from masip.access.roles import RoleName
from masip.accounts.models import Agency, Membership, User
from masip.audit import services as audit
from masip.audit.events import EventType

PASSWORD_ENV = "MASIP_ADMIN_PASSWORD"  # noqa: S105 (the variable's name)


class Command(BaseCommand):
    help = (
        "Create a superuser, or with --agency and --role a staff account holding "
        f"that role in the agency. The password is prompted for, or read from "
        f"{PASSWORD_ENV} when not at a terminal."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True, help="Sign-in email address.")
        parser.add_argument("--name", required=True, help="Full name.")
        parser.add_argument(
            "--agency", default="", help="Agency slug (with --role): make a member."
        )
        parser.add_argument(
            "--role",
            default="",
            help=f"Role in the agency: one of {', '.join(RoleName.values)}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = _clean_email(options["email"])
        name = options["name"].strip()
        if not name:
            raise CommandError("Enter a full name with --name.")
        agency, role = _agency_and_role(options["agency"], options["role"])
        if User.objects.filter(email=email).exists():
            raise CommandError(f"An account with the email {email} already exists.")
        password = self._password(User(email=email, full_name=name))
        with transaction.atomic():
            user = self._create(email, name, password, agency, role)
        if agency is None:
            self.stdout.write(self.style.SUCCESS(f"Superuser {user.email} created."))
        else:
            label = RoleName(role).label
            self.stdout.write(
                self.style.SUCCESS(f"{user.email} created: {label}, {agency.name}.")
            )

    def _create(
        self, email: str, name: str, password: str, agency: Agency | None, role: str
    ) -> User:
        if agency is None:
            user = User.objects.create_superuser(email, password, full_name=name)
            audit.record(
                EventType.USER_CREATED,
                actor=audit.SYSTEM,
                target_type="user",
                target_id=user.pk,
                changed_fields=["email", "full_name", "is_superuser"],
            )
            return user
        user = User.objects.create_user(email, password, full_name=name, is_staff=True)
        membership = Membership.objects.create(user=user, agency=agency, role=role)
        audit.record(
            EventType.MEMBERSHIP_CHANGED,
            actor=audit.SYSTEM,
            target_type="membership",
            target_id=membership.pk,
            changed_fields=["agency", "role", "user"],
        )
        return user

    def _password(self, user: User) -> str:
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        else:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(
                    f"Set {PASSWORD_ENV}, or run at a terminal to be asked for a "
                    "password."
                )
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None
        return password


def _clean_email(raw: str) -> str:
    email = raw.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CommandError(
            f"Enter an email address like name@example.org, not {raw!r}."
        ) from None
    return email


def _agency_and_role(slug: str, role: str) -> tuple[Agency | None, str]:
    if not slug and not role:
        return None, ""
    if not (slug and role):
        raise CommandError("Give --agency and --role together, or neither.")
    if role not in RoleName.values:
        raise CommandError(
            f"Unknown role {role!r}. Choose one of: {', '.join(RoleName.values)}."
        )
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        known = ", ".join(
            Agency.objects.order_by("slug").values_list("slug", flat=True)[:30]
        )
        raise CommandError(
            f"No agency with the slug {slug!r}. Known agencies: {known or 'none yet'}."
        )
    return agency, role
