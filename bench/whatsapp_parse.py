"""Benchmark: parsing a 1,000,000-message WhatsApp export, against other parsers.

Run from the repository root:

    .venv/bin/python bench/whatsapp_parse.py                  # 1M messages
    .venv/bin/python bench/whatsapp_parse.py --messages 200000

It writes a synthetic Android export (UK layout, ``12/02/2024, 21:04 - Name:
text``) to a temporary file: a deterministic seed, five invented senders, a
message every few seconds to minutes with the odd long gap, about 10%
multi-line messages, 5% ``<Media omitted>``, 1% deleted messages, 0.5% group
events and some emoji. Then, each in its own subprocess so that its peak
memory (``ru_maxrss``) is its own, it measures over the same file:

* masip:    ``masip.evidence.parsers.whatsapp.parse`` plus ``entry.digest()``
            (SHA-256) for every entry, as an import does;
* whatstk:  ``WhatsAppChat.from_source(path)``, its layout auto-detected, as a
            user of the library would run it (it builds a pandas DataFrame);
* npm:      ``parseString`` of the npm package ``whatsapp-chat-parser`` under
            node, after reading the file (it builds an array of objects);
* split:    a bare loop reading the file in 4 MiB chunks and splitting lines
            in Python, touching each line once: the practical limit for
            anything that looks at every line in Python.

Rates are messages per second of CPU time (user + system) of the subprocess,
since the machine is shared with other work; wall-clock rates are shown too.
The machine's speed wanders by a quarter from one run to the next (all four
programs alike), so ``--repeat`` rounds (default 3) run every parser once in
turn; the table shows each parser's best run, and the CPU time of every run
is listed under it.

The other parsers are not project dependencies; install them outside the
project before running (the benchmark skips what it cannot find):

    python3 -m venv /tmp/whatstk-venv
    /tmp/whatstk-venv/bin/pip install whatstk          # 0.9.1 was measured
    mkdir -p /tmp/wcp && cd /tmp/wcp && npm init -y && npm install whatsapp-chat-parser

``--whatstk-python`` and ``--wcp-dir`` point elsewhere. whatstk refuses files
over 50 MB by default (the 1M-message file is about 77 MB); as its error message
advises, it is then run again with ``max_size=None`` (the time of the refused
attempt, a read of the file, is counted). whatstk is run on the
first ``--whatstk-messages`` messages (default: all); if it takes longer than
``--whatstk-timeout`` seconds it is run again on the first 100,000 and the
table says so. docs/benchmarks.md records a run.
"""

import argparse
import datetime
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 4 * 1024 * 1024
SENDERS = (
    "Ama Nwosu",
    "Bryn Talfryn",
    "Corin Aldous",
    "+44 7700 900123",
    "Dara Quill 🌻",
)
WORDS = [
    "ok",
    "yes",
    "no",
    "home",
    "tonight",
    "where",
    "are",
    "you",
    "why",
    "did",
    "you",
    "not",
    "answer",
    "I",
    "saw",
    "your",
    "car",
    "outside",
    "the",
    "house",
    "again",
    "please",
    "stop",
    "messaging",
    "me",
    "call",
    "me",
    "back",
    "now",
    "we",
    "need",
    "to",
    "talk",
    "about",
    "it",
    "later",
    "tomorrow",
    "at",
    "work",
]
EMOJI = ("😀", "😡", "❤️", "👍", "🙏")
GAPS = (0, 5, 10, 20, 30, 60, 60, 120, 300)


