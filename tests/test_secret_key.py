"""Without SECRET_KEY the service signs with a key of its own installation, never a value
published with the code: a token signed with such a value is refused."""
import os
import stat
import subprocess
import sys
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer

from conftest import PASSWORD, make_config, seeded_app
from service import create_app
from service.models import User

PUBLISHED = "dev-only-change-me"  # the default this service shipped with until 2026-11-21


def config_without_key(tmp_path):
    class NoKey(make_config(tmp_path)):
        SECRET_KEY = None
        SECRET_KEY_FILE = tmp_path / "instance" / "secret_key"
    return NoKey


def token(client, username="admin"):
    response = client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": PASSWORD})
    assert response.status_code == 200, response.json
    return response.json["token"]


def projects(client, bearer):
    return client.get("/api/v1/projects", headers={"Authorization": f"Bearer {bearer}"})


def test_no_key_is_configured_when_the_environment_sets_none():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    printed = subprocess.run(
        [sys.executable, "-c", "from service.config import Config; print(Config.SECRET_KEY)"],
        env=env, cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True,
        check=True).stdout.strip()
    assert printed == "None"


def test_a_token_signed_with_a_published_key_is_refused(tmp_path, clock):
    app = seeded_app(config_without_key(tmp_path), clock)
    with app.app_context():
        admin = User.query.filter_by(username="admin").one()
        forged = URLSafeTimedSerializer(PUBLISHED, salt="api-token").dumps(
            {"uid": admin.id, "v": admin.token_version})
    client = app.test_client()
    assert projects(client, forged).status_code == 401
    assert projects(client, token(client)).status_code == 200


def test_the_installation_key_is_made_once_readable_by_the_owner_only(tmp_path, clock):
    config = config_without_key(tmp_path)
    first = seeded_app(config, clock)
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text()) >= 40
    issued = token(first.test_client(), "jingkou_office")

    # Another process of the same installation (a second app on the same database and key
    # file) accepts what the first signed; the key file is not made again.
    made = key_file.stat().st_mtime_ns
    second = create_app(config, clock=clock)
    assert projects(second.test_client(), issued).status_code == 200
    assert key_file.stat().st_mtime_ns == made


def test_a_key_from_the_environment_is_used_as_given(tmp_path, clock):
    app = seeded_app(make_config(tmp_path), clock)  # SECRET_KEY = "test-secret"
    client = app.test_client()
    with app.app_context():
        user = User.query.filter_by(username="jingkou_office").one()
        signed = URLSafeTimedSerializer("test-secret", salt="api-token").dumps(
            {"uid": user.id, "v": user.token_version})
    assert projects(client, signed).status_code == 200
    assert not (tmp_path / "instance" / "secret_key").exists()
