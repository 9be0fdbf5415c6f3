"""Pages of a list for every list in the service: keyset paging with a capped total.

A page is read through the index that matches the list's filter and order: with a `cursor`
(the key of the last row shown, from the previous page's `next_cursor`) the query seeks to it
and reads `per_page` rows, as fast at the hundredth page as at the first. The total is counted
exactly up to `TOTAL_CAP` rows and shown as "1,000+" beyond: counting a million rows costs
more than reading the page. The old `page` numbers still work (OFFSET), for clients that
use them.

Use it from a service function:

    query = select(Household).where(Household.project_id == project_id)
    return page_of(query, (Household.building, Household.number, Household.id),
                   page, per_page, cursor)

`ordering` lists the sort keys, the last one unique (the primary key); each key is a mapped
column, optionally `.desc()`; the first may be `.asc().nulls_last()` / `.desc().nulls_last()`
(rows without a value last). Give the table an index on (the equality filters..., the keys...)
so the database reads the page in index order. The answer unpacks as `rows, total` and also
has `.next_cursor` (None on the last page), `.capped` (the total is TOTAL_CAP and more exist)
and `.total_text` ("1,000+").
"""
import base64
import datetime as dt
import json

from sqlalchemy import and_, func, literal, or_, select, tuple_
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from ..extensions import db
from .errors import Invalid

TOTAL_CAP = 1000


class Page(tuple):
    """(rows, total) with next_cursor, capped and total_text."""

    def __new__(cls, rows, total, next_cursor=None, capped=False):
        found = super().__new__(cls, (rows, total))
        found.rows, found.total, found.next_cursor, found.capped = \
            rows, total, next_cursor, capped
        return found

    @property
    def total_text(self):
        """The total as shown: "1,000+" when capped."""
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"


class _Key:
    """One sort key: its column, direction, and whether rows without a value come last."""

    def __init__(self, expression):
        self.descending, self.nulls_last = False, False
        while isinstance(expression, UnaryExpression):
            if expression.modifier is operators.desc_op:
                self.descending = True
            elif expression.modifier is operators.nulls_last_op:
                self.nulls_last = True
            elif expression.modifier is not operators.asc_op:
                raise ValueError(f"unsupported ordering {expression}")
            expression = expression.element
        self.column = expression
        self.name = expression.key

    def order(self):
        return self.column.desc() if self.descending else self.column.asc()


def _after(keys, values):
    """Rows after `values` in the order of `keys` (none of them NULL here)."""
    if len({key.descending for key in keys}) == 1:
        # A row-value comparison: one seek in an index on the keys (PostgreSQL and SQLite).
        columns, given = tuple_(*(k.column for k in keys)), tuple_(*values)
        return columns < given if keys[0].descending else columns > given
    alternatives = []  # mixed directions: k1 after, or k1 equal and k2 after, ...
    for i, key in enumerate(keys):
        equal = [k.column == v for k, v in zip(keys[:i], values[:i])]
        after = key.column < values[i] if key.descending else key.column > values[i]
        alternatives.append(and_(*equal, after))
    return or_(*alternatives)


def _phases(query, keys, values):
    """The conditions to read in turn, each ordered by the plain keys so an index serves it:
    with a nullable first key, the rows with a value, then those without (an index sorts
    NULLs first on SQLite and last on PostgreSQL; read apart, neither needs a sort); with a
    first key sorted against the others' direction, one value of it at a time."""
    first, rest = keys[0], keys[1:]
    if _split_by_first(keys):
        yield from _first_values(query, keys, values)
        return
    if not first.nulls_last:
        yield _after(keys, values) if values else None
    elif values is None:
        yield from (first.column.is_not(None), first.column.is_(None))
    elif values[0] is None:
        yield and_(first.column.is_(None), _after(rest, values[1:]))
    else:
        yield from (_after(keys, values), first.column.is_(None))


def _split_by_first(keys):
    """Whether the first key runs against the others (level descending, then oldest first):
    no single index scan reads that order from an index on plain columns."""
    rest = {key.descending for key in keys[1:]}
    return len(rest) == 1 and keys[0].descending not in rest and not keys[0].nulls_last


