"""Loading and saving a project's workflow instance, and keeping its task rows in step."""
import json

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...models import Project, Task
from ...models.timestamps import utc_naive
from .. import signals
from ..policy.definitions import parsed, version_info
from ..runtime import runtime


def json_safe(data):
    """A plain-JSON copy of process data (dates and the like become text)."""
    return json.loads(json.dumps(data, default=str))


def load_instance(project):
    """The project's instance at its current revision (cached live object when possible)."""
    rt = runtime()
    instance = rt.take_instance(project.id, project.revision)
    if instance is None:
        instance = rt.engine.load(parsed(project.definition_id), stored_state(project.id))
    return instance


def stored_state(project_id):
    """The project's serialised workflow as stored (a deferred column: read on its own)."""
    return db.session.scalar(select(Project.state).where(Project.id == project_id))


def save_instance(project, instance, actor=None, open_rows=None):
    """Persist the instance, bump the revision, refresh project data/status and task rows.

    Returns (new task rows, cancelled task rows); `project.current_steps` becomes the open
    task rows after this save, by id. The caller commits, then calls `keep`. `open_rows`
    ({spiff id: row}) are the project's open rows when the caller read them under the
    project's lock; otherwise they are read here.
    """
    rt = runtime()
    now = rt.clock.now_naive()
    created, cancelled, still_open = sync_tasks(project, instance, now, open_rows)
    data = json_safe(instance.data)
    upcoming = instance.next_timer()
    values = {"revision": project.revision + 1, "updated_at": now, "data": data,
              "state": rt.engine.dump(instance)}
    # Indexed columns are written only when they change: an UPDATE that leaves every index
    # alone writes no index page (SQLite) and can be a heap-only update (PostgreSQL).
    indexed = {"next_timer_at": utc_naive(upcoming) if upcoming else None,
               "plan_year": data.get("plan_year") or project.plan_year}
    values.update({name: value for name, value in indexed.items()
                   if value != getattr(project, name)})
    if instance.completed:
        values.update(status=instance.end_status(), completed_at=now)
    # One Core UPDATE of the (locked) project row (the ORM would first load the deferred
    # workflow state it replaces); the object gets the written values.
    db.session.execute(update(Project.__table__).where(Project.id == project.id)
                       .values(**values))
    for name, value in values.items():
        if name != "state":  # deferred: the object does not hold the serialised workflow
            set_committed_value(project, name, value)
    # Receivers fill in the new rows before they are inserted: one INSERT, no UPDATE after.
    if created:
        signals.tasks_opened.send(project, tasks=created, actor=actor)
        insert_rows(created)
        signals.tasks_inserted.send(project, tasks=created, actor=actor)
    if cancelled:
        signals.tasks_closed.send(project, tasks=cancelled, actor=actor)
        db.session.flush()
    project.current_steps = sorted(still_open + created, key=lambda row: row.id)
    return created, cancelled


def keep(project, instance):
    """After commit: keep the live instance for the next step on this project."""
    runtime().keep_instance(project.id, project.revision, instance)


def sync_tasks(project, instance, now, open_rows=None):
    """Open a row for each new READY user task; cancel rows whose task is no longer READY.

    Returns (new rows, cancelled rows, rows that stay open); the new rows are not yet in the
    session (`insert_rows` writes them).
    """
    definition = version_info(project.definition_id)
    if open_rows is None:
        open_rows = {row.spiff_id: row for row in db.session.scalars(
            select(Task).where(Task.project_id == project.id, Task.status == "open",
                               Task.household_id.is_(None))  # households run their own
            .execution_options(populate_existing=True))}
    user_tasks = definition.meta["user_tasks"]
    return rows_in_step(instance.ready_user_tasks(), open_rows, now,
                        lambda t: _new_row(project, user_tasks[t.step], t, now))


def rows_in_step(ready, open_rows, now, new_row):
    """(new rows, cancelled rows, rows that stay open) for READY user tasks `ready` against
    the open rows by spiff id: `new_row(task)` builds each missing row; rows whose task is no
    longer READY are marked cancelled. Projects and households share it."""
    ready_ids = {t.id for t in ready}
    created = [new_row(t) for t in ready if t.id not in open_rows]
    cancelled = [row for sid, row in open_rows.items() if sid not in ready_ids]
    for row in cancelled:
        row.status = "cancelled"
        row.completed_at = now
    still_open = [row for sid, row in open_rows.items() if sid in ready_ids]
    return created, cancelled, still_open


def insert_rows(rows):
    """Insert new task rows (usually one; five for a joint sign-off) in one flush; they get
    their ids."""
    db.session.add_all(rows)
    db.session.flush()


def _new_row(project, meta, ready, now):
    item = meta.get("department_item")
    limit = meta.get("time_limit_days")
    due_date, due_at = runtime().calendar().due(now, limit) if limit else (None, None)
    row = Task(
        project_id=project.id, spiff_id=ready.id, step=ready.step, name=meta["name"],
        form=meta["form"], role=meta["role"], district=project.district,
        department=ready.data.get(item) if item else None, status="open", created_at=now,
        time_limit_days=limit, yellow_days=meta.get("yellow_days"), due_date=due_date,
        due_at=due_at)
    # The project as already loaded, without a change event (the row holds project_id).
    set_committed_value(row, "project", project)
    return row
