"""Readers for the exports victims bring: each yields ParsedEntry values."""
