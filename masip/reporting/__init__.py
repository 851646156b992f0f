"""Aggregate, read-only figures for analysts; owns no models and no writes."""
