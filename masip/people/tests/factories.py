"""Factories for people and their details (synthetic names only)."""

import factory
from factory.django import DjangoModelFactory

from masip.access.actors import Actor
from masip.accounts.models import Agency, Membership, User
from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.people.models import Address, Person, PersonIdentifier, SafeContactPreference


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    created_by = factory.SubFactory(UserFactory)
    created_by_agency = factory.SubFactory(AgencyFactory)


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    person = factory.SubFactory(PersonFactory)
    line_1 = factory.Sequence(lambda n: f"{n} Example Road")
    town = "Exampleton"
    postcode = "ZZ99 9ZZ"


class PersonIdentifierFactory(DjangoModelFactory):
    class Meta:
        model = PersonIdentifier

    person = factory.SubFactory(PersonFactory)
    kind = PersonIdentifier.Kind.PHONE
    value = factory.Sequence(lambda n: f"07700 900{n % 1000:03d}")


class SafeContactPreferenceFactory(DjangoModelFactory):
    class Meta:
        model = SafeContactPreference

    person = factory.SubFactory(PersonFactory)
    safe_channels = ["phone"]
    forbidden_channels = ["letter"]
    safe_times = "Weekdays 10am to 2pm"
    code_word = "Bluebell"


def actor_for(user: User, agency: Agency | None = None) -> Actor:
    """An ``Actor`` for a persona, acting through their (only or named) membership."""
    memberships = Membership.objects.select_related("agency").filter(user=user)
    if agency is not None:
        memberships = memberships.filter(agency=agency)
    return Actor(user=user, membership=memberships.get(), ip_address="192.0.2.1")
