"""Deployed, numbered process definitions with the forms they use."""
import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db


class ProcessDefinition(db.Model):
    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_definition_key_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: lists of versions and projects never need the XML itself.
    bpmn_xml: Mapped[str] = deferred(mapped_column(Text))
    forms: Mapped[dict] = deferred(mapped_column(JSON, default=dict))
    meta: Mapped[dict] = deferred(mapped_column(JSON, default=dict))
    change_note: Mapped[str] = mapped_column(Text, default="")
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deployed_at: Mapped[dt.datetime]
    deployed_by = relationship("User")
