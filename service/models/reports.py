"""Monthly district progress reports, and claims that make periodic jobs run exactly once."""
import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class MonthlyReport(db.Model):
    __tablename__ = "monthly_reports"
    __table_args__ = (UniqueConstraint("district", "month", name="uq_report_district_month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    filed_at: Mapped[dt.datetime]
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class JobRun(db.Model):
    """One row per periodic job and period; the primary key is the claim."""
    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    period: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[dt.datetime]
