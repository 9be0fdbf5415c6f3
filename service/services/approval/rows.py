"""ORM objects for rows read with prepared statements.

The completion path reads rows with prepared statements (`prepared.py`) in the session's
transaction, far cheaper than an ORM query; the code after it works with the session's ORM
objects.
"""
from functools import cache

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict, set_committed_value

from ...extensions import db


def read(prepared, params):
    """Rows of a `Prepared` read, run after flushing pending ORM changes, as an ORM query
    would (so `adopt` never overwrites an unflushed change)."""
    db.session.flush()
    return prepared.rows(params)


def adopt(model, values):
    """The session's object for a row read with `read`, holding the row's values; no query.

    An object already in the session gets the row's values (read later, so newer; `read`
    flushed its changes); otherwise a new persistent object joins the session as if loaded.
    """
    session = db.session()
    mapper = inspect(model)
    found = session.identity_map.get(mapper.identity_key_from_primary_key(
        [values[column.key] for column in mapper.primary_key]))
    if found is not None:
        for name, value in values.items():
            set_committed_value(found, name, value)
        return found
    return attach(blank(model, values))


def blank(model, values, others_null=False):
    """A transient object holding `values`, made as a query's loader makes one: without the
    mapped __init__'s per-attribute events (a third of the cost). Columns not given are NULL
    with `others_null` (a new row), else unloaded (loaded from the row when first read)."""
    obj = inspect(model).class_manager.new_instance()
    state = instance_dict(obj)
    if others_null:
        state.update(dict.fromkeys(_column_keys(model)))
    state.update(values)
    return obj


def attach(obj):
    """Put a transient object whose row exists (it has its primary key) in the session as a
    persistent, unmodified object."""
    make_transient_to_detached(obj)
    db.session.add(obj)
    return obj


@cache
def _column_keys(model):
    return tuple(column.key for column in model.__table__.columns)


class Columns:
    """The column names of a prebuilt statement, taken once: rows become dicts by position,
    without SQLAlchemy's per-row key view (a tenth of a millisecond on a wide row)."""

    def __init__(self, statement):
        self.names = tuple(column.name for column in statement.selected_columns)
        self._parts = [name.partition("__")[::2] for name in self.names]

    def values(self, row):
        """{column: value} of a row."""
        return dict(zip(self.names, row))

    def split(self, row):
        """{prefix: {column: value}} of a joined row whose columns are `labelled`."""
        parts = {}
        for (prefix, name), value in zip(self._parts, row):
            parts.setdefault(prefix, {})[name] = value
        return parts


def labelled(table, prefix, leave_out=()):
    """A table's columns labelled `prefix__name`, for `Columns.split`."""
    return [column.label(f"{prefix}__{column.key}") for column in table.columns
            if column.key not in leave_out]
