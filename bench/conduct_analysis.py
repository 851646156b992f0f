"""Benchmark: course-of-conduct analysis of a 1,000,000-entry timeline.

Run from the repository root:

    .venv/bin/python bench/conduct_analysis.py                 # 1M entries
    .venv/bin/python bench/conduct_analysis.py --entries 200000

It builds a synthetic timeline in memory (deterministic seed; invented
senders): about 70% of entries from the perpetrator (three numbers or
accounts, two of them first used part-way through), 25% from the victim and
5% system lines, over 26 weeks with contact rising week by week and heavier
in the evening and at night; channels WhatsApp, SMS, calls and email. Some
victim messages ask for contact to stop or say the perpetrator is blocked,
and some perpetrator messages hold threats or insults. It then times, in
CPU seconds (user + system of this process, since the machine is shared)
and wall-clock seconds:

* build:    ``Timeline.from_columns`` from epoch-second columns;
* analyse:  ``analyse`` with a Europe/London time zone and a few incidents.

The target is under 5 seconds for the two together. docs/benchmarks.md
records a run.
"""

import argparse
import platform
import random
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from masip.evidence.analysis import IncidentFact, Timeline, analyse

SEED = 20240304
START = int(datetime(2024, 1, 8, tzinfo=UTC).timestamp())
WEEKS = 26
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
    "not",
    "answer",
    "me",
    "I",
    "saw",
    "your",
    "car",
    "at",
    "work",
    "call",
    "now",
    "please",
    "love",
    "miss",
    "sorry",
    "know",
    "get",
    "stop",
    "going",
    "want",
    "think",
    "talk",
    "just",
    "need",
    "see",
    "outside",
    "house",
    "phone",
    "text",
    "back",
    "again",
    "always",
    "never",
    "friend",
    "mum",
    "happy",
    "sad",
    "angry",
    "late",
    "early",
    "wait",
    "look",
    "door",
]
STOPS = (
    "Please leave me alone.",
    "stop messaging me",
    "I've blocked you",
    "Do not contact me again",
    "I want no contact with you",
)
THREATS = (
    "I know where you live",
    "you'll regret this",
    "I will hurt you",
    "you stupid cow",
    "I'm watching you",
)
HOURS = [h for h in range(24) for _ in range(3 if h >= 18 or h < 2 else 1)]


def message(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(2, 14)))


def build_columns(n: int) -> dict[str, list]:
    rng = random.Random(SEED)
    # Weekly weight rising from 1 to 8: more contact as the weeks go on.
    weights = [1 + 7 * week / (WEEKS - 1) for week in range(WEEKS)]
    weeks = rng.choices(range(WEEKS), weights=weights, k=n)
    times = sorted(
        START
        + week * 7 * 86400
        + rng.randrange(7) * 86400
        + rng.choice(HOURS) * 3600
        + rng.randrange(3600)
        for week in weeks
    )
    columns: dict[str, list] = {
        key: []
        for key in ("perpetrator", "victim", "channel", "kind", "sender", "text")
    }
    for i, _ in enumerate(times):
        roll = rng.random()
        later = i / n
        if roll < 0.05:
            row = (False, False, "whatsapp", "system", "", "Messages are encrypted")
        elif roll < 0.30:
            text = rng.choice(STOPS) if rng.random() < 0.01 else message(rng)
            row = (False, True, "whatsapp", "message", "Alys Penhallow", text)
        else:
            sender = "Jory Tremayne"
            if later > 0.5 and rng.random() < 0.3:
                sender = "+44 7700 900456"
            if later > 0.8 and rng.random() < 0.2:
                sender = "jory.t.second@example.invalid"
            channel = rng.choice(("whatsapp", "whatsapp", "sms", "call", "email"))
            kind = "call" if channel == "call" else "message"
            text = "" if kind == "call" else message(rng)
            if text and rng.random() < 0.005:
                text += " " + rng.choice(THREATS)
            row = (True, False, channel, kind, sender, text)
        for key, value in zip(columns, row, strict=True):
            columns[key].append(value)
    columns["occurred_at"] = times
    return columns


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    columns = build_columns(args.entries)
    tz = ZoneInfo("Europe/London")
    incidents = [
        IncidentFact(datetime(2024, 3, 2, 19, tzinfo=UTC), ("following",)),
        IncidentFact(datetime(2024, 4, 20, 22, tzinfo=UTC), ("loitering",), (), True),
    ]
    rows = []
    cpu0, wall0 = cpu(), time.perf_counter()
    timeline = Timeline.from_columns(
        occurred_at=columns["occurred_at"],
        from_perpetrator=columns["perpetrator"],
        from_victim=columns["victim"],
        channel=columns["channel"],
        kind=columns["kind"],
        sender=columns["sender"],
        text=columns["text"],
    )
    cpu1, wall1 = cpu(), time.perf_counter()
    rows.append(("build Timeline.from_columns", cpu1 - cpu0, wall1 - wall0))
    report = analyse(timeline, tz=tz, incidents=incidents)
    cpu2, wall2 = cpu(), time.perf_counter()
    rows.append(("analyse", cpu2 - cpu1, wall2 - wall1))
    rows.append(("total", cpu2 - cpu0, wall2 - wall0))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}; {args.entries:,} entries, seed {SEED}; "
        f"peak RSS {peak:.0f} MB (includes the generated columns)"
    )
    print()
    print("| Step | CPU s | Wall s |")
    print("|---|---:|---:|")
    for name, cpu_s, wall_s in rows:
        print(f"| {name} | {cpu_s:.2f} | {wall_s:.2f} |")
    print()
    print(
        f"Perpetrator contacts {report.replies.perpetrator:,}; victim "
        f"{report.replies.victim:,}; stop requests "
        f"{len(report.after_stop.requests):,}; flagged messages "
        f"{len(report.language.flags):,}; new identities "
        f"{len(report.new_identities.identities)}; trend {report.escalation.trend}."
    )
    for sentence in report.explanations():
        print("-", sentence)


if __name__ == "__main__":
    main()
