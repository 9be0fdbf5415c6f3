"""Work queues and the claim / unclaim / complete actions on task rows."""
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ...engine import EngineError, TaskNotReady
from ...database import has_row_locks
from ...extensions import db
from ...forms import FormInvalid, validate_submission
from ...models import Household, Project, Task
from ...roles import may_act_on, may_see_district
from .. import signals
from ..records.attachments import reference_problems
from ..records.audit import event, record, write
from ..policy.definitions import version_info
from ..errors import Conflict, Forbidden, Invalid, NotFound
from .instances import keep, load_instance, save_instance
from ..runtime import runtime
from ..paging import page_of
from .search import filter_tasks
from ..formcontext import extra_context

RETURN_DECISIONS = {"return", "object"}


def queue_filter(user):
    """SQL condition for open tasks in the user's role queue (role, district, department)."""
    condition = and_(Task.status == "open", Task.role == user.role)
    if user.district is not None:
        condition = and_(condition, Task.district == user.district)
    return and_(condition, or_(Task.department.is_(None), Task.department == user.department))


def scope_condition(user, scope):
    """SQL condition of a queue tab: `queue` (unclaimed in role queue), `mine` or `done`."""
    if scope == "mine":
        return and_(Task.status == "open", Task.claimed_by_id == user.id)
    if scope == "done":
        return and_(Task.status == "completed", Task.completed_by_id == user.id)
    return and_(queue_filter(user), Task.claimed_by_id.is_(None))


def list_tasks(user, scope="queue", project_id=None, step=None, page=1, per_page=50,
               order="due", text=None, cursor=None):
    """A page of the user's tasks (`paging.Page`): `queue` (unclaimed in role queue), `mine`
    or `done`; `text` searches the projects' names and document numbers; `cursor` from the
    previous page's next_cursor."""
    query = filter_tasks(select(Task).where(scope_condition(user, scope)), text)
    if project_id:
        query = query.where(Task.project_id == project_id)
    if step:
        query = query.where(Task.step == step)
    # Each order is served by an index on (the scope's equality columns, the keys): see
    # models/tasks.py.
    ordering = {"due": (Task.due_at.asc().nulls_last(), Task.id),
                "created": (Task.created_at.desc(), Task.id.desc()),
                "completed": (Task.completed_at.desc(), Task.id.desc())}[order]
    return page_of(query, ordering, page, per_page, cursor)


# Built once: an alias makes a proxy of every column of the tasks table, which cost a tenth of
# a completion's time when it was made per call (bench/profile_completion.py).
_TARGET = Task.__table__.alias("target")


def _project_of_task(task_id):
    return select(_TARGET.c.project_id).where(_TARGET.c.id == task_id).scalar_subquery()


def lock_project_of(task_id):
    """Lock the project row of a task before any action writes to the task's row: one lock
    order (project, then task rows) for completions, claims, unclaims, transfers, releases
    and drafts. A claim that updated the row first and then, for its audit row's foreign key,
    waited on the project row a completion held would deadlock with that completion (which
    waits on the task row). SQLite has no row locks: its write transaction holds the
    database's lock already."""
    if has_row_locks(db.session.get_bind().dialect):
        db.session.execute(select(Project.id).where(
            Project.id == _project_of_task(task_id)).with_for_update())


def lock_claimed_rows(user_id):
    """Lock the open rows an official has claimed, their projects' rows first (the order a
    completion takes), and return the rows; for actions that release them all."""
    claimed = and_(Task.status == "open", Task.claimed_by_id == user_id)
    if has_row_locks(db.session.get_bind().dialect):
        db.session.execute(select(Project.id).where(
            Project.id.in_(select(Task.project_id).where(claimed)))
            .order_by(Project.id).with_for_update())
    return db.session.scalars(select(Task).where(claimed).order_by(Task.id)
                              .with_for_update(of=Task)).all()


