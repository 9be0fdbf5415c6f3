"""One row per user task: what work queues, lists and the deadline sweep read."""
import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        # Queues, in their order (due first, undated last, then id), so a page is read in
        # index order whatever the queue's size (keyset paging, services/paging.py): a
        # district's office, and the city-wide roles (no district).
        Index("ix_tasks_queue_due", "status", "role", "district", "due_at", "id"),
        Index("ix_tasks_role_due", "status", "role", "due_at", "id"),
        # The same queues newest first (`sort=created`), read backwards.
        Index("ix_tasks_queue_created", "status", "role", "district", "created_at", "id"),
        Index("ix_tasks_role_created", "status", "role", "created_at", "id"),
        Index("ix_tasks_claimed", "claimed_by_id", "status", "due_at", "id"),
        Index("ix_tasks_due", "status", "due_at"),
        # A project's open statutory rows (household_id IS NULL), not its households' rows.
        Index("ix_tasks_project", "project_id", "status", "household_id"),
        Index("ix_tasks_completed_by", "completed_by_id", "completed_at", "id"),
        # The sweep: open tasks whose next unfired level (yellow, red, level 2) is due.
        Index("ix_tasks_next_alert", "next_alert_at"),
        # The forecast: open tasks that are yellow or worse at a given moment.
        Index("ix_tasks_yellow", "status", "yellow_at"),
        # A household's tasks (issue 16): its page and the one-household completion.
        Index("ix_tasks_household", "household_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    # Set on a household process's tasks; None on the statutory process's.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    spiff_id: Mapped[str] = mapped_column(String(36), unique=True)
    step: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    district: Mapped[str] = mapped_column(String(40))
    department: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="open")
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    time_limit_days: Mapped[int | None]
    yellow_days: Mapped[int | None]
    due_date: Mapped[dt.date | None]
    due_at: Mapped[dt.datetime | None]
    level2_days: Mapped[int | None]
    # Thresholds in naive UTC, set when the row opens or its due date is recomputed.
    yellow_at: Mapped[dt.datetime | None]
    red_at: Mapped[dt.datetime | None]
    level2_at: Mapped[dt.datetime | None]
    next_alert_at: Mapped[dt.datetime | None]
    alert_level: Mapped[int | None]
    completed_late: Mapped[bool | None]
    days_taken: Mapped[int | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[dt.datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[dict | None] = mapped_column(JSON)
    draft: Mapped[dict | None] = mapped_column(JSON)
    facts: Mapped[dict | None] = mapped_column(JSON)
    project = relationship("Project", lazy="joined")
    # Queues name the household of a household task (issue 16): joined by its key, like the
    # project, so a page of rows is one query.
    household = relationship("Household", lazy="joined")
    claimed_by = relationship("User", foreign_keys=[claimed_by_id])
    completed_by = relationship("User", foreign_keys=[completed_by_id])
