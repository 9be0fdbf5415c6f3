"""Search for the project list and the work queue: one text box over the project's name and its
document numbers (批复文号 and the like, kept in the project's data), plus step and status."""
import json

from sqlalchemy import String, and_, cast, exists, or_, select

from ...models import Project, Task
from ..runtime import runtime

MAX_TEXT = 100


def _pattern(text):
    # '!' escapes LIKE's wildcards the same way on SQLite and PostgreSQL (whose default escape
    # is the backslash, which JSON's \u escapes of Chinese text are full of).
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def text_condition(text):
    """Projects whose name, or any value in their data (document numbers), contains `text`."""
    text = " ".join((text or "").split())[:MAX_TEXT]
    if not text:
        return None
    # JSON columns hold Chinese as \uXXXX escapes (the serialiser's default); match both ways.
    as_json = json.dumps(text)[1:-1]
    data = cast(Project.data, String)
    return or_(Project.name.like(_pattern(text), escape="!"),
               data.like(_pattern(text), escape="!"),
               data.like(_pattern(as_json), escape="!"))


def step_condition(step):
    """Projects with an open step `step` (the step the project is at)."""
    return exists().where(Task.project_id == Project.id, Task.status == "open",
                          Task.step == step)


def due_condition(due):
    """Projects with an open step overdue (`overdue`) or due soon (`due_soon`) now."""
    now = runtime().clock.now_naive()
    late = {"overdue": and_(Task.due_at.is_not(None), Task.due_at < now),
            "due_soon": and_(Task.yellow_at.is_not(None), Task.yellow_at <= now,
                             Task.due_at >= now)}[due]
    return exists().where(Task.project_id == Project.id, Task.status == "open", late)


DUE_FILTERS = ("overdue", "due_soon")


def filter_projects(query, text=None, step=None, due=None):
    """A project query narrowed by the search box, the current step and lateness."""
    condition = text_condition(text)
    if condition is not None:
        query = query.where(condition)
    if step:
        query = query.where(step_condition(step))
    if due in DUE_FILTERS:
        query = query.where(due_condition(due))
    return query


def filter_tasks(query, text=None):
    """A task query narrowed to the projects the search box finds."""
    condition = text_condition(text)
    if condition is None:
        return query
    return query.where(Task.project_id.in_(select(Project.id).where(condition)))
