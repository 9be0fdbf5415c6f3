"""Drafts of a process (diagram and forms) kept on the server until they are deployed."""
import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class ProcessDraft(db.Model):
    __tablename__ = "process_drafts"
    __table_args__ = (Index("ix_process_drafts_key", "key", "updated_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("process_definitions.id"))
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    forms: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[dt.datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime]
    # Raised by every save; the UPDATE matches the revision it read (an optimistic lock), so of
    # two saves made from the same revision the second is refused instead of overwriting.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    # Set when the draft was deployed: the version it became (the draft is kept for the record).
    deployed_definition_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_definitions.id"))
    based_on = relationship("ProcessDefinition", foreign_keys=[based_on_id])
    deployed_definition = relationship("ProcessDefinition",
                                       foreign_keys=[deployed_definition_id])
    saved_by = relationship("User", foreign_keys=[saved_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])
    __mapper_args__ = {"version_id_col": revision}
