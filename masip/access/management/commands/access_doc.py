"""``masip access_doc``: write docs/access-control.md, or check it is current."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masip.access.docgen import COMMAND, render_access_doc


class Command(BaseCommand):
    help = "Write docs/access-control.md from the role definitions."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 if the file differs from the code.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "docs" / "access-control.md",
            help="Where the document lives (default docs/access-control.md).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"]
        expected = render_access_doc()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != expected:
                raise CommandError(
                    f"{path} is out of date with masip/access/roles.py: "
                    f"run `{COMMAND}` and commit the result.",
                    returncode=1,
                )
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expected, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