def _read_task(task_id, for_completion=False):
    """(task row with its project, the project's other open rows by spiff id) in one query;
    the other rows only `for_completion`, which first locks the project row."""
    if for_completion:
        # Lock the task's project row first (SQLite has no row locks: its write transaction
        # holds the database's lock already), then read. Every change to a project's open
        # rows takes that lock first, so what the read finds stays as read until the commit.
        # Read in the same statement as the lock, the rows would be those of the statement's
        # snapshot, taken before a completion that held the lock had committed: it would
        # cancel that completion's row.
        lock_project_of(task_id)
        # The task and the project's other open rows in one read; both sides of the OR use
        # an index (the key; project and status). The project comes joined (Task.project).
        condition = or_(Task.id == task_id, and_(Task.project_id == _project_of_task(task_id),
                                                 Task.status == "open",
                                                 Task.household_id.is_(None)))
    else:
        condition = Task.id == task_id
    task, others = None, {}
    for found in db.session.scalars(select(Task).where(condition)
                                    .execution_options(populate_existing=True)).unique():
        if found.id == task_id:
            task = found
        else:
            others[found.spiff_id] = found
    return task, others


def get_task(user, task_id):
    """A task the user may see: in their scope by role, or on a project of their district."""
    return _visible(user, _read_task(task_id)[0])


def _visible(user, task):
    if task is None or not may_see_district(user, task.district):
        raise NotFound("task not found")
    if not (may_act_on(user, task) or user.role in ("supervisor", "admin", "policy_staff")
            or task.completed_by_id == user.id):
        raise NotFound("task not found")
    return task


def _actionable(user, task_id):
    lock_project_of(task_id)  # every caller writes to the row: lock as completions do, first
    return _may_act(user, get_task(user, task_id))


def _may_act(user, task):
    if not may_act_on(user, task):
        raise Forbidden("this task is not yours to act on")
    if task.status != "open":
        raise Conflict("this task is no longer open")
    return task


def move_claim(task, held, to, refused):
    """Give the open row to user id `to` (None: back to the queue) if it is still open and
    `held` (a condition on its claimant) still holds; else roll back and raise Conflict with
    `refused`. The conditional UPDATE is the lock, as for completing: a change committed
    since the row was read leaves it alone."""
    done = db.session.execute(
        update(Task).where(Task.id == task.id, Task.status == "open", held)
        .values(claimed_by_id=to, claimed_at=None if to is None else runtime().clock.now_naive())
        .execution_options(synchronize_session="fetch"))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(refused)


def hold(user, task):
    """Claim an open task for the user in the current transaction (audited); Conflict when
    another official holds it."""
    move_claim(task, or_(Task.claimed_by_id.is_(None), Task.claimed_by_id == user.id), user.id,
               "another official has claimed this task")
    record("claim", user, task.project, task, step=task.step)


def claim(user, task_id):
    """Put an open task in the user's `mine` list."""
    task = _actionable(user, task_id)
    hold(user, task)
    db.session.commit()
    return task


def unclaim(user, task_id):
    """Give a claimed task back to the role queue."""
    task = _actionable(user, task_id)
    if task.claimed_by_id is None:
        raise Conflict("this task is not claimed: it is already in the queue")
    if task.claimed_by_id != user.id:
        raise Conflict("only the official who claimed this task can unclaim it")
    # A completion committed since the read above (the same official in another tab) gets
    # this a 409.
    move_claim(task, Task.claimed_by_id == user.id, None,
               "this task was completed or changed since")
    record("unclaim", user, task.project, task, step=task.step)
    db.session.commit()
    return task


def form_context(task):
    """Process data a task's form sees and its rules may read."""
    context = dict(task.project.data or {})
    meta = version_info(definition_id_of(task)).meta["user_tasks"].get(task.step, {})
    if meta.get("department_item"):
        context[meta["department_item"]] = task.department
    for column, provide in OWNER_CONTEXT.items():
        if getattr(task, column) is not None:  # a household's step sees its household's data
            context.update(provide(task))
    context.update(extra_context(task.form, task.project))
    return context


def task_form(task):
    """The form definition of the task, from the version its project runs on."""
    forms = version_info(definition_id_of(task)).forms
    return forms.get(task.form) or {"key": task.form, "fields": []}


def validate_for_task(task, raw, locale):
    """Validated, normalised form values for a task, or Invalid (422) per field."""
    try:
        values = validate_submission(task_form(task), raw, form_context(task), locale,
                                     runtime().engine.evaluator,
                                     cache_key=(definition_id_of(task), task.form))
    except FormInvalid as exc:
        raise Invalid("the form has errors", errors=exc.errors) from None
    errors = reference_problems(task, values, locale)
    if errors:
        raise Invalid("the form has errors", errors=errors)
    return values


#: Completions of rows whose workflow is not their project's own, by the column naming the
#: owner (issue 16: `household_id`, registered by services/households/process.py); each
#: loads, locks and saves only that owner's instance.
OWNED_COMPLETIONS = {}
#: Values a form of such a row sees besides its project's data, by the same column.
OWNER_CONTEXT = {}


