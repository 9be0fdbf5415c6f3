"""ORM objects for rows read with Core statements.

The completion path reads rows with prebuilt Core statements on the session's connection (a
third of the cost of an ORM query); the code after it works with the session's ORM objects.
"""
from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db


def read(statement, params):
    """Run a prebuilt Core read on the session's connection after flushing pending ORM
    changes, as an ORM query would (so `adopt` never overwrites an unflushed change)."""
    session = db.session()
    session.flush()
    return session.connection().execute(statement, params)


def adopt(model, values):
    """The session's object for a row read with `read`, holding the row's values; no query.

    An object already in the session gets the row's values (read later, so newer; `read`
    flushed its changes); otherwise a new persistent object joins the session as if loaded.
    """
    session = db.session()
    found = session.identity_map.get(inspect(model).identity_key_from_primary_key(
        [values[column.key] for column in inspect(model).primary_key]))
    if found is not None:
        for name, value in values.items():
            set_committed_value(found, name, value)
        return found
    obj = model(**values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


def split_columns(row, prefixes):
    """{prefix: {column: value}} of a joined row whose columns are labelled `prefix + name`."""
    parts = {prefix: {} for prefix in prefixes}
    for label, value in row._mapping.items():
        prefix, _, name = label.partition("__")
        parts[prefix][name] = value
    return parts


def labelled(table, prefix):
    """A table's columns labelled `prefix__name`, for `split_columns`."""
    return [column.label(f"{prefix}__{column.key}") for column in table.columns]
