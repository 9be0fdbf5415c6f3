"""Fixtures: a fresh database per test (SQLite file, or PostgreSQL via TEST_DATABASE_URL)."""
import datetime as dt
import os

import pytest
from sqlalchemy import MetaData

from service import create_app
from service.clock import SHANGHAI, FrozenClock
from service.config import Config, database_url
from service.database import shutdown
from service.extensions import db

from browser import browser_session, chromium, live_server  # noqa: F401,E402 (shared fixtures)

PASSWORD = "demo-pass-2026"
# A Monday, office hours in Zhenjiang.
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


def make_config(tmp_path):
    class TestConfig(Config):
        TESTING = True
        SECRET_KEY = "test-secret"
        SQLALCHEMY_DATABASE_URI = database_url(
            os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}")
        UPLOAD_DIR = tmp_path / "uploads"
        AUDIT_HEAD_FILE = tmp_path / "audit-heads.jsonl"
        # Tests move the clock by days between page views; tests/test_signin_policy.py
        # checks the 15-minute default of the idle timeout with its own app.
        SESSION_IDLE_MINUTES = 10 * 365 * 24 * 60
        # Likewise by months (title certificates): passwords do not expire in between;
        # tests/test_signin_policy.py sets the 90-day default where it checks expiry.
        PASSWORD_MAX_AGE_DAYS = 0
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
        SCHEDULER_ENABLED = False
        WTF_CSRF_ENABLED = True
        SMTP_HOST = None
        ENGINE_CHECK_DUMPS = True  # every dump in the suite is compared with the reference
        # Never re-read while a test runs (statement counts stay exact); the test of another
        # process's correction makes a second app that checks on every use.
        CALENDAR_CHECK_SECONDS = 3600
    return TestConfig


def reset_database():
    """Drop every table (including ones left by other branches' schemas)."""
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    metadata.drop_all(bind=db.engine)


@pytest.fixture
def clock():
    return FrozenClock(START)


def seeded_app(config, clock=None):
    """An app on an emptied database with the schema and the demo data."""
    app = create_app(config, clock=clock)
    with app.app_context():
        reset_database()
        from service.cli import init_database
        from service.seed import seed_demo
        init_database(use_migrations=False)  # tests/test_migrations.py checks the migrations
        seed_demo()
    return app


@pytest.fixture
def app(tmp_path, clock):
    app = seeded_app(make_config(tmp_path), clock)
    yield app
    shutdown(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class ApiUser:
    """A signed-in API caller: `.get/.post` send its bearer token."""

    def __init__(self, client, username, password=PASSWORD):
        self.client, self.username = client, username
        response = client.post("/api/v1/auth/token",
                               json={"username": username, "password": password})
        assert response.status_code == 200, response.json
        self.headers = {"Authorization": f"Bearer {response.json['token']}"}

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self.headers, **kwargs)

    def post(self, url, **kwargs):
        return self.client.post(url, headers=self.headers, **kwargs)

    def put(self, url, **kwargs):
        return self.client.put(url, headers=self.headers, **kwargs)

    def delete(self, url, **kwargs):
        return self.client.delete(url, headers=self.headers, **kwargs)

    def queue(self, scope="queue", **params):
        response = self.get("/api/v1/tasks", query_string={"scope": scope, **params})
        assert response.status_code == 200, response.json
        return response.json

    def task_for(self, project_id, step):
        """The one open task of `step` on the project in this caller's queue."""
        rows = [t for t in self.queue(project_id=project_id) if t["step"] == step]
        assert len(rows) == 1, (step, rows)
        return rows[0]

    def complete(self, project_id, step, data, expect=200):
        if step == "file_compensation_plan" and expect == 200:
            # The office puts the housing in place before filing: the plan's units_reserved
            # is counted from the housing-pool ledger and must cover the in-kind households.
            from housing_helpers import reserve_housing
            reserve_housing(lambda username: self, project_id,
                            int(data.get("in_kind_households") or 0), self.username)
        task = self.task_for(project_id, step)
        response = self.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
        assert response.status_code == expect, response.json
        return response.json


@pytest.fixture
def as_user(client):
    """as_user('jingkou_office') gives an ApiUser for that demo official."""
    cache = {}

    def get(username):
        if username not in cache:
            cache[username] = ApiUser(client, username)
        return cache[username]
    return get


def csrf_from(html):
    """The CSRF token embedded in a page."""
    import re
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def web_login(client):
    """web_login('jingkou_office') signs the test client in through the login page."""
    def login(username, password=PASSWORD):
        page = client.get("/login")
        return client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_from(page.text)})
    return login


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
