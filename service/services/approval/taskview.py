"""What a task's page or API detail shows: its form, the facts, initial values, the last step."""
from sqlalchemy import select

from ...clock import local_time
from ...extensions import db
from ...models import Task
from .tasks import form_context, task_form


def initial_values(task, form):
    """Draft values if saved, else what was sent when this step was last done (a return brings
    it back; decisions and opinions are given afresh), else each field's prefill from the
    project data."""
    if task.status != "open":
        return dict(task.data or {})
    context = form_context(task)
    values = {f["name"]: context.get(f["prefill"]) for f in form["fields"] if f.get("prefill")}
    last = db.session.scalar(
        select(Task).where(Task.project_id == task.project_id, Task.step == task.step,
                           Task.status == "completed", Task.id != task.id,
                           Task.department.is_(None) if task.department is None
                           else Task.department == task.department)
        .order_by(Task.id.desc()).limit(1))
    if last is not None and not any(f.get("decision") for f in form["fields"]):
        # A step that decides (review, approval, sign-off) is done afresh each round: its last
        # round, shown as `previous`, must not come back as this round's answer. Other steps
        # bring back what was sent, except an opinion on the last round and blanks, which
        # would hide the prefill.
        sent = last.data or {}
        values.update({f["name"]: sent[f["name"]] for f in form["fields"]
                       if not f.get("computed") and f["name"] != "opinion"
                       and sent.get(f["name"]) is not None})
    values.update(task.draft or {})
    return values


def previous_step(task):
    """The last step completed on the project before this task opened (e.g. a return)."""
    row = db.session.scalar(
        select(Task).where(Task.project_id == task.project_id, Task.status == "completed",
                           # a household's steps follow each other, not the project's
                           Task.household_id == task.household_id if task.household_id
                           else Task.household_id.is_(None),
                           Task.completed_at <= task.created_at, Task.id != task.id)
        .order_by(Task.completed_at.desc(), Task.id.desc()).limit(1))
    if row is None:
        return None
    data = row.data or {}
    return {"task_id": row.id, "step": row.step, "name": row.name, "outcome": row.outcome,
            "opinion": data.get("opinion") or data.get("revision_note"),
            "completed_by": row.completed_by.username if row.completed_by else None,
            "completed_by_name": row.completed_by.display_name if row.completed_by else None,
            "completed_at": local_time(row.completed_at)}


def task_detail(task):
    """The task with its form definition, shown facts, initial values and previous step."""
    form = task_form(task)
    context = form_context(task)
    shown = {name: context.get(name) for name in form.get("show", []) if name in context}
    task.form_definition = form
    task.shown = shown
    task.values = initial_values(task, form)
    task.previous = previous_step(task)
    return task
