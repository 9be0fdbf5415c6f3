"""Task actions besides claim/complete: draft, return (退回), transfer (转办), release (收回)."""
from flask import g
from flask_smorest import Blueprint

from ..i18n import select_locale
from ..services.approval import taskwork
from ..services.approval.taskview import task_detail
from .deskschemas import DraftSchema, ReleaseSchema, ReturnSchema, TransferSchema
from .schemas import CompleteResultSchema, TaskDetailSchema, TaskSchema
from .security import BEARER, auth_required

blp = Blueprint("api_task_actions", __name__, url_prefix="/api/v1/tasks",
                description="Drafts, returns, transfers and releases")


@blp.route("/<int:task_id>/draft", methods=["PUT", "POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(DraftSchema())
@blp.response(200, TaskDetailSchema)
def draft(body, task_id):
    """Keep unfinished form values on the task (claims it); they come back as `values`."""
    return task_detail(taskwork.save_draft(g.user, task_id, body["data"], select_locale(g.user)))


@blp.route("/<int:task_id>/return", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ReturnSchema())
@blp.response(200, CompleteResultSchema)
def return_task(body, task_id):
    """Return the task to the previous step with a reason, where the diagram allows it."""
    project = taskwork.return_task(g.user, task_id, body["data"], body["reason"],
                                   select_locale(g.user))
    return {"project": project, "next_steps": project.current_steps}


@blp.route("/<int:task_id>/transfer", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(TransferSchema())
@blp.response(200, TaskSchema)
def transfer(body, task_id):
    """Hand a task the caller has claimed to a colleague of the same office."""
    return taskwork.transfer(g.user, task_id, body["to"], body["reason"], select_locale(g.user))


@blp.route("/<int:task_id>/release", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ReleaseSchema())
@blp.response(200, TaskSchema)
def release(body, task_id):
    """A supervisor gives a task claimed by an absent official back to its office's queue."""
    return taskwork.release(g.user, task_id, body["reason"], select_locale(g.user))
