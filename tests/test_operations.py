"""Health and readiness checks, metrics, JSON logs, the own account page."""
import datetime as dt
import json
import logging
import os
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from conftest import csrf_from, reset_database
from flow import start
from service import scheduler
from service.extensions import db
from service.migrations_support import MIGRATIONS_DIR


def test_healthz_answers_without_signing_in_and_says_nothing_else(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_fails_while_the_database_is_down_and_recovers(app, client, clock):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        reset_database()
        upgrade(directory=str(MIGRATIONS_DIR))
    # No scheduler has ever beaten: not ready, and only the check names are told.
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {
        "database": "ok", "schema": "ok", "scheduler": "fail"}}
    scheduler.run_job(app, "heartbeat")
    assert client.get("/readyz").status_code == 200
    clock.advance(minutes=10)  # the scheduler process stopped beating
    assert client.get("/readyz").json["checks"]["scheduler"] == "fail"
    scheduler.run_job(app, "heartbeat")
    assert client.get("/readyz").status_code == 200
    if url.get_backend_name() != "sqlite":
        return  # PostgreSQL: the stopped-server case is in test_readyz_postgresql_down
    path = Path(url.database)
    path.rename(path.with_suffix(".moved"))
    try:
        down = client.get("/readyz")
        assert down.status_code == 503 and down.json["checks"]["database"] == "fail"
        assert not path.exists()  # the check never makes an empty database in its place
    finally:
        path.with_suffix(".moved").rename(path)
    assert client.get("/readyz").status_code == 200


def test_readyz_says_not_ready_when_the_schema_is_behind(app, client):
    # The test database is built by create_all (no migration recorded): schema not current.
    assert client.get("/readyz").json["checks"]["schema"] == "fail"


def test_readyz_postgresql_down_and_back(app, tmp_path, clock):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only; SQLite's case moves the database file")
    from conftest import make_config
    from service import create_app
    from service.database import shutdown
    from tcp_relay import Relay
    with app.app_context():
        reset_database()
        upgrade(directory=str(MIGRATIONS_DIR))
    scheduler.run_job(app, "heartbeat")
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)

    class ThroughRelay(make_config(tmp_path)):
        SQLALCHEMY_DATABASE_URI = url.set(host="127.0.0.1", port=relay.port).render_as_string(
            hide_password=False)
    relayed = create_app(ThroughRelay, clock=clock)
    client = relayed.test_client()
    try:
        assert client.get("/readyz").status_code == 200
        relay.stop()  # the database server is down
        down = client.get("/readyz")
        assert down.status_code == 503 and down.json["checks"]["database"] == "fail"
        relay.start()
        assert client.get("/readyz").status_code == 200
    finally:
        relay.stop()
        shutdown(relayed)


def _sample(body, name):
    """A sample's value in the exposition text (0 when the series is not there yet)."""
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def test_metrics_count_requests_completions_and_database_figures(client, as_user):
    # The counter lives as long as the test process (other tests complete steps too).
    series = 'approval_task_completions_total{step="submit_plan"}'
    before = _sample(client.get("/metrics").text, series)
    project_id = start(as_user)
    as_user("jingkou_office").complete(project_id, "submit_plan", __import__("flow").PLAN)
    body = client.get("/metrics").text
    assert _sample(body, series) == before + 1
    assert 'approval_open_tasks{district="jingkou"} 1.0' in body
    assert 'approval_overdue_tasks{district="jingkou"} 0.0' in body
    assert "approval_outbox_backlog" in body and "approval_scheduler_lag_seconds -1.0" in body
    assert 'flask_http_request_duration_seconds_count{endpoint="tasks.TaskComplete"' in body or \
        "flask_http_request_duration_seconds_count" in body


def test_logs_are_json_lines_with_request_id_and_official(app, client, as_user, capsys):
    from service.observability import JsonLines, RequestContext
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    handler.addFilter(RequestContext())
    logger = logging.getLogger("service.requests")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.disabled = False  # Alembic's logging set-up in another test may have disabled it
    try:
        caller = as_user("jingkou_office")
        response = caller.client.get("/api/v1/tasks", headers={**caller.headers,
                                                                "X-Request-ID": "req-42"})
    finally:
        logger.removeHandler(handler)
    assert response.headers["X-Request-ID"] == "req-42"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    line = next(entry for entry in lines if entry.get("request_id") == "req-42")
    assert line["user"] == "jingkou_office" and line["status"] == 200
    assert line["path"] == "/api/v1/tasks"


def test_own_account_page_changes_the_password_and_lists_sign_ins(client, web_login):
    web_login("runzhou_office")
    page = client.get("/account/")
    assert page.status_code == 200 and sign_in_rows(page.text) == 1
    token = csrf_from(page.text)
    wrong = client.post("/account/password", data={"csrf_token": token, "current": "nope",
                                                   "password": "new-pass-2027",
                                                   "repeat": "new-pass-2027"})
    assert wrong.status_code == 302
    client.post("/account/password", data={"csrf_token": token, "current": "demo-pass-2026",
                                           "password": "new-pass-2027",
                                           "repeat": "new-pass-2027"})
    client.post("/logout", data={"csrf_token": token})
    assert web_login("runzhou_office").status_code == 401  # the old password
    assert web_login("runzhou_office", "new-pass-2027").status_code == 302
    assert sign_in_rows(client.get("/account/").text) == 2


def sign_in_rows(html):
    table = html.split('id="sign-ins"', 1)[1].split("</table>", 1)[0]
    return table.count("<td>127.0.0.1</td>")