def definition_id_of(task):
    """The process version a task row runs on: its household's (issue 16), else its project's."""
    if task.household_id is not None:
        return db.session.get(Household, task.household_id).definition_id
    return task.project.definition_id


def run_step(instance, spiff_id, values):
    """Run a task's step in its workflow instance; a step no longer ready is a 409 and data the
    process cannot go on with a 422, the transaction rolled back either way."""
    try:
        instance.complete(spiff_id, values)
    except TaskNotReady as exc:
        db.session.rollback()
        raise Conflict(str(exc)) from None
    except EngineError as exc:
        db.session.rollback()
        raise Invalid("the process could not continue with this data",
                      errors={"data": [str(exc)]}) from None


def complete(user, task_id, raw, locale="zh"):
    """Complete a task with form data (claiming it if unclaimed); returns the project, whose
    `current_steps` are its open task rows afterwards."""
    task, other_open_rows = _read_task(task_id, for_completion=True)
    _may_act(user, _visible(user, task))
    if task.claimed_by_id not in (None, user.id):
        raise Conflict("another official has claimed this task")
    for column, completion in OWNED_COMPLETIONS.items():
        if getattr(task, column) is not None:  # a household's task: its own instance only
            return completion(user, task, raw, locale)
    values = validate_for_task(task, raw, locale)
    form = task_form(task)
    decision = next((f["name"] for f in form["fields"] if f.get("decision")), None)
    facts = {f["name"]: values[f["name"]] for f in form["fields"] if f.get("computed")}
    _close_row(task, user, data=values, outcome=str(values.get(decision)) if decision else None,
               **({"facts": facts} if facts else {}))
    project = task.project  # read under its lock above
    instance = load_instance(project)
    # A prefilled field the caller left out keeps the process's value (a return that does not
    # name the sign-off departments must not wipe the list the next review starts from).
    task_values = {name: value for name, value in values.items()
                   if value is not None or name in raw or name not in _prefilled(form)}
    if form.get("collect_as"):
        task_values[form["collect_as"]] = {**values, "department": task.department}
    run_step(instance, task.spiff_id, task_values)
    signals.tasks_closed.send(project, tasks=[task], actor=user)
    created, cancelled = save_instance(project, instance, user, other_open_rows)
    write([event("complete", user, project, task, step=task.step, data=values,
                 next=[t.step for t in created]),
           *_consequences(user, project, task, values, created, cancelled)])
    db.session.commit()
    keep(project, instance)
    return project


def _prefilled(form):
    return {f["name"] for f in form["fields"] if f.get("prefill")}


def _close_row(task, user, **columns):
    """Complete the open row in one conditional UPDATE, which is the lock: of two officials
    completing at once, one matches. The row object gets the written values."""
    now = runtime().clock.now_naive()
    # The condition leaves only an unclaimed row or one claimed by the user: claimed by them.
    columns.update(status="completed", completed_by_id=user.id, completed_at=now,
                   claimed_by_id=user.id, **signals.completing_columns(task, now))
    # RETURNING the deadline level as it stands when the row is locked: a sweep that fired a
    # level just before is seen, and the completion clears that escalation.
    done = db.session.execute(
        update(Task.__table__).where(Task.id == task.id, Task.status == "open",
                                     or_(Task.claimed_by_id.is_(None),
                                         Task.claimed_by_id == user.id))
        .values(**columns).returning(Task.alert_level)).first()
    if done is None:
        db.session.rollback()
        raise Conflict("this task was completed or claimed by another official")
    columns["alert_level"] = done[0]
    for name, value in columns.items():
        set_committed_value(task, name, value)


def _consequences(user, project, task, values, created, cancelled):
    """Audit events of what a completion led to: a return, cancelled rows, the end."""
    found = []
    if task.outcome in RETURN_DECISIONS:
        found.append(event("return", user, project, task, from_step=task.step,
                           decision=task.outcome, to_steps=[t.step for t in created],
                           reason=values.get("opinion")))
    found += [event("cancel", user, project, row, step=row.step) for row in cancelled]
    if project.status == "rejected":
        found.append(event("reject", user, project, task, step=task.step,
                           reason=values.get("opinion")))
    elif project.status == "completed":
        found.append(event("finish", user, project, task, step=task.step))
    return found
