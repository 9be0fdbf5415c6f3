"""What the desk pages read: the queue with its filter choices, and a task with its context."""
from sqlalchemy import select

from ...extensions import db
from ...models import Project, Task
from . import tasks
from ..records.attachments import project_attachments
from .record import objections_answered
from .steps import deployed_steps
from .taskview import task_detail
from .taskwork import colleagues, return_option

PER_PAGE = 50


def queue_page(user, scope="queue", project_id=None, step=None, page=1, text=None, cursor=None,
               sort="due"):
    """A page of a queue tab (`paging.Page`), the steps it can be filtered by and the project a
    link chose (the search box finds projects by name or document number)."""
    order = "completed" if scope == "done" else sort
    found = tasks.list_tasks(user, scope, project_id, step, page, PER_PAGE, order, text=text,
                             cursor=cursor)
    chosen = db.session.scalar(select(Project.name).where(Project.id == project_id)) \
        if project_id else None
    # The steps of the role's user tasks in the deployed versions: a queue's rows are of its
    # role, and reading their distinct steps would read the whole queue.
    return {"found": found, "project_name": chosen, "steps": deployed_steps(user.role)}


def task_page(user, task_id):
    """A task with its form, facts, previous step, project attachments and office colleagues."""
    task = task_detail(tasks.get_task(user, task_id))
    actor_may_act = task.status == "open" and tasks.may_act_on(user, task) and \
        task.claimed_by_id in (None, user.id)
    return {"task": task, "form": task.form_definition,
            "attachments": project_attachments(task.project_id),
            "can_act": actor_may_act,
            "objections": objections_answered(task) if task.status == "open" else [],
            "can_return": actor_may_act and return_option(task.form_definition)[0] is not None,
            "colleagues": colleagues(user, task) if task.claimed_by_id == user.id and
            task.status == "open" else []}


def outcome_page(user, task_id):
    """A completed task, its project and the project's open steps now."""
    task = tasks.get_task(user, task_id)
    project = task.project
    next_steps = db.session.scalars(select(Task).where(
        Task.project_id == project.id, Task.status == "open").order_by(Task.id)).all()
    return {"task": task, "project": project, "next_steps": next_steps}
