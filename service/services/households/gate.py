"""The statutory `handover` waits for the households: counts from the register, and the gate."""
from sqlalchemy import and_, case, func, or_, select

from ...extensions import db
from ...models import Household
from .. import signals
from ..errors import Conflict
from ..formcontext import provide

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
