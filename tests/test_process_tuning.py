"""Process-level tuning: SQLite checkpoints on a background thread, start-up objects frozen.

These build their own apps on a SQLite file (the background checkpoint is SQLite's alone), so
they run the same whichever database the rest of the suite uses.
"""
import gc
import logging
import shutil
import sqlite3

import pytest
from sqlalchemy import text

from conftest import ApiUser, make_config, seeded_app
from flow import PLAN
from service.database import FALLBACK_CHECKPOINT_PAGES, shutdown
from service.extensions import db
from service.wal import WalCheckpointer


def sqlite_app(tmp_path, clock, **settings):
    config = make_config(tmp_path)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'service.db'}"
    for name, value in settings.items():
        setattr(config, name, value)
    return seeded_app(config, clock)


def submitted_plan_status(database_file, copy_to):
    """The submit_plan row's status as the database file alone (without its log) holds it."""
    shutil.copyfile(database_file, copy_to)
    connection = sqlite3.connect(copy_to)
    try:
        found = connection.execute(
            "SELECT status FROM tasks WHERE step = 'submit_plan'").fetchone()
    except sqlite3.OperationalError:  # the tables themselves are still only in the log
        return None
    finally:
        connection.close()
    return found[0] if found else None


@pytest.fixture
def background_app(tmp_path, clock):
    # An interval no test waits for: only stop() (one last checkpoint) runs it, unless a test
    # says otherwise.
    app = sqlite_app(tmp_path, clock, SQLITE_CHECKPOINT_SECONDS=3600)
    yield app
    shutdown(app)


def test_completions_reach_the_database_file_through_the_background_checkpoint(
        background_app, tmp_path):
    client = background_app.test_client()
    office = ApiUser(client, "jingkou_office")
    project_id = office.post("/api/v1/projects", json={"name": "西津渡"}).json["id"]
    office.complete(project_id, "submit_plan", PLAN)
    database_file = tmp_path / "service.db"

    # The commit did not checkpoint by itself: the file alone does not have the completion.
    assert submitted_plan_status(database_file, tmp_path / "before.db") != "completed"
    background_app.extensions["wal_checkpointer"].stop()  # its last checkpoint
    assert submitted_plan_status(database_file, tmp_path / "after.db") == "completed"


def test_request_connections_checkpoint_only_past_the_fallback(background_app, tmp_path, clock):
    with background_app.app_context():
        assert db.session.execute(text("PRAGMA wal_autocheckpoint")).scalar() \
            == FALLBACK_CHECKPOINT_PAGES
    inline = sqlite_app(tmp_path / "inline", clock, SQLITE_CHECKPOINT_SECONDS=0)
    try:
        assert "wal_checkpointer" not in inline.extensions
        with inline.app_context():  # SQLite's own default: checkpoints inside commits
            assert db.session.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 1000
    finally:
        shutdown(inline)


def test_the_thread_checkpoints_on_its_interval(tmp_path, clock):
    app = sqlite_app(tmp_path, clock, SQLITE_CHECKPOINT_SECONDS=0.01)
    try:
        checkpointer = app.extensions["wal_checkpointer"]
        assert checkpointer.checkpointed.wait(timeout=30)  # without stop() being called
        assert checkpointer.checkpoints >= 1
    finally:
        shutdown(app)


def test_a_database_file_not_yet_created_is_left_alone(tmp_path, caplog, monkeypatch):
    # Alembic's logging set-up in the migration tests disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger("service.wal"), "disabled", False)
    missing = tmp_path / "not-yet.db"
    checkpointer = WalCheckpointer(missing, interval=3600).start()
    with caplog.at_level(logging.ERROR, logger="service.wal"):
        checkpointer.stop()
    assert not missing.exists()
    assert checkpointer.checkpoints == 0
    assert caplog.text == ""  # `flask run` before `flask init-db` is not an error


def test_a_failing_checkpoint_is_logged(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(logging.getLogger("service.wal"), "disabled", False)
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("not a database")
    checkpointer = WalCheckpointer(not_a_database, interval=3600)
    with caplog.at_level(logging.ERROR, logger="service.wal"):
        checkpointer.start().stop()  # stop() runs one last checkpoint, which fails
    assert checkpointer.checkpoints == 0
    assert "background WAL checkpoint" in caplog.text


def test_start_up_objects_are_left_out_of_garbage_collection(tmp_path, clock):
    gc.unfreeze()
    app = sqlite_app(tmp_path, clock, GC_FREEZE_AT_START=True, SQLITE_CHECKPOINT_SECONDS=0)
    try:
        assert gc.get_freeze_count() > 0
        assert not any(obj is app for obj in gc.get_objects())  # frozen: not scanned
    finally:
        gc.unfreeze()
        shutdown(app)

