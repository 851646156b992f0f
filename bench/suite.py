"""Benchmark suite: the key pages' server-side times and queries as data grows.

Run from the repository root:

    .venv/bin/python bench/suite.py                       # SQLite: 1k, 100k cases
    .venv/bin/python bench/suite.py \\
        --database-url postgres://postgres@127.0.0.1:5432/masip_bench   # 1k, 100k, 500k
    .venv/bin/python bench/suite.py --sizes 1000,100000 --write docs/benchmarks.md

It migrates a database (a temporary SQLite file unless ``--database-url`` names
one) and grows it to each size in turn with ``masip.demo.seed.seed_cases``
(seed 7) under ``system_work()``. On PostgreSQL the URL is the owner's: the
suite creates an application role (``masip db_roles``) and serves the pages as
that role, so row-level security is in force as in production. Seeding runs in
a child process over the owner's connection.

At each size, through Django's test client with debug off and a real
signed-in session (second factor satisfied, purpose of access declared), it
times the demo's London police case worker opening each key page: p50 and
p95 of the server-side time, and queries per request. One case visible to the
worker holds exactly 500 incidents (added in bulk if no case has them) and is
the "case page" at every size. ``--write`` puts the tables into a marked
section of a Markdown file.
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEMO_WORKER = "police.worker@london.demo.example.org"
# The case worker may not read a case's access log; their team manager may.
DEMO_MANAGER = "police.manager@london.demo.example.org"
BIG_CASE_INCIDENTS = 500
TARGET_MS = 100.0
TARGET_RATIO = 1.5
START, END = "<!-- suite:start -->", "<!-- suite:end -->"
APP_ROLE = "masip_h_suite_app"
# The suite's own writes (cases it creates) may take a database past a size.
OWN_WRITES_SLACK = 1.01


# Set-up ------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="", help="Case counts, e.g. 1000,100000.")
    parser.add_argument(
        "--database-url",
        default="",
        help="A database to fill (the owner's URL on PostgreSQL); default a "
        "temporary SQLite file. It may already hold up to the first size.",
    )
    parser.add_argument("--runs", type=int, default=50, help="Timed runs per page.")
    parser.add_argument("--warm-up", type=int, default=3, help="Untimed runs first.")
    parser.add_argument("--write", default="", help="A Markdown file to update.")
    parser.add_argument(
        "--seed-from",
        default=str(ROOT),
        help="A checkout whose seeder fills the database (default this one).",
    )
    parser.add_argument("--seed-child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    postgres = args.database_url.startswith("postgres")
    default = "1000,100000,500000" if postgres else "1000,100000"
    args.sizes = sorted(
        int(s.replace("_", "")) for s in (args.sizes or default).split(",")
    )
    return args


def bench_environment(database_url: str, tmp: str) -> dict[str, str]:
    """Production settings (debug off, secure cookies), with the development
    keys passed explicitly: a database that ``masip seed`` filled beforehand
    (with debug on) was sealed, indexed and chained under them."""
    key = base64.b64encode(
        hashlib.sha256(b"masip insecure development field key").digest()
    ).decode()
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "MASIP_AUDIT_KEY": "insecure-development-audit-key",
        "MASIP_BLIND_INDEX_KEY": "insecure-development-blind-index-key",
        "MASIP_FIELD_KEYS": f"dev={key}",
        "MASIP_FIELD_KEY_ACTIVE": "dev",
        "MASIP_WEBAUTHN_RP_ID": "testserver",
        "MASIP_WEBAUTHN_ORIGIN": "https://testserver",
        "MASIP_VAR_DIR": tmp,
        "MASIP_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url or f"sqlite:///{tmp}/suite.sqlite3",
    }
    if database_url.startswith("postgres"):
        env["MASIP_MIGRATE_DATABASE_URL"] = database_url
        env["DATABASE_URL"] = _as_role(database_url, APP_ROLE)
    return env


def _as_role(url: str, role: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{role}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def set_up_django(env: dict[str, str]) -> None:
    """Migrate (as the owner), and on PostgreSQL set up the application role."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    if _owner_alias() == "owner":
        # Some data migrations write through the default alias, so migrate in
        # a child process whose default connection is the owner's.
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
            env=_owner_env(env),
            check=True,
        )
        _app_role()  # after every migrate, as docs/operations.md says
    else:
        call_command("migrate", verbosity=0)
    # Debug off serves hashed static names from the manifest: build it.
    call_command("collectstatic", interactive=False, verbosity=0)


