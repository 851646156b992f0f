"""``masip instruments check [DIR]``: validate instrument files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masip.risk.instruments import InstrumentError, instrument_dirs, load_dir


class Command(BaseCommand):
    help = (
        "Check risk instrument files against the schema and the rules of docs/risk.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Validate instrument files.")
        check.add_argument(
            "directory",
            nargs="?",
            help="A folder of instrument files (default: the built-in ones and "
            "MASIP_INSTRUMENT_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folders = (
            [Path(options["directory"])]
            if options.get("directory")
            else list(instrument_dirs())
        )
        wording = getattr(settings, "MASIP_INSTRUMENT_WORDING_DIR", None)
        problems = []
        for folder in folders:
            try:
                loaded = load_dir(
                    folder, wording_dir=Path(wording) if wording else None
                )
            except InstrumentError as exc:
                problems.extend(exc.problems)
                continue
            for instrument in loaded:
                state = "" if instrument.available else " (wording not installed)"
                self.stdout.write(
                    f"ok  {Path(instrument.path).name}: {instrument.title}, "
                    f"{len(instrument.items)} items{state}"
                )
        for problem in problems:
            self.stdout.write(f"BAD {problem}")
        if problems:
            plural = "s" if len(problems) != 1 else ""
            raise CommandError(f"{len(problems)} problem{plural} in instrument files.")
