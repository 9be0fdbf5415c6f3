"""Administrator corrections to the working-day calendar, and what they change in open tasks."""
import datetime as dt

from sqlalchemy import func, select

from ...extensions import db
from ...models import AuditEvent, CalendarDay
from ...roles import SYSTEM_ADMIN_ROLES
from ..records.audit import record
from ..errors import Forbidden, Invalid, NotFound
from ..runtime import runtime

MAX_YEARS_AHEAD = 3


CORRECTION_ACTIONS = ("calendar_set", "calendar_clear")


def load_overrides():
    """Corrections as {date: is_working_day}."""
    return dict(db.session.execute(select(CalendarDay.date, CalendarDay.is_workday)).all())


def calendar_revision():
    """Which corrections are in force: the id of the latest correction's audit event, which
    commits with the correction (so a process sees a new one once it is committed)."""
    return db.session.scalar(select(func.max(AuditEvent.id))
                             .where(AuditEvent.action.in_(CORRECTION_ACTIONS)))


def _require_admin(actor):
    if actor is not None and actor.role not in SYSTEM_ADMIN_ROLES:
        raise Forbidden("only an administrator can correct the calendar")


def _check_date(day):
    today = runtime().clock.today()
    if not isinstance(day, dt.date) or abs(day.year - today.year) > MAX_YEARS_AHEAD:
        raise Invalid("the date cannot be corrected",
                      errors={"date": [f"a date within {MAX_YEARS_AHEAD} years of today"]})


def list_days(start=None, end=None):
    """Corrections, by date, optionally between two dates (inclusive)."""
    query = select(CalendarDay).order_by(CalendarDay.date)
    if start:
        query = query.where(CalendarDay.date >= start)
    if end:
        query = query.where(CalendarDay.date <= end)
    return db.session.scalars(query).all()


def set_day(day, is_workday, note="", actor=None):
    """Mark a date as working day or day off; recompute open tasks' deadlines. Commits."""
    from .deadlines import recompute_due_dates
    _require_admin(actor)
    _check_date(day)
    rt = runtime()
    before = rt.calendar().is_workday(day)
    row = db.session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(date=day)
        db.session.add(row)
    row.is_workday, row.note = bool(is_workday), note or ""
    row.by_id, row.at = (actor.id if actor else None), rt.clock.now_naive()
    record(CORRECTION_ACTIONS[0], actor, date=day.isoformat(), is_workday=bool(is_workday),
           note=note or "", was_workday=before)
    db.session.flush()
    try:
        changed = _apply(day, before, bool(is_workday), actor, recompute_due_dates)
        db.session.commit()
    finally:
        rt.calendar_changed()  # a rolled-back correction must not stay in the cached calendar
    row.changed_tasks = changed
    return row


def clear_day(day, actor=None):
    """Remove a correction (back to chinesecalendar); recompute deadlines. Commits."""
    from .deadlines import recompute_due_dates
    _require_admin(actor)
    row = db.session.get(CalendarDay, day)
    if row is None:
        raise NotFound(f"no correction for {day.isoformat()}")
    rt = runtime()
    before = rt.calendar().is_workday(day)
    db.session.delete(row)
    record(CORRECTION_ACTIONS[1], actor, date=day.isoformat(), was_workday=before)
    db.session.flush()
    try:
        rt.calendar_changed()
        after = rt.calendar().is_workday(day)
        changed = _apply(day, before, after, actor, recompute_due_dates)
        db.session.commit()
    finally:
        rt.calendar_changed()
    return changed


def _apply(day, before, after, actor, recompute):
    runtime().calendar_changed()
    if before == after:
        return 0
    return recompute(day, actor)
