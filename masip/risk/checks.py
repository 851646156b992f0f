"""Start-up check: every instrument file must load (docs/risk.md).

A broken instrument file stops ``runserver``, ``migrate`` and the worker
with a message naming the file and the item, rather than failing later on a
case page.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from masip.risk.instruments import InstrumentError, registry


@checks.register("risk")
def instruments_load(**kwargs: Any) -> list[checks.CheckMessage]:
    registry.cache_clear()
    try:
        registry()
    except InstrumentError as exc:
        return [
            checks.Error(str(problem), hint=HINT, id="risk.E001")
            for problem in exc.problems
        ]
    return []


HINT = (
    "Fix the instrument file (docs/risk.md); "
    "`masip instruments check` lists every problem."
)
