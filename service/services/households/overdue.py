"""Overdue resettlement (逾期未安置): a household not resettled by its promised date gets a case
(一户一案), escalated to supervisors, classified by type and cause, and closed off (销号)."""
import datetime as dt

from sqlalchemy import exists, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from ...extensions import db
from ...models import Household, OverdueCase, Project
from ...models.housing import OVERDUE_TYPES
from ...roles import SUPERVISING_ROLES, may_see_district
from ..errors import Conflict, Forbidden, NotFound
from ..notices.notices import TEXTS
from ..notices.notify import Recipients, notify
from ..paging import page_of
from ..records.audit import record
from ..runtime import runtime

#: statuses past resettlement: a household in one of them is not overdue
DONE = ("resettled", "certified", "paid", "closed_unsettled")
#: who classifies a case and closes it off: the district office works it, supervisors tick it off
WORKERS = ("district_office", "city_review", *SUPERVISING_ROLES)
BATCH = 500
NOTICE, NOTICE_LEVEL2 = "overdue_household", "overdue_household_level2"
#: a case still open this many days after it opened goes on to the leading-group office
#: (level 2, as an overdue step does), once
LEVEL2_AFTER_DAYS = 30

# The notice texts are registered with the others (one table of kinds).
TEXTS.setdefault(NOTICE, {
    "subject": ("【逾期未安置】{project}：{count} 户", "Overdue resettlement: {project} - {count}"),
    "body": ("{project}（{district}）有 {count} 户未在承诺的安置日期前安置（{households}），"
             "已列入逾期未安置台账，请区征收办逐户明确逾期类型、原因和解决方案（一户一案），"
             "解决后销号。",
             "{count} households of {project} ({district}) were not resettled by their promised "
             "date ({households}); they are on the overdue-resettlement ledger. The district "
             "office records each one's type, cause and plan; close each off once resolved."),
})
TEXTS.setdefault(NOTICE_LEVEL2, {
    "subject": ("【逾期未安置·二级督办】{project}：{count} 户",
                "Overdue resettlement, level 2: {project} - {count}"),
    "body": ("{project}（{district}）有 {count} 户列入逾期未安置台账已超过 {days} 日仍未销号"
             "（{households}），已报领导小组办公室。",
             "{count} households of {project} ({district}) have been on the overdue-resettlement "
             "ledger for more than {days} days without being closed off ({households}); they "
             "have been reported to the leading-group office."),
})


def _due(today):
    """Households past their promised date, not resettled, without a case for that promise."""
    return (select(Household.id, Household.project_id, Household.number, Household.promised_on,
                   Project.district, Project.name)
            .join(Project, Project.id == Household.project_id)
            .where(Household.promised_on < today, Household.status.notin_(DONE),
                   ~exists().where(OverdueCase.household_id == Household.id,
                                   or_(OverdueCase.closed_on.is_(None),
                                       OverdueCase.promised_on == Household.promised_on)))
            .order_by(Household.id))


def sweep_overdue(today=None, batch=BATCH):
    """Open a case for every household overdue today, notify the district office and the
    supervisors (one notice per project); returns the number of cases opened."""
    today = today or runtime().clock.today()
    opened, failures = 0, 0
    while True:
        try:
            found = _sweep_batch(today, batch)
        except (IntegrityError, OperationalError):
            db.session.rollback()  # another sweeper opened some of these first
            failures += 1
            if failures > 5:
                raise
            continue
        if not found:
            break
        opened += found
    _escalate(today)
    return opened


def _escalate(today):
    """Level 2: open cases older than LEVEL2_AFTER_DAYS go to the leading-group office, once
    each (a conditional UPDATE claims them, so two sweepers do not both notify)."""
    cutoff = today - dt.timedelta(days=LEVEL2_AFTER_DAYS)
    rows = db.session.execute(
        select(OverdueCase.id, OverdueCase.project_id, Household.number)
        .join(Household, Household.id == OverdueCase.household_id)
        .where(OverdueCase.closed_on.is_(None), OverdueCase.escalated_on.is_(None),
               OverdueCase.opened_on <= cutoff).order_by(OverdueCase.id)).all()
    if not rows:
        db.session.rollback()
        return
    claimed = set(db.session.scalars(
        update(OverdueCase).where(OverdueCase.id.in_([r.id for r in rows]),
                                  OverdueCase.escalated_on.is_(None))
        .values(escalated_on=today).returning(OverdueCase.id)
        .execution_options(synchronize_session=False)))
    by_project = {}
    for r in rows:
        if r.id in claimed:
            by_project.setdefault(r.project_id, []).append(r)
    recipients = Recipients()
    for project_id, found in by_project.items():
        project = db.session.get(Project, project_id)
        record("overdue_resettlement_level2", None, project, cases=[r.id for r in found])
        notify(recipients.leading_group() + recipients.supervisors(project.district),
               NOTICE_LEVEL2, {"project": project.name, "count": len(found),
                               "district": recipients.district_name(project.district),
                               "days": LEVEL2_AFTER_DAYS,
                               "households": _numbers(found)}, project=project)
    db.session.commit()


