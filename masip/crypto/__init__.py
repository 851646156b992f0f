"""Encryption at rest for sealed fields (ADR 0012).

Sealed values (victims' addresses and contact details, safe-contact notes,
health and police-intelligence notes, incident locations) are stored as
AES-256-GCM tokens bound to their table, column and row. ``fields`` holds the
model fields, ``keys`` the key ring, ``blind`` the keyed blind indexes and
``rotation`` the background re-encryption behind ``masip keys rotate``.
"""
