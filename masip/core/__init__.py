"""Shared, domain-free building blocks: base models, GOV.UK forms, pagination."""
