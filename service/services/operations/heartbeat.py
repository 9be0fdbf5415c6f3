"""The scheduler's heartbeat: a row per scheduler process, moved forward every beat."""
import datetime as dt
import os
import socket

from sqlalchemy import delete, func, select

from ...extensions import db
from ...models import SchedulerHeartbeat
from ..runtime import runtime

#: seconds between beats (the scheduler job's interval)
BEAT_SECONDS = 30


def process_name():
    """This process as host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def beat():
    """Record that this scheduler process is alive now; drop rows of processes gone a day."""
    now = runtime().clock.now_naive()
    row = db.session.get(SchedulerHeartbeat, process_name())
    if row is None:
        db.session.add(SchedulerHeartbeat(process=process_name(), at=now))
    else:
        row.at = now
    db.session.execute(delete(SchedulerHeartbeat).where(
        SchedulerHeartbeat.at < now - dt.timedelta(days=1)))
    db.session.commit()
    return now


def seconds_since_last_beat(connection=None):
    """Seconds since any scheduler process last beat, or None when none ever did (read on
    `connection` when given, else the session's)."""
    query = select(func.max(SchedulerHeartbeat.at))
    latest = (connection or db.session).scalar(query)
    if latest is None:
        return None
    return max((runtime().clock.now_naive() - latest).total_seconds(), 0.0)