def _numbers(rows):
    return "、".join(r.number for r in rows[:10]) + ("…" if len(rows) > 10 else "")


def _sweep_batch(today, batch):
    rows = db.session.execute(_due(today).limit(batch)).all()
    if not rows:
        db.session.rollback()
        return 0
    now = runtime().clock.now_naive()
    db.session.add_all(OverdueCase(
        household_id=r.id, project_id=r.project_id, district=r.district, opened_on=today,
        promised_on=r.promised_on, type="other", cause="", plan="", notified=True,
        created_at=now, updated_at=now) for r in rows)
    db.session.flush()
    by_project = {}
    for r in rows:
        by_project.setdefault(r.project_id, []).append(r)
    recipients = Recipients()
    for project_id, found in by_project.items():
        project = db.session.get(Project, project_id)
        record("overdue_resettlement", None, project, households=[r.id for r in found],
               opened_on=today.isoformat())
        numbers = _numbers(found)
        users = (recipients.office("district_office", project.district)
                 + recipients.supervisors(project.district))
        notify(users, NOTICE, {"project": project.name, "count": len(found),
                               "district": recipients.district_name(project.district),
                               "households": numbers}, project=project)
    db.session.commit()
    return len(rows)


def _require_worker(user):
    if user.role not in WORKERS:
        raise Forbidden("only the district office and supervisors work overdue cases")


def case_query(user, district=None, project_id=None, status="open", type=None):
    """Cases the user may see, filtered; `status` open | closed | all."""
    _require_worker(user)
    query = select(OverdueCase)
    if user.district is not None:
        query = query.where(OverdueCase.district == user.district)
    for column, value in ((OverdueCase.district, district),
                          (OverdueCase.project_id, project_id), (OverdueCase.type, type)):
        if value:
            query = query.where(column == value)
    if status == "open":
        query = query.where(OverdueCase.closed_on.is_(None))
    elif status == "closed":
        query = query.where(OverdueCase.closed_on.is_not(None))
    return query


def list_cases(user, page=1, per_page=50, **filters):
    """A page of cases, oldest first (the longest waiting are the most urgent)."""
    return page_of(case_query(user, **filters), (OverdueCase.opened_on, OverdueCase.id),
                   page, per_page)


def get_case(user, case_id):
    """One case the user may see."""
    _require_worker(user)
    row = db.session.get(OverdueCase, case_id)
    if row is None or not may_see_district(user, row.district):
        raise NotFound("overdue case not found")
    return row


def classify(user, case_id, type, cause, plan=""):
    """Record a case's type (002 二(二), 003 三), cause and plan (一户一案); audited."""
    row = get_case(user, case_id)
    if row.closed_on is not None:
        raise Conflict("this case has been closed off")
    if type not in OVERDUE_TYPES:
        raise Conflict(f"unknown type {type}")
    before = {"type": row.type, "cause": row.cause, "plan": row.plan}
    row.type, row.cause, row.plan = type, cause, plan or ""
    row.updated_at = runtime().clock.now_naive()
    record("overdue_classify", user, db.session.get(Project, row.project_id), case=row.id,
           household=row.household_id, before=before, type=type, cause=cause, plan=plan)
    db.session.commit()
    return row


def close(user, case_id, note):
    """销号: close the case off with a note (once; a second close is a Conflict)."""
    row = get_case(user, case_id)
    today = runtime().clock.today()
    result = db.session.execute(
        OverdueCase.__table__.update().where(OverdueCase.id == row.id,
                                             OverdueCase.closed_on.is_(None))
        .values(closed_on=today, close_note=note, closed_by_id=user.id,
                updated_at=runtime().clock.now_naive()))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("this case has already been closed off")
    record("overdue_close", user, db.session.get(Project, row.project_id), case=row.id,
           household=row.household_id, note=note)
    db.session.commit()
    db.session.refresh(row)
    return row
