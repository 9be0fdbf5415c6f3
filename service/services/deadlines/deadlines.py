"""Deadline thresholds of task rows (yellow, red, level 2), kept in step with the task's life.

Each open task with a time limit carries `yellow_at`, `red_at`, `level2_at` (naive UTC) and
`next_alert_at`, the threshold of the next level not yet fired, so the sweep reads only tasks
that are due. Closing a task clears its escalations (the rows stay, with `cleared_at`).
"""
import datetime as dt

from flask import current_app
from sqlalchemy import select

from ...clock import SHANGHAI
from ...extensions import db
from ...models import Escalation, Task
from ...models.escalations import LEVEL2, RED, YELLOW
from .. import signals
from ..records.audit import record
from ..policy.definitions import version_info
from ..runtime import runtime
from .certificates import track_handover
from .levels import clear_escalations, start_of_day

THRESHOLD_COLUMNS = {YELLOW: "yellow_at", RED: "red_at", LEVEL2: "level2_at"}


def thresholds(calendar, due_date, yellow_days, level2_days):
    """{level: moment}: yellow when <= N working days remain, red after the due date, level 2
    once M more working days have passed after it."""
    return {
        YELLOW: start_of_day(calendar.subtract_working_days(due_date, yellow_days)),
        RED: start_of_day(due_date + dt.timedelta(days=1)),
        LEVEL2: start_of_day(calendar.add_working_days(due_date, level2_days)
                             + dt.timedelta(days=1)),
    }


def next_alert(row):
    """The threshold of the next level above the row's fired level, or None."""
    fired = -1 if row.alert_level is None else row.alert_level
    for level in sorted(THRESHOLD_COLUMNS):
        if level > fired:
            return getattr(row, THRESHOLD_COLUMNS[level])
    return None


def task_levels(task, meta=None):
    """(yellow_days, level2_days) of a task: BPMN properties, else configuration."""
    config = current_app.config
    if meta is None:
        meta = version_info(task.project.definition_id).meta["user_tasks"].get(task.step, {})
    yellow = task.yellow_days if task.yellow_days is not None else config["DEFAULT_YELLOW_DAYS"]
    level2 = meta.get("escalate_after_days")
    return yellow, level2 if level2 is not None else config["LEVEL2_AFTER_DAYS"]


def set_thresholds(row, due_date, yellow_days, level2_days, calendar=None):
    """Store the row's thresholds and its next alert (works for tasks and certificates)."""
    if due_date is None:
        row.yellow_at = row.red_at = row.level2_at = row.next_alert_at = None
        return
    found = thresholds(calendar or runtime().calendar(), due_date, yellow_days, level2_days)
    for level, column in THRESHOLD_COLUMNS.items():
        setattr(row, column, found[level])
    row.next_alert_at = next_alert(row)


def open_task_deadlines(task, meta=None):
    """Thresholds for a newly opened task row."""
    yellow, level2 = task_levels(task, meta)
    task.level2_days = level2
    set_thresholds(task, task.due_date, yellow, level2)


@signals.tasks_opened.connect
def _on_opened(project, tasks, actor=None, **extra):
    meta = version_info(project.definition_id).meta["user_tasks"]
    for task in tasks:
        open_task_deadlines(task, meta.get(task.step, {}))


@signals.task_completing.connect
def _on_completing(task, now, **extra):
    """No next alert; lateness and working days taken when the task had a due date."""
    columns = {"next_alert_at": None}
    if task.due_at is not None:
        columns["completed_late"] = now > task.due_at
        columns["days_taken"] = runtime().calendar().working_days_between(
            _local_date(task.created_at), _local_date(now))
    return columns


@signals.tasks_closed.connect
def _on_closed(project, tasks, actor=None, **extra):
    # Completed rows got their deadline columns from the UPDATE that completed them.
    now = runtime().clock.now_naive()
    for task in tasks:
        if task.status != "completed":
            task.next_alert_at = None
        elif task.alert_level is None:
            continue  # the completing UPDATE read the level under the row lock: none fired
        clear_escalations(Escalation.task_id == task.id, task.status, project, task, actor, now)
    for task in tasks:
        track_handover(project, task, now)


def _local_date(moment):
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI).date()


def recompute_due_dates(day, actor=None):
    """Recompute due dates of open tasks a corrected `day` can move; returns how many changed."""
    calendar = runtime().calendar()
    opened_before = start_of_day(day)
    rows = db.session.scalars(
        select(Task).where(Task.status == "open", Task.time_limit_days.is_not(None),
                           Task.due_date >= day,
                           Task.created_at < opened_before)).all()
    changed = 0
    for task in rows:
        due_date, due_at = calendar.due(task.created_at, task.time_limit_days)
        if due_date == task.due_date:
            continue
        old = task.due_date
        task.due_date, task.due_at = due_date, due_at
        yellow, level2 = task_levels(task)
        task.level2_days = task.level2_days if task.level2_days is not None else level2
        set_thresholds(task, due_date, yellow, task.level2_days, calendar)
        record("due_recomputed", actor, task.project, task, step=task.step,
               old_due_date=old.isoformat(), due_date=due_date.isoformat(),
               corrected_day=day.isoformat())
        changed += 1
    return changed


def backfill_thresholds(batch=1000):
    """Set thresholds on open tasks that have a due date but none yet (rows opened before the
    deadline columns existed); returns how many. Commits per batch."""
    done = 0
    while True:
        rows = db.session.scalars(select(Task).where(
            Task.status == "open", Task.due_date.is_not(None), Task.yellow_at.is_(None))
            .order_by(Task.id).limit(batch)).all()
        if not rows:
            return done
        for task in rows:
            open_task_deadlines(task)
        db.session.commit()
        done += len(rows)
