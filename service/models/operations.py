"""Operations: the scheduler's heartbeat, read by /readyz and /metrics."""
import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SchedulerHeartbeat(db.Model):
    """One row per scheduler process (host:pid), its `at` moved forward by every beat."""
    __tablename__ = "scheduler_heartbeats"
    process: Mapped[str] = mapped_column(String(120), primary_key=True)
    at: Mapped[dt.datetime]
