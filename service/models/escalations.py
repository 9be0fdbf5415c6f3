"""Escalations (yellow, red, level 2), once per task and level; title-certificate deadlines."""
import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

#: level numbers: 0 yellow (临期), 1 red (超期, to supervisors), 2 to the leading-group office
YELLOW, RED, LEVEL2 = 0, 1, 2
LEVEL_NAMES = {YELLOW: "yellow", RED: "red", LEVEL2: "level2"}
#: An open, current item, as each dialect renders the list's filter (a partial index is used
#: only when the query's conditions name the same terms).
OPEN_SQLITE = "cleared_at IS NULL AND closed_at IS NULL AND is_current IS 1"
OPEN_POSTGRESQL = "cleared_at IS NULL AND closed_at IS NULL AND is_current IS true"


class TitleCertificate(db.Model):
    """Title certificates due three calendar months after allocation, six at the latest (001 四)."""
    __tablename__ = "title_certificates"
    __table_args__ = (Index("ix_certificates_next_alert", "next_alert_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), unique=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    district: Mapped[str] = mapped_column(String(40), index=True)
    allocation_date: Mapped[dt.date]
    due_date: Mapped[dt.date]
    deadline_date: Mapped[dt.date]
    yellow_at: Mapped[dt.datetime | None]
    red_at: Mapped[dt.datetime | None]
    level2_at: Mapped[dt.datetime | None]
    next_alert_at: Mapped[dt.datetime | None]
    alert_level: Mapped[int | None]
    created_at: Mapped[dt.datetime]
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_note: Mapped[str | None] = mapped_column(Text)
    done_late: Mapped[bool | None]
    project = relationship("Project", lazy="joined")
    done_by = relationship("User")


class Escalation(db.Model):
    """One level reached by one task (or certificate); kept, with `cleared_at`, after it closes."""
    __tablename__ = "escalations"
    __table_args__ = (
        UniqueConstraint("task_id", "level", name="uq_escalation_task_level"),
        UniqueConstraint("certificate_id", "level", name="uq_escalation_certificate_level"),
        # The supervisors' list (deadlines/escalations.py) in its order: level, then oldest
        # first, then id; a district's and the city-wide list; open items (the default tab)
        # apart from the history, which grows without end. The level runs against the other
        # keys, so services/paging.py reads one level at a time, each a seek in these.
        Index("ix_escalations_open", "district", "level", "fired_at", "id",
              sqlite_where=text(OPEN_SQLITE), postgresql_where=text(OPEN_POSTGRESQL)),
        Index("ix_escalations_open_city", "level", "fired_at", "id",
              sqlite_where=text(OPEN_SQLITE), postgresql_where=text(OPEN_POSTGRESQL)),
        Index("ix_escalations_list", "district", "level", "fired_at", "id"),
        Index("ix_escalations_level", "level", "fired_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="step")  # step | title_certificate
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("title_certificates.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    level: Mapped[int]
    district: Mapped[str] = mapped_column(String(40))
    office: Mapped[str] = mapped_column(String(40), index=True)  # department, else role
    step: Mapped[str] = mapped_column(String(100), index=True)
    due_at: Mapped[dt.datetime | None]
    fired_at: Mapped[dt.datetime] = mapped_column(index=True)
    notified: Mapped[bool] = mapped_column(default=True)
    is_current: Mapped[bool] = mapped_column(default=True)
    cleared_at: Mapped[dt.datetime | None]
    cleared_reason: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_note: Mapped[str | None] = mapped_column(Text)
    urge_count: Mapped[int] = mapped_column(default=0)
    last_urged_at: Mapped[dt.datetime | None]
    task = relationship("Task", lazy="joined")
    certificate = relationship("TitleCertificate")
    project = relationship("Project")
    closed_by = relationship("User")

    @property
    def level_name(self):
        return LEVEL_NAMES[self.level]
