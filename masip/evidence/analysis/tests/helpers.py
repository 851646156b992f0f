"""Small hand-built timelines for the analysis tests (invented people)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from masip.evidence.analysis import Timeline

LONDON = ZoneInfo("Europe/London")
P, V, S = "perpetrator", "victim", "system"


def local(text: str) -> datetime:
    """'2024-01-02 23:10' in London time."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def timeline(rows: list[tuple[str, str, str, str, str]]) -> Timeline:
    """Rows of (London time, who, channel, sender, text); channel 'call' is a call."""
    return Timeline.from_columns(
        occurred_at=[local(r[0]) for r in rows],
        from_perpetrator=[r[1] == P for r in rows],
        from_victim=[r[1] == V for r in rows],
        channel=[r[2] for r in rows],
        kind=[
            "system" if r[1] == S else "call" if r[2] == "call" else "message"
            for r in rows
        ],
        sender=[r[3] for r in rows],
        text=[r[4] for r in rows],
    )


# One week in January (GMT): every figure below is worked out by hand in
# test_analysis_conduct.py.
JANUARY = [
    ("2024-01-01 09:00", P, "whatsapp", "Jory", "morning"),
    ("2024-01-01 09:05", P, "whatsapp", "Jory", "answer me"),
    ("2024-01-01 09:10", V, "whatsapp", "Alys", "I'm at work"),
    ("2024-01-02 23:00", P, "sms", "Jory", "why are you ignoring me"),
    ("2024-01-02 23:10", P, "call", "Jory", ""),
    ("2024-01-02 23:20", P, "sms", "Jory", "I know where you live"),
    ("2024-01-04 08:00", V, "whatsapp", "Alys", "Stop messaging me. I mean it."),
    ("2024-01-04 08:30", P, "whatsapp", "Jory", "no"),
    ("2024-01-04 08:31", S, "whatsapp", "", "Messages are end-to-end encrypted"),
    ("2024-01-04 12:00", V, "whatsapp", "Alys", "I\u2019ve blocked you."),
    ("2024-01-05 02:00", P, "sms", "+44 7700 900111", "it's me, you'll regret this"),
    ("2024-01-05 02:05", P, "sms", "+44 7700 900111", "pick up"),
    ("2024-01-06 10:00", P, "whatsapp", "Jory", "hello"),
]
