"""Sign-in answers give nothing away about which accounts exist."""

import re

from django.test import Client

from masip.accounts.tests.factories import UserFactory


def _failed_sign_in(email: str) -> tuple[int, bytes]:
    response = Client().post(
        "/sign-in/", {"username": email, "password": "not-it-at-all"}
    )
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    body = re.sub(rb'nonce="[^"]+"', b"", body)
    return response.status_code, body.replace(email.encode(), b"EMAIL")


def test_unknown_account_and_wrong_password_get_the_same_answer(db):
    UserFactory(email="someone@example.test")

    known = _failed_sign_in("someone@example.test")
    unknown = _failed_sign_in("nobody@example.test")

    assert known == unknown


def test_locked_and_unknown_accounts_get_the_same_lockout_page(db):
    UserFactory(email="someone@example.test")
    for _ in range(5):
        _failed_sign_in("someone@example.test")
        _failed_sign_in("nobody@example.test")

    assert _failed_sign_in("someone@example.test") == _failed_sign_in(
        "nobody@example.test"
    )