def generate(path: Path, messages: int, seed: int) -> None:
    """Write a synthetic export of ``messages`` messages (deterministic)."""
    rng = random.Random(seed)
    when = datetime.datetime(2021, 1, 1, 8, 0)  # noqa: DTZ001 - device-local
    lines = [
        "01/01/2021, 08:00 - Messages and calls are end-to-end encrypted. No one "
        "outside of this chat, not even WhatsApp, can read or listen to them. "
        "Tap to learn more.\n"
    ]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for _ in range(messages - 1):
            gap = rng.choice(GAPS) + (28_800 if rng.random() < 0.003 else 0)
            when += datetime.timedelta(seconds=gap)
            head = when.strftime("%d/%m/%Y, %H:%M - ")
            roll = rng.random()
            if roll < 0.005:
                lines.append(
                    f"{head}{rng.choice(SENDERS)} added {rng.choice(SENDERS)}\n"
                )
                continue
            if roll < 0.055:
                body = "<Media omitted>"
            elif roll < 0.065:
                body = "This message was deleted"
            else:
                body = " ".join(rng.choices(WORDS, k=rng.randint(2, 14)))
                if rng.random() < 0.15:
                    body += " " + rng.choice(EMOJI)
                if rng.random() < 0.1:
                    body += "".join(
                        "\n" + " ".join(rng.choices(WORDS, k=rng.randint(1, 8)))
                        for _ in range(rng.randint(1, 3))
                    )
            lines.append(f"{head}{rng.choice(SENDERS)}: {body}\n")
            if len(lines) >= 50_000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))


# --- the measured programs, each run in its own process ---------------------


def child_masip(path: str) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    from masip.evidence.parsers.base import ParseReport
    from masip.evidence.parsers.whatsapp import parse_digested

    report = ParseReport()
    count = 0
    with open(path, "rb") as source:
        for _digest, _entry in parse_digested(
            source, report=report, tz=ZoneInfo("Europe/London")
        ):
            count += 1
    return {"count": count, "problems": report.problem_count}


def child_split(path: str) -> dict[str, object]:
    count = 0
    rest = b""
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            for _line in lines:
                count += 1
    return {"count": count + bool(rest), "unit": "lines"}


WHATSTK = """
import json, resource, sys, time
cpu, wall = time.process_time(), time.perf_counter()
from whatstk import WhatsAppChat
try:
    chat = WhatsAppChat.from_source(filepath=sys.argv[1])
except ValueError as error:  # over its 50 MB default; the message says what to do
    if "max_size" not in str(error):
        raise
    chat = WhatsAppChat.from_source(filepath=sys.argv[1], max_size=None)
print(json.dumps({"count": len(chat.df), "cpu": time.process_time() - cpu,
    "wall": time.perf_counter() - wall,
    "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

NODE = """
import fs from 'node:fs';
import { parseString } from '%s';
const cpu0 = process.cpuUsage(); const wall0 = process.hrtime.bigint();
const messages = parseString(fs.readFileSync(process.argv[2], 'utf8'));
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({count: messages.length, cpu: (cpu.user + cpu.system) / 1e6,
  wall: Number(process.hrtime.bigint() - wall0) / 1e9,
  rss_kib: process.resourceUsage().maxRSS}));
