"""Tasks: the caller's queue, one task, claim, unclaim, complete."""
from flask import g, jsonify
from .paged import Blueprint, set_page

from ..i18n import select_locale
from ..services.approval import tasks
from ..services.approval.taskview import task_detail
from .plain import complete_result
from .schemas import CompleteResultSchema, CompleteSchema, TaskDetailSchema, TaskQuerySchema, \
    TaskSchema
from .security import BEARER, auth_required

blp = Blueprint("api_tasks", __name__, url_prefix="/api/v1/tasks", description="Work queues")


@blp.route("", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(TaskQuerySchema(), location="query")
@blp.response(200, TaskSchema(many=True))
@blp.paginate()
def index(query, pagination_parameters):
    """Open tasks in the caller's role queue (`queue`), claimed by the caller (`mine`), or done."""
    sort = query.pop("sort")
    found = tasks.list_tasks(g.user, page=pagination_parameters.page,
                             per_page=pagination_parameters.page_size,
                             order="completed" if query["scope"] == "done" else sort, **query)
    set_page(pagination_parameters, found)
    return found.rows


@blp.route("/<int:task_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, TaskDetailSchema)
def show(task_id):
    """The task, its form definition and the project data the form shows."""
    return task_detail(tasks.get_task(g.user, task_id))


@blp.route("/<int:task_id>/claim", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, TaskSchema)
def claim(task_id):
    """Claim the task: it moves to the caller's `mine` list."""
    return tasks.claim(g.user, task_id)


@blp.route("/<int:task_id>/unclaim", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, TaskSchema)
def unclaim(task_id):
    """Give the task back to the role queue."""
    return tasks.unclaim(g.user, task_id)


@blp.route("/<int:task_id>/complete", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CompleteSchema())
@blp.response(200, CompleteResultSchema)
def complete(body, task_id):
    """Complete the task with form data; returns the project's next open steps."""
    project = tasks.complete(g.user, task_id, body["data"], select_locale(g.user))
    # Dumped as plain dicts (equal to CompleteResultSchema's dump, which documents it).
    return jsonify(complete_result(project, project.current_steps))
