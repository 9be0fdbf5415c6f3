"""The statutory `handover` waits for the households: counts from the register, and the gate."""
import csv
import io

from sqlalchemy import and_, case, func, or_, select

from ...extensions import db
from ...models import Household
from .. import signals
from ..errors import Conflict
from ..formcontext import provide
from ..records.archive import EXTRA_MEMBERS

HANDOVER_STEP = "handover"
#: settled: in kind / exchange once the title certificate is done, monetary once paid
SETTLED = or_(and_(Household.choice == "monetary", Household.status == "paid"),
              and_(Household.choice != "monetary", Household.status == "certified"))
SIGNED = Household.signed_on.isnot(None)
HANDED_OVER = Household.handed_over_on.isnot(None)
RESETTLED = or_(Household.resettled_on.isnot(None), Household.paid_on.isnot(None))
CERTIFIED = Household.certified_on.isnot(None)


def register_counts(project_id):
    """{households, signed, handed_over, resettled, certified, settled, unsettled_with_reason,
    unsettled_without_reason} of a project, from the register in one query."""
    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
    unsettled = ~SETTLED
    row = db.session.execute(select(
        func.count(Household.id), count(SIGNED), count(HANDED_OVER), count(RESETTLED),
        count(CERTIFIED), count(SETTLED),
        count(and_(unsettled, Household.unsettled_reason.isnot(None))),
        count(and_(unsettled, Household.unsettled_reason.is_(None))))
        .where(Household.project_id == project_id)).one()
    keys = ("households", "signed", "handed_over", "resettled", "certified", "settled",
            "unsettled_with_reason", "unsettled_without_reason")
    return dict(zip(keys, (int(v) for v in row)))


def unsettled(project_id):
    """The project's households not settled (number, head, status, recorded reason)."""
    return db.session.execute(
        select(Household.id, Household.number, Household.head_name, Household.status,
               Household.unsettled_reason)
        .where(Household.project_id == project_id, ~SETTLED).order_by(Household.number)).all()


@signals.task_completing.connect
def _hold_handover(task, now, **extra):
    """The project's handover completes only when every household is settled or carries a
    recorded reason (raised before the completing UPDATE: nothing has been written)."""
    if task.step != HANDOVER_STEP or task.household_id is not None:
        return {}
    counts = register_counts(task.project_id)
    if counts["unsettled_without_reason"]:
        raise Conflict("households are neither settled nor carry a recorded reason: the "
                       "handover waits for them", errors={"households": [
                           f"{number} {name}" for _, number, name, _, reason
                           in unsettled(task.project_id) if reason is None][:50]})
    return {}


@provide(HANDOVER_STEP)
def _register_figures(project):
    """The handover form's register counts (its computed `register_*` fields)."""
    counts = register_counts(project.id)
    return {f"register_{key}": counts[key]
            for key in ("households", "signed", "handed_over", "resettled", "certified")}


_CSV_COLUMNS = (("number", "户号"), ("building", "楼栋"), ("head_name", "户主"),
                ("choice", "安置方式"), ("status", "状态"), ("signed_on", "签约日期"),
                ("handed_over_on", "交房日期"), ("resettled_on", "安置日期"),
                ("certified_on", "办证日期"), ("paid_on", "补偿支付日期"),
                ("settled", "是否安置完毕"), ("unsettled_reason", "未安置原因"))
_CHOICES = {"in_kind": "实物安置", "monetary": "货币补偿", "exchange": "产权调换"}
_STATUSES = {"registered": "已登记", "signed": "已签约", "handed_over": "已交房",
             "allocated": "已分房", "resettled": "已安置", "certified": "已办证",
             "paid": "补偿已支付", "closed_unsettled": "未安置结案"}


def archive_members(project):
    """households.csv for the project archive: every household (no ID numbers or phones), and
    for each one not settled the recorded reason."""
    rows = db.session.execute(select(Household, SETTLED.label("settled")).where(
        Household.project_id == project.id).order_by(Household.number)).all()
    if not rows:
        return {}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for _, heading in _CSV_COLUMNS])
    for household, settled in rows:
        values = {"choice": _CHOICES.get(household.choice, household.choice),
                  "status": _STATUSES.get(household.status, household.status),
                  "settled": "是" if settled else "否"}
        writer.writerow([values[k] if k in values else (getattr(household, k) or "")
                         for k, _ in _CSV_COLUMNS])
    return {"households.csv": ("\ufeff" + out.getvalue()).encode("utf-8")}


EXTRA_MEMBERS.append(archive_members)
