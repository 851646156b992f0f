"""Gunicorn, the production WSGI server (ADR 0032, docs/deployment.md).

    gunicorn -c config/gunicorn.conf.py

Every knob comes from the environment, like the Django settings; the Django
settings themselves (DJANGO_DEBUG=false and the keys) come from the same
environment. Unset, it serves config.wsgi on 127.0.0.1:8000 with 2 x cores + 1
synchronous worker processes, as behind a TLS-terminating load balancer.
"""

import multiprocessing
import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


wsgi_app = "config.wsgi:application"
# Load Django and every view once in the master, then fork: workers start at
# once with the code already imported (and shared), a broken deploy fails at
# start rather than on the first request, and a replaced worker (max_requests)
# is ready immediately. Nothing touches the database before the fork, so no
# connection (or connection pool) is shared between processes.
preload_app = True
bind = os.environ.get("MASIP_BIND", "127.0.0.1:8000").split(",")

# Processes, not threads: each worker runs one request at a time on its own
# interpreter, so a page's Python work uses a core without waiting for the GIL.
# ``gthread`` (MASIP_WEB_THREADS above 1) suits a database far away, where
# requests spend most of their time waiting; give the pool as many connections.
workers = _int("MASIP_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("MASIP_WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A worker silent this long is killed and replaced; a stopping server lets
# requests in flight finish for this long.
timeout = _int("MASIP_WEB_TIMEOUT", 30)
graceful_timeout = _int("MASIP_WEB_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections from the load balancer (gthread only; the sync
# worker closes each connection after its response).
keepalive = _int("MASIP_WEB_KEEPALIVE", 5)
# Replace each worker after this many requests (jittered so they do not all
# restart together): bounds any slow growth of a process's memory.
max_requests = _int("MASIP_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# The load balancer: trusted for X-Forwarded-Proto from these addresses
# (gunicorn's own FORWARDED_ALLOW_IPS, default the loopback), and for the
# PROXY protocol when MASIP_PROXY_PROTOCOL is v1, v2 or auto, which carries
# the client's address into REMOTE_ADDR (the address the audit trail keeps).
proxy_protocol = os.environ.get("MASIP_PROXY_PROTOCOL", "off")
proxy_allow_ips = os.environ.get("MASIP_PROXY_ALLOW_IPS", "127.0.0.1,::1")

# Request lines and headers (the session and CSRF cookies are the largest).
limit_request_line = 4094
limit_request_fields = 100

# Logs go to standard error and the access log to standard output (set
# MASIP_ACCESS_LOG to a file, or to "off"). URLs carry no names (ASVS 14.2.1).
_access_log = os.environ.get("MASIP_ACCESS_LOG", "-")
accesslog = None if _access_log == "off" else _access_log
errorlog = "-"
loglevel = os.environ.get("MASIP_LOG_LEVEL", "info").lower()
# The heartbeat file each worker touches: memory, not a disk that may stall.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108  # nosec B108


def when_ready(server: object) -> None:
    """In the master, before any worker is forked: import every URL's view."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
