"""Load test: many signed-in users against the production server (issue 9).

Run from the repository root, on a PostgreSQL database already migrated,
loaded with ``masip demo`` and seeded (or pass --seed-cases to do that):

    .venv/bin/python bench/load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/masip_load

What it does, in order:

1. (``--seed-cases N``) migrates, loads the demo and seeds N cases with
   ``masip seed --seed 7``, over --database-url (an owner connection).
2. Creates or updates the application role (``masip db_roles``, default
   ``<database>_app``): the server connects as it, so row-level security is
   enforced as in production. ``collectstatic`` into a run folder.
3. Signs in --sessions sessions spread over the demo staff who reach cases
   without stating a purpose, through Django's own machinery: a session
   store, ``django.contrib.auth.login``, ``django_otp.login`` with the
   user's authenticator (the second factor, as the sign-in page records it),
   the session's start and factor stamps, a CSRF secret, and a few name
   searches kept in the session the way the case list keeps them.
4. Starts gunicorn with config/gunicorn.conf.py and production settings
   (DJANGO_DEBUG=false, secure cookies, HTTPS redirect, HSTS; requests carry
   ``X-Forwarded-Proto: https`` as from a TLS-terminating load balancer),
   and a background worker (``masip db_worker``) beside it.
5. Runs wrk (bench/load/mix.lua) for --duration seconds at --connections
   connections: the dashboard (my cases), the case list with filters, name
   searches (POST and the search results), case pages, incident lists, the
   evidence timeline, the case access log, and writes (record an incident,
   add a note) about a tenth of requests.
6. Stops both, and prints requests per second, client latency percentiles,
   status counts and, from the server's access log, each kind's count and
   server-side p50/p95/p99. ``--markdown FILE`` writes the same report.

The keys: the server gets the development field, audit and blind-index keys
(the seeded data was sealed and chained under them) passed explicitly, as a
production deployment passes its own; a fresh random DJANGO_SECRET_KEY each run.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LUA_SCRIPT = ROOT / "bench" / "load" / "mix.lua"
ACCESS_FORMAT = "%(m)s %(U)s %(q)s %(s)s %(D)s"
HOST = "127.0.0.1"
CASES_SCANNED = 80  # per user, for the cases each session visits
CASES_KEPT = 25  # per user and kind of page

# The mix: (kind, weight). Writes (incident_record, note_add) are 10%.
WEIGHTS = (
    ("dashboard", 14),
    ("case_list", 14),
    ("search", 10),
    ("search_post", 3),
    ("case", 22),
    ("incidents", 10),
    ("timeline", 8),
    ("access_log", 9),
    ("incident_record", 5),
    ("note_add", 5),
)
WRITES = ("incident_record", "note_add")
REDIRECTING = (*WRITES, "search_post")  # answered with 302 when they succeed
CASE_PATHS = {
    "case": "/cases/{ref}/",
    "incidents": "/cases/{ref}/incidents/",
    "timeline": "/cases/{ref}/evidence/timeline/",
    "access_log": "/cases/{ref}/access-log/",
    "incident_record": "/cases/{ref}/incidents/record/",
    "note_add": "/cases/{ref}/notes/add/",
}
FILTERS = (
    "/cases/?status=open",
    "/cases/?risk_level=high",
    "/cases/?status=open&risk_level=high&sort=-referred_on",
    "/cases/?sort=reference&page=3",
)
INCIDENT_BODY = urlencode(
    [
        ("occurred_on_day", "12"),
        ("occurred_on_month", "3"),
        ("occurred_on_year", "2026"),
        ("occurred_time", "14:30"),
        ("time_precision", "exact"),
        ("behaviours", "contacting"),
        ("channels", "phone"),
        ("narrative", "Load test: repeated calls from a withheld number."),
        ("reported_to_police", "no"),
        ("location_confidentiality", "standard"),
    ]
)
NOTE_BODY = urlencode([("kind", "general"), ("text", "Load test note.")])


def main() -> int:
    args = _parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    run_dir = Path(args.run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    app_url = _with_user(args.database_url, args.app_role) if args.app_role else ""
    env = _server_env(args, run_dir)
    owner_env = {**env, "DATABASE_URL": args.database_url}
    if args.seed_cases:
        _seed(owner_env, args.seed_cases)
    if args.app_role:
        _manage(owner_env, "db_roles", "--app-role", args.app_role)
    _manage(owner_env, "collectstatic", "--noinput", quiet=True)
    os.environ.update(owner_env)
    sessions, database = _mint_sessions(args)
    data_file = run_dir / "load_data.lua"
    data_file.write_text(_lua_data(args, sessions))
    serve_env = {**env, "DATABASE_URL": app_url or args.database_url}
    access_log = run_dir / "access.log"
    access_log.unlink(missing_ok=True)
    server = _start_server(args, serve_env, access_log, run_dir)
    worker = _start_worker(owner_env, run_dir) if args.worker else None
    try:
        _wait_healthy(args.port, server)
        if args.warmup:
            _run_wrk(args, data_file, duration=args.warmup)
        skip = len(access_log.read_text().splitlines())
        before = _cpu_snapshot(server, worker)
        load_before = os.getloadavg()[0]
        result = _run_wrk(args, data_file, duration=args.duration)
        result["cpu_seconds"] = _cpu_used(before, _cpu_snapshot(server, worker))
        result["load_average"] = (load_before, os.getloadavg()[0])
    finally:
        for process in (server, worker):
            if process is not None:
                _stop(process)
    kinds = _access_log_stats(access_log, skip=skip)
    report = _report(args, database, len(sessions), result, kinds)
    print(report)
    if args.markdown:
        Path(args.markdown).write_text(report)
    # CI runs this: an error, an unexpected status (a page answering with the
    # sign-in redirect, say) or a run that served nothing fails.
    unexpected = sum(
        n
        for kind, stats in kinds.items()
        for code, n in stats["statuses"].items()
        if code != ("302" if kind in REDIRECTING else "200")
    )
    served = result["requests"] > 0
    return 1 if unexpected or sum(result["errors"].values()) or not served else 0


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="owner connection")
    parser.add_argument(
        "--app-role",
        default=None,
        help="role the server connects as (default <database>_app; '' for the "
        "owner URL itself, which a superuser makes bypass row-level security)",
    )
    parser.add_argument("--seed-cases", type=int, default=0)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--pool-size", type=int, default=0, help="connection pool per worker (0 off)"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    parser.add_argument(
        "--warmup", type=int, default=10, help="seconds of load before measuring"
    )
    parser.add_argument("--sessions", type=int, default=128)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--no-worker", dest="worker", action="store_false")
    parser.add_argument("--run-dir", default=str(ROOT / "var" / "load"))
    parser.add_argument("--markdown", default="", help="also write the report here")
    args = parser.parse_args()
    if args.app_role is None:
        name = urlsplit(args.database_url).path.lstrip("/")
        args.app_role = f"{name}_app"
    return args


def _with_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{user}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _server_env(args: argparse.Namespace, run_dir: Path) -> dict[str, str]:
    """Production settings for this machine (docs/deployment.md)."""
    development_field_key = hashlib.sha256(
        b"masip insecure development field key"
    ).digest()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # The seeded data was sealed and chained under the development keys.
        "MASIP_FIELD_KEYS": "dev=" + base64.b64encode(development_field_key).decode(),
        "MASIP_AUDIT_KEY": "insecure-development-audit-key",
        "MASIP_BLIND_INDEX_KEY": "insecure-development-blind-index-key",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "MASIP_WEBAUTHN_RP_ID": HOST,
        "MASIP_WEBAUTHN_ORIGIN": f"https://{HOST}",
        "MASIP_VAR_DIR": str(run_dir),
        "MASIP_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MASIP_LOG_LEVEL": "WARNING",
        "MASIP_BIND": f"{HOST}:{args.port}",
        "MASIP_WEB_WORKERS": str(args.workers),
        "MASIP_WEB_THREADS": str(args.threads),
        "MASIP_DB_POOL_MAX_SIZE": str(args.pool_size),
        "MASIP_DB_POOL_MIN_SIZE": str(min(args.pool_size, 1)),
        "MASIP_ACCESS_LOG": str(run_dir / "access.log"),
        "PYTHONUNBUFFERED": "1",
    }


def _manage(env: dict[str, str], *command: str, quiet: bool = False) -> None:
    print(f"$ masip {' '.join(command)}", flush=True)
    subprocess.run(  # noqa: S603 - this interpreter, fixed commands
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _seed(env: dict[str, str], cases: int) -> None:
    seed_env = {**env, "DJANGO_DEBUG": "true"}
    _manage(seed_env, "migrate", "--noinput", quiet=True)
    _manage(seed_env, "demo", quiet=True)
    _manage(seed_env, "seed", "--cases", str(cases), "--seed", "7", "--force")


# Signing in ---------------------------------------------------------------------


def _mint_sessions(args: argparse.Namespace) -> tuple[list[dict[str, Any]], str]:
    """Signed-in, second-factor-verified sessions and what each may ask for."""
    import django

    sys.path.insert(0, str(ROOT))  # this checkout's masip, not an installed one
    django.setup()
    from masip.isolation.context import system_work

    with system_work():
        users = _load_users()
        database = _database_counts()
    if not users:
        raise SystemExit("No staff with an authenticator reach cases: run masip demo.")
    sessions = [
        _mint_one(users[i % len(users)], search_index=i) for i in range(args.sessions)
    ]
    print(
        f"Signed in {len(sessions)} sessions for {len(users)} users: "
        + ", ".join(sorted({u["user"].email for u in users})),
        flush=True,
    )
    return sessions, database


def _load_users() -> list[dict[str, Any]]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from masip.access.permissions import Permission as P
    from masip.access.policy import Access
    from masip.cases.models import CaseParticipant

    wanted = {
        "case": P.CASE_VIEW,
        "incidents": P.INCIDENT_VIEW,
        "timeline": P.EVIDENCE_VIEW,
        "access_log": P.CASE_ACCESS_LOG_VIEW,
        "incident_record": P.INCIDENT_RECORD,
        "note_add": P.NOTE_ADD,
    }
    users = []
    devices = TOTPDevice.objects.filter(confirmed=True, user__is_active=True)
    for device in devices.select_related("user").order_by("user__email"):
        access = Access(device.user)
        if not access.has(P.CASE_VIEW):
            continue
        cases: dict[str, list[str]] = defaultdict(list)
        for case in access.visible_cases().order_by("pk")[:CASES_SCANNED]:
            case_access = access.case_access(case)
            if case_access.requires_purpose:
                continue
            for kind, permission in wanted.items():
                if case_access.can(permission) and len(cases[kind]) < CASES_KEPT:
                    cases[kind].append(case.reference)
        if not cases["case"]:
            continue
        names = (
            CaseParticipant.objects.filter(case__reference__in=cases["case"])
            .values_list("person__family_name", flat=True)
            .distinct()[:8]
        )
        users.append(
            {
                "user": device.user,
                "device": device,
                "cases": cases,
                "terms": [n for n in names if n],
            }
        )
    return users


def _database_counts() -> str:
    from django.db import connection

    counts = []
    with connection.cursor() as cursor:
        for table, label in (
            ("cases_case", "cases"),
            ("people_person", "people"),
            ("incidents_incident", "incidents"),
            ("audit_auditevent", "audit events"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            counts.append(f"{cursor.fetchone()[0]:,} {label}")
    return ", ".join(counts)


def _mint_one(entry: dict[str, Any], *, search_index: int) -> dict[str, Any]:
    import django_otp
    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    from masip.accounts.mfa import note_factor
    from masip.accounts.sessions import session_start
    from masip.cases import search

    user = entry["user"]
    request = RequestFactory().get("/", REMOTE_ADDR=HOST)
    request.session = SessionStore()
    request.user = user
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    django_otp.login(request, entry["device"])
    session_start(request, user)
    note_factor(request)
    terms = entry["terms"] or ["Smith"]
    searches = {secrets.token_urlsafe(6): term for term in terms}
    request.session[search.SESSION_KEY] = searches
    csrf_token = get_token(request)
    request.session.save()
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
    )
    return {
        "cookie": cookie,
        "csrf_token": csrf_token,
        "cases": entry["cases"],
        "searches": list(searches),
        "search_bodies": [urlencode({"q": term}) for term in terms],
    }


def _lua(value: Any) -> str:
    """A Python value as a Lua literal (strings, numbers, lists, dicts)."""
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are valid Lua ones here
    if isinstance(value, bool | int | float):
        return str(value).lower()
    if isinstance(value, dict):
        items = ", ".join(
            f"[{json.dumps(str(k))}] = {_lua(v)}" for k, v in value.items()
        )
        return "{" + items + "}"
    return "{" + ", ".join(_lua(v) for v in value) + "}"


def _lua_data(args: argparse.Namespace, sessions: list[dict[str, Any]]) -> str:
    data = {
        "host": f"{HOST}:{args.port}",
        "origin": f"https://{HOST}:{args.port}",
        "weights": [list(pair) for pair in WEIGHTS],
        "paths": CASE_PATHS,
        "filters": list(FILTERS),
        "incident_body": INCIDENT_BODY,
        "note_body": NOTE_BODY,
        "sessions": sessions,
    }
    return "return " + _lua(data) + "\n"


# The server and the load ------------------------------------------------------


def _start_server(
    args: argparse.Namespace, env: dict[str, str], access_log: Path, run_dir: Path
) -> subprocess.Popen[bytes]:
    command = [
        str(VENV_BIN / "gunicorn"),
        "-c",
        str(ROOT / "config" / "gunicorn.conf.py"),
        "--access-logformat",
        ACCESS_FORMAT,
    ]
    print(
        f"$ {' '.join(command)}  (workers {args.workers}, threads "
        f"{args.threads}, pool {args.pool_size or 'off'})",
        flush=True,
    )
    log = (run_dir / "server.log").open("wb")
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)  # noqa: S603


def _start_worker(env: dict[str, str], run_dir: Path) -> subprocess.Popen[bytes]:
    log = (run_dir / "worker.log").open("wb")
    return subprocess.Popen(  # noqa: S603 - this interpreter, a fixed command
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )


def _wait_healthy(port: int, server: subprocess.Popen[bytes]) -> None:
    url = f"http://{HOST}:{port}/healthz/"
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("The server stopped: see var/load/server.log.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit("The server did not answer /healthz/ within a minute.")


def _run_wrk(
    args: argparse.Namespace, data_file: Path, *, duration: int
) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA_SCRIPT),
        f"http://{HOST}:{args.port}",
        "--",
        str(data_file),
        str(args.wrk_threads),
    ]
    print("$ " + " ".join(command), flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(  # noqa: S603 - wrk with fixed arguments
        command, capture_output=True, text=True, check=True
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(x for x in output.splitlines() if x.startswith("MASIP_LOAD "))
    result: dict[str, Any] = json.loads(line.removeprefix("MASIP_LOAD "))
    result["wrk_cpu_seconds"] = (after.ru_utime + after.ru_stime) - (
        before.ru_utime + before.ru_stime
    )
    return result


def _cpu_snapshot(
    server: subprocess.Popen[bytes], worker: subprocess.Popen[bytes] | None
) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the server's processes and this database's backends.

    The machine may be shared, so requests per second alone says little: the
    CPU the serving processes spent per request says what 2 idle cores give.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        backends = {row[0] for row in cursor.fetchall()}
    web = _children(server.pid) | {server.pid}
    workers = {worker.pid} if worker is not None else set()
    return {
        group: {pid: cpu for pid in pids if (cpu := _cpu_of(pid)) is not None}
        for group, pids in (("web", web), ("worker", workers), ("postgres", backends))
    }


def _children(parent: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def _cpu_of(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_used(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
) -> dict[str, float]:
    return {
        group: sum(cpu - before[group].get(pid, 0.0) for pid, cpu in now.items())
        for group, now in after.items()
    }


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The report ---------------------------------------------------------------------

_KIND_PATTERNS = (
    ("dashboard", re.compile(r"^GET /cases/mine/ ")),
    ("search", re.compile(r"^GET /cases/ .*search=")),
    ("case_list", re.compile(r"^GET /cases/ ")),
    ("search_post", re.compile(r"^POST /cases/ ")),
    ("incident_record", re.compile(r"^POST /cases/[^/]+/incidents/record/ ")),
    ("note_add", re.compile(r"^POST /cases/[^/]+/notes/add/ ")),
    ("incidents", re.compile(r"^GET /cases/[^/]+/incidents/ ")),
    ("timeline", re.compile(r"^GET /cases/[^/]+/evidence/timeline/ ")),
    ("access_log", re.compile(r"^GET /cases/[^/]+/access-log/ ")),
    ("case", re.compile(r"^GET /cases/[^/]+/ ")),
)


def _kind_of(method: str, path: str, query: str) -> str:
    text = f"{method} {path} {query}"
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return "other"


def _access_log_stats(path: Path, *, skip: int) -> dict[str, dict[str, Any]]:
    times: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in path.read_text().splitlines()[skip:]:
        parts = line.split(" ")
        if len(parts) != 5 or parts[1] == "/healthz/":
            continue
        method, url_path, query, status, micros = parts
        kind = _kind_of(method, url_path, query if query != "-" else "")
        times[kind].append(int(micros) / 1000)
        statuses[kind][status] += 1
    stats = {}
    for kind, values in times.items():
        values.sort()
        stats[kind] = {
            "count": len(values),
            "p50": statistics.median(values),
            "p95": values[min(len(values) - 1, int(len(values) * 0.95))],
            "p99": values[min(len(values) - 1, int(len(values) * 0.99))],
            "statuses": dict(statuses[kind]),
        }
    return stats


def _report(
    args: argparse.Namespace,
    database: str,
    sessions: int,
    result: dict[str, Any],
    kinds: dict[str, dict[str, Any]],
) -> str:
    seconds = result["duration_us"] / 1e6
    rate = result["requests"] / seconds
    latency = result["latency_us"]
    bad = {k: v for k, v in result["statuses"].items() if int(k) >= 400}
    errors = {k: v for k, v in result["errors"].items() if v}
    total = sum(k["count"] for k in kinds.values()) or 1
    per_request = {
        group: seconds_used / max(result["requests"], 1) * 1000
        for group, seconds_used in result["cpu_seconds"].items()
    }
    cpu_ms = sum(per_request.values())
    all_ms = cpu_ms + result["wrk_cpu_seconds"] / max(result["requests"], 1) * 1000
    capacity = (os.cpu_count() or 1) * 1000 / all_ms if all_ms else 0.0
    writes = sum(
        kinds.get(k, {}).get("count", 0) for k in ("incident_record", "note_add")
    )
    lines = [
        "## Mixed load (bench/load.py)",
        "",
        f"- Database: {database}; the server connects as "
        + (
            f"`{args.app_role}` (row-level security enforced)."
            if args.app_role
            else "--database-url's user (a superuser passes row-level security)."
        ),
        f"- Server: gunicorn (config/gunicorn.conf.py), {args.workers} "
        f"{'gthread' if args.threads > 1 else 'sync'} workers x {args.threads} "
        f"thread(s), connection pool {args.pool_size or 'off'}, DJANGO_DEBUG=false, "
        f"{'with' if args.worker else 'without'} a db_worker; {os.cpu_count()} cores "
        "shared with PostgreSQL and wrk.",
        f"- Load: wrk, {args.wrk_threads} thread(s), {args.connections} connections, "
        f"{seconds:.0f} s, {sessions} signed-in sessions; writes "
        f"{writes / total:.0%} of requests. wrk used "
        f"{result['wrk_cpu_seconds']:.1f} CPU-seconds "
        f"({result['wrk_cpu_seconds'] / seconds:.0%} of one core).",
        f"- CPU: the server's processes, the worker and this database's "
        f"PostgreSQL backends used {sum(result['cpu_seconds'].values()):.1f} "
        f"CPU-seconds, {cpu_ms:.1f} ms per request ({per_request['web']:.1f} ms "
        f"in gunicorn, {per_request['worker']:.1f} ms in the worker, "
        f"{per_request['postgres']:.1f} ms in PostgreSQL; with wrk's, "
        f"{all_ms:.1f} ms): on "
        f"{os.cpu_count()} otherwise idle cores about {capacity:.0f} requests/s. "
        f"Load average {result['load_average'][0]:.1f} before the run, "
        f"{result['load_average'][1]:.1f} after (other work on the machine "
        "takes cores from the server).",
        "",
        "| Requests | Requests/s | p50 | p90 | p95 | p99 | max | >= 400 "
        "| socket errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {result['requests']:,} | {rate:.1f} | {latency['p50'] / 1000:.1f} ms "
        f"| {latency['p90'] / 1000:.1f} ms | {latency['p95'] / 1000:.1f} ms "
        f"| {latency['p99'] / 1000:.1f} ms | {latency['max'] / 1000:.1f} ms "
        f"| {sum(bad.values())} {bad or ''} | {sum(errors.values())} {errors or ''} |",
        "",
        "Server side, from gunicorn's access log (time to produce the response):",
        "",
        "| Kind | Requests | Share | Statuses | p50 | p95 | p99 |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for kind, _ in WEIGHTS:
        if kind not in kinds:
            continue
        k = kinds[kind]
        codes = ", ".join(f"{c}: {n}" for c, n in sorted(k["statuses"].items()))
        lines.append(
            f"| {kind} | {k['count']:,} | {k['count'] / total:.0%} | {codes} "
            f"| {k['p50']:.1f} ms | {k['p95']:.1f} ms | {k['p99']:.1f} ms |"
        )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