def _app_role() -> None:
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("db_roles", app_role=APP_ROLE, stdout=quiet)


def _owner_alias() -> str:
    from django.conf import settings

    return "owner" if "owner" in settings.DATABASES else "default"


# Growing the database -------------------------------------------------------------


def case_count() -> int:
    from masip.cases.models import Case
    from masip.isolation.context import system_work

    owner = _owner_alias()
    with system_work(using=owner):
        return Case.objects.using(owner).count()


def _owner_env(env: dict[str, str]) -> dict[str, str]:
    """The environment of a child process that connects as the owner."""
    child = {**os.environ, **env}
    child["DATABASE_URL"] = env.get("MASIP_MIGRATE_DATABASE_URL", env["DATABASE_URL"])
    child.pop("MASIP_MIGRATE_DATABASE_URL", None)
    return child


def seed_to(size: int, env: dict[str, str], seed_from: str) -> float:
    """Grow the database to ``size`` cases in a child process; seconds taken."""
    have = case_count()
    if have >= size:
        return 0.0
    child_env = _owner_env(env)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--seed-child", str(size - have)],
        cwd=seed_from,
        env=child_env,
        check=True,
    )
    return time.perf_counter() - started


def seed_child(count: int) -> None:
    """In the child: seed ``count`` cases as trusted system work (the owner)."""
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from masip.demo.seed import seed_cases
    from masip.isolation.context import system_work

    with system_work():
        seed_cases(count=count, seed=7)


# The benchmark's user and cases ---------------------------------------------------


@dataclass
class Fixture:
    user: Any
    manager: Any
    agency_id: int
    big_case: str  # reference of the case with exactly 500 incidents
    write_case: str  # where "record an incident" writes
    name: str  # a victim's name to search for
    identifier: str  # a perpetrator's handle or vehicle to search for
    reference: str  # a case reference to search for


def prepare_fixture(previous: Fixture | None) -> Fixture:
    from django.db.models import Count

    from masip.accounts.models import User
    from masip.cases.models import Case, CaseParticipant, ParticipantRole
    from masip.isolation.context import system_work
    from masip.people.models import Confidentiality, PersonIdentifier

    owner = _owner_alias()
    with system_work(using=owner):
        user = User.objects.using(owner).get(email=DEMO_WORKER)
        manager = User.objects.using(owner).get(email=DEMO_MANAGER)
        agency_id = (
            user.memberships.using(owner)
            .filter(is_active=True)
            .values_list("agency_id", flat=True)
            .get()
        )
        led = Case.objects.using(owner).filter(lead_agency_id=agency_id)
        big = previous.big_case if previous else _big_case(led, user.pk, agency_id)
        write = (
            led.exclude(reference=big)
            .annotate(n=Count("incidents"))
            .filter(n__lt=50)
            .order_by("reference")
            .values_list("reference", flat=True)
            .first()
        )
        victim = (
            CaseParticipant.objects.using(owner)
            .filter(case__reference=big, role=ParticipantRole.VICTIM)
            .select_related("person")
            .first()
        )
        handle = (
            PersonIdentifier.objects.using(owner)
            .filter(
                kind__in=[
                    PersonIdentifier.Kind.SOCIAL_MEDIA,
                    PersonIdentifier.Kind.VEHICLE,
                ],
                confidentiality=Confidentiality.STANDARD,
                person__participations__case__in=led,
            )
            .order_by("pk")
            .first()
        )
    if not write or victim is None or handle is None:
        raise SystemExit(
            "The seeded data has no case to write to, no victim or no identifier."
        )
    return Fixture(
        user=user,
        manager=manager,
        agency_id=agency_id,
        big_case=big,
        write_case=write,
        name=f"{victim.person.given_name} {victim.person.family_name}",
        identifier=handle.value,
        reference=big,
    )


def _big_case(led: Any, user_id: int, agency_id: int) -> str:
    """A case led by the worker's agency with exactly 500 incidents (topped up)."""
    from django.db.models import Count

    counted = led.annotate(n=Count("incidents"))
    exact = counted.filter(n=BIG_CASE_INCIDENTS).order_by("reference").first()
    if exact:
        return str(exact.reference)
    case = counted.filter(n__lt=BIG_CASE_INCIDENTS).order_by("-n", "reference").first()
    _add_incidents(case, BIG_CASE_INCIDENTS - case.n, user_id, agency_id)
    return str(case.reference)


