"""Factories for sites, agencies, users and memberships."""

import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from masip.access.roles import AgencyKind, RoleName
from masip.accounts.models import (
    Agency,
    ConflictDeclaration,
    ConflictRelationship,
    Membership,
    Site,
    StaffHomeAddress,
    Team,
    User,
)

TEST_PASSWORD = "correct-horse-battery-staple"


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = AgencyKind.POLICE
    site = factory.SubFactory(SiteFactory)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    password = factory.django.Password(TEST_PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = RoleName.CASE_WORKER


def authenticator_for(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app (created on first use)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Authenticator app"}
    )
    return device


def totp_code(device: TOTPDevice) -> str:
    """The code the device's authenticator app shows now.

    django-otp refuses a code from a time step it has already accepted; when a
    test signs the same user in twice within one step, the device's record of
    the last step is moved back, as if the next step had come.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=totp.t() - 1)
    return f"{totp.token():0{device.digits}d}"


class ConflictDeclarationFactory(DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    user = factory.SubFactory(UserFactory)
    given_name = factory.Sequence(lambda n: f"Declared{n}")
    family_name = "Person"
    relationship = ConflictRelationship.NEIGHBOUR


class StaffHomeAddressFactory(DjangoModelFactory):
    """A synthetic home address (the ZZ99 postcodes are not real ones)."""

    class Meta:
        model = StaffHomeAddress

    user = factory.SubFactory(UserFactory)
    line_1 = factory.Sequence(lambda n: f"{n} Staff Lane")
    postcode = factory.Sequence(lambda n: f"ZZ98 {n % 10}ZZ")
