"""Projects: one statutory approval each, with its serialised workflow state."""
import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db


class Project(db.Model):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    plan_year: Mapped[int | None] = mapped_column(index=True)
    revision: Mapped[int] = mapped_column(default=0)
    # Earliest BPMN timer of the instance, so timer refreshes load only instances that are due.
    next_timer_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    completed_at: Mapped[dt.datetime | None]
    # The serialised workflow (spec left out), saved with the row in the same UPDATE. Deferred,
    # so that lists and queues never read it; the last column, so reading the others never
    # walks its pages.
    state: Mapped[str | None] = deferred(mapped_column(Text))
    definition = relationship("ProcessDefinition")
    created_by = relationship("User")
