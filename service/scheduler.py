"""APScheduler jobs: the sweep, BPMN timers and the outbox every minute, monthly reports hourly.

Runs inside the web process when SCHEDULER_ENABLED, or alone as `flask scheduler run`. Every job
is safe to run in several processes at once (row claims, unique constraints).
"""
import atexit
import datetime as dt
import logging
import os
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from .extensions import db

log = logging.getLogger(__name__)
_lock = threading.Lock()


def _jobs():
    from .services.notices import mailer
    from .services.deadlines import reports, sweep, timers
    from .services.records import chain_check
    from .services.households import overdue
    from .services.operations import heartbeat
    return {
        # First, so /readyz sees this process alive before the slower jobs run.
        "heartbeat": (heartbeat.BEAT_SECONDS, lambda: heartbeat.beat()),
        "sweep": (60, lambda: sweep.sweep()),
        "timers": (60, lambda: timers.refresh_due_timers()),
        "outbox": (60, lambda: mailer.deliver_outbox()),
        "overdue_resettlement": (600, lambda: overdue.sweep_overdue()),
        "monthly": (3600, lambda: reports.run_monthly()),
        "audit_head": (3600, lambda: chain_check.export_head()),
    }


def run_job(app, name):
    """Run one job in an app context; a failure is logged, never propagated to the scheduler."""
    with app.app_context():
        try:
            return _jobs()[name][1]()
        except Exception:  # noqa: BLE001 - a job must not kill the scheduler
            log.exception("scheduled job %s failed", name)
            db.session.rollback()
        finally:
            db.session.remove()


def tick(app):
    """Every job once, in order (what one minute of the scheduler does)."""
    return {name: run_job(app, name) for name in _jobs()}


def build(app, blocking=False):
    """A scheduler with the jobs added (not started)."""
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="Asia/Shanghai")
    for name, (seconds, _) in _jobs().items():
        # The heartbeat also beats at once, so /readyz passes as soon as a scheduler starts.
        first = {"next_run_time": dt.datetime.now(dt.timezone.utc)} if name == "heartbeat" else {}
        scheduler.add_job(run_job, "interval", seconds=seconds, args=(app, name), id=name,
                          max_instances=1, coalesce=True, misfire_grace_time=seconds, **first)
    return scheduler


def start_embedded(app):
    """Start the background scheduler in this web process when SCHEDULER_ENABLED.

    Under a WSGI server it starts now; under the `flask` command it starts with the first request
    (so only `flask run` serves it, never `flask init-db` or `flask scheduler run`)."""
    if not app.config.get("SCHEDULER_ENABLED") or app.testing:
        return
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        _start(app)
        return

    @app.before_request
    def _start_on_first_request():
        if "scheduler" not in app.extensions:
            _start(app)


def _start(app):
    with _lock:
        if "scheduler" in app.extensions:
            return
        scheduler = build(app)
        scheduler.start()
        app.extensions["scheduler"] = scheduler
        atexit.register(lambda: scheduler.shutdown(wait=False))
