"""Prometheus metrics at /metrics and JSON-line logs with a request id and the official.

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied at
every server start by gunicorn.conf.py): every worker writes its counters there and whichever
worker answers /metrics adds them up. Figures from the database (open and overdue tasks by
district, scheduler lag, outbox backlog) are computed at the scrape instead.
"""
import logging
import os
import re
import time
import uuid

from flask import g, has_request_context, request
from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily

from .jsonlog import JsonLines

#: completed tasks by step (the `task_completing` signal: the completing UPDATE is being made)
COMPLETIONS = Counter("approval_task_completions_total", "Tasks completed, by step", ["step"],
                      registry=None)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class DatabaseFigures:
    """A collector reading the figures at scrape time, in the app's context."""

    def __init__(self, app):
        self.app = app

    def describe(self):
        """Nothing at registration (the database may not exist yet)."""
        return []

    def collect(self):
        from .services.operations import figures
        from .extensions import db
        with self.app.app_context():
            try:
                counts = figures.task_counts_by_district()
                backlog, lag = figures.outbox_backlog(), figures.scheduler_lag()
            except Exception:  # noqa: BLE001 - a scrape during a database outage still answers
                db.session.rollback()
                self.app.logger.warning("metrics: database figures failed", exc_info=True)
                return
            finally:
                db.session.remove()
        open_tasks = GaugeMetricFamily("approval_open_tasks", "Open tasks, by district",
                                       labels=["district"])
        overdue = GaugeMetricFamily("approval_overdue_tasks", "Open tasks past their due time, "
                                    "by district", labels=["district"])
        for district, (count, late) in sorted(counts.items()):
            open_tasks.add_metric([district], count)
            overdue.add_metric([district], late)
        yield open_tasks
        yield overdue
        yield GaugeMetricFamily("approval_outbox_backlog", "E-mails waiting to be sent",
                                value=backlog)
        yield GaugeMetricFamily("approval_scheduler_lag_seconds", "Seconds since a scheduler "
                                "process last beat (-1: never)", value=-1 if lag is None else lag)


def init_metrics(app):
    """Request latency by endpoint (prometheus-flask-exporter) and the service's figures at
    /metrics; multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set."""
    if not app.config.get("METRICS_ENABLED", True):
        return
    # No auto_describe: it would collect the other workers' files at registration, find the
    # exporter's own metric names there, and the exporter would then quietly skip this worker.
    registry = CollectorRegistry(auto_describe=False)  # what /metrics serves
    registry.register(DatabaseFigures(app))
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # A process started without gunicorn (a command, the scheduler) makes it if need be.
        os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
        from prometheus_client.multiprocess import MultiProcessCollector
        from prometheus_flask_exporter.multiprocess import MultiprocessPrometheusMetrics
        # The exporter's metrics live in their own registry; /metrics serves every worker's
        # files instead (this worker's values are in its file: served once, not twice).
        metrics = MultiprocessPrometheusMetrics(app, registry=CollectorRegistry(),
                                                group_by="endpoint")
        MultiProcessCollector(registry)
    else:
        from prometheus_flask_exporter import PrometheusMetrics
        registry.register(COMPLETIONS)  # one process: the counter itself, not the files
        metrics = PrometheusMetrics(app, path=None, registry=registry, group_by="endpoint")

    # Our own endpoint: the exporter's would build a registry of the files only in
    # multiprocess mode, leaving out the figures read from the database.
    @metrics.do_not_track()
    def metrics_view():
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
        return generate_latest(registry), 200, {"Content-Type": CONTENT_TYPE_LATEST}
    app.add_url_rule("/metrics", "metrics", metrics_view)
    app.extensions["metrics"] = metrics
    from .services.signals import task_completing
    task_completing.connect(_count_completion, weak=False)


def _count_completion(task, now=None, **kwargs):
    COMPLETIONS.labels(step=task.step).inc()
    return {}


class RequestContext(logging.Filter):
    """Adds the request id and the signed-in official to every record made in a request."""

    def filter(self, record):
        if has_request_context():
            record.request_id = getattr(g, "request_id", None)
            record.user = getattr(g, "log_user", None) or _signed_in_user()
        return True


def _signed_in_user():
    try:
        from flask_login import current_user
        user = getattr(g, "user", None) or current_user
        return getattr(user, "username", None)
    except Exception:  # noqa: BLE001 - logging never fails a request
        return None


def init_logging(app):
    """JSON lines on standard error (LOG_FORMAT=json, the default) and a request id per request
    (the caller's X-Request-ID when sane, else a new one), returned in X-Request-ID."""
    if app.config.get("LOG_FORMAT", "json") == "json" and not app.testing:
        root = logging.getLogger()
        if not any(isinstance(h.formatter, JsonLines) for h in root.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(JsonLines())
            handler.addFilter(RequestContext())
            root.addHandler(handler)
            root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
            # APScheduler logs every job run at INFO: one line per job per minute is noise.
            logging.getLogger("apscheduler").setLevel(logging.WARNING)
            # SpiffWorkflow logs every task state change at INFO: several lines per completion
            # that the audit trail records already, and 3% of a completion's time measured by
            # py-spy on bench/http_completions.py. SPIFF_LOG_LEVEL=INFO brings them back.
            logging.getLogger("spiff").setLevel(app.config.get("SPIFF_LOG_LEVEL", "WARNING"))
        app.logger.handlers.clear()  # Flask's own handler would print each record twice
        app.logger.propagate = True
    log = logging.getLogger("service.requests")

    @app.before_request
    def _request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        started = getattr(g, "request_started", None)
        log.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None})
        return response
