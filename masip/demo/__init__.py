"""Synthetic demonstration data: ``masip demo`` and ``masip seed``.

Not a Django app (it has no models). ``data`` holds the fixed vocabulary
(organisations, staff, invented names, incident templates); ``builder``
creates the organisations and staff and the hand-shaped demo cases;
``seed`` bulk-inserts synthetic cases at any scale. Every name, address,
phone number and email is invented.
"""
