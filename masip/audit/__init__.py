"""The append-only, hash-chained audit trail. ``record()`` is the only writer."""
