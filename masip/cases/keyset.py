"""Keyset ("seek") pagination for long lists: the case lists, a case's timeline
and its access log.

A page is found from the sort key of the row next to it (``?after=`` the last
row of the page before, ``?before=`` the first row of the page after), so the
database walks an index from that point and reads one page and a row: the time
does not grow with the number of rows before it, as ``OFFSET`` does, and no
``COUNT(*)`` of every matching row is needed. There are no page numbers: the
links are First, Previous, Next and Last (``?last=1``), in the GOV.UK
pagination style, and they work without JavaScript.

The keys must end with a unique one (a reference, an id, a sequence number) so
every row has its own position, and none may be null. A cursor holds only the
sort key of a row the user could already see; a forged or stale one just
lands elsewhere in the user's own list (or on the first page if it is
malformed), never past the queryset's filters.
"""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import QueryDict

AFTER, BEFORE, LAST = "after", "before", "last"
CURSOR_PARAMS = (AFTER, BEFORE, LAST, "page")


@dataclass(frozen=True)
class Key:
    """One sort key: a field or annotation on the rows, and its direction."""

    name: str
    descending: bool = False


@dataclass(frozen=True)
class KeysetPage[M: Model]:
    rows: list[M]
    has_previous: bool
    has_next: bool
    first_href: str = ""
    previous_href: str = ""
    next_href: str = ""
    last_href: str = ""

    def __iter__(self) -> Iterator[M]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def object_list(self) -> list[M]:
        return self.rows

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def ordering(keys: Sequence[Key], *, reverse: bool = False) -> list[OrderBy]:
    """``ORDER BY`` for the keys (all flipped when ``reverse``)."""
    return [
        F(key.name).desc() if key.descending != reverse else F(key.name).asc()
        for key in keys
    ]


def encode_cursor(row: Model, keys: Sequence[Key]) -> str:
    values = [_plain(getattr(row, key.name)) for key in keys]
    text = json.dumps(values, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token: str, keys: Sequence[Key]) -> list[Any] | None:
    """The key values in a cursor, or ``None`` if it is not one of ours."""
    try:
        padded = token + "=" * (-len(token) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    scalar = (str, int, float)
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    if not all(isinstance(v, scalar) and not isinstance(v, bool) for v in values):
        return None
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def beyond(keys: Sequence[Key], values: Sequence[Any], *, forward: bool) -> Q:
    """Rows after (``forward``) or before the position ``values`` in key order.

    The first key also gets a plain bound so the database can start its index
    range there rather than filtering from the top.
    """
    first = keys[0]
    lead_op = "lte" if first.descending == forward else "gte"
    condition = Q(pk__in=[])
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        op = "lt" if key.descending == forward else "gt"
        condition |= equal_so_far & Q(**{f"{key.name}__{op}": value})
        equal_so_far &= Q(**{key.name: value})
    return Q(**{f"{first.name}__{lead_op}": values[0]}) & condition


def keyset_page[M: Model](
    queryset: QuerySet[M],
    *,
    keys: Sequence[Key],
    params: QueryDict,
    per_page: int,
) -> KeysetPage[M]:
    """The page the request's cursor asks for; the first page for bad input."""
    if params.get(LAST):
        return _last(queryset, keys, params, per_page)
    for name, forward in ((AFTER, True), (BEFORE, False)):
        values = decode_cursor(params.get(name, ""), keys)
        if values is not None:
            page = _seek(queryset, keys, params, per_page, values, forward=forward)
            if page is not None:
                return page
    return _first(queryset, keys, params, per_page)


def _first[M: Model](
    queryset: QuerySet[M], keys: Sequence[Key], params: QueryDict, per_page: int
) -> KeysetPage[M]:
    rows = list(queryset.order_by(*ordering(keys))[: per_page + 1])
    return _page(
        rows[:per_page], keys, params, previous=False, more=len(rows) > per_page
    )


def _last[M: Model](
    queryset: QuerySet[M], keys: Sequence[Key], params: QueryDict, per_page: int
) -> KeysetPage[M]:
    rows = list(queryset.order_by(*ordering(keys, reverse=True))[: per_page + 1])
    earlier = len(rows) > per_page
    return _page(rows[:per_page][::-1], keys, params, previous=earlier, more=False)


def _seek[M: Model](
    queryset: QuerySet[M],
    keys: Sequence[Key],
    params: QueryDict,
    per_page: int,
    values: list[Any],
    *,
    forward: bool,
) -> KeysetPage[M] | None:
    """The page after (or before) the cursor; ``None`` to show the first page."""
    try:
        beyond_cursor = queryset.filter(beyond(keys, values, forward=forward))
    except (ValidationError, ValueError, TypeError):
        return None  # a value that is no date (or number) for its key
    rows = list(
        beyond_cursor.order_by(*ordering(keys, reverse=not forward))[: per_page + 1]
    )
    more = len(rows) > per_page
    rows = rows[:per_page]
    if forward:
        if not rows:  # past the end (rows went away): show the last page
            return _last(queryset, keys, params, per_page)
        return _page(rows, keys, params, previous=True, more=more)
    if not more:  # at the start: the first page, full
        return None
    return _page(rows[::-1], keys, params, previous=True, more=True)


def _page[M: Model](
    rows: list[M],
    keys: Sequence[Key],
    params: QueryDict,
    *,
    previous: bool,
    more: bool,
) -> KeysetPage[M]:
    def href(**cursor: str) -> str:
        query = [(k, v) for k, v in params.items() if k not in CURSOR_PARAMS]
        return "?" + urlencode(sorted(query + list(cursor.items())))

    if not rows:
        return KeysetPage(rows=[], has_previous=False, has_next=False)
    return KeysetPage(
        rows=rows,
        has_previous=previous,
        has_next=more,
        first_href=href() if previous else "",
        previous_href=href(before=encode_cursor(rows[0], keys)) if previous else "",
        next_href=href(after=encode_cursor(rows[-1], keys)) if more else "",
        last_href=href(last="1") if more else "",
    )


def count_up_to(queryset: QuerySet[Any], limit: int) -> int:
    """How many rows, counting no further than ``limit + 1``.

    Enough to say "more than 1,000" without counting every visible case.
    """
    return queryset.order_by().values("pk")[: limit + 1].count()
