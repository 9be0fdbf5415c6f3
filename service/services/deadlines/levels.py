"""Escalation levels' moments and clearing, shared by task deadlines and title certificates."""
import datetime as dt

from sqlalchemy import update

from ...clock import SHANGHAI
from ...extensions import db
from ...models import Escalation
from ...models.escalations import LEVEL_NAMES, RED
from ...models.timestamps import utc_naive
from ..records.audit import record


def start_of_day(day):
    """00:00 of a Shanghai date, as naive UTC."""
    return utc_naive(dt.datetime.combine(day, dt.time(0, 0), tzinfo=SHANGHAI))


def clear_escalations(condition, reason, project, task, actor, now):
    """Mark a subject's uncleared escalations cleared, with one audit row per level.

    One Core UPDATE … RETURNING: it reads the escalations as they are when it runs, so one a
    concurrent sweep has just fired is cleared too (Escalation objects in the session are not
    refreshed). Returns (id, level) of the cleared rows.
    """
    rows = sorted(db.session.connection().execute(
        update(Escalation.__table__).where(condition, Escalation.cleared_at.is_(None))
        .values(cleared_at=now, cleared_reason=reason)
        .returning(Escalation.id, Escalation.level)).all())
    for row in rows:
        record("escalation_cleared", actor, project, task, escalation_id=row.id,
               level=LEVEL_NAMES[row.level], reason=reason, late=row.level >= RED)
    return rows
