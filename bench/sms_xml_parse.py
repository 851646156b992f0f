"""Benchmark: reading an SMS Backup & Restore XML file (issue 4).

Run from the repository root:

    .venv/bin/python bench/sms_xml_parse.py
    .venv/bin/python bench/sms_xml_parse.py --sizes 50000,200000 --runs 3

For each size it writes a synthetic backup to a temporary file (seeded, so the
same bytes every run: SMS in both directions from a pool of Ofcom drama
numbers, one message in four with an emoji written as a UTF-16 surrogate pair
of character references, some with newlines, and one item in fifty an MMS
with a picture and a text part), then:

* times ``sms_xml.parse`` over the whole file, entries consumed and dropped
  as an importer would, and reports items per second (best of ``--runs``;
  wall and CPU time of this process);
* in a fresh child process, reads the file again and reports the peak of
  memory traced by ``tracemalloc`` during the parse and the growth of the
  child's maximum resident set size over what it had before parsing. Flat
  memory means these stay the same from 50,000 to 200,000 items.

docs/benchmarks.md ("SMS backup parsing") records a run.
"""

import argparse
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from masip.evidence.parsers import sms_xml  # noqa: E402
from masip.evidence.parsers.base import ParseReport  # noqa: E402

TZ = ZoneInfo("Europe/London")
START_MS = 1_704_067_200_000  # 1 January 2024 00:00 UTC
NUMBERS = [f"07700 900{n:03d}" for n in range(100, 140)]
WORDS = (  # noqa: SIM905 - reads as prose
    "where are you I saw you at the station why won't you answer "
    "I am outside your house again please stop contacting me this is not okay"
).split()
EMOJI = ("&#55357;&#56832;", "&#55357;&#56353;", "&#55356;&#57159;", "&#55357;&#56452;")


def generate(path: Path, items: int, seed: int = 7) -> None:
    """Write a deterministic backup of ``items`` SMS and MMS to ``path``."""
    rng = random.Random(seed)
    when = START_MS
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        out.write(f'<smses count="{items}" backup_set="bench" type="full">\n')
        for n in range(items):
            when += rng.randint(1_000, 600_000)
            number = rng.choice(NUMBERS)
            body = " ".join(rng.choices(WORDS, k=rng.randint(3, 18)))
            if n % 4 == 0:
                body += " " + rng.choice(EMOJI)
            if n % 7 == 0:
                body += "&#10;" + " ".join(rng.choices(WORDS, k=4))
            if n % 50 == 49:
                out.write(_mms(when, number, body, n))
                continue
            kind = rng.choice("1112")
            out.write(
                f'  <sms protocol="0" address="{number}" date="{when}" type="{kind}" '
                f'subject="null" body="{body}" toa="null" sc_toa="null" '
                f'service_center="null" read="1" status="-1" locked="0" '
                f'date_sent="{when - 2000}" sub_id="1" '
                f'readable_date="synthetic" contact_name="(Unknown)" />\n'
            )
        out.write("</smses>\n")


def _mms(when: int, number: str, body: str, n: int) -> str:
    return (
        f'  <mms date="{when}" msg_box="1" address="{number}" m_type="132" '
        f'readable_date="synthetic" contact_name="(Unknown)">\n'
        "    <parts>\n"
        '      <part seq="0" ct="image/jpeg" name="null" chset="null" '
        f'cl="IMG_{n:06d}.jpg" text="null" data="/9j/4AAQSkZJRgABAQ{n:08d}" />\n'
        f'      <part seq="0" ct="text/plain" name="null" chset="106" cl="text_0.txt" '
        f'text="{body}" />\n'
        "    </parts>\n"
        "    <addrs>\n"
        f'      <addr address="{number}" type="137" charset="106" />\n'
        '      <addr address="07700 900999" type="151" charset="106" />\n'
        "    </addrs>\n"
        "  </mms>\n"
    )


def parse_file(path: Path) -> int:
    report = ParseReport()
    with path.open("rb") as source:
        for _entry in sms_xml.parse(source, report=report, tz=TZ):
            pass
    if report.problem_count:
        raise SystemExit(f"unexpected problems: {report.problems[:3]}")
    return report.items_read


def child(path: Path) -> None:
    """Print: items, tracemalloc peak bytes, max RSS growth in KiB."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    items = parse_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(items, peak, after - before)


def measure_memory(path: Path) -> tuple[int, int, int]:
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    items, peak, rss = (int(value) for value in output)
    return items, peak, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000,200000", help="Items per file.")
    parser.add_argument("--runs", type=int, default=3, help="Timed runs (best kept).")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}"
    )
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for size in sizes:
            path = Path(directory) / f"sms-{size}.xml"
            generate(path, size)
            walls, cpus = [], []
            for _ in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                items = parse_file(path)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            if items != size:
                raise SystemExit(f"read {items} of {size} items")
            _, peak, rss = measure_memory(path)
            rows.append((size, path.stat().st_size, min(walls), min(cpus), peak, rss))

    print()
    print(
        "| Items | File MB | Wall s | CPU s | Items/s (wall) | Items/s (CPU) "
        "| Peak traced MiB | Max RSS growth MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, file_bytes, wall, cpu, peak, rss in rows:
        print(
            f"| {size:,} | {file_bytes / 1e6:.1f} | {wall:.2f} | {cpu:.2f} "
            f"| {size / wall:,.0f} | {size / cpu:,.0f} "
            f"| {peak / 2**20:.2f} | {rss / 1024:.1f} |"
        )


if __name__ == "__main__":
    main()
