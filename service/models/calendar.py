"""Administrator corrections to the working-day calendar (days chinesecalendar lacks)."""
import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class CalendarDay(db.Model):
    __tablename__ = "calendar_days"
    date: Mapped[dt.date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(200), default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime]
    by = relationship("User")
