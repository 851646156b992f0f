"""The ``masip`` console command: Django's management commands for operators.

``masip migrate``, ``masip demo``, ``masip seed --cases 1000 --seed 7``,
``masip audit verify`` and ``masip createadmin`` all run through here.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masip", *sys.argv[1:]])