def _add_incidents(case: Any, count: int, user_id: int, agency_id: int) -> None:
    """``count`` synthetic incidents on ``case``, one every 19 hours back in time."""
    import uuid

    from django.utils import timezone

    from masip.incidents.models import Incident

    owner = _owner_alias()
    anchor = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = [
        Incident(
            public_id=uuid.UUID(int=(case.pk << 32) + i),
            case=case,
            occurred_at=anchor - dt.timedelta(hours=19 * (i + 1)),
            behaviours=["contacting"] if i % 3 else ["following", "loitering"],
            channels=["phone_call"] if i % 2 else ["in_person"],
            location_confidentiality="standard",
            narrative=f"Synthetic incident {i + 1} for the benchmark.",
            recorded_by_id=user_id,
            recorded_by_agency_id=agency_id,
        )
        for i in range(count)
    ]
    Incident.objects.using(owner).bulk_create(rows, batch_size=500)


# Signed-in clients ------------------------------------------------------------------


def signed_in_client(fixture: Fixture, user: Any) -> Any:
    """A client past the password and the second factor, with purposes declared."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from masip.access.actors import PURPOSE_SESSION_PREFIX

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Authenticator app"}
    )
    # As behind the TLS-terminating load balancer (SECURE_PROXY_SSL_HEADER).
    client = Client(secure=True, headers={"x-forwarded-proto": "https"})
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    for reference in (fixture.big_case, fixture.write_case):
        session[PURPOSE_SESSION_PREFIX + reference] = "Benchmark: case work."
    session.save()
    return client


# The pages ------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    request: Callable[[Any], Any]  # client -> response
    expect: int = 200
    runs: int | None = None
    as_manager: bool = False


def pages(fixture: Fixture, client: Any) -> list[Page]:
    from django.urls import reverse

    big, write = fixture.big_case, fixture.write_case
    case_list = reverse("cases:case-list")
    today = dt.datetime.now(dt.UTC).date()

    def get(url: str) -> Callable[[Any], Any]:
        return lambda c: c.get(url)

    def record(c: Any) -> Any:
        url = reverse("incidents:incident-record", kwargs={"reference": write})
        return c.post(url, _incident_data(today))

    def create(c: Any) -> Any:
        return c.post(reverse("cases:case-create"), _case_data(fixture, today))

    return [
        Page("Dashboard (home: my cases)", get(reverse("cases:my-cases"))),
        Page("Case list", get(case_list)),
        Page(
            "Case list, status + risk",
            get(f"{case_list}?status=active&risk_level=high"),
        ),
        Page("Case list, sorted by risk", get(f"{case_list}?sort=-risk")),
        Page("Case page (500 incidents)", get(_case_url("cases:case-detail", big))),
        Page(
            "Timeline (500 incidents)", get(_case_url("incidents:incident-list", big))
        ),
        Page("Search by name", _search(fixture.name)),
        Page("Search by identifier", _search(fixture.identifier)),
        Page("Search by case reference", _search(fixture.reference)),
        Page(
            "Case audit log (manager)",
            get(_case_url("cases:access-log", big)),
            as_manager=True,
        ),
        Page("Record an incident (POST)", record, expect=302, runs=30),
        Page("Create a case (POST)", create, expect=302, runs=30),
    ]


def _case_url(name: str, reference: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"reference": reference})


def _search(words: str) -> Callable[[Any], Any]:
    """GET the searched case list (the form is POSTed once, untimed, first)."""
    urls: dict[int, str] = {}

    def request(client: Any) -> Any:
        if id(client) not in urls:
            urls[id(client)] = _search_url(client, words)
        return client.get(urls[id(client)])

    return request


def _search_url(client: Any, words: str) -> str:
    """The case list URL the search form redirects to (words kept in the session)."""
    from django.urls import reverse

    response = client.post(reverse("cases:case-list"), {"q": words})
    if response.status_code != 302:
        raise PageFailed(f"the search form answered {response.status_code}")
    return str(response.url)


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _incident_data(today: dt.date) -> dict[str, Any]:
    return {
        **_date("occurred_on", today - dt.timedelta(days=1)),
        "occurred_time": "18:45",
        "time_precision": "exact",
        "behaviours": ["following"],
        "channels": ["in_person"],
        "location": "Outside the library",
        "location_confidentiality": "standard",
        "narrative": "Waited outside the library at closing time.",
        "impact": "Changed her route home.",
        "reported_to_police": "no",
    }


def _case_data(fixture: Fixture, today: dt.date) -> dict[str, Any]:
    return {
        "lead_agency": str(fixture.agency_id),
        "summary": "Benchmark case: messages left at work.",
        "relationship_type": "ex_partner",
        "referral_source": "police",
        **_date("referred_on", today),
    }


# Measuring -------------------------------------------------------------------------


@dataclass
class Result:
    page: str
    p50: float
    p95: float
    cpu_p95: float
    queries: float
    runs: int
    times: list[float] = field(default_factory=list)
    error: str = ""

    @classmethod
    def failed(cls, page: str, error: str) -> "Result":
        nan = float("nan")
        return cls(page, nan, nan, nan, nan, 0, error=error)


def measure(page: Page, client: Any, runs: int, warm_up: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm_up):
        _check(page, page.request(client))
    times: list[float] = []
    cpus: list[float] = []
    queries: list[int] = []
    for _ in range(min(runs, page.runs or runs)):
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            response = page.request(client)
            times.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        _check(page, response)
        queries.append(len(captured))
    return Result(
        page=page.name,
        p50=statistics.median(times),
        p95=_percentile(times, 95),
        cpu_p95=_percentile(cpus, 95),
        queries=statistics.mean(queries),
        runs=len(times),
        times=times,
    )


class PageFailed(Exception):
    pass


def _check(page: Page, response: Any) -> None:
    if response.status_code != page.expect:
        raise PageFailed(f"status {response.status_code}, expected {page.expect}")


def _percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def measure_size(fixture: Fixture, args: argparse.Namespace) -> list[Result]:
    client = signed_in_client(fixture, fixture.user)
    manager = signed_in_client(fixture, fixture.manager)
    results = []
    for page in pages(fixture, client):
        chosen = manager if page.as_manager else client
        try:
            results.append(measure(page, chosen, args.runs, args.warm_up))
        except Exception as exc:
            results.append(Result.failed(page.name, f"{type(exc).__name__}: {exc}"))
        print(f"    {page.name}: p95 {results[-1].p95:.1f} ms", flush=True)
    return results


# Reporting -------------------------------------------------------------------------


@dataclass
class SizeRun:
    """The measurements at one size, with how and when they were taken."""

    size: int
    visible: int
    seeded: float
    command: str
    when: str
    results: list[Result]


def _now() -> str:
    return f"{dt.datetime.now(dt.UTC):%d %B %Y %H:%M} UTC"


def _results_path() -> Path:
    from django.db import connection

    return ROOT / "bench" / "results" / f"suite-{connection.vendor}.json"


def load_runs() -> dict[int, SizeRun]:
    """Earlier runs on this database kind, so sizes measured apart (the
    largest on a database seeded beforehand) are reported together."""
    path = _results_path()
    if not path.exists():
        return {}
    runs = {}
    for raw in json.loads(path.read_text(encoding="utf-8")):
        results = [Result(**{**r, "times": []}) for r in raw.pop("results")]
        runs[raw["size"]] = SizeRun(**raw, results=results)
    return runs


def save_runs(runs: dict[int, SizeRun]) -> None:
    path = _results_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for run in sorted(runs.values(), key=lambda r: r.size):
        row = asdict(run)
        for result in row["results"]:
            result.pop("times")
        rows.append(row)
    path.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


def size_table(run: SizeRun) -> str:
    note = f"; seeding to this size took {run.seeded:.0f} s" if run.seeded else ""
    lines = [
        f"**{run.size:,} cases** ({run.visible:,} visible to the worker{note}; "
        f"measured {run.when})",
        "",
        "| Page | p50 ms | p95 ms | p95 CPU ms | Queries | Runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in run.results:
        if r.error:
            lines.append(f"| {r.page} | failed: {_short(r.error)} | | | | 0 |")
            continue
        lines.append(
            f"| {r.page} | {r.p50:.1f} | {r.p95:.1f} | {r.cpu_p95:.1f} "
            f"| {round(r.queries, 1):g} | {r.runs} |"
        )
    return "\n".join(lines)


def summary_table(runs: dict[int, SizeRun]) -> str:
    by_size = {size: run.results for size, run in runs.items()}
    sizes = sorted(by_size)
    first, last = sizes[0], sizes[-1]
    lines = [
        f"| Page | p95 at {first:,} | p95 at {last:,} | Ratio | Target met |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for small, big in zip(by_size[first], by_size[last], strict=True):
        if small.error or big.error:
            lines.append(f"| {small.page} | | | | failed |")
            continue
        ratio = big.p95 / small.p95 if small.p95 else float("inf")
        met = big.p95 < TARGET_MS and ratio <= TARGET_RATIO
        lines.append(
            f"| {small.page} | {small.p95:.1f} ms | {big.p95:.1f} ms | {ratio:.2f} "
            f"| {'yes' if met else 'no'} |"
        )
    return "\n".join(lines)


def _short(error: str) -> str:
    return error.splitlines()[0][:80].replace("|", "/")


def machine() -> str:
    from django import get_version
    from django.db import connection

    if connection.vendor == "sqlite":
        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone() or ("unknown",)
        database = f"PostgreSQL {version}"
        database += " (as a non-owner role, row-level security on)"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPUs, {memory:.0f} GB memory, {platform.platform()}, "
        f"Python {platform.python_version()}, Django {get_version()}, {database}"
    )


def report(runs: dict[int, SizeRun]) -> str:
    from django.db import connection

    commands = sorted({run.command for run in runs.values()})
    parts = [
        f"### {'SQLite' if connection.vendor == 'sqlite' else 'PostgreSQL'}",
        "",
        f"Machine: {machine()}. Commands (each size's table says when it ran):",
        "",
        "```sh",
        *commands,
        "```",
        "",
        "Server-side time of one request through Django's test client (debug "
        "off, signed in), p50 and p95 in milliseconds; queries per request.",
        "",
    ]
    for size in sorted(runs):
        parts += [size_table(runs[size]), ""]
    parts += [
        f"Target: p95 < {TARGET_MS:.0f} ms at the largest size and p95 at the "
        f"largest <= {TARGET_RATIO}x p95 at the smallest.",
        "",
        summary_table(runs),
    ]
    return "\n".join(parts)


SECTION_INTRO = """## Page benchmark suite (bench/suite.py)

