"""A full disk: an upload or a completion answers 507 with a message, leaves no partial file
behind and changes nothing."""
import errno
import io
import os
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from conftest import csrf_from
from deskflow import PDF
from flow import PLAN, start


class _FullDisk:
    """A file whose writes stop part-way with ENOSPC, as on a disk that fills up."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data):
        self.handle.write(data[:7])
        self.handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(monkeypatch):
    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FullDisk(real(fd, *a, **k)))


def _upload(user, task_id):
    return user.post(f"/api/v1/tasks/{task_id}/attachments",
                     data={"file": (io.BytesIO(PDF), "台账.pdf"), "field": "survey_ledger"},
                     content_type="multipart/form-data")


def _files(app):
    root = app.config["UPLOAD_DIR"]
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


def test_an_upload_meeting_a_full_disk_answers_507_and_leaves_no_partial_file(
        app, as_user, full_disk):
    office = as_user("jingkou_office")
    project_id = start(as_user)
    task_id = office.task_for(project_id, "submit_plan")["id"]
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]

    response = _upload(office, task_id)
    assert response.status_code == 507, response.json
    assert "disk is full" in response.json["message"]
    assert _files(app) == []  # no uploads/<project>/.upload-* left behind
    assert office.get(f"/api/v1/projects/{project_id}/attachments").json == []
    assert office.get(f"/api/v1/projects/{project_id}").json["history"] == history


def test_the_same_upload_succeeds_once_there_is_room(app, as_user, full_disk, monkeypatch):
    office = as_user("jingkou_office")
    project_id = start(as_user)
    task_id = office.task_for(project_id, "submit_plan")["id"]
    assert _upload(office, task_id).status_code == 507
    monkeypatch.undo()
    response = _upload(office, task_id)
    assert response.status_code == 201, response.json
    assert len(_files(app)) == 1


def _database_full(statement="COMMIT"):
    """The error each database raises when its disk is full, as SQLAlchemy hands it on."""
    try:
        import psycopg.errors
        postgres = psycopg.errors.DiskFull("could not extend file: No space left on device")
    except ImportError:  # pragma: no cover - psycopg is a declared dependency
        postgres = None
    return [OperationalError(statement, {}, sqlite3.OperationalError("database or disk is full")),
            OperationalError(statement, {}, postgres)]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_completion_meeting_a_full_database_answers_507_and_changes_nothing(
        as_user, monkeypatch, database):
    office = as_user("jingkou_office")
    project_id = start(as_user)
    before = office.get(f"/api/v1/projects/{project_id}").json
    task = office.task_for(project_id, "submit_plan")
    error = _database_full()[0 if database == "sqlite" else 1]
    real_commit = Session.commit

    def commit(session):
        session.flush()  # the rows reach the database, then its disk is full
        raise error
    monkeypatch.setattr(Session, "commit", commit)
    response = office.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": PLAN})
    monkeypatch.setattr(Session, "commit", real_commit)

    assert response.status_code == 507, response.json
    assert "disk is full" in response.json["message"]
    after = office.get(f"/api/v1/projects/{project_id}").json
    assert after["current_steps"] == before["current_steps"]
    assert after["history"] == before["history"]
    # The official can complete it once there is room again.
    office.complete(project_id, "submit_plan", PLAN)


def test_an_upload_whose_row_meets_a_full_database_removes_its_file(app, as_user, monkeypatch):
    office = as_user("jingkou_office")
    project_id = start(as_user)
    task_id = office.task_for(project_id, "submit_plan")["id"]
    monkeypatch.setattr(Session, "commit", lambda session: (_ for _ in ()).throw(
        _database_full()[0]))
    response = _upload(office, task_id)
    monkeypatch.undo()
    assert response.status_code == 507, response.json
    assert _files(app) == []


def test_the_desk_shows_the_full_disk_in_chinese(app, as_user, web_login, client, monkeypatch):
    project_id = start(as_user)
    task_id = as_user("jingkou_office").task_for(project_id, "submit_plan")["id"]
    web_login("jingkou_office")
    page = client.get(f"/desk/tasks/{task_id}")
    assert page.status_code == 200
    monkeypatch.setattr(Session, "commit", lambda session: (_ for _ in ()).throw(
        _database_full()[0]))
    response = client.post(f"/desk/tasks/{task_id}/draft",
                           data={"csrf_token": csrf_from(page.text), "name": "草稿"})
    monkeypatch.undo()
    assert response.status_code == 507
    assert "磁盘已满" in response.get_data(as_text=True)
