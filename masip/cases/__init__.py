"""Shared cases: participants, allocation, sharing, status, risk and notes."""
