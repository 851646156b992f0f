"""Background tasks of the evidence vault (run by the worker, ADR 0011).

The worker runs a task as trusted system work (``masip.isolation.signals``),
so on PostgreSQL the import reads and writes the case's rows past row-level
security; the import was checked against the user's reach when it started.
"""

from zoneinfo import ZoneInfo

from django.tasks import task

from masip.evidence import imports


@task
def run_evidence_import(import_id: int, tz: str = "") -> str:
    """Import one evidence item into the timeline; the import's final status.

    Safe to run twice: a finished import is left as it is.
    """
    run = imports.evidence_import_run(import_id, tz=ZoneInfo(tz) if tz else None)
    return "" if run is None else str(run.status)
