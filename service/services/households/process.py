"""Each household's own workflow (workflows/household_resettlement.bpmn): start, complete, rows.

A household's instance lives on its `households` row (state, revision), its task rows carry
`household_id`; completing one loads, locks and saves that household only, whatever the size
of its project.
"""
import datetime as dt

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ...database import has_row_locks
from ...extensions import db
from ...models import Household, Task
from .. import signals
from ...clock import SHANGHAI
from ..approval import tasks as approval_tasks
from ..deadlines.deadlines import set_thresholds, task_levels
from ..approval.instances import json_safe, rows_in_step
from ..errors import Conflict, Invalid
from ..policy import definitions
from ..records.audit import event, write
from ..runtime import runtime
from . import gate, pool  # noqa: F401 (gate: the handover's receiver)

PROCESS_KEY = "household_resettlement"
#: the statutory step whose opening means expropriation may begin (funds checked, joint
#: sign-off passed): the households' processes start with it
START_WITH_STEP = "handover"
#: form value -> (household column, status it means); a policy-edited diagram whose forms keep
#: these field names keeps the register in step
DATES = {"signed_on": "signed", "handed_over_on": "handed_over", "allocated_on": "allocated",
         "resettled_on": "resettled", "certified_on": "certified", "paid_on": "paid"}
#: form values copied onto the household as they are (money in fen)
COPIED = ("promised_on", "transition_allowance")
#: steps whose due date (and level-2 escalation) are dates in the process data, not working
#: days: the title certificate, three months after allocation and six at the most (001 四)
FIXED_DEADLINES = {"title_certificate": ("certificate_due", "certificate_deadline")}
#: values a household's own data supplies when the caller leaves them out (a bulk signing
#: with one date): the agreement's type follows the registered choice
DEFAULTS = {"agreement_type": lambda h: "monetary" if h.choice == "monetary" else "exchange"}
#: form values that act on other records before the household is saved
EFFECTS = {"unit_id": lambda household, value, actor: pool.allocate_unit(household, value, actor)}


def start_data(household):
    """The process data a household's instance starts with."""
    return {"household_id": household.id, "household_number": household.number,
            "head_name": household.head_name, "choice": household.choice,
            "legal_area": household.legal_area, "family_size": household.family_size,
            "project_id": household.project_id}


def may_begin(project):
    """Whether the project has reached the step where expropriation may begin (or passed it)."""
    return db.session.scalar(select(Task.id).where(
        Task.project_id == project.id, Task.household_id.is_(None),
        Task.step == START_WITH_STEP).limit(1)) is not None


def start_households(project, actor):
    """Start the process of each of the project's households that has none yet (in the
    caller's transaction); reads no household's workflow state. Written in bulk: one UPDATE
    executed for all households, one batch of task rows."""
    definition = definitions.latest(PROCESS_KEY, required=False)
    if definition is None:
        return 0
    spec = definitions.parsed(definition.id)
    meta = definitions.version_info(definition.id).meta["user_tasks"]
    engine, now = runtime().engine, runtime().clock.now_naive()
    waiting = db.session.execute(select(
        Household.id, Household.number, Household.head_name, Household.choice,
        Household.legal_area, Household.family_size, Household.project_id).where(
        Household.project_id == project.id, Household.definition_id.is_(None))
        .order_by(Household.id)).all()
    states, created = [], []
    for household in waiting:
        instance = engine.start(spec, start_data(household))
        states.append({"row_id": household.id, "state": engine.dump(instance)})
        created += [_new_row(project, household, meta[t.step], t, now)
                    for t in instance.ready_user_tasks()]
    if not waiting:
        return 0
    table = Household.__table__
    db.session.execute(update(table).where(table.c.id == bindparam("row_id")).values(
        definition_id=definition.id, revision=table.c.revision + 1, updated_at=now,
        state=bindparam("state")), states)
    if created:
        signals.tasks_opened.send(project, tasks=created, actor=actor)
        db.session.add_all(created)
        db.session.flush()
    write([event("households_start", actor, project, households=len(waiting),
                 process=definition.key, version=definition.version)])
    return len(waiting)


def start_if_begun(project, actor):
    """After an import: start the new households' processes if the project is past the start."""
    if may_begin(project):
        start_households(project, actor)


@signals.tasks_inserted.connect
def _on_inserted(project, tasks, actor=None, **extra):
    # The statutory step that marks the start opened: the households start in that transaction.
    if any(t.household_id is None and t.step == START_WITH_STEP for t in tasks):
        start_households(project, actor)


def load(household):
    """The household's instance as stored (its deferred state read on its own)."""
    state = db.session.scalar(select(Household.state).where(Household.id == household.id))
    return runtime().engine.load(definitions.parsed(household.definition_id), state)


def save(household, project, instance, actor, open_rows=None):
    """Persist the household's instance and keep its task rows in step; (created, cancelled)."""
    now = runtime().clock.now_naive()
    if open_rows is None:
        open_rows = {row.spiff_id: row for row in db.session.scalars(
            select(Task).where(Task.household_id == household.id, Task.status == "open"))}
    meta = definitions.version_info(household.definition_id).meta["user_tasks"]
    ready = {t.id: t for t in instance.ready_user_tasks()}
    created, cancelled, still_open = rows_in_step(
        ready.values(), open_rows, now,
        lambda t: _new_row(project, household, meta[t.step], t, now))
    values = {"revision": household.revision + 1, "updated_at": now,
              "state": runtime().engine.dump(instance)}
    db.session.execute(update(Household.__table__).where(Household.id == household.id)
                       .values(**values))
    for name, value in values.items():
        if name != "state":
            set_committed_value(household, name, value)
    if created:
        signals.tasks_opened.send(project, tasks=created, actor=actor)
        _escalate_at_latest(created, ready)
        # No `tasks_inserted`: its receivers notify per row (one notice per official per
        # household step would bury a district office under hundreds a day); the households'
        # work is read from the queues and the household list.
        db.session.add_all(created)
        db.session.flush()
    if cancelled:
        signals.tasks_closed.send(project, tasks=cancelled, actor=actor)
        db.session.flush()
    household.current_steps = sorted(still_open + created, key=lambda r: r.id)
    return created, cancelled


