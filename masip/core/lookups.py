"""``field__in_array=subquery``: membership in a small subquery, indexable in an OR.

``pk__in=subquery`` becomes ``id IN (SELECT ...)``. PostgreSQL runs that as a
hashed subplan: a filter on each row, which no index can serve. Inside an
``OR`` with an indexable condition it therefore forces a scan of the whole
table. The reach of a helpline adviser (``created_by_id = 25 OR id IN
(break-the-glass grants)``) read all 500,000 cases to find 3 (3 s).

``in_array`` writes ``id = ANY(ARRAY(SELECT ...))`` on PostgreSQL instead. The
subquery runs once, before the scan, and ``= ANY`` of its array is an index
condition, so PostgreSQL can OR two index scans. Use it only for subqueries
that return a handful of rows (a user's grants), since the array is built
whole. Other databases get the plain ``IN``.
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class InArray(Lookup):
    lookup_name = "in_array"

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
