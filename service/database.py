"""Engine settings per database, kept in one place."""
import atexit
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url

from .wal import WalCheckpointer

# With background checkpoints, a commit checkpoints by itself only past this many log pages
# (40 MB with 4 KB pages), ten times SQLite's default.
FALLBACK_CHECKPOINT_PAGES = 10000


def engine_options(app):
    """Engine options for the configured database, before the engine is made: a server
    connection is pinged at checkout (it may have been dropped); a SQLite file is not."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    defaults = {} if url.get_backend_name() == "sqlite" else {"pool_pre_ping": True}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **defaults, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}


def sqlite_pragmas(connection, background_checkpoints):
    """Set the service's SQLite settings on a new driver connection: wait for the write lock,
    foreign keys, write-ahead log, and the fallback checkpoint when a thread checkpoints."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    if background_checkpoints:  # the thread checkpoints; this only bounds the log if it stops
        cursor.execute(f"PRAGMA wal_autocheckpoint = {FALLBACK_CHECKPOINT_PAGES}")
    cursor.close()


def shutdown(app):
    """Stop the app's background checkpoints (after a last one) and close its connections."""
    from .extensions import db
    checkpointer = app.extensions.get("wal_checkpointer")
    if checkpointer is not None:
        checkpointer.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def configure(app):
    """SQLite: wait for the write lock instead of failing, enforce foreign keys, and run
    write-ahead-log checkpoints on a background thread (`SQLITE_CHECKPOINT_SECONDS`)."""
    from .extensions import db
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return
    on_file = bool(url.database) and url.database != ":memory:"
    if on_file:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    interval = app.config.get("SQLITE_CHECKPOINT_SECONDS") or 0
    background = on_file and interval > 0
    if background:
        checkpointer = app.extensions["wal_checkpointer"] = \
            WalCheckpointer(url.database, interval).start()
        atexit.register(checkpointer.stop)
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, record):
            sqlite_pragmas(connection, background)
