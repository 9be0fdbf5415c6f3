"""Loading and saving a project's workflow instance, and keeping its task rows in step."""
import json

from sqlalchemy import select, update

from ..extensions import db
from ..models import ProjectState, Task
from ..models.timestamps import utc_naive
from . import signals
from .definitions import parsed, version_info
from .runtime import runtime


def json_safe(data):
    """A plain-JSON copy of process data (dates and the like become text)."""
    return json.loads(json.dumps(data, default=str))


def load_instance(project):
    """The project's instance at its current revision (cached live object when possible)."""
    rt = runtime()
    instance = rt.take_instance(project.id, project.revision)
    if instance is None:
        state = db.session.scalar(select(ProjectState.state)
                                  .where(ProjectState.project_id == project.id))
        instance = rt.engine.load(parsed(project.definition_id), state)
    return instance


def save_instance(project, instance, actor=None):
    """Persist the instance, bump the revision, refresh project data/status and task rows.

    Returns (new task rows, cancelled task rows); `project.current_steps` becomes the open
    task rows after this save, by id. The caller commits, then calls `keep`.
    """
    rt = runtime()
    now = rt.clock.now_naive()
    state = rt.engine.dump(instance)
    if project.revision == 0:
        db.session.add(ProjectState(project_id=project.id, state=state))
    else:
        db.session.execute(update(ProjectState).where(ProjectState.project_id == project.id)
                           .values(state=state))
    # Task rows before the project changes, so that both go out in the one flush below.
    created, cancelled, still_open = sync_tasks(project, instance, now)
    project.revision += 1
    project.updated_at = now
    project.data = json_safe(instance.data)
    if project.data.get("plan_year"):
        project.plan_year = project.data["plan_year"]
    upcoming = instance.next_timer()
    project.next_timer_at = utc_naive(upcoming) if upcoming else None
    if instance.completed:
        project.status = instance.end_status()
        project.completed_at = now
    # Receivers fill in the new rows before they are inserted: one INSERT, no UPDATE after.
    if created:
        signals.tasks_opened.send(project, tasks=created, actor=actor)
    if cancelled:
        signals.tasks_closed.send(project, tasks=cancelled, actor=actor)
    db.session.flush()
    project.current_steps = sorted(still_open + created, key=lambda row: row.id)
    return created, cancelled


def keep(project, instance):
    """After commit: keep the live instance for the next step on this project."""
    runtime().keep_instance(project.id, project.revision, instance)


def sync_tasks(project, instance, now):
    """Open a row for each new READY user task; cancel rows whose task is no longer READY.

    Returns (new rows, cancelled rows, rows that stay open); the new rows are added to the
    session, not yet flushed.
    """
    definition = version_info(project.definition_id)
    open_rows = {t.spiff_id: t for t in db.session.scalars(
        select(Task).where(Task.project_id == project.id, Task.status == "open"))}
    ready = instance.ready_user_tasks()
    ready_ids = {t.id for t in ready}
    created = [_new_row(project, definition.meta["user_tasks"][t.step], t, now)
               for t in ready if t.id not in open_rows]
    cancelled = [row for sid, row in open_rows.items() if sid not in ready_ids]
    for row in cancelled:
        row.status = "cancelled"
        row.completed_at = now
    db.session.add_all(created)
    still_open = [row for sid, row in open_rows.items() if sid in ready_ids]
    return created, cancelled, still_open


def _new_row(project, meta, ready, now):
    item = meta.get("department_item")
    limit = meta.get("time_limit_days")
    due_date, due_at = runtime().calendar().due(now, limit) if limit else (None, None)
    return Task(project_id=project.id, spiff_id=ready.id, step=ready.step, name=meta["name"],
                form=meta["form"], role=meta["role"], district=project.district,
                department=ready.data.get(item) if item else None, status="open",
                created_at=now, time_limit_days=limit, yellow_days=meta.get("yellow_days"),
                due_date=due_date, due_at=due_at)
