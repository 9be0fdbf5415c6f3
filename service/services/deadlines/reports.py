"""Monthly progress reports: districts reminded on the 20th, each district's report compiled and
filed on the 25th (003 五(五)). Each runs once per month, claimed by a job_runs row."""
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import District, Escalation, JobRun, MonthlyReport, Project, Task
from ...roles import may_see_district
from ..records.audit import record
from ..households.progress import district_figures
from .levels import start_of_day
from ..errors import NotFound
from .escalations import require_supervisor
from ..notices.notify import Recipients, notify
from ..runtime import runtime

REMIND_DAY, FILE_DAY = 20, 25


def _claim(name, period):
    """Insert the job's claim in the current transaction; False if another process has it."""
    db.session.add(JobRun(name=name, period=period, at=runtime().clock.now_naive()))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def run_monthly(today=None):
    """Remind on/after the 20th and file on/after the 25th, once per month; returns what ran."""
    today = today or runtime().clock.today()
    month = today.strftime("%Y-%m")
    ran = []
    if today.day >= REMIND_DAY and _claim("report_reminder", month):
        remind_districts(month)
        db.session.commit()
        ran.append("report_reminder")
    if today.day >= FILE_DAY and _claim("monthly_report", month):
        for district in db.session.scalars(select(District.code).order_by(District.code)).all():
            file_report(district, month)
        db.session.commit()
        ran.append("monthly_report")
    db.session.rollback()
    return ran


def remind_districts(month):
    """Tell each district office its report is due by the 25th."""
    recipients = Recipients()
    for district in db.session.scalars(select(District).order_by(District.code)):
        users = recipients.office("district_office", district.code)
        notify(users, "report_reminder", {"month": month,
                                          "district": (district.name_zh, district.name_en)})
    record("report_reminder", None, month=month)


def _month_start(month):
    year, number = (int(part) for part in month.split("-"))
    return start_of_day(dt.date(year, number, 1))


def compile_report(district, month):
    """A district's progress: projects, steps done in the month, overdue items, households."""
    now = runtime().clock.now_naive()
    since = _month_start(month)
    projects = db.session.scalars(select(Project).where(Project.district == district)).all()
    by_status = {}
    for project in projects:
        by_status[project.status] = by_status.get(project.status, 0) + 1
    count = lambda *where: db.session.scalar(select(func.count()).select_from(Task)  # noqa: E731
                                             .where(Task.district == district, *where)) or 0
    data = {
        "projects": len(projects), "projects_by_status": by_status,
        "steps_done": count(Task.status == "completed", Task.completed_at >= since),
        "steps_done_late": count(Task.status == "completed", Task.completed_at >= since,
                                 Task.completed_late.is_(True)),
        "open_steps": count(Task.status == "open"),
        "overdue": count(Task.status == "open", Task.red_at <= now),
        "escalations_this_month": db.session.scalar(
            select(func.count(Escalation.id)).where(Escalation.district == district,
                                                    Escalation.fired_at >= since)) or 0,
        "households": sum(int((p.data or {}).get("households") or 0) for p in projects),
        "households_signed": sum(int((p.data or {}).get("agreements_signed") or 0)
                                 for p in projects),
        "households_handed_over": sum(int((p.data or {}).get("households_handed_over") or 0)
                                      for p in projects),
    }
    # The household register's figures (签约率, 交房率, 安置率, 办证率, overdue resettlement by
    # type) go in automatically; where the district has a register, its counts replace the
    # totals typed on the handover forms.
    resettlement = data["resettlement"] = district_figures(district)
    if resettlement["households"]:
        data.update(households=resettlement["households"],
                    households_signed=resettlement["signed"],
                    households_handed_over=resettlement["handed_over"])
    return data


def file_report(district, month):
    """Compile and store a district's report, notify its supervisors."""
    data = compile_report(district, month)
    report = MonthlyReport(district=district, month=month, filed_at=runtime().clock.now_naive(),
                           data=data)
    db.session.add(report)
    db.session.flush()
    record("report_filed", None, district=district, month=month, report_id=report.id)
    recipients = Recipients()
    users = recipients.supervisors(district) + recipients.office("district_office", district)
    notify(users, "report_filed", {
        "month": month, "district": recipients.district_name(district),
        "projects": data["projects"], "steps_done": data["steps_done"],
        "overdue": data["overdue"], "signed": data["households_signed"],
        "handed_over": data["households_handed_over"]})
    return report


def list_reports(user, district=None, month=None):
    """Filed reports the supervisor may see, newest first."""
    require_supervisor(user)
    query = select(MonthlyReport).order_by(MonthlyReport.month.desc(), MonthlyReport.district)
    if user.district is not None:
        query = query.where(MonthlyReport.district == user.district)
    for column, value in ((MonthlyReport.district, district), (MonthlyReport.month, month)):
        if value:
            query = query.where(column == value)
    return db.session.scalars(query).all()


def get_report(user, report_id):
    """One filed report."""
    require_supervisor(user)
    row = db.session.get(MonthlyReport, report_id)
    if row is None or not may_see_district(user, row.district):
        raise NotFound("report not found")
    return row
