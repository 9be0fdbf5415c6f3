"""/metrics under gunicorn with two workers: each worker's counts, added up at any scrape."""
import re
import socket
from concurrent.futures import ThreadPoolExecutor

from conftest import make_config, seeded_app
from production_server import Server, request
from service.database import shutdown


def test_metrics_are_summed_across_two_gunicorn_workers(tmp_path):
    config = make_config(tmp_path)  # SQLite file or TEST_DATABASE_URL
    shutdown(seeded_app(config))
    server = Server(tmp_path, workers=2, database_url=config.SQLALCHEMY_DATABASE_URI)
    metrics_dir = tmp_path / "metrics"
    server.env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    (metrics_dir).mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left over from an earlier run")
    server.start()
    try:
        # One worker holds a connection whose request is not sent yet (a sync worker serves one
        # connection at a time), so the other worker answers the next requests; then the held
        # request is sent and its worker answers it too.
        held = socket.create_connection(("127.0.0.1", server.port))
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: request(server.port, "GET", "/healthz")[0],
                                     range(59)))
        held.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert held.makefile("rb").readline().split()[1] == b"200"
        held.close()
        assert statuses == [200] * 59
        sent = 60
        pids = {int(m.group(1)) for m in (re.search(r"_(\d+)\.db$", p.name)
                                          for p in metrics_dir.iterdir()) if m}
        assert len(pids & set(server.workers())) == 2, (pids, server.workers())
        assert 1 not in pids  # the earlier run's file was cleared at start
        for _ in range(3):  # whichever worker answers, the sum is the same
            status, body = request(server.port, "GET", "/metrics")
            assert status == 200
            counts = [float(v) for v in re.findall(
                r'flask_http_request_duration_seconds_count\{[^}]*endpoint="health.healthz"'
                r'[^}]*\} (\S+)', body)]
            assert sum(counts) == sent, [l for l in body.splitlines() if "_count" in l]
            assert 'approval_open_tasks' in body or "approval_outbox_backlog 0.0" in body
            assert "approval_scheduler_lag_seconds" in body
        assert server.errors() == []
    finally:
        server.stop()


def test_one_command_runs_the_workers_and_the_scheduler_and_becomes_ready(tmp_path):
    """deploy/serve.sh: gunicorn's workers and `flask scheduler run` as its own process; /readyz
    turns 200 once the scheduler has beaten; stopping the command stops both."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from flask_migrate import upgrade

    from conftest import reset_database
    from production_server import ROOT, SECRET, free_port
    from service import create_app
    from service.migrations_support import MIGRATIONS_DIR
    config = make_config(tmp_path)
    app = create_app(config)
    with app.app_context():
        reset_database()
        upgrade(directory=str(MIGRATIONS_DIR))  # the schema at the head, as init-db leaves it
    shutdown(app)
    port, bin_dir = free_port(), Path(sys.executable).parent
    env = {**os.environ, "DATABASE_URL": config.SQLALCHEMY_DATABASE_URI, "SECRET_KEY": SECRET,
           "UPLOAD_DIR": str(tmp_path / "uploads"), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "2", "GUNICORN_ACCESS_LOG": "", "GC_FREEZE_AT_START": "0",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
           "FLASK": str(bin_dir / "flask"), "GUNICORN": str(bin_dir / "gunicorn")}
    env.pop("TEST_DATABASE_URL", None)
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen([str(ROOT / "deploy" / "serve.sh")], env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status, answer = time.monotonic() + 90, None, None
        while time.monotonic() < deadline and status != 200:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            status, answer = request(port, "GET", "/readyz")
            time.sleep(0.3)  # processes starting; no clock to move here
        assert status == 200, (answer, (tmp_path / "serve.log").read_text()[-3000:])
        children = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True,
                                  text=True).stdout.split()
        assert len(children) >= 4  # the script, the scheduler, gunicorn's master and workers
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and subprocess.run(
                ["pgrep", "-s", str(process.pid)], capture_output=True).returncode == 0:
            time.sleep(0.3)
        assert subprocess.run(["pgrep", "-s", str(process.pid)],
                              capture_output=True).returncode != 0
    finally:
        if process.poll() is None or subprocess.run(["pgrep", "-s", str(process.pid)],
                                                    capture_output=True).returncode == 0:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_gunicorn_writes_every_line_as_json(tmp_path):
    """The log collector reads one format: gunicorn's own lines (start, workers booting, the
    access log, a worker killed and replaced) are JSON objects like the service's request lines."""
    import json
    config = make_config(tmp_path)
    shutdown(seeded_app(config))
    server = Server(tmp_path, workers=1, database_url=config.SQLALCHEMY_DATABASE_URI)
    server.env.update(GUNICORN_ACCESS_LOG="-", GUNICORN_LOG_LEVEL="info", LOG_FORMAT="json")
    server.start()
    try:
        assert request(server.port, "GET", "/healthz")[0] == 200
        first = server.workers()
        server.kill_worker(first[0])
        server.wait_for(lambda: server.workers() and server.workers() != first)
        server.wait_for(lambda: request(server.port, "GET", "/healthz")[0] == 200)
    finally:
        server.stop()
    lines = [line for line in server.log.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # fails on any line that is not JSON
    loggers = {r["logger"] for r in records}
    assert {"gunicorn.error", "gunicorn.access", "service.requests"} <= loggers, loggers
    assert any("Booting worker" in r["message"] for r in records)
    assert any(r["logger"] == "gunicorn.access" and "/healthz" in r["message"] for r in records)
    # each request once from the service, once in the access log: nothing written twice
    service_lines = [r for r in records if r["logger"] == "service.requests"]
    assert len({r["request_id"] for r in service_lines}) == len(service_lines)
