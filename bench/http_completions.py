"""Task completions per second over HTTP with the production server (gunicorn), as the peer
(SpiffArena) was measured on this machine: 16 completions per second, one client, one worker.

Builds a new database with the demo data (SQLite in a temporary directory, or the PostgreSQL
database given with --database: everything in it is dropped), starts gunicorn with the
repository's gunicorn.conf.py on a free loopback port, starts `--projects` projects per
client, then each client (a thread with its own connection per request, as a browser's desk
would) completes its projects' steps in turn: the plan submission and the city review, the
review returning the plan, `--rounds` times. Prints completions per second over the timed part
and the per-request latency centiles p50 / p95 / p99.

    .venv/bin/python bench/http_completions.py                       # SQLite, 1 client, 1 worker
    .venv/bin/python bench/http_completions.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench_g
    .venv/bin/python bench/http_completions.py --database ... --clients 8 --workers 2
    .venv/bin/python bench/http_completions.py --all --database ...  # the three set-ups above

--env NAME=VALUE passes a setting to the server's environment, to measure what it is worth.
"""
import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "demo-pass-2026"
SECRET = "bench-http-completions"
PLAN = {"name": "基准项目", "households": 10, "in_kind_households": 6,
        "monetary_households": 4, "survey_summary": "调查完成"}
RETURN = {"decision": "return", "opinion": "补充材料"}
STEPS = (("submit_plan", "jingkou_office", PLAN), ("city_review", "city_review", RETURN))


def build_database(url):
    """A new database at `url` with the schema and the demo data."""
    from service import create_app
    from service.config import Config
    from service.database import shutdown

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = SECRET
        SCHEDULER_ENABLED = False

    app = create_app(BenchConfig)
    with app.app_context():
        from sqlalchemy import MetaData
        from service.cli import init_database
        from service.extensions import db
        from service.seed import seed_demo
        metadata = MetaData()
        metadata.reflect(bind=db.engine)
        metadata.drop_all(bind=db.engine)
        init_database(use_migrations=False)
        seed_demo()
    shutdown(app)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(port, method, path, body=None, token=None):
    """(status, JSON answer) of one request on a new connection."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=None if body is None else json.dumps(body),
                           headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    return response.status, (json.loads(raw) if raw else None)


class Server:
    """gunicorn -c gunicorn.conf.py over `url` with `workers` workers."""

    def __init__(self, url, workers, log, extra_env):
        self.port = free_port()
        self.env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET,
                    "SCHEDULER_ENABLED": "0", "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "GUNICORN_WORKERS": str(workers), "GUNICORN_ACCESS_LOG": "",
                    "GUNICORN_LOG_LEVEL": "warning", "GUNICORN_MAX_REQUESTS": "0",
                    "UPLOAD_DIR": str(Path(log).parent / "uploads"), **extra_env}
        self.log = log

    def __enter__(self):
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{Path(self.log).read_text()[-3000:]}")
            try:
                if call(self.port, "GET", "/api/v1/openapi.json")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)  # another process is binding the port
        raise SystemExit("gunicorn did not answer in 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def token(port, username):
    status, answer = call(port, "POST", "/api/v1/auth/token",
                          {"username": username, "password": PASSWORD})
    assert status == 200, (status, answer)
    return answer["token"]


def client_run(port, tokens, projects, rounds, latencies, errors, ready):
    """One client: start its projects, wait for the others, then complete their steps."""
    try:
        current = []
        for i in range(projects):
            status, answer = call(port, "POST", "/api/v1/projects", {"name": f"基准{i}"},
                                  tokens["jingkou_office"])
            assert status == 201, (status, answer)
            current.append(answer["current_steps"])
    except Exception as exc:  # noqa: BLE001 - reported by the main thread
        errors.append(repr(exc))
    ready.wait()
    try:
        for _ in range(rounds):
            for step, username, data in STEPS:
                for i, open_tasks in enumerate(current):
                    task = next(t for t in open_tasks if t["step"] == step)
                    sent = time.perf_counter()
                    status, answer = call(port, "POST", f"/api/v1/tasks/{task['id']}/complete",
                                          {"data": data}, tokens[username])
                    latencies.append(time.perf_counter() - sent)
                    if status != 200:
                        raise AssertionError((status, answer))
                    current[i] = answer["next_steps"]
    except Exception as exc:  # noqa: BLE001
        errors.append(repr(exc))


def centile(values, fraction):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def run(url, clients, workers, projects, rounds, extra_env):
    """Build, serve, drive; returns (completions per second, latencies in seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        if url is None:
            target = f"sqlite:///{tmp}/bench.db"
        else:
            target = url
        build_database(target)
        with Server(target, workers, f"{tmp}/gunicorn.log", extra_env) as server:
            tokens = {name: token(server.port, name) for _, name, _ in STEPS}
            # Warm every worker (imports, the parsed process) before the timing.
            for _ in range(workers * 4):
                call(server.port, "GET", "/api/v1/tasks?scope=queue", None,
                     tokens["jingkou_office"])
            latencies, errors = [], []
            ready = threading.Barrier(clients + 1)
            threads = [threading.Thread(target=client_run, args=(
                server.port, tokens, projects, rounds, latencies, errors, ready))
                for _ in range(clients)]
            for thread in threads:
                thread.start()
            ready.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            if errors:
                raise SystemExit(f"errors: {errors[:3]}\n{Path(server.log).read_text()[-3000:]}")
    return len(latencies) / elapsed, latencies


def report(label, rate, latencies):
    ms = [x * 1000 for x in latencies]
    print(f"{label:<44} {rate:7.1f} completions/s   p50 {statistics.median(ms):6.1f} ms   "
          f"p95 {centile(ms, 0.95):6.1f} ms   p99 {centile(ms, 0.99):6.1f} ms   "
          f"({len(ms)} completions)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="PostgreSQL URL (emptied!); default: new SQLite file")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--projects", type=int, default=20, help="per client")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="runs per set-up (best shown)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--all", action="store_true",
                        help="SQLite 1x1, --database 1x1 and 8 clients x 2 workers")
    args = parser.parse_args()
    from service.config import database_url
    url = database_url(args.database) if args.database else None
    extra = dict(item.split("=", 1) for item in args.env)
    setups = [(url, args.clients, args.workers)]
    if args.all:
        setups = [(None, 1, 1)] + ([(url, 1, 1), (url, 8, 2)] if url else [])
    for target, clients, workers in setups:
        runs = [run(target, clients, workers, args.projects, args.rounds, extra)
                for _ in range(args.repeat)]
        rate, latencies = max(runs, key=lambda found: found[0])
        name = "SQLite" if target is None else "PostgreSQL"
        report(f"{name}, {clients} client(s), {workers} worker(s)"
               + (f" {' '.join(args.env)}" if args.env else ""), rate, latencies)


if __name__ == "__main__":
    main()
