"""The officials' work queue (我的待办): tabs, filters, paging, claim and unclaim."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services.approval import deskview, tasks
from .pageforms import keyset_args, pager_view, run, safe_next

bp = Blueprint("desk", __name__, url_prefix="/desk")
TABS = ("queue", "mine", "done")
SORTS = ("due", "created")


@bp.route("/queue")
@login_required
def queue():
    """Tasks of the official's role queue, their claimed tasks, and tasks they have done."""
    tab = request.args.get("tab", "queue")
    scope = tab if tab in TABS else "queue"
    project_id = request.args.get("project", type=int)
    step = request.args.get("step") or None
    page, cursor = keyset_args()
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "due"
    text = (request.args.get("q") or "").strip()[:100] or None
    view = deskview.queue_page(current_user, scope, project_id, step, page, text, cursor, sort)
    found = view.pop("found")
    return render_template("desk/queue.html", tab=scope, page=page, project_id=project_id,
                           step=step, q=text or "", sort=sort, rows=found.rows,
                           **pager_view(found, page, deskview.PER_PAGE), **view)


def _back(task_id):
    return safe_next(request.form.get("next")) or url_for("tasks_web.show", task_id=task_id)


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@login_required
def claim(task_id):
    """Claim a task from the list: it moves to 'claimed by me'."""
    run(lambda: tasks.claim(current_user, task_id), _("Task claimed."))
    return redirect(_back(task_id))


@bp.route("/tasks/<int:task_id>/unclaim", methods=["POST"])
@login_required
def unclaim(task_id):
    """Give a claimed task back to the role queue."""
    run(lambda: tasks.unclaim(current_user, task_id), _("Task returned to the queue."))
    return redirect(_back(task_id))
