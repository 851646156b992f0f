"""Serving behind a TLS-terminating load balancer, and the gunicorn config
(docs/deployment.md, ADR 0032)."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings

GUNICORN_CONF = Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"


@pytest.fixture
def behind_balancer(settings):
    """The production settings that decide redirects (DEBUG off turns them on)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


def test_health_check_over_plain_http_is_not_redirected(behind_balancer, client, db):
    # ``db``: on PostgreSQL the row-security middleware sets (and empties) the
    # request's reach even here, so a database that is down fails the check.
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_plain_http_is_redirected_to_https(behind_balancer, client):
    response = client.get("/sign-in/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sign-in/"


def test_forwarded_https_is_served_with_hsts(behind_balancer, client, db):
    response = client.get("/sign-in/", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def _gunicorn(monkeypatch, **env: str) -> dict[str, object]:
    for name in (
        "MASIP_BIND",
        "MASIP_WEB_WORKERS",
        "MASIP_WEB_THREADS",
        "MASIP_ACCESS_LOG",
        "MASIP_WEB_MAX_REQUESTS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_defaults_to_sync_workers_per_core(monkeypatch):
    conf = _gunicorn(monkeypatch)

    assert conf["wsgi_app"] == "config.wsgi:application"
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["worker_class"] == "sync"
    assert conf["workers"] >= 3
    assert conf["preload_app"] is True
    assert conf["accesslog"] == "-"
    assert conf["max_requests_jitter"] == 500


def test_gunicorn_threads_choose_the_threaded_worker(monkeypatch):
    conf = _gunicorn(
        monkeypatch,
        MASIP_BIND="10.0.0.5:8000,127.0.0.1:8000",
        MASIP_WEB_WORKERS="3",
        MASIP_WEB_THREADS="4",
        MASIP_ACCESS_LOG="off",
    )

    assert conf["bind"] == ["10.0.0.5:8000", "127.0.0.1:8000"]
    assert (conf["workers"], conf["threads"]) == (3, 4)
    assert conf["worker_class"] == "gthread"
    assert conf["accesslog"] is None
