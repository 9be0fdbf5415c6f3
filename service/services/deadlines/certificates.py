"""Title certificates (权证办理): due three calendar months after allocation, six at most (001 四).

When the handover step completes, its computed dates become a tracked deadline: yellow shortly
before the three months, red (to supervisors) once they pass, level 2 (leading-group office) once
the six-month limit passes, until the district office marks the certificates done.
"""
import datetime as dt

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Escalation, TitleCertificate
from ...models.escalations import LEVEL2, RED, YELLOW
from ...roles import may_see_district
from ..records.audit import record
from .levels import clear_escalations, start_of_day
from ..errors import Conflict, Forbidden, NotFound
from ..runtime import runtime

HANDOVER_STEP = "handover"
MARKING_ROLES = ("district_office", "supervisor", "leading_group")


def _date(value):
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def certificate_thresholds(calendar, due_date, deadline_date, yellow_days):
    """{level: moment} for a certificate: the six-month limit is its level 2."""
    return {YELLOW: start_of_day(calendar.subtract_working_days(due_date, yellow_days)),
            RED: start_of_day(due_date + dt.timedelta(days=1)),
            LEVEL2: start_of_day(deadline_date + dt.timedelta(days=1))}


def track_handover(project, task, now):
    """Open the certificate deadline when a handover task completes with an allocation date."""
    if task.step != HANDOVER_STEP or task.status != "completed":
        return None
    data = task.data or {}
    allocation = _date(data.get("allocation_date"))
    due, deadline = _date(data.get("title_certificate_due")), \
        _date(data.get("title_certificate_deadline"))
    if not (allocation and due and deadline):
        return None
    if db.session.scalar(select(TitleCertificate.id)
                         .where(TitleCertificate.project_id == project.id)):
        return None
    row = TitleCertificate(project_id=project.id, task_id=task.id, district=project.district,
                           allocation_date=allocation, due_date=due, deadline_date=deadline,
                           created_at=now)
    found = certificate_thresholds(runtime().calendar(), due, deadline,
                                   current_app.config["DEFAULT_YELLOW_DAYS"])
    row.yellow_at, row.red_at, row.level2_at = found[YELLOW], found[RED], found[LEVEL2]
    row.next_alert_at = row.yellow_at
    db.session.add(row)
    db.session.flush()
    record("certificate_tracked", None, project, task, certificate_id=row.id,
           allocation_date=allocation.isoformat(), due_date=due.isoformat(),
           deadline_date=deadline.isoformat())
    return row


def list_certificates(user, district=None, pending=True):
    """Certificate deadlines the user may see."""
    query = select(TitleCertificate).order_by(TitleCertificate.due_date, TitleCertificate.id)
    if user.district is not None:
        query = query.where(TitleCertificate.district == user.district)
    if district:
        query = query.where(TitleCertificate.district == district)
    if pending:
        query = query.where(TitleCertificate.done_at.is_(None))
    return db.session.scalars(query).all()


def mark_done(user, certificate_id, note=""):
    """The certificates are issued: stop the deadline, clear its escalations. Commits."""
    row = db.session.get(TitleCertificate, certificate_id, with_for_update={"of": TitleCertificate})
    if row is None or not may_see_district(user, row.district):
        raise NotFound("title certificate deadline not found")
    if user.role not in MARKING_ROLES:
        raise Forbidden("only the district office or a supervisor can mark certificates done")
    if row.done_at is not None:
        raise Conflict("the certificates are already marked done")
    now = runtime().clock.now_naive()
    row.done_at, row.done_by_id, row.done_note = now, user.id, note or ""
    row.done_late = now > row.red_at
    row.next_alert_at = None
    record("certificate_done", user, row.project, None, certificate_id=row.id,
           note=note or "", late=row.done_late)
    clear_escalations(Escalation.certificate_id == row.id, "done", row.project, None, user, now)
    db.session.commit()
    return row
