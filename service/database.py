"""Engine settings per database, kept in one place."""
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url


def engine_options(app):
    """Engine options for the configured database, before the engine is made: a server
    connection is pinged at checkout (it may have been dropped); a SQLite file is not."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    defaults = {} if url.get_backend_name() == "sqlite" else {"pool_pre_ping": True}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **defaults, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}


def configure(app):
    """SQLite: wait for the write lock instead of failing, and enforce foreign keys."""
    from .extensions import db
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()
