"""Readiness: the database answers, its schema is at the migrations' head, and a scheduler
process beat recently. Each check says only ok or not (nothing about the installation)."""
from alembic.script import ScriptDirectory
from alembic.config import Config as AlembicConfig
from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from ...migrations_support import MIGRATIONS_DIR
from ...extensions import db
from .heartbeat import seconds_since_last_beat

_HEADS = {}


def migration_heads():
    """The revision ids at the head of the migrations shipped with this code."""
    if "heads" not in _HEADS:
        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        _HEADS["heads"] = set(ScriptDirectory.from_config(config).get_heads())
    return _HEADS["heads"]


def _probe_engine(app):
    """An engine that opens a new connection for every check (never a pooled one, which could
    outlive the database it was opened on); SQLite in read-write mode, so a missing file is
    an error rather than a new empty database."""
    engine = app.extensions.get("readiness_engine")
    if engine is None:
        url = db.engine.url
        if url.get_backend_name() == "sqlite":
            import sqlite3
            path = url.database
            engine = create_engine("sqlite://", poolclass=NullPool, creator=lambda: sqlite3.connect(
                f"file:{path}?mode=rw", uri=True, timeout=2))
        else:
            engine = create_engine(url, poolclass=NullPool,
                                   connect_args={"connect_timeout": 3})
        app.extensions["readiness_engine"] = engine
    return engine


def readiness():
    """{check: bool} for database, schema and scheduler; all true when ready."""
    app = current_app._get_current_object()
    checks = {"database": False, "schema": False, "scheduler": False}
    try:
        with _probe_engine(app).connect() as connection:
            connection.execute(text("SELECT 1"))
            checks["database"] = True
            try:
                versions = {row[0] for row in connection.execute(
                    text("SELECT version_num FROM alembic_version"))}
            except Exception:  # noqa: BLE001 - no migration recorded (an empty database)
                connection.rollback()
                versions = set()
            checks["schema"] = versions == migration_heads()
            age = seconds_since_last_beat(connection)
            checks["scheduler"] = age is not None and \
                age <= app.config["READY_HEARTBEAT_SECONDS"]
    except Exception:  # noqa: BLE001 - any failure means "not ready"; details stay in the log
        app.logger.warning("readiness check failed", exc_info=True)
    return checks
