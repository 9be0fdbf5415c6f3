"""Reading the register: the household list (filters, paging) and one household's file."""
import datetime as dt

from sqlalchemy import and_, or_, select

from ...extensions import db
from ...models import AuditEvent, Attachment, Household, Project, Task
from ..approval.projects import get_project, visible_query
from ..errors import Invalid
from ..paging import page_of
from ..records.audit import record
from ..runtime import runtime
from .access import audit_full_view, get_household, personal, require_editor, \
    sees_personal_data
from .gate import SETTLED

EDITABLE = ("building", "phone", "address", "family_size", "unsettled_reason")


def overdue_condition(today):
    """Not resettled (nor paid) by the promised resettlement date (逾期未安置)."""
    return and_(Household.promised_on.isnot(None), Household.promised_on < today,
                Household.resettled_on.is_(None), Household.paid_on.is_(None))


def list_households(user, project_id, status=None, overdue=None, q=None, building=None,
                    settled=None, page=1, per_page=50, cursor=None):
    """A page (`paging.Page`) of a project's households, personal data masked (lists never
    show it in full)."""
    if project_id is not None:
        query = select(Household).where(Household.project_id == get_project(user,
                                                                            project_id).id)
    else:  # every project the user may see
        query = select(Household).where(Household.project_id.in_(
            visible_query(user).with_only_columns(Project.id)))
    if status:
        query = query.where(Household.status == status)
    if building:
        query = query.where(Household.building == building)
    if overdue is not None:
        condition = overdue_condition(runtime().clock.today())
        query = query.where(condition if overdue else ~condition)
    if settled is not None:
        query = query.where(SETTLED if settled else ~SETTLED)
    if q:
        like = f"%{q}%"
        query = query.where(or_(Household.number.like(like), Household.head_name.like(like),
                                Household.address.like(like)))
    found = page_of(query, (Household.number, Household.id), page, per_page, cursor)
    today = runtime().clock.today()
    for row in found.rows:
        row.personal = personal(row, full=False)
        row.overdue = is_overdue(row, today)
    return found


def is_overdue(household, today):
    """Whether the household is past its promised resettlement date and not resettled."""
    return bool(household.promised_on and household.promised_on < today
                and household.resettled_on is None and household.paid_on is None)


def household_file(user, household_id, where="api"):
    """One household's file: data (full personal data only for the district office of its
    district, each such view audited), its tasks and its history."""
    household = get_household(user, household_id)
    full = sees_personal_data(user, household)
    household.personal = personal(household, full)
    household.overdue = is_overdue(household, runtime().clock.today())
    household.tasks = db.session.scalars(select(Task).where(Task.household_id == household.id)
                                         .order_by(Task.id)).all()
    task_ids = [t.id for t in household.tasks]
    household.history = db.session.scalars(select(AuditEvent).where(
        AuditEvent.project_id == household.project_id,
        or_(AuditEvent.task_id.in_(task_ids) if task_ids else False,
            AuditEvent.detail["household_id"].as_integer() == household.id))
        .order_by(AuditEvent.id)).all()
    household.attachments = db.session.scalars(select(Attachment).where(
        Attachment.task_id.in_(task_ids)).order_by(Attachment.id)).all() if task_ids else []
    if full:
        audit_full_view(user, household, where)
        db.session.commit()
    return household


def edit_household(user, household_id, changes):
    """Change a household's editable fields; audited with the old and new values."""
    household = get_household(user, household_id)
    require_editor(user, household)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise Invalid("these fields cannot be changed", errors={k: ["not editable"]
                                                                for k in unknown})
    before = {k: getattr(household, k) for k in changes}
    for name, value in changes.items():
        setattr(household, name, value)
    household.updated_at = runtime().clock.now_naive()
    masked = {"phone"}  # personal data stays out of the audit trail's readable detail
    record("household_edit", user, household.project, household_id=household.id,
           changed={k: ["***", "***"] if k in masked else [before[k], changes[k]]
                    for k in changes if before[k] != changes[k]})
    db.session.commit()
    return household_file(user, household.id)


#: bulk actions on the household list: (step of the household process, its date field)
BULK_ACTIONS = {"sign": ("sign_agreement", "signed_on"), "handover": ("hand_over", "handed_over_on")}


def bulk_record(user, household_ids, action, on, locale="zh"):
    """Record signing or handover for many households with one date: each household's open
    task of that step is completed on its own checks (see bulk.bulk_complete)."""
    from .bulk import bulk_complete
    step, field = BULK_ACTIONS[action]
    found = dict(db.session.execute(select(Task.household_id, Task.id).where(
        Task.household_id.in_(household_ids), Task.step == step, Task.status == "open")).all())
    missing = [h for h in household_ids if h not in found]
    results = bulk_complete(user, [found[h] for h in household_ids if h in found],
                            {field: on.isoformat() if isinstance(on, dt.date) else on}, locale)
    return results, missing
