"""Row-level security: PostgreSQL's second, independent layer of agency isolation.

The application policy (``masip/access/policy.py``) decides what each request
may see. On PostgreSQL the database enforces a superset of it as well: every
case-scoped table has forced row-level security whose policies read the
request's reach from ``masip.*`` settings (``scope.py``), set by
``middleware.py`` at the start of each request and cleared at the end. A query
that forgets its filter therefore fails closed to what the request's agencies
could reach. SQLite has no row-level security and relies on the application
policy alone. ADR 0013 explains the design.
"""
