"""``masip createadmin``: accounts for a new installation, clean errors."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masip.accounts.models import Membership, User
from masip.accounts.tests.factories import AgencyFactory, UserFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.audit.verify import chain_verify

PASSWORD = "a-long-admin-password-77"


@pytest.fixture
def no_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    monkeypatch.setenv("MASIP_ADMIN_PASSWORD", PASSWORD)


def createadmin(**options) -> str:
    out = StringIO()
    call_command("createadmin", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_makes_a_superuser():
    createadmin(email="First.Admin@example.org", name="First Admin")

    user = User.objects.get(email="first.admin@example.org")
    assert user.is_superuser
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(event_type=EventType.USER_CREATED)
    assert event.target_id == str(user.pk)
    assert chain_verify().ok


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_with_agency_makes_a_member_and_audits_it():
    agency = AgencyFactory(slug="north-police")

    createadmin(
        email="admin@example.org",
        name="Agency Admin",
        agency="north-police",
        role="agency_admin",
    )

    membership = Membership.objects.get(user__email="admin@example.org")
    assert (membership.agency, membership.role) == (agency, "agency_admin")
    assert not membership.user.is_superuser
    assert chain_verify().checked == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_duplicate_email_is_a_clean_error():
    UserFactory(email="taken@example.org")

    with pytest.raises(CommandError, match="already exists"):
        createadmin(email="Taken@example.org", name="Someone")


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_unknown_agency_is_a_clean_error():
    AgencyFactory(slug="north-police")

    with pytest.raises(CommandError, match="No agency with the slug 'nowhere'"):
        createadmin(
            email="a@example.org", name="A", agency="nowhere", role="agency_admin"
        )

    assert not User.objects.filter(email="a@example.org").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_unknown_role_is_a_clean_error():
    AgencyFactory(slug="north-police")

    with pytest.raises(CommandError, match="Unknown role"):
        createadmin(email="a@example.org", name="A", agency="north-police", role="boss")


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_agency_without_role_is_a_clean_error():
    with pytest.raises(CommandError, match="together"):
        createadmin(email="a@example.org", name="A", agency="north-police")


@pytest.mark.django_db
@pytest.mark.usefixtures("no_terminal")
def test_createadmin_bad_email_is_a_clean_error():
    with pytest.raises(CommandError, match="Enter an email address"):
        createadmin(email="not-an-email", name="A")


@pytest.mark.django_db
def test_createadmin_weak_password_is_refused(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    monkeypatch.setenv("MASIP_ADMIN_PASSWORD", "short")

    with pytest.raises(CommandError, match="Password refused"):
        createadmin(email="a@example.org", name="A")

    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin_without_terminal_or_variable_is_a_clean_error(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())
    monkeypatch.delenv("MASIP_ADMIN_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="MASIP_ADMIN_PASSWORD"):
        createadmin(email="a@example.org", name="A")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_createadmin_at_a_terminal_asks_twice(monkeypatch):
    monkeypatch.setattr("sys.stdin", _Terminal())
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="do not match"):
        createadmin(email="a@example.org", name="A")


@pytest.mark.django_db
def test_createadmin_at_a_terminal_uses_the_typed_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)

    createadmin(email="a@example.org", name="A")

    assert User.objects.get(email="a@example.org").check_password(PASSWORD)