def _fixed_deadline(ready):
    """(due date, latest date) a step takes from its process data, else None."""
    names = FIXED_DEADLINES.get(ready.step)
    if not names or not ready.data.get(names[0]):
        return None
    due, latest = (ready.data.get(name) for name in names)
    return dt.date.fromisoformat(str(due)[:10]), (
        dt.date.fromisoformat(str(latest)[:10]) if latest else None)


def _new_row(project, household, meta, ready, now):
    limit = meta.get("time_limit_days")
    due_date, due_at = runtime().calendar().due(now, limit) if limit else (None, None)
    fixed = _fixed_deadline(ready)
    if fixed:
        # The title certificate is due three months after allocation (001 四), not a count of
        # working days from when the step opened.
        due_date, limit = fixed[0], None
        due_at = dt.datetime.combine(due_date, dt.time(23, 59, 59), tzinfo=SHANGHAI).astimezone(
            dt.timezone.utc).replace(tzinfo=None)
    row = Task(project_id=project.id, household_id=household.id, spiff_id=ready.id,
               step=ready.step, name=meta["name"], form=meta["form"], role=meta["role"],
               district=project.district, department=None, status="open", created_at=now,
               time_limit_days=limit, yellow_days=meta.get("yellow_days"), due_date=due_date,
               due_at=due_at)
    set_committed_value(row, "project", project)
    return row


def _escalate_at_latest(rows, ready):
    """A step with a latest date (six months after allocation) escalates to level 2 then;
    `ready` are the instance's READY user tasks by spiff id."""
    for row in rows:
        fixed = _fixed_deadline(ready[row.spiff_id]) if row.spiff_id in ready else None
        if fixed and fixed[1] and fixed[1] > fixed[0]:
            row.level2_days = runtime().calendar().working_days_between(fixed[0], fixed[1])
            yellow, _ = task_levels(row, {})
            set_thresholds(row, row.due_date, yellow, row.level2_days)


def _lock(household_id):
    """The household row, locked for this transaction where the database has row locks."""
    query = select(Household).where(Household.id == household_id)
    if has_row_locks(db.session.get_bind().dialect):
        query = query.with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one()


def _apply(household, values, actor):
    """Write what a completed step's values mean onto the household row."""
    for name, apply in EFFECTS.items():
        if values.get(name) is not None:
            apply(household, values[name], actor)
    for name, status in DATES.items():
        if values.get(name):
            setattr(household, name, dt.date.fromisoformat(str(values[name])[:10]))
            household.status = status
    if values.get("agreement_type") == "monetary":
        household.choice = "monetary"  # the agreement signed decides the route
    elif values.get("agreement_type") == "exchange" and household.choice == "monetary":
        household.choice = "exchange"
    for name in COPIED:
        if values.get(name) is not None:
            value = values[name]
            setattr(household, name, dt.date.fromisoformat(str(value)[:10])
                    if name.endswith("_on") else value)


def complete_household_task(user, task, raw, locale="zh"):
    """Complete one household's task (the caller checked who may act): validate, close the row,
    run that household's instance only, update the register row; one transaction, audited."""
    household = _lock(task.household_id)
    project = task.project
    form = approval_tasks.task_form(task)
    names = {f["name"] for f in form["fields"]}
    raw = {**{name: default(household) for name, default in DEFAULTS.items()
              if name in names and raw.get(name) in (None, "")}, **{
        k: v for k, v in raw.items() if not (k in DEFAULTS and v in (None, ""))}}
    values = approval_tasks.validate_for_task(task, raw, locale)
    facts = {f["name"]: values[f["name"]] for f in form["fields"] if f.get("computed")}
    approval_tasks._close_row(task, user, data=values, outcome=None,
                              **({"facts": facts} if facts else {}))
    instance = load(household)
    approval_tasks.run_step(instance, task.spiff_id, json_safe(values))
    try:
        _apply(household, values, user)
    except (Invalid, Conflict):
        db.session.rollback()
        raise
    household.updated_at = runtime().clock.now_naive()
    signals.tasks_closed.send(project, tasks=[task], actor=user)
    created, cancelled = save(household, project, instance, user)
    write([event("complete", user, project, task, step=task.step, data=values,
                 household_id=household.id, next=[t.step for t in created]),
           *[event("cancel", user, project, row, step=row.step, household_id=household.id)
             for row in cancelled]])
    db.session.commit()
    project.current_steps = household.current_steps
    return project


approval_tasks.OWNED_COMPLETIONS["household_id"] = complete_household_task


def form_context(task):
    """What a household step's form shows besides the project's data: the household's own."""
    household = db.session.get(Household, task.household_id)
    return {"household_number": household.number, "head_name": household.head_name,
            "legal_area": household.legal_area, "family_size": household.family_size,
            "allocated_on": household.allocated_on.isoformat() if household.allocated_on
            else None,
            "promised_on": household.promised_on.isoformat() if household.promised_on else None}


approval_tasks.OWNER_CONTEXT["household_id"] = form_context
