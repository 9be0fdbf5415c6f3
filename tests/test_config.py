"""Settings from the environment: yes/no values in their usual spellings, and a clear refusal
of one the service cannot use (naming the variable) instead of a traceback or a silent "off"."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = "from service.config import Config; print(Config.{})"


def run(code, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SCHEDULER_ENABLED", "MAX_UPLOAD_MB", "TOKEN_MAX_AGE")}
    return subprocess.run([sys.executable, "-c", code], env={**environment, **env}, cwd=ROOT,
                          capture_output=True, text=True)


def test_yes_no_settings_take_the_usual_spellings():
    for spelled, meant in [("true", "True"), ("YES", "True"), ("on", "True"), ("1", "True"),
                           ("false", "False"), ("No", "False"), ("0", "False"), ("", "True")]:
        done = run(SHOW.format("SCHEDULER_ENABLED"), SCHEDULER_ENABLED=spelled)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == meant, spelled


def test_a_value_the_service_cannot_use_is_refused_naming_the_variable():
    for env, told in [({"SCHEDULER_ENABLED": "enabled"}, "SCHEDULER_ENABLED='enabled': use 1 or 0"),
                      ({"MAX_UPLOAD_MB": "20MB"}, "MAX_UPLOAD_MB='20MB': must be a whole number"),
                      ({"TOKEN_MAX_AGE": "-5"}, "TOKEN_MAX_AGE='-5': must be at least 60")]:
        done = run(SHOW.format("SECRET_KEY"), **env)
        assert done.returncode != 0
        assert f"ConfigError: {told}" in done.stderr


def test_the_command_line_says_what_is_wrong():
    done = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "service",
                           "definitions", "list"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "MAX_UPLOAD_MB": "lots"})
    assert done.returncode != 0
    assert "MAX_UPLOAD_MB='lots': must be a whole number" in done.stderr
