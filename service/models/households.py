"""Households: the project's register (调查摸底), one file per household (一户一档), each with its own workflow."""
import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db

PROPERTY_TYPES = ("public", "private", "unlicensed")          # 公房 / 私房 / 无证
CHOICES = ("in_kind", "monetary", "exchange")                 # 实物安置 / 货币补偿 / 产权调换
STATUSES = ("registered", "signed", "handed_over", "allocated", "resettled", "certified", "paid",
            "closed_unsettled")


class Household(db.Model):
    """One household of a project: survey data, progress dates and its own workflow state."""
    __tablename__ = "households"
    __table_args__ = (
        Index("ix_households_project_status", "project_id", "status"),
        Index("ix_households_project_building", "project_id", "building"),
        Index("ix_households_id_number", "id_number"),
        Index("ix_households_project_number", "project_id", "number", unique=True),
        # The register across every project an office may see, in the list's order.
        Index("ix_households_number", "number", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))                 # 户号
    building: Mapped[str | None] = mapped_column(String(40))
    head_name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    legal_area: Mapped[float] = mapped_column(Float)                # m², legal building area
    property_type: Mapped[str] = mapped_column(String(20))
    choice: Mapped[str] = mapped_column(String(20))
    family_size: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    handed_over_on: Mapped[dt.date | None] = mapped_column(Date)
    allocated_on: Mapped[dt.date | None] = mapped_column(Date)
    resettled_on: Mapped[dt.date | None] = mapped_column(Date)
    certified_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    # Promised resettlement date from the transitional-resettlement step; past it, overdue.
    promised_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    transition_allowance: Mapped[int | None]                        # monthly, fen
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("housing_units.id"))
    unsettled_reason: Mapped[str | None] = mapped_column(Text)
    # Each household runs its own SpiffWorkflow instance, like a project.
    definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definitions.id"))
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # Deferred and last, as on projects: lists never read the serialised workflow.
    state: Mapped[str | None] = deferred(mapped_column(Text))
    project = relationship("Project")
    definition = relationship("ProcessDefinition")
