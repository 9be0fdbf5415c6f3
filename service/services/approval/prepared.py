"""Hot statements run on the driver's cursor, compiled once per dialect and parameter names.

The completion path runs six statements per request (seven on PostgreSQL). SQLAlchemy's
per-execution work (cache key, parameter construction, result objects) costs about 60 µs a
statement over the driver's own call, a sixth of a completion; a `Prepared` statement pays it
once. The SQL is still SQLAlchemy's, compiled for the session's dialect; values go through the
column types' bind and result processors, so they are stored and read exactly as SQLAlchemy
would; the cursor is the session connection's, so the statement runs in the session's
transaction; and `before_cursor_execute` / `after_cursor_execute` listeners are told, as for
any statement.
"""
from sqlalchemy.exc import DBAPIError

from ...database import has_row_locks
from ...extensions import db

_CONNECTION = "prepared_connection"


def _connection():
    """The session's connection in its current transaction (taken from the session once per
    transaction: asking the session each time costs as much as a statement's own work here)."""
    session = db.session()
    transaction = session.get_transaction()
    found = session.info.get(_CONNECTION)
    if transaction is None or found is None or found[0] is not transaction:
        connection = session.connection()
        found = session.info[_CONNECTION] = (session.get_transaction(), connection)
    return found[1]


class Prepared:
    """A Core statement, compiled on first use per (dialect, parameter names)."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled = {}

    def rows(self, params):
        """Run with one parameter dict; the result rows as tuples (processed values)."""
        return self._run(params, [params], many=False)

    def many(self, params_list):
        """Run once per parameter dict (all with the same names) in one driver call."""
        if params_list:
            self._run(params_list[0], params_list, many=True)

    def _run(self, names_from, params_list, many):
        connection = _connection()
        plan = self._plan(connection.dialect, names_from)
        values = [plan.values(params) for params in params_list]
        if not many:
            values = values[0]
        driver_error = connection.dialect.loaded_dbapi.Error
        cursor = connection.connection.driver_connection.cursor()
        try:
            dispatch = connection.dispatch
            dispatch.before_cursor_execute(connection, cursor, plan.sql, values, None, many)
            (cursor.executemany if many else cursor.execute)(plan.sql, values)
            dispatch.after_cursor_execute(connection, cursor, plan.sql, values, None, many)
            if cursor.description is None:
                return []
            return plan.processed(cursor.fetchall())
        except driver_error as exc:
            # Raised as SQLAlchemy's own statements raise it (IntegrityError and the like).
            raise DBAPIError.instance(plan.sql, values, exc, driver_error,
                                      dialect=connection.dialect, ismulti=many) from exc
        finally:
            cursor.close()

    def lock(self, params):
        """Run a SELECT … FOR UPDATE for its row locks. SQLite has none: its writing
        transactions hold the database's write lock from their first statement
        (`database.transaction_mode`), so there the statement would lock nothing; not run."""
        connection = _connection()
        if has_row_locks(connection.dialect):
            self._run(params, [params], many=False)

    def first(self, params):
        """The first result row, or None."""
        found = self.rows(params)
        return found[0] if found else None

    def _plan(self, dialect, params):
        key = (dialect.name, tuple(params))
        plan = self._compiled.get(key)
        if plan is None:
            plan = self._compiled[key] = _Plan(self.statement, dialect, params)
        return plan


class _Plan:
    """One compilation: the SQL, where each bound value comes from, and the row processors."""

    def __init__(self, statement, dialect, params):
        compiled = statement.compile(dialect=dialect, column_keys=list(params))
        # A column default computed at execution time would be skipped here: refuse.
        missing = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)
                   if c.key not in params]
        if missing:
            raise ValueError(f"prepared statement needs values for {missing}")
        self.sql = compiled.string
        names = compiled.positiontup if compiled.positional else list(compiled.binds)
        # (name, parameter key or None for a constant, constant, bind processor)
        self._binds = []
        for name in names:
            bind = compiled.binds[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            given = bind.key if bind.key in params else None
            if given is None and bind.callable is None and bind.value is None:
                raise ValueError(f"prepared statement has no value for {bind.key!r}")
            self._binds.append((name, given, bind.effective_value, process))
        self._positional = compiled.positional
        columns = statement.exported_columns  # a SELECT's columns, or DML's RETURNING
        self._processors = [c.type.dialect_impl(dialect).result_processor(dialect, None)
                            for c in columns]
        self._process_rows = any(self._processors)

    def values(self, params):
        """The driver's parameters for one execution."""
        found = []
        for _, given, constant, process in self._binds:
            value = params[given] if given is not None else constant
            found.append(process(value) if process is not None else value)
        if self._positional:
            return tuple(found)
        return {name: value for (name, *_), value in zip(self._binds, found)}

    def processed(self, rows):
        """Rows with each column's result processor applied."""
        if not self._process_rows:
            return rows
        processors = self._processors
        return [tuple(p(v) if p is not None else v for p, v in zip(processors, row))
                for row in rows]