The key pages at each size, one database per subsection; a run replaces the
subsection of its own database and keeps the other. Each page is requested
through Django's test client with debug off and production settings (secure
cookies, hashed static files, and on PostgreSQL a non-owner role under
row-level security), signed in past the second factor with the purpose of
access declared. Times are the server-side wall time of one request (and the
CPU time of the benchmark's process, which on SQLite includes the database);
queries are per request. Cases are grown with `masip.demo.seed.seed_cases`
(seed 7); the case page and timeline use one case with exactly 500 incidents.
"""


def write_section(path: Path, text: str) -> None:
    """Put ``text`` (one database's subsection, starting "### <database>") in
    the marked section of ``path``, replacing that database's old subsection
    and appending the section if it is missing."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(START) + "(.*?)" + re.escape(END), re.DOTALL)
    found = pattern.search(old)
    subsections = _subsections(found.group(1) if found else "")
    subsections[text.splitlines()[0]] = text.strip()
    body = "\n\n".join(subsections[k] for k in sorted(subsections, reverse=True))
    section = f"{START}\n{SECTION_INTRO}\n{body}\n{END}"
    if found:
        new = old[: found.start()] + section + old[found.end() :]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(new, encoding="utf-8")


def _subsections(section: str) -> dict[str, str]:
    """The "### <database>" subsections of a section, by heading line."""
    parts = re.split(r"^(?=### )", section, flags=re.MULTILINE)
    return {
        part.splitlines()[0]: part.strip() for part in parts if part.startswith("### ")
    }


def visible_count(fixture: Fixture) -> int:
    from masip.access.policy import Access
    from masip.isolation import scope

    access = Access(fixture.user)
    scope.apply(scope.settings_for(access), using="default")
    try:
        return access.visible_cases().count()
    finally:
        scope.apply(scope.EMPTY, using="default")


def main() -> None:
    args = parse_args()
    if args.seed_child:
        seed_child(args.seed_child)
        return
    started = time.perf_counter()
    command = ".venv/bin/python bench/suite.py " + " ".join(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="masip-suite-") as tmp:
        env = bench_environment(args.database_url, tmp)
        set_up_django(env)
        runs = load_runs()
        fixture = None
        for size in args.sizes:
            if case_count() > size * OWN_WRITES_SLACK:
                raise SystemExit(
                    f"The database already holds more than {size:,} cases."
                )
            seconds = seed_to(size, env, args.seed_from)
            fixture = prepare_fixture(fixture)
            visible = visible_count(fixture)
            print(f"  {size:,} cases, measuring", flush=True)
            results = measure_size(fixture, args)
            runs[size] = SizeRun(size, visible, seconds, command, _now(), results)
            print(size_table(runs[size]) + "\n", flush=True)
            save_runs(runs)
        text = report(runs)
        print(text)
        if args.write:
            write_section(ROOT / args.write, text)
    print(f"\nTotal time {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
