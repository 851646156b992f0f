"""Typed environment readers."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_networks, env_secret


def test_env_bool_reads_words(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")

    assert env_bool("X_FLAG", default=False) is True


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env_bool("X_FLAG", default=False)


def test_env_int_default_and_error(monkeypatch):
    assert env_int("X_MISSING", 7) == 7
    monkeypatch.setenv("X_NUM", "seven")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_NUM", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example,")

    assert env_list("X_LIST") == ["a.example", "b.example"]


def test_env_secret_has_no_default_outside_debug(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)

    assert env_secret("X_SECRET", dev_default="dev", debug=True) == "dev"
    with pytest.raises(ImproperlyConfigured):
        env_secret("X_SECRET", dev_default="dev", debug=False)


def test_env_networks_reads_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("X_PROXIES", "10.0.0.7, 192.168.0.0/16,fd00::/8")

    assert env_networks("X_PROXIES") == (
        ipaddress.ip_network("10.0.0.7/32"),
        ipaddress.ip_network("192.168.0.0/16"),
        ipaddress.ip_network("fd00::/8"),
    )


def test_env_networks_is_empty_unset_and_rejects_nonsense(monkeypatch):
    monkeypatch.delenv("X_PROXIES", raising=False)
    assert env_networks("X_PROXIES") == ()

    monkeypatch.setenv("X_PROXIES", "10.0.0.1,balancer.internal")
    with pytest.raises(ImproperlyConfigured, match=r"'balancer\.internal'"):
        env_networks("X_PROXIES")
