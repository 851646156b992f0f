"""Benchmark: saving a helpline contact and loading the helpline statistics.

Run from the repository root:

    .venv/bin/python bench/helpline.py                      # SQLite, 200,000 contacts
    .venv/bin/python bench/helpline.py --database-url postgres://postgres@127.0.0.1:5432/masip_bench_helpline
                                                            # PostgreSQL, 1,000,000
    .venv/bin/python bench/helpline.py --contacts 20000 --runs 30   # a quick look

It makes a fresh database (a temporary SQLite file; with ``--database-url``
a PostgreSQL database whose name starts with ``masip_bench`` is dropped and
created again, any other must be empty), migrates it, and bulk-loads N
synthetic completed contacts spread over the last 36 months (COPY on
PostgreSQL, ``bulk_create`` in batches on SQLite) with their ``MonthlyCount``
rows, computed in bulk from the same (dimension, value) pairs
``masip.helpline.counting.dimension_values`` gives (checked on a sample of
the loaded rows, and against a GROUP BY over the contacts for the whole
range). Then, with DEBUG off, through Django's test ``Client`` signed in
past the second factor, it times server-side (the request handled in this
process: middleware, view, queries, template; no network):

* autosave: a POST of a filled-in draft to the live-call page's autosave URL
  (or ``contact_autosave`` called directly if that URL is not there);
* complete: the page's POST with ``action=finish`` (its answers saved, then
  ``contact_complete``; or ``contact_complete`` alone without the URL),
  which also counts it into ``MonthlyCount``;
* the statistics page for the default 12 months, and for all 36 months, as
  built (``MonthlyCount`` only);
* the same page with its one selector swapped for the alternative one would
  write without the counts: the same figures by GROUP BY over the contacts
  table (``group_by_figures`` below; twelve grouped queries).

p50/p95 are over ``--runs`` requests (``--alt-runs`` for the GROUP BY page);
queries are per request. docs/benchmarks.md records runs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

from common import set_up_django

MONTHS = 36
TARGET_MS = 150.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="",
        help="A PostgreSQL database to use instead of a temporary SQLite file.",
    )
    parser.add_argument(
        "--contacts",
        type=lambda s: int(s.replace("_", "").replace(",", "")),
        default=0,
        help="Contacts to load (default 200,000 on SQLite, 1,000,000 on PostgreSQL).",
    )
    parser.add_argument("--runs", type=int, default=100, help="Requests per measure.")
    parser.add_argument(
        "--alt-runs", type=int, default=10, help="Requests for the GROUP BY page."
    )
    parser.add_argument("--seed", type=int, default=8, help="Random seed.")
    parser.add_argument(
        "--batch", type=int, default=5000, help="Rows per insert batch."
    )
    args = parser.parse_args()
    if not args.contacts:
        args.contacts = 1_000_000 if args.database_url else 200_000
    return args


# --- set-up -----------------------------------------------------------------


def staff() -> tuple[Any, Any, Any, Any]:
    """The helpline, an adviser and a manager (each with a confirmed
    authenticator), and the adviser's membership."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from masip.access.roles import RoleName
    from masip.accounts.models import Agency, AgencyKind, Membership, User

    helpline = Agency.objects.create(
        name="Bench helpline", slug="bench-helpline", kind=AgencyKind.HELPLINE
    )
    people = []
    for role, email in (
        (RoleName.HELPLINE_ADVISER, "adviser@bench.example.org"),
        (RoleName.HELPLINE_MANAGER, "manager@bench.example.org"),
    ):
        user = User.objects.create_user(email=email, full_name=f"Bench {role.label}")
        people.append(Membership.objects.create(user=user, agency=helpline, role=role))
        TOTPDevice.objects.create(user=user, confirmed=True, name="Authenticator app")
    adviser, manager = people
    return helpline, adviser.user, manager.user, adviser