def _first_values(query, keys, values):
    """Phases of one first-key value each, in the first key's order: every phase is an index
    seek on (equality filters, first key, other keys), and the next value is found by one
    more seek (a skip scan by hand; meant for a first key of few values, such as a level)."""
    first, rest = keys[0], keys[1:]

    def value(v):  # a bound value: comparisons with True/False (a boolean key) too
        return literal(v, first.column.type)
    current = None
    if values:
        current = values[0]
        yield and_(first.column == value(current), _after(rest, values[1:]))
    while True:
        probe = query.with_only_columns(first.column).order_by(None)
        if current is not None:
            probe = probe.where(first.column < value(current) if first.descending
                                else first.column > value(current))
        current = db.session.scalar(probe.order_by(first.order()).limit(1))
        if current is None:
            return
        yield first.column == value(current)


def _encode(values):
    plain = [["t", v.isoformat()] if isinstance(v, dt.datetime) else
             ["d", v.isoformat()] if isinstance(v, dt.date) else ["v", v] for v in values]
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor, keys):
    problem = Invalid("the cursor is not valid",
                      errors={"cursor": ["not a cursor from this list; start again without it"]})
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(plain, list) or len(plain) != len(keys):
            raise problem
        values = []
        for kind, value in plain:
            if kind == "t":
                value = dt.datetime.fromisoformat(value)
            elif kind == "d":
                value = dt.date.fromisoformat(value)
            elif kind != "v" or not isinstance(value, (int, str, float, type(None))) \
                    or (isinstance(value, int) and abs(value) > 2 ** 62):
                raise problem
            values.append(value)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise problem from None
    if any(v is None for v in values[1:]) or (values[0] is None and not keys[0].nulls_last):
        raise problem
    return values


def count_capped(query, cap=None, ordering=()):
    """(rows counted up to `cap` (default TOTAL_CAP), whether there are more). Given the list's
    `ordering`, the rows are counted in that order: the planner then reads the list's index up
    to the cap (PostgreSQL would otherwise scan the table until it had found enough rows)."""
    cap = cap or TOTAL_CAP
    keys = [_Key(expression) for expression in ordering]
    if keys and _split_by_first(keys):
        keys = keys[:1]  # the order of the index, read one way; counting needs no more
    keys = [key.order() for key in keys]
    found = db.session.scalar(select(func.count()).select_from(
        query.order_by(*keys).limit(cap + 1).subquery()))
    return min(found, cap), found > cap


def page_of(query, ordering, page=1, per_page=50, cursor=None, cap=None):
    """A `Page` of `query` ordered by `ordering`: after `cursor` if given, else page `page`."""
    keys = [_Key(expression) for expression in ordering]
    total, capped = count_capped(query, cap, ordering)
    values, offset = None, 0
    if cursor:
        values = _decode(cursor, keys)
    else:
        offset = (max(page, 1) - 1) * per_page
        if (offset >= total and not capped) or offset >= 2 ** 62:
            return Page([], total, None, capped)  # past the end (a huge page number too)
    rows = _read(query, keys, values, offset, per_page + 1)  # one more: is there a next page?
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        next_cursor = _encode([getattr(rows[-1], key.name) for key in keys])
    return Page(rows, total, next_cursor, capped)


def _read(query, keys, values, offset, limit):
    """Up to `limit` rows after `offset` rows, phase by phase."""
    rows = []
    ordered = [key.order() for key in keys]
    for condition in _phases(query, keys, values):
        phase = query if condition is None else query.where(condition)
        if offset:
            # An old-style page number: skip whole phases by count (only page numbers pay).
            before = db.session.scalar(select(func.count()).select_from(phase.subquery()))
            if before <= offset:
                offset -= before
                continue
        rows += db.session.scalars(phase.order_by(*ordered).offset(offset or None)
                                   .limit(limit - len(rows))).all()
        offset = 0
        if len(rows) >= limit:
            break
    return rows
