"""Resettlement-housing pool (安置房源, one row per unit) and overdue-resettlement cases (逾期未安置)."""
import datetime as dt

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

#: unit statuses (000 三(三)2): 闲置 idle, 备选 reserved for a project, 已安置 allocated
UNIT_STATUSES = ("idle", "reserved", "allocated")


class HousingUnit(db.Model):
    """One resettlement unit (套) in the city's ledger."""
    __tablename__ = "housing_units"
    __table_args__ = (
        UniqueConstraint("estate", "building", "unit_number", name="uq_housing_unit"),
        Index("ix_housing_units_pool", "district", "status", "existing_stock"),
        Index("ix_housing_units_project", "reserved_project_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    estate: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    building: Mapped[str] = mapped_column(String(40))
    unit_number: Mapped[str] = mapped_column(String(40))
    area: Mapped[float] = mapped_column(Float)
    layout: Mapped[str] = mapped_column(String(40), default="")
    owner_unit: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default="idle")
    # Existing stock (存量) is offered before new-build units (000 三(三)2).
    existing_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    reserved_project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    # No foreign key: households.unit_id points here, and a cycle would order the migrations.
    household_id: Mapped[int | None] = mapped_column(index=True)
    # How many times the unit was reserved for a project (调剂); twice and still not
    # allocated is flagged for the city (000 三(三)2).
    times_offered: Mapped[int] = mapped_column(default=0)
    reserved_at: Mapped[dt.datetime | None]
    allocated_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]


#: overdue-resettlement types: 002 二(二) 一–九 and 003 三 (一)–(五)
OVERDUE_TYPES = (
    "litigation",            # 涉法涉诉
    "under_construction",    # 已开工在建
    "not_started",           # 因征收、规划调整尚未开工
    "return_demanded",       # 群众要求原地回迁、暂无法建设
    "infrastructure",        # 主体建成、配套设施不完善
    "funds_short",           # 资金短缺停工
    "not_accepted",          # 建成未竣工验收
    "developer_default",     # 开发企业不兑现安置协议
    "deadlock",              # “死结”项目
    "developer_abandoned",   # 开发企业自愿放弃 / 主体灭失
    "other",                 # 其他
)


class OverdueCase(db.Model):
    """A household not resettled by its promised date: one case (一户一案) until closed off (销号)."""
    __tablename__ = "overdue_cases"
    __table_args__ = (
        Index("ix_overdue_cases_open", "closed_on", "district"),
        Index("ix_overdue_cases_project", "project_id", "closed_on"),
        # One open case per household: of two sweepers only one opens it.
        Index("uq_overdue_cases_open_household", "household_id", unique=True,
              sqlite_where=text("closed_on IS NULL"), postgresql_where=text("closed_on IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    district: Mapped[str] = mapped_column(String(40))
    opened_on: Mapped[dt.date]
    promised_on: Mapped[dt.date | None]
    type: Mapped[str] = mapped_column(String(30), default="other")
    cause: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[dt.date | None]
    close_note: Mapped[str | None] = mapped_column(Text)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notified: Mapped[bool] = mapped_column(default=False)
    # When the case went on to the leading-group office (level 2), still open a month on.
    escalated_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