def signed_in(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Behind the proxy that ends TLS (SECURE_PROXY_SSL_HEADER), as deployed.
    client = Client(headers={"x-forwarded-proto": "https"})
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


# --- synthetic contacts -----------------------------------------------------


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


CHANNELS = {"phone": 60, "email": 25, "webchat": 10, "callback": 5}
CALLERS = {"victim": 72, "family_friend": 14, "professional": 12, "own_behaviour": 2}
RELATIONSHIPS = {
    "ex_partner": 45,
    "acquaintance": 15,
    "stranger": 8,
    "colleague": 7,
    "neighbour": 6,
    "family": 5,
    "online_only": 6,
    "partner": 3,
    "unknown": 5,
}
# About two thirds stalked for more than six months (DOMAIN.md section 2).
DURATIONS = {
    "under_1m": 7,
    "1_6m": 24,
    "6_12m": 25,
    "1_2y": 22,
    "over_2y": 17,
    "unknown": 5,
}
RISK = {"": 10, "standard": 45, "medium": 30, "high": 15}


def generate(
    n: int, rng: random.Random, *, now: dt.datetime, adviser: Any, helpline: Any
) -> Iterator[tuple[dict[str, Any], list[int], list[tuple[str, str]]]]:
    """N completed contacts over the last 36 months: each one's column values
    (Python values, by column name), its advice topic ids, and the
    (dimension, value) pairs it counts under."""
    from types import SimpleNamespace

    from masip.helpline import areas
    from masip.helpline.models import AdviceTopic, DigitalIndicator, ReferralMade
    from masip.helpline.stats import add_months, first_of
    from masip.incidents.models import Behaviour

    topics = list(AdviceTopic.objects.filter(active=True).values_list("pk", "area"))
    area_of = dict(topics)
    forces = [a.code for a in areas.FORCE_AREAS]
    force_weights = [
        40 if a.code == "metropolitan_police" else 1 if a.region == "outside" else 8
        for a in areas.FORCE_AREAS
    ]
    behaviours = list(Behaviour.values)
    digital = list(DigitalIndicator.values)
    referrals = list(ReferralMade.values)
    start = first_of(add_months(now.date(), 1 - MONTHS))
    start_at = dt.datetime(start.year, start.month, 1, tzinfo=dt.UTC)
    span = (now - start_at).total_seconds() - 7200
    for i in range(n):
        # Slightly more contacts in later months.
        started = start_at + dt.timedelta(seconds=span * rng.random() ** 0.9)
        seconds = int(min(max(rng.lognormvariate(6.3, 0.5), 90), 5400))
        override = rng.random() < 0.01
        row = {
            "id": i + 1,
            "created_at": now,
            "updated_at": now,
            "version": 2,
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "agency_id": helpline.pk,
            "adviser_id": adviser.pk,
            "status": "complete",
            "started_at": started,
            "ended_at": started + dt.timedelta(seconds=seconds),
            "handling_seconds": seconds,
            "channel": _weighted(rng, CHANNELS),
            "caller_type": _weighted(rng, CALLERS),
            "force_area": rng.choices(forces, weights=force_weights)[0],
            "relationship": _weighted(rng, RELATIONSHIPS),
            "duration_band": _weighted(rng, DURATIONS),
            "behaviours": sorted(rng.sample(behaviours, rng.randint(1, 3))),
            "four_fixated": True,
            "four_obsessive": None,
            "four_unwanted": True,
            "four_repeated": True,
            "digital_indicators": sorted(rng.sample(digital, rng.choice((0, 0, 1, 2)))),
            "risk_instrument": "",
            "risk_answers": {},
            "risk_level": _weighted(rng, RISK),
            "referrals_made": sorted(rng.sample(referrals, rng.choice((0, 1, 1, 2)))),
            "safeguarding_override": override,
            "safeguarding_decided_by_id": adviser.pk if override else None,
            "safeguarding_reason": "Synthetic reason." if override else "",
            "follow_up": "none",
            "follow_up_due_at": None,
            "follow_up_done_at": None,
            "narrative": "",
            "notes": "",
            "caller_key": "",
            "caller_key_kind": "",
            "share_consent": "not_asked",
            "referral_id": None,
            "handed_over_at": None,
        }
        advice = sorted(
            rng.sample([pk for pk, _ in topics], min(len(topics), rng.randint(1, 3)))
        )
        pairs = bulk_dimension_values(
            SimpleNamespace(**row), [area_of[a] for a in advice]
        )
        yield row, advice, list(pairs)


def bulk_dimension_values(
    contact: Any, advice_areas: list[str]
) -> Iterator[tuple[str, str]]:
    """``counting.dimension_values`` without its query for the advice areas
    (given here); ``check_counting`` compares the two on loaded rows."""
    from masip.helpline.areas import region_of

    yield "channel", contact.channel
    yield "caller_type", contact.caller_type
    yield "region", region_of(contact.force_area) if contact.force_area else ""
    yield "relationship", contact.relationship
    yield "duration_band", contact.duration_band
    for code in sorted(set(contact.behaviours)):
        yield "behaviour", code
    for code in sorted(set(contact.digital_indicators)):
        yield "digital", code
    for code in sorted(set(contact.referrals_made)):
        yield "referral", code
    for area in sorted(set(advice_areas)):
        yield "advice_area", area
    yield "risk_level", contact.risk_level
    yield "safeguarding", "override" if contact.safeguarding_override else ""


class Columns:
    """A model's columns and how each Python value becomes a database value
    (as Django would write it: sealed fields sealed under the row's
    public_id, JSON as text, datetimes adapted), without building model
    instances or compiling statements: a million rows in minutes."""

    def __init__(self, model: Any) -> None:
        from django.db import connection, models

        from masip.crypto.fields import EncryptedTextField

        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.column for f in self.fields]
        ops = connection.ops
        convert: list[Callable[[Any, dict[str, Any]], Any]] = []
        for f in self.fields:
            if isinstance(f, EncryptedTextField):
                convert.append(
                    lambda v, row, f=f: (
                        f.seal_for(row[f.seal_field], v) if v is not None else None
                    )
                )
            elif isinstance(f, models.JSONField):
                convert.append(lambda v, row: json.dumps(v))
            elif isinstance(f, models.DateTimeField):
                convert.append(
                    lambda v, row: (
                        ops.adapt_datetimefield_value(v) if v is not None else None
                    )
                )
            elif isinstance(f, models.UUIDField):
                convert.append(lambda v, row, f=f: f.get_db_prep_value(v, connection))
            else:
                convert.append(lambda v, row: v)
        self.convert = convert

    def row(self, values: dict[str, Any]) -> list[Any]:
        return [
            c(values[name], values)
            for name, c in zip(self.names, self.convert, strict=True)
        ]


