"""Perpetrator interventions and custody."""
