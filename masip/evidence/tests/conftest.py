"""Fixtures for the evidence tests (``evidence_root``: a private store)."""

from masip.evidence.tests.vault_helpers import evidence_root  # noqa: F401
