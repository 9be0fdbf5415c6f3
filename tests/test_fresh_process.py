"""A freshly started process (a new or respawned web worker) answers a valid bearer token at
once, and the SQLite database file it creates is readable by the service's account only."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from conftest import make_config
from service import create_app
from service.database import shutdown

TESTS = Path(__file__).resolve().parent

# A new interpreter: nothing configured yet, as in a worker gunicorn has just forked or
# respawned. It builds the app the way the tests do and makes the token calls first.
FIRST_CALLS = """
import json, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import make_config
from service import create_app
app = create_app(make_config(Path({tmp!r})))
client = app.test_client()
headers = {{"Authorization": "Bearer " + {token!r}}}
answers = []
for url in {urls!r}:
    response = client.get(url, headers=headers)
    answers.append([url, response.status_code, response.get_json()])
print(json.dumps(answers))
"""


def first_calls_in_a_new_process(tmp_path, token, urls):
    script = FIRST_CALLS.format(tests=str(TESTS), tmp=str(tmp_path), token=token, urls=urls)
    done = subprocess.run([sys.executable, "-c", script], cwd=TESTS.parent, env=os.environ,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_first_token_call_of_a_fresh_process_is_answered(tmp_path, as_user):
    office = as_user("jingkou_office")
    project = office.post("/api/v1/projects", json={"name": "棚改项目"})
    assert project.status_code == 201, project.json
    project_id = project.json["id"]
    token = office.headers["Authorization"].split(" ", 1)[1]
    answers = first_calls_in_a_new_process(
        tmp_path, token, [f"/api/v1/projects/{project_id}", "/api/v1/tasks"])
    (_, status, shown), (_, queue_status, queue) = answers
    assert (status, queue_status) == (200, 200), answers
    assert shown["id"] == project_id
    assert [task["project_id"] for task in queue] == [project_id]


def test_the_sqlite_database_file_is_created_owner_only(tmp_path, clock):
    config = make_config(tmp_path)
    if make_url(config.SQLALCHEMY_DATABASE_URI).get_backend_name() != "sqlite":
        pytest.skip("the database file is SQLite's; PostgreSQL keeps its own files")

    class FreshFile(config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'data' / 'service.db'}"
    database = tmp_path / "data" / "service.db"
    previous = os.umask(0o022)  # the usual umask, which leaves new files world-readable
    try:
        app = create_app(FreshFile, clock=clock)
        with app.app_context():
            from service.cli import init_database
            init_database(use_migrations=False)
        shutdown(app)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    for companion in database.parent.glob("service.db-*"):  # write-ahead log, shared memory
        assert stat.S_IMODE(companion.stat().st_mode) == 0o600, companion


def test_a_respawned_production_worker_answers_a_token_at_once(app, as_user, tmp_path):
    """gunicorn with one worker: its first request, and the first request of the worker the
    master starts after that one is killed, are token calls (the token made elsewhere)."""
    from production_server import Server, request
    office = as_user("jingkou_office")
    token = office.headers["Authorization"].split(" ", 1)[1]
    server = Server(tmp_path, workers=1,
                    database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        # started and waited for with an unauthenticated call: the worker has served no token
        server.start()
        first = request(server.port, "GET", "/api/v1/tasks", token=token)
        assert first[0] == 200, first
        (worker,) = server.workers()
        server.kill_worker(worker)
        server.wait_for(lambda: server.workers() not in ([], [worker]))
        again = request(server.port, "GET", "/api/v1/tasks", token=token)
        assert again[0] == 200, again
        assert [t["step"] for t in again[1]] == [t["step"] for t in first[1]]
        assert server.errors() == []
    finally:
        server.stop()
