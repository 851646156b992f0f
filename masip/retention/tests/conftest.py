"""Fixtures for the retention tests (``evidence_root``: a private evidence store)."""

from masip.evidence.tests.vault_helpers import evidence_root  # noqa: F401
