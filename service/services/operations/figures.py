"""Figures computed from the database when /metrics is scraped (so every worker reports the
same numbers, whichever one is asked)."""
from sqlalchemy import case, func, select

from ...extensions import db
from ...models import OutboxEmail, Task
from ..runtime import runtime
from .heartbeat import seconds_since_last_beat


def task_counts_by_district():
    """{district: (open, overdue)} of open tasks."""
    now = runtime().clock.now_naive()
    overdue = func.sum(case((Task.due_at < now, 1), else_=0))
    rows = db.session.execute(select(Task.district, func.count(Task.id), overdue)
                              .where(Task.status == "open").group_by(Task.district)).all()
    return {district: (int(count), int(late or 0)) for district, count, late in rows}


def outbox_backlog():
    """Mails waiting to be sent."""
    return db.session.scalar(select(func.count(OutboxEmail.id))
                             .where(OutboxEmail.status == "pending")) or 0


def scheduler_lag():
    """Seconds since a scheduler process last beat (None: never)."""
    return seconds_since_last_beat()
