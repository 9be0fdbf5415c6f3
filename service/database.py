"""Engine settings per database, kept in one place."""
import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url

# How the next SQLite transaction begins (see `transaction_mode`).
WRITE, READ, LOCK_ON_WRITE = "write", "read", "lock_on_write"
_MODE = ContextVar("sqlite_transaction_mode", default=WRITE)
_BEGIN = {WRITE: "BEGIN IMMEDIATE", READ: "BEGIN"}


def engine_options(app):
    """Engine options for the configured database, before the engine is made: a server
    connection is pinged at checkout (it may have been dropped); a SQLite file is not."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    defaults = {} if url.get_backend_name() == "sqlite" else {"pool_pre_ping": True}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **defaults, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}


def sqlite_pragmas(connection):
    """Set the service's SQLite settings on a new driver connection: wait for the write lock,
    foreign keys, write-ahead log (checkpointed inside commits, SQLite's default: a background
    checkpoint thread measured no faster over HTTP, bench/http_completions.py)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def has_row_locks(dialect):
    """Whether SELECT … FOR UPDATE locks rows (not on SQLite, which locks the database)."""
    return dialect.name != "sqlite"


@contextmanager
def transaction_mode(mode):
    """How SQLite transactions begun inside the block take the database's write lock:

    - `write` (the default: commands, jobs, requests that change things): at their first
      statement, so what they read stays as read until they commit, and a second writer waits
      for them instead of acting on rows read before their commit;
    - `read` (requests that only read): never; their reads see one snapshot;
    - `lock_on_write`: at their first write, for work that must not keep other writers waiting
      while it waits on something outside the database (an SMTP server).

    Other databases lock rows (SELECT … FOR UPDATE) and ignore this.
    """
    token = _MODE.set(mode)
    try:
        yield
    finally:
        _MODE.reset(token)


def _begin_sqlite(connection):
    # The driver's own transaction handling (autocommit reads, BEGIN just before the first
    # write) is switched off at connect; each transaction begins here, as its mode says.
    driver = connection.connection.driver_connection
    mode = _MODE.get()
    if mode == LOCK_ON_WRITE:
        driver.isolation_level = ""  # the driver begins the transaction at the first write
        return
    if driver.isolation_level is not None:
        driver.isolation_level = None
    connection.exec_driver_sql(_BEGIN[mode])


def shutdown(app):
    """Close the app's database connections."""
    from .extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def configure(app):
    """SQLite: wait for the write lock instead of failing, enforce foreign keys, write-ahead
    log."""
    from .extensions import db
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return
    on_file = bool(url.database) and url.database != ":memory:"
    if on_file:
        _create_owner_only(Path(url.database))
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, record):
            sqlite_pragmas(connection)
            connection.isolation_level = None  # transactions begin in `_begin_sqlite`

        event.listen(engine, "begin", _begin_sqlite)
    app.before_request(_mode_of_request)
    app.teardown_request(_end_mode_of_request)


def _create_owner_only(path):
    """Create a missing SQLite database file readable by the service's account only: it holds
    password hashes and officials' data. SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # made earlier, or by another worker just now: left as it is
        pass


# Requests that by HTTP's rules change nothing read in one snapshot, without the write lock.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def writes(view):
    """Mark a view that writes although its method is GET (an export recorded in the audit
    trail): its SQLite transaction takes the write lock at once, as other writers' do."""
    view.sqlite_mode = WRITE
    return view


def _mode_of_request():
    from flask import current_app, g, request
    view = current_app.view_functions.get(request.endpoint)
    mode = getattr(view, "sqlite_mode", None) or (
        READ if request.method in _SAFE_METHODS else WRITE)
    g.sqlite_mode_token = _MODE.set(mode)  # for the rest of the request
    if mode == WRITE:
        # The body is read now, before the first statement takes the write lock: a slow client
        # or a large upload must not keep every other writer waiting while it arrives.
        request.get_data(parse_form_data=True)


def _end_mode_of_request(exc=None):
    from flask import g
    token = g.pop("sqlite_mode_token", None)
    if token is not None:
        _MODE.reset(token)
