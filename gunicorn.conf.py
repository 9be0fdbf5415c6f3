"""Production server settings: `gunicorn -c gunicorn.conf.py` (the app is named below).

Every setting can be changed from the environment, so a deployment (systemd unit, container)
changes variables, not this file:

GUNICORN_BIND      where to listen, default 127.0.0.1:8000 (behind nginx; several addresses
                   separated by commas or spaces)
GUNICORN_WORKERS   worker processes, default WEB_CONCURRENCY or 2 x CPU cores + 1 (at most 9)
GUNICORN_THREADS   threads per worker, default 1
GUNICORN_TIMEOUT   seconds a worker may spend on one request before the master replaces it,
                   default 60 (a 20 MB upload from a slow district line fits)
GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (with jitter), default 2000;
                   0 never recycles
FORWARDED_ALLOW_IPS    proxies whose X-Forwarded-* headers are trusted, default 127.0.0.1
GUNICORN_ACCESS_LOG    access log file, default "-" (standard output); empty for none
GUNICORN_LOG_LEVEL     error log level, default info
GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket; unset: none

The service's own settings (DATABASE_URL, SECRET_KEY, SCHEDULER_ENABLED, ...) are read by
service/config.py from the same environment. With several workers on one database, run the
scheduler once on its own (`flask scheduler run`, SCHEDULER_ENABLED=0 for the web server) or
leave it embedded: each job claims its run, so reminders still go out once.
"""
import multiprocessing
import os


def _int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r}: must be a whole number") from None


# The application factory; gunicorn calls it once in every worker.
wsgi_app = "service:create_app()"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").replace(",", " ").split()

workers = _int("GUNICORN_WORKERS",
               _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = _int("GUNICORN_THREADS", 1)

# Each worker builds its own app after the fork (no preload): database connections, the
# SQLite checkpoint thread and the embedded scheduler are never shared across a fork, and a
# respawned worker starts exactly as the first did.
preload_app = False

timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycling bounds any slow growth of a worker's memory; the jitter keeps workers from
# restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max(max_requests // 10, 0)

# Workers' heartbeat files in memory: a disk under load (or full) must not make the master
# think a healthy worker hung.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The remote address as the proxy saw it, the request, status, size, time in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus'

# gunicorn's own lines (worker boots, timeouts, the access log) as JSON objects like the
# service's (LOG_FORMAT=json, the default), so the log collector reads one format.
if os.environ.get("LOG_FORMAT", "json") == "json":
    from service.jsonlog import gunicorn_logging
    logconfig_dict = gunicorn_logging(loglevel, access=accesslog is not None)

proc_name = "resettlement-approval"

# gunicorn's control socket (`gunicornc`) sits at one path per account by default, which a
# second server of the same account (a test run, a staging copy) would take over: off unless
# a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Prometheus metrics with several workers (PROMETHEUS_MULTIPROC_DIR, see service/observability):
# every worker writes its counters into that directory and /metrics adds them up. Files left
# by an earlier run would be counted again, so the directory is emptied at start; a worker
# that exits has its live gauges dropped.
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)
