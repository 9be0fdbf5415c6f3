"""The supervisors' list: escalations filtered by district, office, step, level and age; urge
(催办) and close off (销号)."""
import datetime as dt

from sqlalchemy import select, update

from ...clock import SHANGHAI
from ...extensions import db
from ...models import Escalation
from ...models.escalations import LEVEL_NAMES
from ...roles import SUPERVISING_ROLES, may_see_district
from ..records.audit import record
from .levels import start_of_day
from ..errors import Conflict, Forbidden, NotFound
from ..notices.notices import CERTIFICATE_STEP, split_name
from ..notices.notify import Recipients, notify
from ..runtime import runtime
from ..paging import Page, page_of

LEVELS = {name: level for level, name in LEVEL_NAMES.items()}
STATUS_FILTERS = {
    "open": lambda q: q.where(Escalation.cleared_at.is_(None), Escalation.closed_at.is_(None)),
    "cleared": lambda q: q.where(Escalation.cleared_at.is_not(None),
                                 Escalation.closed_at.is_(None)),
    "closed": lambda q: q.where(Escalation.closed_at.is_not(None)),
    "all": lambda q: q,
}


def require_supervisor(user):
    """Only supervisors and the leading-group office work the desk."""
    if user.role not in SUPERVISING_ROLES:
        raise Forbidden("only supervisors can see escalations")


def age_cutoff(age):
    """The start of the day after the last date an item must have fired on to be `age`
    working days old (today in Asia/Shanghai)."""
    calendar = runtime().calendar()
    today = runtime().clock.today()
    day = calendar.subtract_working_days(today, age)
    while day + dt.timedelta(days=1) < today and not calendar.is_workday(day + dt.timedelta(1)):
        day += dt.timedelta(days=1)
    return start_of_day(day + dt.timedelta(days=1))


def escalation_query(user, district=None, department=None, step=None, level=None, age=None,
                     status="open", current=True, kind=None):
    """SQL for the escalations a supervisor may see, with the list's filters."""
    require_supervisor(user)
    query = STATUS_FILTERS[status](select(Escalation))
    if user.district is not None:
        query = query.where(Escalation.district == user.district)
    for column, value in ((Escalation.district, district), (Escalation.office, department),
                          (Escalation.step, step), (Escalation.kind, kind)):
        if value:
            query = query.where(column == value)
    if level:
        query = query.where(Escalation.level == LEVELS[level])
    if current:
        query = query.where(Escalation.is_current.is_(True))
    if age:
        query = query.where(Escalation.fired_at < age_cutoff(age))
    return query


def list_escalations(user, page=1, per_page=50, cursor=None, **filters):
    """A `paging.Page` of escalations (described), most serious and oldest first."""
    query = escalation_query(user, **filters)
    found = page_of(query, (Escalation.level.desc(), Escalation.fired_at, Escalation.id),
                    page, per_page, cursor)
    return Page([describe(row) for row in found.rows], found.total, found.next_cursor,
                found.capped)


def get_escalation(user, escalation_id, lock=False):
    """One escalation the supervisor may see."""
    require_supervisor(user)
    row = db.session.get(Escalation, escalation_id,
                         with_for_update={"of": Escalation} if lock else None)
    if row is None or not may_see_district(user, row.district):
        raise NotFound("escalation not found")
    return row


def describe(row):
    """The row with display fields: step name, project name, ages in working days."""
    calendar = runtime().calendar()
    today = runtime().clock.today()
    fired = _local_date(row.fired_at)
    row.age_days = calendar.working_days_between(fired, today)
    row.step_name = row.task.name if row.task is not None else " ".join(CERTIFICATE_STEP)
    row.project_name = row.project.name
    due = _local_date(row.due_at - dt.timedelta(seconds=1)) if row.due_at else None
    end = _local_date(row.cleared_at) if row.cleared_at else today
    row.overdue_days = max(calendar.working_days_between(due, end), 0) if due else None
    row.status = "closed" if row.closed_at else "cleared" if row.cleared_at else "open"
    return row


def _local_date(moment):
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI).date()


def _office_users(row, recipients):
    if row.task is not None:
        task = row.task
        return recipients.office(task.role, task.district, task.department, task.claimed_by_id)
    return recipients.office("district_office", row.district)


def urge(user, escalation_id, note=""):
    """催办: notify the responsible office again, count it and record it. Commits."""
    row = get_escalation(user, escalation_id, lock=True)
    if row.closed_at is not None or row.cleared_at is not None:
        raise Conflict("this item is already resolved")
    now = runtime().clock.now_naive()
    row.urge_count += 1
    row.last_urged_at = now
    recipients = Recipients()
    step_name = row.task.name if row.task is not None else CERTIFICATE_STEP
    due = _local_date(row.due_at - dt.timedelta(seconds=1)) if row.due_at else ""
    params = {"project": row.project.name, "district": recipients.district_name(row.district),
              "step": split_name(step_name), "due_date": str(due), "note": note or ""}
    sent = notify(_office_users(row, recipients), "urge", params, project=row.project,
                  task=row.task, escalation=row)
    record("urge", user, row.project, row.task, escalation_id=row.id, level=row.level_name,
           note=note or "", notified=len(sent))
    db.session.commit()
    return describe(row)


def close(user, escalation_id, note):
    """销号: tick the item off with a note; closes every open level of the same task. Commits."""
    row = get_escalation(user, escalation_id, lock=True)
    if row.closed_at is not None:
        raise Conflict("this item is already closed off")
    now = runtime().clock.now_naive()
    link = Escalation.task_id == row.task_id if row.task_id is not None \
        else Escalation.certificate_id == row.certificate_id
    db.session.execute(update(Escalation).where(link, Escalation.closed_at.is_(None))
                       .values(closed_at=now, closed_by_id=user.id, close_note=note)
                       .execution_options(synchronize_session="fetch"))
    record("escalation_closed", user, row.project, row.task, escalation_id=row.id,
           level=row.level_name, note=note, task_still_open=row.cleared_at is None)
    db.session.commit()
    return describe(row)