def insert(columns: Columns, rows: list[dict[str, Any]]) -> None:
    """COPY on PostgreSQL, one executemany INSERT on SQLite."""
    from django.db import connection

    names = ", ".join(f'"{name}"' for name in columns.names)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join("%s" for _ in columns.names)
            cursor.executemany(
                f'INSERT INTO "{columns.table}" ({names}) VALUES ({marks})',  # noqa: S608
                [columns.row(r) for r in rows],
            )
            return
        with cursor.cursor.copy(f'COPY "{columns.table}" ({names}) FROM STDIN') as copy:
            for r in rows:
                copy.write_row(columns.row(r))


def load(
    args: argparse.Namespace, rng: random.Random, adviser: Any, helpline: Any
) -> dict[str, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from masip.helpline.counting import ALL, month_of
    from masip.helpline.models import Contact, MonthlyCount

    through = Contact.advice.through
    contact_columns, link_columns = Columns(Contact), Columns(through)
    counts: Counter[tuple[dt.date, str, str]] = Counter()
    seconds: Counter[dt.date] = Counter()
    started = time.perf_counter()
    contacts: list[Any] = []
    links: list[Any] = []

    def flush() -> None:
        with transaction.atomic():
            insert(contact_columns, contacts)
            insert(link_columns, links)
        contacts.clear()
        links.clear()

    link_id = 0
    now = timezone.now()
    for contact, advice, pairs in generate(
        args.contacts, rng, now=now, adviser=adviser, helpline=helpline
    ):
        month = month_of(contact["started_at"])
        counts[(month, ALL, ALL)] += 1
        seconds[month] += contact["handling_seconds"]
        for dimension, value in pairs:
            if value:
                counts[(month, dimension, value)] += 1
        contacts.append(contact)
        for topic in advice:
            link_id += 1
            links.append(
                {"id": link_id, "contact_id": contact["id"], "advicetopic_id": topic}
            )
        if len(contacts) >= args.batch:
            flush()
    if contacts:
        flush()
    load_s = time.perf_counter() - started
    MonthlyCount.objects.bulk_create(
        MonthlyCount(
            month=month,
            dimension=dimension,
            value=value,
            contacts=n,
            handling_seconds=seconds[month] if dimension == ALL else 0,
        )
        for (month, dimension, value), n in counts.items()
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (Contact._meta.db_table, through._meta.db_table):
                cursor.execute(  # our own table names, not input
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "load_s": load_s,
        "monthly_rows": float(MonthlyCount.objects.count()),
        "advice_links": float(link_id),
    }


def check_counting(rng: random.Random, sample: int = 50) -> None:
    """The bulk pairs are what count_contact would have counted."""
    from masip.helpline.counting import dimension_values
    from masip.helpline.models import Contact

    top = Contact.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = rng.sample(range(1, top + 1), min(sample, top))
    for contact in Contact.objects.filter(pk__in=ids).prefetch_related("advice"):
        areas = [t.area for t in contact.advice.all()]
        real = list(dimension_values(contact))
        if real != list(bulk_dimension_values(contact, areas)):
            raise SystemExit(f"Bulk counting differs from counting.py for {contact.pk}")


# --- the alternative: GROUP BY over the contacts ----------------------------


def group_by_figures(  # noqa: C901  # one GROUP BY per dimension, as written
    *, access: Any, first: dt.date, last: dt.date
) -> Any:
    """The same ``MonthlyFigures`` as ``stats.monthly_figures``, computed from
    the contacts table with GROUP BY (what one would write without the counts).
    Lists held in JSON (behaviours, indicators, referrals) are grouped by the
    whole list, each distinct list then counted under each of its values."""
    from collections import defaultdict

    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from masip.access.permissions import Permission
    from masip.helpline.areas import region_of
    from masip.helpline.models import Contact
    from masip.helpline.stats import MonthlyFigures, add_months, months_between

    access.require(Permission.HELPLINE_STATS_VIEW)
    zone = timezone.get_current_timezone()
    lower = dt.datetime(first.year, first.month, 1, tzinfo=zone)
    after = add_months(last, 1)
    upper = dt.datetime(after.year, after.month, 1, tzinfo=zone)
    contacts = (
        Contact.objects.filter(
            status=Contact.Status.COMPLETE, started_at__gte=lower, started_at__lt=upper
        )
        .order_by()
        .annotate(m=TruncMonth("started_at"))
    )
    figures = MonthlyFigures(months=months_between(first, last))
    counts: dict[str, dict[str, dict[dt.date, int]]] = defaultdict(dict)

    def month(value: dt.datetime) -> dt.date:
        local = timezone.localtime(value)
        return dt.date(local.year, local.month, 1)

    def add(dimension: str, value: str, when: dt.datetime, n: int) -> None:
        if value:
            by_month = counts[dimension].setdefault(value, {})
            by_month[month(when)] = by_month.get(month(when), 0) + n

    for row in contacts.values("m").annotate(n=Count("id"), s=Sum("handling_seconds")):
        figures.contacts[month(row["m"])] = row["n"]
        figures.seconds[month(row["m"])] = row["s"] or 0
    for field in (
        "channel",
        "caller_type",
        "relationship",
        "duration_band",
        "risk_level",
    ):
        for row in contacts.values("m", field).annotate(n=Count("id")):
            add(field, row[field], row["m"], row["n"])
    for row in contacts.values("m", "force_area").annotate(n=Count("id")):
        if row["force_area"]:
            add("region", region_of(row["force_area"]), row["m"], row["n"])
    for row in (
        contacts.filter(safeguarding_override=True).values("m").annotate(n=Count("id"))
    ):
        add("safeguarding", "override", row["m"], row["n"])
    for field, dimension in (
        ("behaviours", "behaviour"),
        ("digital_indicators", "digital"),
        ("referrals_made", "referral"),
    ):
        for row in contacts.values("m", field).annotate(n=Count("id")):
            for code in sorted(set(row[field] or ())):
                add(dimension, code, row["m"], row["n"])
    for row in (
        contacts.filter(advice__isnull=False)
        .values("m", "advice__area")
        .annotate(n=Count("id", distinct=True))
    ):
        add("advice_area", row["advice__area"], row["m"], row["n"])
    figures.counts = dict(counts)
    return figures


def check_alternative(manager: Any, first: dt.date, last: dt.date) -> None:
    from masip.access.policy import Access
    from masip.helpline import stats

    access = Access(manager)
    counted = stats.monthly_figures(access=access, first=first, last=last)
    grouped = group_by_figures(access=access, first=first, last=last)
    for name in ("contacts", "seconds", "counts"):
        if getattr(counted, name) != getattr(grouped, name):
            raise SystemExit(f"MonthlyCount and GROUP BY disagree on {name}.")


# --- measuring --------------------------------------------------------------


class Timer:
    """Wall milliseconds and queries of each call."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.queries: list[int] = []

    def run(self, fn: Callable[[], Any]) -> Any:
        from django.db import connection

        executed = 0

        def count(
            execute: Callable, sql: str, params: Any, many: bool, ctx: Any
        ) -> Any:
            nonlocal executed
            executed += 1
            return execute(sql, params, many, ctx)

        with connection.execute_wrapper(count):
            start = time.perf_counter()
            result = fn()
            self.times.append((time.perf_counter() - start) * 1000)
        self.queries.append(executed)
        return result

    def summary(self) -> tuple[float, float, str, int]:
        times = sorted(self.times)
        p95 = (
            statistics.quantiles(times, n=20, method="inclusive")[18]
            if len(times) > 1
            else times[0]
        )
        low, high = min(self.queries), max(self.queries)
        queries = str(low) if low == high else f"{low}-{high}"
        return statistics.median(times), p95, queries, len(times)


def _expect(response: Any, codes: tuple[int, ...], what: str) -> Any:
    if response.status_code not in codes:
        raise SystemExit(f"{what}: HTTP {response.status_code}")
    return response


def contact_urls(public_id: Any) -> tuple[str, str] | None:
    """The live-call page's autosave URL and the page itself (its form posts
    ``action=finish`` to finish), if they exist yet."""
    from django.urls import NoReverseMatch, reverse

    for autosave, finish in (("helpline:contact-autosave", "helpline:contact"),):
        try:
            return (
                reverse(autosave, kwargs={"public_id": public_id}),
                reverse(finish, kwargs={"public_id": public_id}),
            )
        except NoReverseMatch:
            continue
    return None


def draft_values(rng: random.Random) -> dict[str, Any]:
    """What an adviser has filled in by the time of an autosave."""
    from masip.helpline import fields as f
    from masip.helpline.models import AdviceTopic

    instrument = f.screen()
    known = set(f.input_names(instrument))
    values: dict[str, Any] = {
        "channel": "phone",
        "caller_type": "victim",
        "force_area": rng.choice(["kent", "metropolitan_police", "cheshire"]),
        "relationship": "ex_partner",
        "duration_band": "1_2y",
        "behaviours": ["following", "contacting", "loitering"],
        "four_fixated": "yes",
        "four_obsessive": "yes",
        "four_unwanted": "yes",
        "four_repeated": "yes",
        "digital_indicators": ["tracker", "account_access"],
        "referrals_made": ["police", "advocacy"],
        "advice": [
            str(pk) for pk in AdviceTopic.objects.values_list("pk", flat=True)[:3]
        ],
        "follow_up": "none",
        "narrative": "Synthetic account for the benchmark. " * 20,
        "notes": "Synthetic notes.",
    }
    for name in known:
        if name.startswith(getattr(f, "RISK_PREFIX", "risk_")):
            values[name] = "no"
    return {k: v for k, v in values.items() if k in known}


def measure_saving(
    args: argparse.Namespace, rng: random.Random, adviser: Any, membership: Any
) -> tuple[dict[str, Timer], str]:
    from masip.access.actors import Actor
    from masip.helpline import services

    actor = Actor(user=adviser, membership=membership)
    client = signed_in(adviser)
    values = draft_values(rng)
    timers = {"autosave": Timer(), "complete": Timer()}
    how = ""
    for n in range(args.runs + 3):  # three warm-up rounds, not kept
        contact = services.contact_start(actor=actor, channel="phone")
        urls = contact_urls(contact.public_id)
        warm = n < 3
        if urls:
            how = "HTTP POST through the Client"
            autosave, finish = urls
            data = {**values, "version": str(contact.version)}
            t = timers["autosave"] if not warm else Timer()
            response = _expect(
                t.run(
                    lambda url=autosave, data=data: client.post(
                        url, data, HTTP_ACCEPT="application/json"
                    )
                ),
                (200,),
                "autosave",
            )
            version = response.json().get("version", contact.version + 1)
            t = timers["complete"] if not warm else Timer()
            _expect(
                t.run(
                    lambda url=finish, version=version: client.post(
                        url, {**values, "version": str(version), "action": "finish"}
                    )
                ),
                (302, 303),
                "complete",
            )
        else:
            how = "services called directly (the contact page's URLs are not there yet)"
            raw = {k: v if isinstance(v, list) else [v] for k, v in values.items()}
            t = timers["autosave"] if not warm else Timer()
            result = t.run(
                lambda contact=contact, raw=raw: services.contact_autosave(
                    actor=actor, contact=contact, values=raw, version=contact.version
                )
            )
            t = timers["complete"] if not warm else Timer()
            t.run(
                lambda saved=result.contact: services.contact_complete(
                    actor=actor, contact=saved, version=saved.version
                )
            )
    return timers, how


def measure_stats(args: argparse.Namespace, manager: Any) -> dict[str, Timer]:
    from django.urls import reverse
    from django.utils import timezone

    from masip.helpline import stats

    client = signed_in(manager)
    url = reverse("helpline-stats:statistics")
    last = stats.first_of(timezone.localdate())
    all_months = {
        "start": f"{stats.add_months(last, 1 - MONTHS):%Y-%m}",
        "end": f"{last:%Y-%m}",
    }
    timers = {"page12": Timer(), "page36": Timer(), "alt12": Timer()}
    plans: list[tuple[str, dict[str, str], int, bool]] = [
        ("page12", {}, args.runs, False),
        ("page36", all_months, args.runs, False),
        ("alt12", {}, args.alt_runs, True),
    ]
    for name, query, runs, alternative in plans:
        patch = (
            mock.patch("masip.helpline.stats.monthly_figures", group_by_figures)
            if alternative
            else contextlib.nullcontext()
        )
        with patch:
            _expect(client.get(url, query), (200,), name)  # warm
            for _ in range(runs):
                response = timers[name].run(lambda query=query: client.get(url, query))
                _expect(response, (200,), name)
                if b"Contacts per month" not in response.content:
                    raise SystemExit(f"{name}: the page has no figures")
    return timers


# --- report -----------------------------------------------------------------


def report(
    args: argparse.Namespace,
    loaded: dict[str, float],
    saving: dict[str, Timer],
    how: str,
    pages: dict[str, Timer],
    total_s: float,
) -> None:
    from django import get_version
    from django.db import connection

    version = (
        connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else ".".join(map(str, divmod(connection.pg_version, 10000)))
    )
    print()
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Django {get_version()}, "
        f"{connection.vendor} {version}"
    )
    url = args.database_url.split("@")[-1] if args.database_url else ""
    print(
        "Command: .venv/bin/python bench/helpline.py "
        + " ".join(
            a if "://" not in a else "postgres://postgres@" + url for a in sys.argv[1:]
        )
    )
    print(
        f"Contacts {args.contacts:,} over {MONTHS} months; MonthlyCount rows "
        f"{int(loaded['monthly_rows']):,}; advice links "
        f"{int(loaded['advice_links']):,}; "
        f"load {loaded['load_s']:.0f} s; total {total_s:.0f} s; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"Saving: {how}.")
    print()
    print("Server-side wall ms per request; queries per request.")
    print()
    print("| Request | Runs | p50 ms | p95 ms | Queries | p95 under 150 ms |")
    print("|---|---:|---:|---:|---:|---|")
    rows = [
        ("Autosave a draft (POST)", saving["autosave"]),
        ("Finish the contact (POST, counts it)", saving["complete"]),
        ("Statistics page, 12 months (MonthlyCount)", pages["page12"]),
        ("Statistics page, 36 months (MonthlyCount)", pages["page36"]),
        ("Statistics page, 12 months, GROUP BY over contacts", pages["alt12"]),
    ]
    for label, timer in rows:
        p50, p95, queries, runs = timer.summary()
        print(
            f"| {label} | {runs} | {p50:,.1f} | {p95:,.1f} | {queries} | "
            f"{'yes' if p95 < TARGET_MS else 'no'} |"
        )
    counted, grouped = pages["page12"].summary(), pages["alt12"].summary()
    print()
    print(
        "| Statistics page, 12 months | p50 ms | p95 ms "
        "| GROUP BY / MonthlyCount (p50) |"
    )
    print("|---|---:|---:|---:|")
    print(f"| MonthlyCount (as built) | {counted[0]:,.1f} | {counted[1]:,.1f} | 1x |")
    print(
        f"| GROUP BY over the contacts | {grouped[0]:,.1f} | {grouped[1]:,.1f} | "
        f"{grouped[0] / counted[0]:,.0f}x |"
    )


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="masip-bench-") as tmp:
        set_up_django(args.database_url, tmp, pages=True)
        from django.utils import timezone

        from masip.helpline import stats
        from masip.helpline.models import Contact

        if Contact.objects.exists():
            raise SystemExit(
                "The database already holds helpline contacts; give an empty one."
            )
        helpline, adviser, manager, membership = staff()
        print(f"Loading {args.contacts:,} contacts...", flush=True)
        loaded = load(args, rng, adviser, helpline)
        print(f"Loaded in {loaded['load_s']:.0f} s; checking the counts...", flush=True)
        check_counting(rng)
        last = stats.first_of(timezone.localdate())
        check_alternative(manager, stats.add_months(last, 1 - MONTHS), last)
        print("Measuring the statistics page...", flush=True)
        pages = measure_stats(args, manager)
        print("Measuring saving a contact...", flush=True)
        saving, how = measure_saving(args, rng, adviser, membership)
        report(args, loaded, saving, how, pages, time.perf_counter() - started)


if __name__ == "__main__":
    main()
