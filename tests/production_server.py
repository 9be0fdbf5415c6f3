"""The production server (gunicorn with the repository's gunicorn.conf.py) started by a test
on a free loopback port, over the test database with the demo data, and a small HTTP client.

Only on PostgreSQL: the server's workers are separate processes, and the races and crashes
these tests check are those of row locks between them.
"""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PASSWORD, make_config, seeded_app
from service.database import shutdown

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("TEST_DATABASE_URL", "")
SECRET = "test-secret"  # make_config's, so the test process can read what the server wrote

# .ci/run sets REQUIRE_POSTGRES_TESTS=1 for its PostgreSQL run: there these tests must run,
# never be skipped quietly.
REQUIRED = os.environ.get("REQUIRE_POSTGRES_TESTS") == "1"
postgres_only = pytest.mark.skipif(
    not URL.startswith("postgres") and not REQUIRED,
    reason="needs PostgreSQL (TEST_DATABASE_URL): these races are between row locks taken by "
           "separate connections and processes; SQLite serialises writers on its file lock")


def prepared_app(tmp_path, clock=None, colleagues=()):
    """The test app over an emptied database with the demo data, plus extra officials
    (username, role, district) for transfers; the server's workers share that database."""
    assert URL.startswith("postgres"), "REQUIRE_POSTGRES_TESTS=1 needs a PostgreSQL " \
        "TEST_DATABASE_URL"
    app = seeded_app(make_config(tmp_path), clock)
    with app.app_context():
        from service.extensions import db
        from service.services.people.users import create_user
        for username, role, district in colleagues:
            create_user(username, PASSWORD, role, district, display_name=username,
                        demo=True)  # test accounts like the seeded ones
        db.session.commit()
    return app


def in_process(app):
    """as_user(username) on the test app's own client (same database, no server): for
    setting up what a step needs, such as housing reserved before the compensation plan."""
    from conftest import ApiUser

    def as_user(username):
        return ApiUser(app.test_client(), username)
    return as_user


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn -c gunicorn.conf.py with `workers` workers on 127.0.0.1:`port`."""

    def __init__(self, tmp_path, workers=4, port=None, database_url=None):
        self.port = port or free_port()
        self.log = tmp_path / "gunicorn.log"
        self.env = {**os.environ, "DATABASE_URL": database_url or URL, "SECRET_KEY": SECRET,
                    "UPLOAD_DIR": str(tmp_path / "uploads"), "SCHEDULER_ENABLED": "0",
                    "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "GUNICORN_WORKERS": str(workers), "GUNICORN_ACCESS_LOG": "",
                    "GUNICORN_LOG_LEVEL": "warning", "GUNICORN_TIMEOUT": "60"}
        self.env.pop("TEST_DATABASE_URL", None)
        self.process = None

    def start(self, wait=60):
        """Start the server and return once a worker answers."""
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log.read_text()[-3000:]}")
            status, _ = request(self.port, "GET", "/api/v1/openapi.json")
            if status == 200:
                return self
            time.sleep(0.1)  # waiting for another process to bind; no clock to move here
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")

    def wait_for(self, condition, wait=60):
        """Return once `condition()` holds (another process's progress: polled)."""
        deadline = time.monotonic() + wait
        while not condition():
            assert time.monotonic() < deadline, f"gave up waiting:\n{self.log.read_text()[-3000:]}"
            time.sleep(0.05)

    def workers(self):
        """Process ids of the master's current workers."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill_worker(self, pid):
        """SIGKILL one worker; the master starts another in its place."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def kill(self):
        """SIGKILL the master and its workers at once, as a crash of the machine's service."""
        for pid in [*self.workers(), self.process.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=30)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.workers()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        for pid in workers:  # none outlives the test
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def errors(self):
        """Tracebacks the server logged."""
        text = self.log.read_text() if self.log.exists() else ""
        return [part for part in text.split("Traceback")[1:]]


def request(port, method, path, body=None, token=None, timeout=60):
    """(status, JSON answer) of one request on a new connection; (None, reason) when the
    connection broke before an answer (a killed worker)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=None if body is None else json.dumps(body),
                           headers=headers)
        response = connection.getresponse()
        raw = response.read()
    except (OSError, http.client.HTTPException) as exc:
        return None, repr(exc)
    finally:
        connection.close()
    try:
        return response.status, json.loads(raw) if raw else None
    except ValueError:
        return response.status, raw.decode("utf-8", "replace")


class Caller:
    """An official calling the server with a bearer token."""

    def __init__(self, server, username):
        self.server, self.username = server, username
        status, answer = request(server.port, "POST", "/api/v1/auth/token",
                                 {"username": username, "password": PASSWORD})
        assert status == 200, answer
        self.token = answer["token"]

    def call(self, method, path, body=None):
        return request(self.server.port, method, path, body, self.token)

    def ok(self, method, path, body=None, expect=200):
        status, answer = self.call(method, path, body)
        assert status == expect, (self.username, method, path, status, answer)
        return answer

    def task(self, project_id, step):
        """The id of the one open `step` task of the project this caller may act on."""
        rows = [t for scope in ("queue", "mine") for t in self.ok(
            "GET", f"/api/v1/tasks?scope={scope}&project_id={project_id}")
            if t["step"] == step]
        assert len(rows) == 1, (self.username, project_id, step, rows)
        return rows[0]["id"]

    def complete(self, project_id, step, data):
        task_id = self.task(project_id, step)
        return self.ok("POST", f"/api/v1/tasks/{task_id}/complete", {"data": data})


def consistency_problems(app, project_ids):
    """Where task rows, the stored workflow and the audit trail disagree, per project."""
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import AuditEvent, Project, Task
    from service.services.approval.instances import stored_state
    from service.services.policy.definitions import parsed
    from service.services.runtime import runtime
    problems = []
    with app.app_context():
        for project_id in project_ids:
            project = db.session.get(Project, project_id)
            instance = runtime().engine.load(parsed(project.definition_id),
                                             stored_state(project_id))
            ready = sorted(t.id for t in instance.ready_user_tasks())
            rows = db.session.scalars(select(Task).where(Task.project_id == project_id)).all()
            open_rows = sorted(t.spiff_id for t in rows if t.status == "open")
            if ready != open_rows:
                problems.append((project_id, "open rows", open_rows, "ready", ready))
            completes = dict(db.session.execute(
                select(AuditEvent.task_id, func.count()).where(
                    AuditEvent.project_id == project_id, AuditEvent.action == "complete")
                .group_by(AuditEvent.task_id)).all())
            for row in rows:
                expected = 1 if row.status == "completed" else 0
                if completes.get(row.id, 0) != expected:
                    problems.append((project_id, row.id, row.step, row.status,
                                     "complete events", completes.get(row.id, 0)))
        db.session.rollback()
    return problems


def audit_trail(app, task_ids, actions):
    """{task id: [(action, actor's username, detail), ...] in the order recorded}."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import AuditEvent, User
    trail = {task_id: [] for task_id in task_ids}
    with app.app_context():
        for task_id, action, actor, detail in db.session.execute(
                select(AuditEvent.task_id, AuditEvent.action, User.username, AuditEvent.detail)
                .outerjoin(User, User.id == AuditEvent.actor_id)
                .where(AuditEvent.task_id.in_(task_ids), AuditEvent.action.in_(actions))
                .order_by(AuditEvent.id)).all():
            trail[task_id].append((action, actor, detail or {}))
        db.session.rollback()
    return trail


def done(app):
    """Close the test app's connections (the server's workers keep theirs until stopped)."""
    shutdown(app)
