"""Probing SQLite's write lock from a second connection, as another process would."""
import sqlite3

import pytest

from service.extensions import db

COULD_WRITE = "could write"


def sqlite_path(app):
    """The test database's file when it is SQLite, else None."""
    with app.app_context():
        return db.engine.url.database if db.engine.dialect.name == "sqlite" else None


def sqlite_only(app, reason):
    """The SQLite database's file; skips the test on other databases."""
    path = sqlite_path(app)
    if path is None:
        pytest.skip(f"SQLite only: {reason}")
    return path


def try_write_lock(path):
    """COULD_WRITE when another connection can take the write lock at once (it gives it back),
    else the driver's message ("database is locked")."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # what every writing transaction begins with
        other.execute("ROLLBACK")
        return COULD_WRITE
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()