"""


def run_child(kind: str, path: str) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    result = {"masip": child_masip, "split": child_split}[kind](path)
    result |= {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print(json.dumps(result))


def measure(command: list[str], timeout: float | None = None) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603 - our own interpreters and scripts
        command, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


SEED = 20240212


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--whatstk-messages", type=int, default=0, help="0: all")
    parser.add_argument("--whatstk-timeout", type=float, default=600)
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds; each parser keeps its best"
    )
    parser.add_argument("--whatstk-python", default="/tmp/whatstk-venv/bin/python")  # noqa: S108
    parser.add_argument("--wcp-dir", default="/tmp/wcp")  # noqa: S108
    parser.add_argument("--child", choices=("masip", "split"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.child:
        run_child(args.child, args.file)
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="masip-wa-bench-") as tmp:
        path = Path(tmp) / "WhatsApp Chat with Bryn Talfryn.txt"
        generate(path, args.messages, SEED)
        size = path.stat().st_size
        print(f"{args.messages:,} messages, {size / 1e6:.1f} MB: {path}", flush=True)
        me = [sys.executable, str(Path(__file__).resolve()), "--file", str(path)]
        contestants = _contestants(args, me, path, Path(tmp))
        runs: dict[str, list[dict[str, object]]] = {
            name: [] for name, *_ in contestants
        }
        # Rounds, each running every parser once in turn, so that a slow spell
        # of the shared machine falls on all of them; each keeps its best run.
        for round_ in range(args.repeat):
            for name, _messages, command, timeout in contestants:
                result = measure(command, timeout=timeout)
                runs[name].append(result)
                print(f"round {round_ + 1}: {name}: {result}", flush=True)
        rows = [
            (name, messages, min(runs[name], key=lambda r: float(r["cpu"])))  # type: ignore[arg-type]
            for name, messages, *_ in contestants
        ]

    print_table(rows, args, size, time.perf_counter() - started)
    print()
    for name, *_ in contestants:
        cpus = ", ".join(f"{float(r['cpu']):.2f}" for r in runs[name])  # type: ignore[arg-type]
        print(f"- {name}: CPU s of each run {cpus}")


Contestant = tuple[str, int, list[str], float | None]


def _contestants(
    args: argparse.Namespace, me: list[str], path: Path, tmp: Path
) -> list[Contestant]:
    found: list[Contestant] = [
        ("masip parse + SHA-256 digest", args.messages, [*me, "--child", "masip"], None)
    ]
    if Path(args.whatstk_python).exists():
        subset = args.whatstk_messages or args.messages
        target = path
        if subset != args.messages:
            target = tmp / "subset.txt"
            generate(target, subset, SEED)  # the same first messages
        command = [args.whatstk_python, "-c", WHATSTK, str(target)]
        try:  # a first run tells whether it finishes in time
            measure(command, timeout=args.whatstk_timeout)
        except subprocess.TimeoutExpired:
            subset, target = 100_000, tmp / "subset.txt"
            generate(target, subset, SEED)
            command = [args.whatstk_python, "-c", WHATSTK, str(target)]
        note = "" if subset == args.messages else f" (first {subset:,} messages)"
        found.append((f"whatstk WhatsAppChat.from_source{note}", subset, command, None))
    else:
        print(f"whatstk skipped: no {args.whatstk_python}")
    module = Path(args.wcp_dir) / "node_modules/whatsapp-chat-parser/dist/index.js"
    if module.exists():
        script = tmp / "wcp.mjs"
        script.write_text(NODE % module.as_uri(), encoding="utf-8")
        found.append(
            (
                "npm whatsapp-chat-parser (node)",
                args.messages,
                ["node", str(script), str(path)],
                None,
            )
        )
    else:
        print(f"npm parser skipped: no {module}")
    found.append(
        (
            "bare read + split lines (Python)",
            args.messages,
            [*me, "--child", "split"],
            None,
        )
    )
    return found


def print_table(
    rows: list[tuple[str, int, dict[str, object]]],
    args: argparse.Namespace,
    size: int,
    total: float,
) -> None:
    ours = args.messages / float(rows[0][2]["cpu"])  # type: ignore[arg-type]
    print()
    print(
        f"Python {sys.version.split()[0]}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; {args.messages:,} messages ({size / 1e6:.1f} MB), "
        f"seed {SEED}; total {total:.0f} s"
    )
    print()
    print(
        "| Parser | Messages | CPU s | Messages/s (CPU) | Messages/s (wall) "
        "| masip is | Peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, messages, result in rows:
        cpu = float(result["cpu"])  # type: ignore[arg-type]
        wall = float(result["wall"])  # type: ignore[arg-type]
        rate = messages / cpu
        ratio = "-" if name.startswith("masip") else f"{ours / rate:.2f}x"
        rss = int(result["rss_kib"]) / 1024  # type: ignore[call-overload]
        print(
            f"| {name} | {messages:,} | {cpu:.2f} | {rate:,.0f} | "
            f"{messages / wall:,.0f} | {ratio} | {rss:.0f} |"
        )


if __name__ == "__main__":
    main()
